import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { checkWith, loadRules, DEFAULT_POLICIES_DIR } from '../../check.js';
import { buildCoverage } from '../../catalog/coverage.js';
import { todayInJapan } from '../../core/dates.js';
import { UsageError } from '../../core/problems.js';
import { EXIT } from '../../exit-code.js';
import { coverageJson, coverageText } from '../../report/coverage.js';
import { output } from '../io.js';
import { parseAsOf, parseFormat, parseLang, type CommonOptions } from '../options.js';

interface CoverageCliOptions extends CommonOptions {
  asOf?: string;
  evidence: boolean;
}

export function registerCoverage(program: Command): void {
  program
    .command('coverage')
    .description('条項カタログの各条項の状態（自動検査・組織的・説明的）と検査するルール、ルールごとの評価件数 / every clause of the regulation with its status, the rules that check it and how many records each evaluated')
    .argument('[evidence-dir]', '評価件数を数える証跡 / evidence to count evaluated records on', 'evidence')
    .option('--no-evidence', '証跡を評価せず、条項とルールの対応だけを示す / show the clause table without evaluating evidence')
    .option('--policies <dir>', 'ポリシーのディレクトリ（catalog.yaml を含む） / policies directory (with catalog.yaml)')
    .option('--schemas <dir>', '台帳スキーマのディレクトリ / register schemas directory')
    .option('--as-of <date>', '基準日 YYYY-MM-DD（既定: 今日・日本時間） / as-of date (default: today in Japan)', parseAsOf)
    .option('--format <format>', '出力形式 text|json / output format', parseFormat, 'text')
    .option('--output <file>', '結果をファイルに書く / write the table to a file')
    .option('--lang <lang>', '言語 ja|en / language', parseLang, 'ja')
    .addHelpText('after', `
終了コード / exit codes: 0 すべての条項に対応あり / every clause accounted for; 1 未対応の条項あり / a clause is unaccounted for; 2 読み込みの問題 / policies, catalog or evidence could not be read`)
    .action(async (evidenceDir: string, opts: CoverageCliOptions) => {
      const policiesDir = opts.policies ?? DEFAULT_POLICIES_DIR;
      const loaded = await loadRules({ policiesDir, ...(opts.schemas ? { schemasDir: opts.schemas } : {}) });
      if (!loaded.catalog) {
        const bad = loaded.problems.find((p) => p.code?.startsWith('catalog/') || p.location?.file.endsWith('catalog.yaml'));
        if (!bad) throw new UsageError(`no clause catalog (catalog.yaml) in ${policiesDir}`);
      }
      const useEvidence = opts.evidence && existsSync(evidenceDir);
      const asOf = opts.asOf ?? todayInJapan();
      const result = useEvidence && loaded.catalog ? await checkWith(loaded, { evidenceDir, asOf }) : undefined;
      // A check's findings already include the load problems; without one, they are the problems.
      // An automated clause without a rule is what the table itself shows as unaccounted (exit 1).
      const unique = (result ? result.findings.filter((f) => f.outcome === 'error' && f.ruleId.startsWith('kitei/')) : loaded.problems).filter((p) => p.code !== 'catalog/no-rule');
      if (!loaded.catalog) {
        process.stderr.write(unique.map((p) => `${p.location?.file}:${p.location?.line}:${p.location?.column} ${p.message.en}`).join('\n') + '\n');
        process.exitCode = EXIT.invalid;
        return;
      }
      const coverage = buildCoverage(loaded.catalog, loaded.engine.rules, result?.runs);
      const code = unique.length > 0 ? EXIT.invalid : coverage.totals.unaccounted > 0 ? EXIT.failures : EXIT.ok;
      const ctx = { lang: opts.lang, catalog: loaded.catalog, ...(result ? { asOf, evidenceDir } : {}), problems: unique, exitCode: code };
      await output(opts.format === 'json' ? coverageJson(coverage, ctx) : coverageText(coverage, ctx), opts.output);
      process.exitCode = code;
    });
}
