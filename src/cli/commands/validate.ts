import type { Command } from 'commander';
import { applyConfig } from '../config.js';
import { EXIT } from '../../exit-code.js';
import { openOutput } from '../io.js';
import { inputOptions, readDirectories, type CommonOptions, withCommonOptions } from '../options.js';
import { VERSION } from '../version.js';

export function registerValidate(program: Command): void {
  withCommonOptions(program.command('validate'), { format: true, evidence: true, config: true })
    .description('証跡の形式・ID・参照だけを検査する / check evidence files against their schemas, ids and references only')
    .argument('[evidence-dir]', '証跡のディレクトリ / evidence directory', 'evidence')
    .action(async (evidenceArg: string, opts: CommonOptions, command: Command) => {
      const { evidenceDir } = await applyConfig(command, opts, evidenceArg);
      const { validateEvidence } = await import('../../check.js');
      const { findingToJson, JSON_FORMAT_VERSION } = await import('../../report/json.js');
      const { findingLines } = await import('../../report/text.js');
      const out = await openOutput(opts.output, { evidence: evidenceDir, schemas: readDirectories(opts).schemas! });
      const result = await validateEvidence({ evidenceDir, input: inputOptions(opts), ...(opts.schemas ? { schemasDir: opts.schemas } : {}) });
      const code = result.findings.length > 0 ? EXIT.invalid : EXIT.ok;
      let text: string;
      if (opts.format === 'json') {
        text = JSON.stringify({ formatVersion: JSON_FORMAT_VERSION, tool: { name: 'kitei', version: VERSION }, evidence: { dir: evidenceDir, files: result.files, records: result.records }, exitCode: code, findings: result.findings.map(findingToJson) }, null, 2) + '\n';
      } else {
        const lines = result.findings.flatMap((f) => findingLines(f, opts.lang));
        const tally = opts.lang === 'ja'
          ? `${evidenceDir}: ${result.files.length} ファイル、${result.records} レコード、問題 ${result.findings.length} 件 → 終了コード ${code}`
          : `${evidenceDir}: ${result.files.length} files, ${result.records} records, ${result.findings.length} problems → exit code ${code}`;
        text = [...lines, tally].join('\n') + '\n';
      }
      await out(text);
      process.exitCode = code;
    });
}
