import { Command, CommanderError } from 'commander';
import { UsageError } from '../core/problems.js';
import { EXIT } from '../exit-code.js';
import type { Lang } from '../core/lang.js';
import { registerCheck } from './commands/check.js';
import { registerRules } from './commands/rules.js';
import { registerCoverage } from './commands/coverage.js';
import { registerDiff } from './commands/diff.js';
import { registerDue } from './commands/due.js';
import { registerReport } from './commands/report.js';
import { registerExplain } from './commands/explain.js';
import { registerTest } from './commands/test.js';
import { registerLint } from './commands/lint.js';
import { registerValidate } from './commands/validate.js';
import { registerInit } from './commands/init.js';
import { afterHelp, localizeCommands, uiLanguage } from './help.js';
import { writeError } from './io.js';
import { setQuiet } from './progress.js';
import { versionText } from './version.js';

/**
 * The kitei command line: commander wiring only. Each command calls the core, writes its
 * output and sets the exit code; the core never prints or exits.
 */
export function buildProgram(lang: Lang = 'ja'): Command {
  const program = new Command()
    .name('kitei')
    .description('システム等運用管理規程の規程適合チェッカー / policy-as-code checker for the system operations regulation')
    .option('-V, --version', 'kitei と、ポリシーが実装する規程の版を表示する / print kitei\'s version and the version of the regulation its policies implement')
    .option('-q, --quiet', '標準エラーに進捗と出力ファイルの要約を出さない / no progress or report-file summary on standard error')
    .showHelpAfterError()
    .exitOverride();
  program.on('option:version', () => {
    // Like commander's own --version, but with the regulation's version read from the catalog.
    process.stdout.write(versionText(lang));
    process.exitCode = 0;
    throw new CommanderError(0, 'commander.version', 'version');
  });
  program.on('option:quiet', () => setQuiet(true));
  registerCheck(program);
  registerValidate(program);
  registerRules(program);
  registerTest(program);
  registerLint(program);
  registerCoverage(program);
  registerExplain(program);
  registerDue(program);
  registerReport(program);
  registerDiff(program);
  registerInit(program);
  for (const c of program.commands) c.exitOverride();
  program.addHelpText(
    'after',
    afterHelp(`
終了コード / exit codes:
  0  しきい値以上の不適合なし / nothing failing at or above --fail-on
  1  しきい値以上の不適合あり / failures at or above --fail-on
  2  使い方の誤り・不正な証跡やポリシー・評価できないルール / usage error, invalid evidence or policies, a rule that could not be evaluated

例 / examples:
  kitei check evidence --as-of 2026-11-24
  kitei check evidence --format json --output reports/findings.json
  kitei check evidence --param terminal-screen-lock.maxIdleMinutes=3 --lang en
  kitei check evidence --format sarif --format junit --format markdown --output-dir reports/
  kitei report reports/report.json --format csv --output reports/findings.csv
  kitei check evidence --baseline reports/last.json --fail-on-new
  kitei diff reports/2025.json reports/2026.json
  kitei validate evidence
  kitei rules
  kitei explain terminal-screen-lock
  kitei coverage evidence --as-of 2026-11-24
  kitei due evidence --within 90d
  kitei test`),
  );
  // Help and commander's own messages in one language (src/cli/help.ts).
  localizeCommands(program, lang, writeError);
  return program;
}

export async function run(argv: string[]): Promise<void> {
  try {
    await buildProgram(uiLanguage(argv.slice(2))).parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      process.exitCode = e.exitCode === 0 ? 0 : EXIT.invalid;
      return;
    }
    if (e instanceof UsageError) {
      writeError(`kitei: ${e.message}\n`);
    } else {
      // Not the user's fault: say so, keep the cause, and offer the stack for a bug report.
      writeError(`kitei: internal error: ${(e as Error).message}\n`);
      if (process.env.KITEI_DEBUG) writeError(`${(e as Error).stack ?? ''}\n`);
      else writeError('kitei: set KITEI_DEBUG=1 to see the stack trace\n');
    }
    process.exitCode = EXIT.invalid;
  }
}

// A reader that stops early (`kitei check --format ndjson | head`) closes the pipe: that is the
// reader's choice, not an error to report with a stack trace. The run's exit code stands.
// The same for standard error (`kitei check 2>&1 | head`). Handled here once, for every command.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

await run(process.argv);
