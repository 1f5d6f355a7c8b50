import { daysBetween } from '../core/dates.js';
import type { Finding, Location, WaiverRef } from '../core/findings.js';
import { problemFinding, type ProblemCode, type ProblemValue } from '../core/problems.js';
import { holderOn, holds } from '../engine/cel/roles.js';
import type { Lang } from '../core/lang.js';
import { roleLabel } from '../core/roles.js';
import { isProvision } from '../engine/cel/text.js';
import type { RuleRun } from '../engine/engine.js';
import type { EvidenceDocument, EvidenceRecord } from '../evidence/document.js';
import { DEFAULT_WAIVER_APPROVERS, type LoadedRule } from '../policy/model.js';

/**
 * Waivers: decisions, approved by the holder of a role allowed to approve them, to accept a
 * rule's failure on named records (or on the rule's whole register) until an expiry date. A
 * failure a waiver in force covers becomes `waived`: it keeps its clause, position and message,
 * shows the waiver, is counted apart and does not fail the run. Waivers are checked like evidence:
 * each problem is a finding at the waiver's own line, and a waiver with a problem is not applied
 * (the failure stays a failure), so no failure is ever hidden by a waiver nobody could approve.
 */

/** A waiver record as the schema (schemas/waivers.schema.json) has it. */
export interface WaiverRecord {
  id: string;
  rule: string;
  assertion?: string;
  scope: { records?: string[]; register?: string };
  justification: string;
  risk: string;
  compensatingMeasure: string;
  approvedBy: string;
  approvedOn: string;
  expiresOn: string;
  documentRef: string;
}

/**
 * What became of a waiver in this run: `applied` (it accepted `matched` failures), `expiring`
 * (applied, and it expires within the warning period), `stale` (in force, but no failure of its
 * scope: remove it), `expired`, `not-yet-approved`, or `invalid` (a problem of its own, reported).
 */
export type WaiverStatus = 'applied' | 'expiring' | 'stale' | 'expired' | 'not-yet-approved' | 'invalid';

export interface WaiverOutcome {
  id: string;
  rule: string;
  assertion?: string;
  scope: { records?: string[]; register?: string };
  status: WaiverStatus;
  matched: number;
  approvedBy: string;
  /** The role the approver held on the approval date, when the approval holds. */
  role?: string;
  approvedOn: string;
  expiresOn: string;
  /** Days from the as-of date to the expiry (negative once expired). */
  daysLeft: number;
  justification: string;
  risk: string;
  compensatingMeasure: string;
  documentRef: string;
  location: Location;
}

export interface WaiverSettings {
  asOf: string;
  /** The longest term a waiver may have, approval to expiry (default 365 days). */
  maxDays: number;
  /** A waiver expiring within this many days of the as-of date is flagged `expiring`. */
  warnDays: number;
  /** The day the regulation came into force: nobody held its roles before. */
  enforcedOn: string;
}

export const DEFAULT_WAIVER_MAX_DAYS = 365;
export const DEFAULT_WAIVER_WARN_DAYS = 30;

export interface WaiverInputs {
  /** The waiver files (register `waivers`). */
  waivers: readonly EvidenceDocument[];
  /** The evidence, to resolve scopes and approvers. */
  evidence: readonly EvidenceDocument[];
  /** Evidence registers that could not be read: what depends on them is not evaluated. */
  unreadable: ReadonlySet<string>;
  /** The rules applied on the as-of date (one version per id). */
  rules: readonly LoadedRule[];
}

export interface WaiverResult {
  /** The findings, failures covered by a waiver in force now `waived`. */
  findings: Finding[];
  /** The runs with their counts moved from fail to waived. */
  runs: RuleRun[];
  /** Problems of the waivers themselves, each at the waiver's position. */
  problems: Finding[];
  waivers: WaiverOutcome[];
}

