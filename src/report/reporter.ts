export type { Reporter, RenderContext, ReportModel } from './model.js';

/** The whole text of a report, for callers that want it in memory (tests, small reports). */
export function reportText(output: string | Iterable<string>): string {
  return typeof output === 'string' ? output : [...output].join('');
}
