import type { Lang } from '../core/lang.js';
import { markdownPieces } from './markdown.js';
import type { FindingJson, RenderContext, Reporter, ReportModel } from './model.js';
import { ciLevel, clausesText, remediationOf, rulesById, shownFindings } from './view.js';

/**
 * GitHub Actions workflow commands: one annotation per failure and error, on the offending line
 * of the pull request (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`).
 * Critical and high are errors, medium warnings, low notices; problems reading the inputs and
 * rules not evaluated are errors. Annotations come most severe first: GitHub shows only the first
 * few of each kind per step (10 errors and 10 warnings at the time of writing).
 *
 * Escaping follows the workflow-command syntax (actions/toolkit, command.ts): in the message,
 * `%` `\r` `\n` become `%25` `%0D` `%0A`; in property values `:` and `,` also become `%3A`
 * `%2C`. Without it a message with a line break would end the command and a `::` in evidence
 * could issue a command of its own.
 */
type Command = 'error' | 'warning' | 'notice';
const COMMAND: Record<ReturnType<typeof ciLevel>, Command> = { error: 'error', warning: 'warning', note: 'notice' };
const ORDER: Command[] = ['error', 'warning', 'notice'];

const L = {
  ja: { fix: '是正', line: (fail: number, err: number, code: number) => `kitei: 不適合 ${fail} 件、エラー ${err} 件 → 終了コード ${code}` },
  en: { fix: 'Fix', line: (fail: number, err: number, code: number) => `kitei: ${fail} failures, ${err} errors → exit code ${code}` },
} as const;

export const githubReporter: Reporter = (model, ctx) => githubPieces(model, ctx.lang);

function* githubPieces(model: ReportModel, lang: Lang): Iterable<string> {
  const rules = rulesById(model);
  const commands = shownFindings(model).map((f) => ({ f, command: f.outcome === 'error' ? 'error' : COMMAND[ciLevel(f.severity)] }) as const);
  for (const kind of ORDER) {
    for (const { f, command } of commands) {
      if (command !== kind) continue;
      const fix = remediationOf(f, rules.get(f.ruleId), lang);
      yield workflowCommand(command, properties(f, lang), f.message[lang] + (fix ? `\n${L[lang].fix}: ${fix}` : '')) + '\n';
    }
  }
  const total = model.summary.total;
  yield `${L[lang].line(total.fail, total.error, model.exitCode)}${model.manifest ? ` (${model.manifest.digest})` : ''}\n`;
}

function properties(f: FindingJson, lang: Lang): [string, string | number][] {
  const title = `${f.ruleId}${f.clauses.length ? ` ${clausesText(f.clauses, lang)}` : f.code ? ` (${f.code})` : ''}`;
  const at = f.location;
  return [
    ...(at ? ([['file', at.file], ['line', at.line], ['col', at.column]] as [string, number | string][]) : []),
    ...(at?.endLine !== undefined ? ([['endLine', at.endLine]] as [string, number][]) : []),
    ...(at?.endColumn !== undefined ? ([['endColumn', at.endColumn]] as [string, number][]) : []),
    ['title', title],
  ];
}

/** `::command key=value,…::message`, escaped as the runner reads it. */
export function workflowCommand(command: string, props: [string, string | number][], message: string): string {
  const p = props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',');
  return `::${command}${p ? ` ${p}` : ''}::${escapeData(message)}`;
}

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** GitHub's limit on one step's job summary ($GITHUB_STEP_SUMMARY): 1 MiB. */
export const STEP_SUMMARY_BYTES = 1024 * 1024;

/**
 * The Markdown job summary appended to $GITHUB_STEP_SUMMARY with `--format github`: counts by
 * severity, the failures by article, the as-of date and the manifest digest (the Markdown
 * report), cut to fit the summary's size limit.
 */
export function githubStepSummary(model: ReportModel, ctx: RenderContext): string {
  return [...markdownPieces(model, ctx.lang, STEP_SUMMARY_BYTES)].join('') + '\n';
}