export function applyWaivers(findings: readonly Finding[], runs: readonly RuleRun[], inputs: WaiverInputs, settings: WaiverSettings): WaiverResult {
  const problems: Finding[] = [];
  const outcomes: WaiverOutcome[] = [];
  const rules = new Map(inputs.rules.map((r) => [r.rule.id, r.rule]));
  const idsOf = recordIdsByRegister(inputs.evidence);
  const organization = recordsById(inputs.evidence, 'organization');
  const out = [...findings];
  const waivedByRule = new Map<string, number>();

  for (const doc of inputs.waivers) {
    for (const rec of doc.records) {
      if (!rec.valid) continue; // its problems are reported by the loader; it is not applied
      const w = rec.value as unknown as WaiverRecord;
      const at = (pointer: string) => doc.source.locate(rec.pointer + pointer);
      const problem = (code: ProblemCode, pointer: string, values: Record<string, ProblemValue>, outcome: 'error' | 'fail' = 'error') => {
        problems.push({ ...problemFinding(code, at(pointer), { waiver: w.id, ...values }, { ruleId: `kitei/${code.replace('/', '-')}`, severity: outcome === 'error' ? 'high' : 'low' }), outcome, recordId: w.id });
      };
      const outcome: WaiverOutcome = {
        id: w.id,
        rule: w.rule,
        ...(w.assertion !== undefined ? { assertion: w.assertion } : {}),
        scope: w.scope,
        status: 'invalid',
        matched: 0,
        approvedBy: w.approvedBy,
        approvedOn: w.approvedOn,
        expiresOn: w.expiresOn,
        daysLeft: daysBetween(settings.asOf, w.expiresOn),
        justification: w.justification,
        risk: w.risk,
        compensatingMeasure: w.compensatingMeasure,
        documentRef: w.documentRef,
        location: at(''),
      };
      outcomes.push(outcome);
      const before = problems.length;

      const rule = rules.get(w.rule);
      if (!rule) {
        problem('waiver/unknown-rule', '/rule', { rule: w.rule });
        continue;
      }
      if (rule.waivable === false) problem('waiver/not-waivable', '/rule', { rule: w.rule, reason: { ja: 'ポリシーで waivable: false', en: 'its policy marks it waivable: false' } });
      if (w.assertion !== undefined && !rule.assertions.some((a) => a.id === w.assertion)) {
        problem('waiver/unknown-assertion', '/assertion', { rule: w.rule, assertion: w.assertion, known: rule.assertions.map((a) => a.id).join(', ') });
      }
      if (w.scope.register !== undefined && w.scope.register !== rule.register) {
        problem('waiver/wrong-register', '/scope/register', { rule: w.rule, register: w.scope.register, ruleRegister: rule.register });
      }
      const known = idsOf.get(rule.register);
      if (known && !inputs.unreadable.has(rule.register)) {
        (w.scope.records ?? []).forEach((id, i) => {
          if (!known.has(id)) problem('waiver/unknown-record', `/scope/records/${i}`, { record: id, register: rule.register });
        });
      }
      if (!(settings.asOf < w.approvedOn)) {
        const approval = checkApprover(w, rule.waiverApprovers ?? DEFAULT_WAIVER_APPROVERS, inputs, idsOf.get('staff'), organization, settings);
        if (approval.role !== undefined) outcome.role = approval.role;
        else problem(approval.code, '/approvedBy', approval.values);
      }
      const days = daysBetween(w.approvedOn, w.expiresOn);
      if (days > settings.maxDays) problem('waiver/too-long', '/expiresOn', { approvedOn: w.approvedOn, expiresOn: w.expiresOn, days, max: settings.maxDays });
      if (!isProvision(w.justification) || new Set(w.justification.replace(/[\s\p{P}\p{S}ー]/gu, '')).size < 5) {
        problem('waiver/placeholder-justification', '/justification', { text: w.justification.length > 40 ? `${w.justification.slice(0, 40)}…` : w.justification });
      }
      if (problems.length > before) continue;

      if (settings.asOf < w.approvedOn) {
        outcome.status = 'not-yet-approved';
        problem('waiver/not-yet-approved', '/approvedOn', { approvedOn: w.approvedOn, asOf: settings.asOf }, 'fail');
        continue;
      }
      if (w.expiresOn < settings.asOf) {
        outcome.status = 'expired';
        problem('waiver/expired', '/expiresOn', { expiresOn: w.expiresOn }, 'fail');
        continue;
      }
      const records = w.scope.records ? new Set(w.scope.records) : undefined;
      const ref: WaiverRef = {
        id: w.id,
        location: outcome.location,
        approvedBy: w.approvedBy,
        role: outcome.role!,
        approvedOn: w.approvedOn,
        expiresOn: w.expiresOn,
        justification: w.justification,
      };
      for (let i = 0; i < out.length; i++) {
        const f = out[i]!;
        if (f.outcome !== 'fail' || f.ruleId !== w.rule || (w.assertion !== undefined && f.assertion !== w.assertion)) continue;
        if (records && (f.recordId === undefined || !records.has(f.recordId))) continue;
        out[i] = { ...f, outcome: 'waived', waiver: ref };
        outcome.matched++;
        waivedByRule.set(f.ruleId, (waivedByRule.get(f.ruleId) ?? 0) + 1);
      }
      if (outcome.matched === 0) {
        outcome.status = 'stale';
        problem('waiver/stale', '/id', { rule: w.rule }, 'fail');
      } else outcome.status = outcome.daysLeft <= settings.warnDays ? 'expiring' : 'applied';
    }
  }
  const newRuns = runs.map((run) => {
    const n = waivedByRule.get(run.ruleId);
    return n ? { ...run, outcomes: { ...run.outcomes, fail: run.outcomes.fail - n, waived: run.outcomes.waived + n } } : run;
  });
  return { findings: out, runs: newRuns, problems, waivers: outcomes };
}

