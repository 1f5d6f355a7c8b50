import type { Reporter, ReportModel } from './model.js';
import { runHeader } from './model.js';

export { findingToJson, JSON_FORMAT_VERSION } from './model.js';

/**
 * The JSON report, format version 2 (documented in docs/json-format.md): the model as it is. It
 * lists the findings the run kept (`included`: failures and errors by default, passes and n/a
 * with `--include`) and counts every outcome per rule, so it stays a complete account of the run
 * at a size that grows with what is wrong, not with the evidence. No timestamps; paths relative
 * to the working directory when below it: the same inputs give the same bytes.
 *
 * It is produced in pieces (one per finding), never as one string: a run with a million findings
 * would pass V8's string length limit. Joined, the pieces are exactly `JSON.stringify(doc, null, 2)`.
 */
export const jsonReporter: Reporter = (model) => jsonPieces(model);

function* jsonPieces(model: ReportModel): Iterable<string> {
  const head = JSON.stringify({ ...runHeader(model), findings: [] }, null, 2);
  if (model.findings.length === 0) {
    yield head + '\n';
    return;
  }
  // `"findings": []\n}` becomes `"findings": [` + one element per piece + `\n  ]\n}`.
  yield head.slice(0, head.length - '[]\n}'.length) + '[';
  let first = true;
  for (const f of model.findings) {
    yield (first ? '\n    ' : ',\n    ') + JSON.stringify(f, null, 2).replace(/\n/g, '\n    ');
    first = false;
  }
  yield '\n  ]\n}\n';
}

/**
 * NDJSON (one JSON value per line) for very large runs and for tools that read line by line:
 * the header first (`"type": "run"`, as the JSON report without findings), then one line per
 * finding (`"type": "finding"`), in the same order.
 */
export const ndjsonReporter: Reporter = (model) => ndjsonPieces(model);

function* ndjsonPieces(model: ReportModel): Iterable<string> {
  yield JSON.stringify({ type: 'run', ...runHeader(model) }) + '\n';
  for (const f of model.findings) yield JSON.stringify({ type: 'finding', ...f }) + '\n';
}
