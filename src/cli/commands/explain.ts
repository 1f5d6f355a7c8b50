import type { Command } from 'commander';
import { applyConfig } from '../config.js';
import { EXIT } from '../../exit-code.js';
import { openOutput } from '../io.js';
import { readDirectories, type CommonOptions, withCommonOptions } from '../options.js';

export function registerExplain(program: Command): void {
  withCommonOptions(program.command('explain'), { policies: true, format: true, config: true })
    .description('ルールの説明：条項の文言、検査の論理（CEL 式）、パラメータと出典、施行期間、是正 / explain a rule: clause text, its logic, parameters and their sources, effective period, remediation')
    .argument('<rule-id>', 'ルール ID（kitei rules で一覧） / rule id (see kitei rules)')
    .action(async (ruleId: string, opts: CommonOptions, command: Command) => {
      const { extraPolicyDirs } = await applyConfig(command, opts, undefined);
      const { explainRule } = await import('../../explain.js');
      const { explainJson, explainText } = await import('../../report/explain.js');
      const out = await openOutput(opts.output, readDirectories(opts));
      const x = await explainRule(ruleId, { extraPolicyDirs, ...(opts.policies ? { policiesDir: opts.policies } : {}), ...(opts.schemas ? { schemasDir: opts.schemas } : {}) });
      await out(opts.format === 'json' ? explainJson(x) : explainText(x, opts.lang));
      process.exitCode = x.problems.length > 0 ? EXIT.invalid : EXIT.ok;
    });
}
