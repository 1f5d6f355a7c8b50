import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { applyConfig } from '../config.js';
import { todayInJapan } from '../../core/dates.js';
import { UsageError } from '../../core/problems.js';
import { EXIT } from '../../exit-code.js';
import { afterHelp } from '../help.js';
import { openOutput, writeError } from '../io.js';
import { inputOptions, readDirectories, type CommonOptions, withCommonOptions } from '../options.js';

interface CoverageCliOptions extends CommonOptions {
  asOf?: string;
  evidence: boolean;
}

export function registerCoverage(program: Command): void {
  withCommonOptions(program.command('coverage'), { policies: true, asOf: true, format: true, evidence: true, config: true })
    .description('条項カタログの各条項の状態（自動検査・組織的・説明的）と検査するルール、ルールごとの評価件数 / every clause of the regulation with its status, the rules that check it and how many records each evaluated')
    .argument('[evidence-dir]', '評価件数を数える証跡 / evidence to count evaluated records on', 'evidence')
    .option('--no-evidence', '証跡を評価せず、条項とルールの対応だけを示す / show the clause table without evaluating evidence')
    .addHelpText('after', afterHelp(`
終了コード / exit codes:
  0  すべての条項に対応あり / every clause accounted for
  1  未対応の条項あり / a clause is unaccounted for
  2  読み込みの問題 / policies, catalog or evidence could not be read`))
    .action(async (evidenceArg: string, opts: CoverageCliOptions, command: Command) => {
      const { evidenceDir, extraPolicyDirs } = await applyConfig(command, opts, evidenceArg);
      const { checkWith, loadRules, DEFAULT_POLICIES_DIR } = await import('../../check.js');
      const { buildCoverage } = await import('../../catalog/coverage.js');
      const { coverageJson, coverageText } = await import('../../report/coverage.js');
      const { findingLines } = await import('../../report/text.js');
      const out = await openOutput(opts.output, readDirectories(opts, opts.evidence ? evidenceDir : undefined));
      const policiesDir = opts.policies ?? DEFAULT_POLICIES_DIR;
      const loaded = await loadRules({ policiesDir, extraPolicyDirs, ...(opts.schemas ? { schemasDir: opts.schemas } : {}) });
      if (!loaded.catalog) {
        // No catalog, or one that could not be read: say which, and stop.
        if (loaded.problems.length === 0) throw new UsageError(`no clause catalog (catalog.yaml) in ${policiesDir}`);
        writeError(loaded.problems.flatMap((p) => findingLines(p, opts.lang)).join('\n') + '\n');
        process.exitCode = EXIT.invalid;
        return;
      }
      const asOf = opts.asOf ?? todayInJapan();
      const result = opts.evidence && existsSync(evidenceDir) ? await checkWith(loaded, { evidenceDir, asOf, input: inputOptions(opts) }) : undefined;
      // A check's findings include the load problems. An automated clause without a rule is not a
      // reading problem here: the table shows it as unaccounted (exit 1).
      const unique = (result ? result.findings.filter((f) => f.outcome === 'error' && f.ruleId.startsWith('kitei/')) : loaded.problems).filter((p) => p.code !== 'catalog/no-rule');
      const coverage = buildCoverage(loaded.catalog, loaded.engine.rules, result?.runs);
      const code = unique.length > 0 ? EXIT.invalid : coverage.totals.unaccounted > 0 ? EXIT.failures : EXIT.ok;
      const ctx = { lang: opts.lang, catalog: loaded.catalog, ...(result ? { asOf, evidenceDir } : {}), problems: unique, exitCode: code };
      await out(opts.format === 'json' ? coverageJson(coverage, ctx) : coverageText(coverage, ctx));
      process.exitCode = code;
    });
}
