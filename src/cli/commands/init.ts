import type { Command } from 'commander';
import { appendAll } from '../../core/arrays.js';
import { todayInJapan } from '../../core/dates.js';
import { EXIT } from '../../exit-code.js';
import { DEFAULT_SCHEMAS_DIR } from '../../defaults.js';
import { parseLang } from '../options.js';
import type { Lang } from '../../core/lang.js';

interface InitCliOptions {
  example?: boolean;
  action?: string;
  lang: Lang;
}

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('証跡リポジトリのひな形を作る（既存のファイルは上書きしない） / scaffold an evidence repository (never overwrites a file)')
    .argument('[dir]', '作成先のディレクトリ（既定: カレントディレクトリ） / directory to scaffold (default: the current directory)', '.')
    .option('--example', '台帳のひな形の代わりに架空の組織の証跡（例示）を書き、基準日を固定する / write the fictional organisation\'s example evidence instead of templates, with its as-of date pinned')
    .option('--action <ref>', 'ワークフローで再利用可能なアクションを使う（例: owner/kitei@v1。既定: 同じ手順を直接書く） / use the reusable action in the workflow (e.g. owner/kitei@v1; default: the same steps inline)')
    .option('--lang <lang>', '言語 ja|en / language', parseLang, 'ja')
    .addHelpText(
      'after',
      `
書くファイル / files written:
  evidence/<台帳>.yaml       台帳ごとのひな形（項目・条項の注釈、template: true） / one annotated template per register
  waivers/README.md          例外承認の説明と例 / what waivers are, with an example
  kitei.config.yaml          設定 / configuration
  .github/workflows/kitei.yml  CI（push・PR・毎朝・手動） / CI on push, pull request, daily and by hand
  .vscode/settings.json      台帳ごとのスキーマ（yaml.schemas） / each register's schema for the editor

例 / examples:
  npx kitei init
  npx kitei init --example
  npx kitei init my-evidence --lang en`,
    )
    .action(async (dir: string, opts: InitCliOptions) => {
      const { loadRules } = await import('../../check.js');
      const { scaffold } = await import('../../init/scaffold.js');
      const loaded = await loadRules({});
      const result = await scaffold({
        dir,
        example: opts.example ?? false,
        schemasDir: DEFAULT_SCHEMAS_DIR,
        rules: loaded.engine.rules,
        ...(loaded.catalog ? { catalog: loaded.catalog } : {}),
        today: todayInJapan(),
        ...(opts.action !== undefined ? { action: opts.action } : {}),
      });
      const ja = opts.lang === 'ja';
      const lines: string[] = [];
      if (result.written.length > 0) appendAll(lines, [ja ? `書いたファイル（${result.written.length}）:` : `Written (${result.written.length}):`, ...result.written.map((f) => `  ${f}`)]);
      if (result.skipped.length > 0) appendAll(lines, [ja ? `既にあるため書かなかったファイル（${result.skipped.length}）:` : `Skipped, already there (${result.skipped.length}):`, ...result.skipped.map((f) => `  ${f}`)]);
      const where = dir === '.' ? '' : `cd ${dir} && `;
      lines.push(
        '',
        ja ? '次に / next steps:' : 'Next steps:',
        ...(opts.example
          ? [ja ? `  ${where}npx kitei check   # 例示の証跡を基準日 2026-11-24 で検査する` : `  ${where}npx kitei check   # checks the example evidence as of 2026-11-24`]
          : [
              ja ? '  1. evidence/*.yaml に台帳を記入し、記入した台帳の template: true の行を削除する' : '  1. fill in the registers in evidence/*.yaml, deleting template: true from each one filled in',
              ja ? `  2. ${where}npx kitei check   # 未記入の台帳は「お知らせ」に挙がる` : `  2. ${where}npx kitei check   # registers not filled in yet are listed under Notices`,
            ]),
        ja ? '  設定は kitei.config.yaml、CI は .github/workflows/kitei.yml' : '  settings: kitei.config.yaml; CI: .github/workflows/kitei.yml',
      );
      process.stdout.write(lines.join('\n') + '\n');
      process.exitCode = EXIT.ok;
    });
}
