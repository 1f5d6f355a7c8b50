/** Telling failures apart: a short signature per distinct failure, and readable excerpts. */
import path from 'node:path';

const REPO = path.resolve(import.meta.dirname, '../..');

/** A message with the parts that vary between cases of the same bug (numbers, names, paths) blanked out. */
export function normaliseMessage(message: string): string {
  return message
    .split('\n')[0]!
    .replace(/(?:file:\/\/)?\/[^\s'"`:)]*kitei-fuzz-[^\s'"`:)]*/g, '<path>')
    .replace(/"[^"]{0,200}"|'[^']{0,200}'|`[^`]{0,200}`/g, '"…"')
    .replace(/\*[^\s,\]}]+/g, '*…')
    // A trailing name (an alias, a key, a field) varies from case to case: "…alias): TODO".
    .replace(/: \S+$/, ': …')
    .replace(/\d+/g, 'N')
    .slice(0, 160);
}

/**
 * The stack frames that say where an error came from: the first frame overall (where it was
 * thrown, maybe inside a dependency) and the first one in kitei's own source, without line numbers.
 */
export function stackFrames(stack: string | undefined): string {
  if (!stack) return '?';
  const frames = stack
    .split('\n')
    .filter((l) => /^\s+at /.test(l))
    .map((l) => l.trim().replace(/^at /, '').replace(/:\d+:\d+\)?$/, '').replace(/\($/, '').replace(/ \(/, ' ').replace(/file:\/\//g, ''))
    .map((l) => l.replace(REPO + path.sep, '').replace(/.*node_modules\//, 'node_modules/'));
  // Built-in frames (Array.push, node:internal) say little and vary with where a stack overflowed.
  const first = frames.find((f) => !/<anonymous>|\bnode:/.test(f)) ?? frames[0] ?? '?';
  const own = frames.find((f) => /(^| )src\//.test(f));
  return own && own !== first ? `${first} ← ${own}` : first;
}

export function errorSignature(kind: string, e: unknown): string {
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    // Where exactly a deep recursion ran out of stack varies; the file it recursed in does not.
    const file = /\((?:file:\/\/)?([^():]+):\d+:\d+\)/.exec((e.stack ?? '').split('\n').find((l) => /^\s+at .*\/(src|node_modules)\//.test(l)) ?? '')?.[1];
    return `${kind} RangeError: ${e.message} @ ${file ? file.replace(REPO + path.sep, '').replace(/.*node_modules\//, 'node_modules/') : '?'}`;
  }
  if (e instanceof Error) return `${kind} ${e.name}: ${normaliseMessage(e.message)} @ ${stackFrames(e.stack)}`;
  return `${kind} non-Error ${typeof e}`;
}

/** The first line where two texts differ, with both versions of it. */
export function firstDifference(a: string, b: string): string {
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return `line ${i + 1}:\n  first:  ${JSON.stringify(la[i] ?? '<end>').slice(0, 300)}\n  second: ${JSON.stringify(lb[i] ?? '<end>').slice(0, 300)}`;
  }
  return 'identical';
}

/**
 * A text as a JSON string in which nothing is invisible: besides JSON's own escapes, every
 * format, control, separator (other than the space), private-use, combining and unassigned code
 * point is written as \uXXXX (and a lone surrogate too).
 */
export function visible(s: string): string {
  return JSON.stringify(s).replace(/[\p{C}\p{Z}\p{M}\uFFFD]/gu, (c) => (c === ' ' ? c : [...c].map((u) => escapeUnits(u)).join('')));
}

function escapeUnits(c: string): string {
  let out = '';
  for (let i = 0; i < c.length; i++) out += '\\u' + c.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0');
  return out;
}

/** Whether bytes are well-formed UTF-8. */
export function isUtf8(data: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(data);
    return true;
  } catch {
    return false;
  }
}
