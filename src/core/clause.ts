/**
 * A reference to a provision of the regulation: article (条), paragraph (項), item (号),
 * or one of the supplementary provisions (附則).
 *
 * Japanese drafting omits 第1項 when an article has a single paragraph (第5条第10号), so the
 * paragraph is optional; the English form follows the same shape: Art. 5(10) would be ambiguous,
 * so an item without a paragraph is written "Art. 5 item 10".
 */
export interface Clause {
  article: number;
  paragraph?: number;
  item?: number;
}

export function clauseJa(c: Clause): string {
  return `第${c.article}条` + (c.paragraph !== undefined ? `第${c.paragraph}項` : '') + (c.item !== undefined ? `第${c.item}号` : '');
}

export function clauseEn(c: Clause): string {
  if (c.paragraph === undefined) return c.item === undefined ? `Art. ${c.article}` : `Art. ${c.article} item ${c.item}`;
  return `Art. ${c.article}(${c.paragraph})` + (c.item !== undefined ? `(${c.item})` : '');
}

/** Sort key so that 第5条第10号 comes after 第5条第9号 and 第12条 after 第5条. */
export function compareClauses(a: Clause, b: Clause): number {
  return a.article - b.article || (a.paragraph ?? 0) - (b.paragraph ?? 0) || (a.item ?? 0) - (b.item ?? 0);
}
