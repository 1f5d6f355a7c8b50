import type { Command } from 'commander';
import { clauseEn, clauseJa, compareClauses } from '../../core/clause.js';
import { EXIT } from '../../exit-code.js';
import { openOutput } from '../io.js';
import { readDirectories, type CommonOptions, withCommonOptions } from '../options.js';

export function registerRules(program: Command): void {
  withCommonOptions(program.command('rules'), { policies: true, format: true })
    .description('ルールの一覧（条項・重要度・台帳・表題） / list the rules with their clause, severity, register and title')
    .action(async (opts: CommonOptions) => {
      const { loadRules } = await import('../../check.js');
      const { findingToJson } = await import('../../report/json.js');
      const { findingLines, padEnd } = await import('../../report/text.js');
      const out = await openOutput(opts.output, readDirectories(opts));
      const loaded = await loadRules({ ...(opts.policies ? { policiesDir: opts.policies } : {}), ...(opts.schemas ? { schemasDir: opts.schemas } : {}) });
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
        const lines = rules.map(({ rule }) => `${padEnd(rule.clauses.map(render).join(opts.lang === 'ja' ? '・' : ', '), 34)} ${padEnd(rule.severity, 8)} ${padEnd(rule.register, 13)} ${padEnd(rule.id, 36)} ${rule.title[opts.lang]}`);
        lines.push('', opts.lang === 'ja' ? `${rules.length} ルール` : `${rules.length} rules`);
        if (loaded.problems.length > 0) lines.push('', ...loaded.problems.flatMap((f) => findingLines(f, opts.lang)));
        text = lines.join('\n') + '\n';
      }
      await out(text);
      process.exitCode = loaded.problems.length > 0 ? EXIT.invalid : EXIT.ok;
    });
}
