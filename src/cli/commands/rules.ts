import type { Command } from 'commander';
import { applyConfig } from '../config.js';
import { clauseEn, clauseJa, compareClauses } from '../../core/clause.js';
import { alignColumns } from '../../core/width.js';
import { EXIT } from '../../exit-code.js';
import { openOutput } from '../io.js';
import { readDirectories, type CommonOptions, withCommonOptions } from '../options.js';

export function registerRules(program: Command): void {
  withCommonOptions(program.command('rules'), { policies: true, format: true, config: true })
    .description('ルールの一覧（条項・重要度・台帳・表題） / list the rules with their clause, severity, register and title')
    .action(async (opts: CommonOptions, command: Command) => {
      const { extraPolicyDirs } = await applyConfig(command, opts, undefined);
      const { loadRules } = await import('../../check.js');
      const { findingToJson } = await import('../../report/json.js');
      const { findingLines } = await import('../../report/text.js');
      const out = await openOutput(opts.output, readDirectories(opts));
      const loaded = await loadRules({ extraPolicyDirs, ...(opts.policies ? { policiesDir: opts.policies } : {}), ...(opts.schemas ? { schemasDir: opts.schemas } : {}) });
      const rules = [...loaded.engine.rules].sort((a, b) => compareClauses(a.rule.clauses[0]!, b.rule.clauses[0]!) || (a.rule.id < b.rule.id ? -1 : 1));
      let text: string;
      if (opts.format === 'json') {
        text = JSON.stringify({
          formatVersion: 1,
          rules: rules.map(({ rule, source }) => ({
            id: rule.id,
            clauses: rule.clauses.map((c) => ({ ...c, ja: clauseJa(c), en: clauseEn(c) })),
            severity: rule.severity,
            register: rule.register,
            title: rule.title,
            file: source.path,
            parameters: Object.fromEntries(Object.entries(rule.parameters ?? {}).map(([k, p]) => [k, p.default])),
            effective: rule.effective ?? {},
          })),
          problems: loaded.problems.map(findingToJson),
        }, null, 2) + '\n';
      } else {
        const render = opts.lang === 'ja' ? clauseJa : clauseEn;
        // Columns as wide as their content: clause lists and rule ids vary a lot in length.
        const lines = alignColumns(rules.map(({ rule }) => [rule.clauses.map(render).join(opts.lang === 'ja' ? '・' : ', '), rule.severity, rule.register, rule.id, rule.title[opts.lang]]), [32]);
        lines.push('', opts.lang === 'ja' ? `${rules.length} ルール` : `${rules.length} rules`);
        if (loaded.problems.length > 0) lines.push('', ...loaded.problems.flatMap((f) => findingLines(f, opts.lang)));
        text = lines.join('\n') + '\n';
      }
      await out(text);
      process.exitCode = loaded.problems.length > 0 ? EXIT.invalid : EXIT.ok;
    });
}
