import { parseIndexedYaml, type IndexedYaml } from './indexed-yaml.js';

/** A piece of YAML text to read the fast way in a worker thread (core/parse-pool.ts). */
export interface ParseTask {
  text: string;
  maxDepth: number;
}

/**
 * The worker's one task: core/indexed-yaml.ts on the text it is sent. The value and the index
 * (typed arrays) go back by structured clone; null when the text must be read the full way.
 */
export default function parse(task: ParseTask): IndexedYaml | null {
  return parseIndexedYaml(task.text, task.maxDepth) ?? null;
}
