/**
 * A reference to a provision of the regulation: article (条), paragraph (項), item (号),
 * or one of the supplementary provisions (附則).
 *
 * Japanese drafting omits 第1項 when an article has a single paragraph (第5条第10号), so the
 * paragraph is optional; the English form follows the same shape: Art. 5(10) would be ambiguous,
 * so an item without a paragraph is written "Art. 5 item 10".
 */
export interface Clause {
  /**
   * The short name of another set of rules the clause belongs to (an organisation's own 内規, in
   * an extra policies directory); absent for the regulation kitei implements.
   */
  regulation?: string;
  article: number;
  paragraph?: number;
  item?: number;
}

export function clauseJa(c: Clause): string {
  return `${c.regulation ?? ''}第${c.article}条` + (c.paragraph !== undefined ? `第${c.paragraph}項` : '') + (c.item !== undefined ? `第${c.item}号` : '');
}

export function clauseEn(c: Clause): string {
  const art = `${c.regulation !== undefined ? `${c.regulation} ` : ''}Art. ${c.article}`;
  if (c.paragraph === undefined) return c.item === undefined ? art : `${art} item ${c.item}`;
  return `${art}(${c.paragraph})` + (c.item !== undefined ? `(${c.item})` : '');
}

/** Sort key so that 第5条第10号 comes after 第5条第9号 and 第12条 after 第5条. */
export function compareClauses(a: Clause, b: Clause): number {
  // The regulation's own clauses first, then each organisation's rules by name. (Equal names are
  // not given to localeCompare: its first call sets up a collator, several milliseconds.)
  const ra = a.regulation ?? '';
  const rb = b.regulation ?? '';
  return (ra === rb ? 0 : ra.localeCompare(rb)) || a.article - b.article || (a.paragraph ?? 0) - (b.paragraph ?? 0) || (a.item ?? 0) - (b.item ?? 0);
}
