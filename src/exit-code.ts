import { severityRank, type Finding, type Severity } from './core/findings.js';

export const EXIT = { ok: 0, failures: 1, invalid: 2 } as const;

/**
 * 0: nothing failing at or above the threshold; 1: failures at or above it; 2: the check could
 * not be completed (unreadable or invalid evidence or policies, a rule that could not be
 * evaluated). Usage errors also exit 2, decided by the CLI.
 */
export function exitCode(findings: readonly Finding[], failOn: Severity): number {
  if (findings.some((f) => f.outcome === 'error')) return EXIT.invalid;
  const limit = severityRank(failOn);
  if (findings.some((f) => f.outcome === 'fail' && severityRank(f.severity) <= limit)) return EXIT.failures;
  return EXIT.ok;
}