type Approval = { role: string; code?: undefined; values?: undefined } | { role?: undefined; code: ProblemCode; values: Record<string, ProblemValue> };

/**
 * The role by which the approver could approve the waiver on its approval date, or the problem:
 * not on the staff, or holding none of the roles allowed. When the staff or organisation register
 * cannot be relied on, the approval cannot be verified, and the waiver is not applied.
 */
function checkApprover(w: WaiverRecord, roles: readonly string[], inputs: WaiverInputs, staff: ReadonlySet<string> | undefined, organization: Map<string, EvidenceRecord> | undefined, settings: WaiverSettings): Approval {
  for (const register of ['staff', 'organization']) {
    if (inputs.unreadable.has(register) || !inputs.evidence.some((d) => d.register === register)) return { code: 'waiver/not-evaluated', values: { register } };
  }
  if (!staff?.has(w.approvedBy)) return { code: 'waiver/approver-unknown', values: { approver: w.approvedBy } };
  // A role record that is itself invalid cannot say who held the role.
  if (roles.some((r) => organization?.get(r)?.valid === false)) return { code: 'waiver/not-evaluated', values: { register: 'organization' } };
  const terms = new Map([...(organization ?? new Map<string, EvidenceRecord>())].map(([id, rec]) => [id, rec.value]));
  const ctx = { enforcedOn: settings.enforcedOn };
  const role = roles.find((r) => holds(terms, r, w.approvedBy, w.approvedOn, ctx));
  if (role) return { role };
  const names = (lang: Lang, sep: string) => roles.map((r) => roleLabel(r, lang)).join(sep);
  const holders = (lang: Lang, sep: string) => roles.map((r) => `${roleLabel(r, lang)} ${holderOn(terms, r, w.approvedOn, ctx) ?? (lang === 'ja' ? '未任命' : 'none')}`).join(sep);
  return {
    code: 'waiver/approver-not-authorised',
    values: { approver: w.approvedBy, date: w.approvedOn, roles: { ja: names('ja', '・'), en: names('en', ', ') }, holders: { ja: holders('ja', '、'), en: holders('en', ', ') } },
  };
}

/** The ids of every record of each register (valid or not: a scope naming an invalid record names a record). */
function recordIdsByRegister(documents: readonly EvidenceDocument[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const d of documents) {
    const ids = out.get(d.register) ?? new Set<string>();
    out.set(d.register, ids);
    for (const r of d.records) if (typeof r.value.id === 'string') ids.add(r.value.id);
  }
  return out;
}

function recordsById(documents: readonly EvidenceDocument[], register: string): Map<string, EvidenceRecord> | undefined {
  const docs = documents.filter((d) => d.register === register);
  if (docs.length === 0) return undefined;
  return new Map(docs.flatMap((d) => d.records.map((r) => [r.id, r] as const)));
}
