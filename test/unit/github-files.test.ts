import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { workflowFile } from '../../src/init/files.js';
import { REPO } from '../harness/tree.js';

/**
 * kitei's GitHub files against the Schema Store's schemas (test/vendor/schemastore, see SOURCE.md):
 * the reusable action, kitei's own workflows, and the workflow `kitei init` writes into an
 * organisation's repository, with and without the action.
 */
const require = createRequire(import.meta.url);
const Ajv = require('ajv').default as typeof import('ajv').default;
const schema = (name: string) => JSON.parse(readFileSync(path.join(REPO, 'test/vendor/schemastore', name), 'utf8')) as object;
const ajv = new Ajv({ allErrors: true, strict: false });
const validateWorkflow = ajv.compile(schema('github-workflow.json'));
const validateAction = ajv.compile(schema('github-action.json'));

function errors(validate: ReturnType<typeof ajv.compile>, text: string): string[] {
  return validate(parse(text)) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

describe('GitHub files validate against the Schema Store schemas', () => {
  it('action.yml (a composite action)', () => {
    const text = readFileSync(path.join(REPO, 'action.yml'), 'utf8');
    expect(errors(validateAction, text)).toEqual([]);
    expect((parse(text) as { runs: { using: string } }).runs.using).toBe('composite');
  });

  const workflows = readdirSync(path.join(REPO, '.github/workflows')).filter((n) => /\.ya?ml$/.test(n));
  it.each(workflows)('.github/workflows/%s', (name) => {
    expect(errors(validateWorkflow, readFileSync(path.join(REPO, '.github/workflows', name), 'utf8'))).toEqual([]);
  });

  it('the workflow kitei init writes, with inline steps and with the action', () => {
    expect(errors(validateWorkflow, workflowFile())).toEqual([]);
    expect(errors(validateWorkflow, workflowFile('example-org/kitei@v1'))).toEqual([]);
  });

  it('a workflow that breaks the schema is refused (the check can fail)', () => {
    expect(errors(validateWorkflow, 'name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n')).not.toEqual([]);
  });
});
