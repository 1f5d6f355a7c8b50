import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO } from './tree.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `kitei` bin (compiled JavaScript, as users run it) from the repository root. */
export function kitei(args: string[], cwd = REPO, env: Record<string, string> = {}): CliRun {
  const r = spawnSync(process.execPath, [path.join(REPO, 'bin/kitei.js'), ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function json(run: CliRun) {
  return JSON.parse(run.stdout) as {
    asOf: string;
    exitCode: number;
    summary: { total: Record<string, number> };
    findings: { ruleId: string; outcome: string; assertion?: string; severity: string; code?: string; recordId?: string; clauses: { ja: string; en: string }[]; message: { ja: string; en: string }; location: { file: string; line: number; column: number; pointer: string } | null }[];
  };
}
