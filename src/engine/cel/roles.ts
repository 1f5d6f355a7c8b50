/**
 * Role holders over time. The organisation register keeps, for each role the regulation names
 * (データ保護管理者, データ保護担当者, 情報システム監査責任者, 理事長), the history of its
 * appointments: holder, first day, last day. An act by a role holder (a signature, an approval, a
 * review, a confirmation, an audit) is judged against whoever held the role *on the act's date*,
 * so a contract signed by the previous 理事長 in his term is his to sign, and one signed by him
 * after his successor took office is not.
 *
 * The functions take the organisation register as the policy sees it (`byId.organization`), so an
 * invalid appointment record is read through its taint proxy like any other evidence: a verdict
 * that depends on it becomes "not evaluated" (taint.ts).
 */

interface Term {
  holder?: unknown;
  from?: unknown;
  until?: unknown;
}

function termsOf(roles: unknown, role: string): Term[] {
  const rec = roles instanceof Map ? roles.get(role) : typeof roles === 'object' && roles !== null ? (roles as Record<string, unknown>)[role] : undefined;
  const list = typeof rec === 'object' && rec !== null ? (rec as { appointments?: unknown }).appointments : undefined;
  return Array.isArray(list) ? (list as Term[]) : [];
}

/** Whether a term covers a day (a date, or the date part of a date-time). */
function covers(t: Term, day: string): boolean {
  return typeof t.from === 'string' && t.from <= day && (typeof t.until !== 'string' || day <= t.until);
}

/** The index of the term of `terms` covering the date, or -1. */
export function termIndexOn(terms: readonly unknown[], date: string): number {
  const day = date.slice(0, 10);
  return terms.findIndex((t) => typeof t === 'object' && t !== null && covers(t as Term, day));
}

/**
 * The day the regulation came into force, as the functions below see it. Its roles exist from
 * then: nobody held one under the regulation before, and an act dated earlier is not judged by
 * who did it. '' (policies without a catalog) puts no bound.
 */
export interface RoleContext {
  enforcedOn: string;
}

const before = (date: string, ctx: RoleContext) => ctx.enforcedOn !== '' && date.slice(0, 10) < ctx.enforcedOn;

/** Who held the role on the date (the first term covering it), or undefined when nobody did. */
export function holderOn(roles: unknown, role: string, date: string, ctx: RoleContext = { enforcedOn: '' }): string | undefined {
  if (before(date, ctx)) return undefined;
  const terms = termsOf(roles, role);
  const i = termIndexOn(terms, date);
  const holder = i < 0 ? undefined : terms[i]!.holder;
  return typeof holder === 'string' ? holder : undefined;
}

/** Whether `staffId` held the role on the date (any term covering the date). */
export function holds(roles: unknown, role: string, staffId: string, date: string, ctx: RoleContext = { enforcedOn: '' }): boolean {
  const day = date.slice(0, 10);
  return !before(date, ctx) && staffId !== '' && termsOf(roles, role).some((t) => t.holder === staffId && covers(t, day));
}

/** Whether an act on the date was done by the role's holder, or needs no holder (it predates the regulation). */
export function actedAs(roles: unknown, role: string, staffId: string, date: string, ctx: RoleContext): boolean {
  return before(date, ctx) || holds(roles, role, staffId, date, ctx);
}
