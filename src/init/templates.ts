import { appendAll, maxOf } from '../core/arrays.js';
import { clauseEn, clauseJa, compareClauses, type Clause } from '../core/clause.js';
import type { Catalog } from '../catalog/model.js';
import type { LoadedRule } from '../policy/model.js';

/**
 * The annotated template of one register that `kitei init` writes to evidence/<kind>.yaml: the
 * envelope marked `template: true` (src/evidence/load.ts: not judged until filled in), the clauses
 * the rules on the register check, and the fields of one record as comments, read from the
 * register's JSON Schema. Pure: the caller reads the schema, rules and catalog.
 */

type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  title?: string;
  description?: string;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  $defs?: Record<string, JsonSchema>;
};

/** Where editors find the installed package's schemas, from a file one folder below the repository root. */
export const INSTALLED_SCHEMAS = '../node_modules/kitei/schemas';

/** The register kind a schema describes (`properties.register.const`), or undefined for kitei's other schemas and waivers. */
export function registerKindOf(schema: unknown): string | undefined {
  const kind = (schema as JsonSchema).properties?.register?.const;
  return typeof kind === 'string' && kind !== 'waivers' ? kind : undefined;
}

/** 第N条第M項第K号 references in a text (titles and descriptions cite the clauses a field serves). */
function articleRefs(text: string | undefined): string[] {
  return [...new Set((text ?? '').match(/第\d+条(?:第\d+項)?(?:第\d+号)?/g) ?? [])];
}

function resolve(s: JsonSchema, root: JsonSchema): JsonSchema {
  const m = s.$ref ? /^#\/\$defs\/(.+)$/.exec(s.$ref) : null;
  return m ? { ...root.$defs?.[m[1]!], ...Object.fromEntries(Object.entries(s).filter(([k]) => k !== '$ref')) } : s;
}

/** A field's type in a few words: `date`, `string (^T-[0-9]{3,}$)`, `one of: a | b`, `list of mapping`. */
function typeWords(raw: JsonSchema, root: JsonSchema, depth = 0): string {
  const s = resolve(raw, root);
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return `one of: ${s.enum.map((v) => String(v)).join(' | ')}`;
  const alternatives = s.oneOf ?? s.anyOf;
  if (alternatives && depth < 2) return alternatives.map((a) => typeWords(a, root, depth + 1)).join(' or ');
  const type = Array.isArray(s.type) ? s.type.join(' | ') : s.type;
  if (type === 'array') return `list of ${s.items && depth < 2 ? typeWords(s.items, root, depth + 1) : 'values'}`;
  if (type === 'object') return 'mapping';
  if (type === 'string' && s.format) return s.format;
  if (type === 'string' && s.pattern) return `string (${s.pattern})`;
  return type ?? 'value';
}

/** The clauses the rules on a register cite, in the regulation's order, each with its rule ids. */
function clausesOf(kind: string, rules: readonly LoadedRule[]): { clause: Clause; rules: string[] }[] {
  const byKey = new Map<string, { clause: Clause; rules: string[] }>();
  for (const { rule } of rules) {
    if (rule.register !== kind) continue;
    for (const c of rule.clauses) {
      const key = clauseJa(c);
      const entry = byKey.get(key) ?? { clause: c, rules: [] };
      if (!entry.rules.includes(rule.id)) entry.rules.push(rule.id);
      byKey.set(key, entry);
    }
  }
  return [...byKey.values()].sort((a, b) => compareClauses(a.clause, b.clause));
}

function articleHeading(c: Clause, catalog: Catalog | undefined): string {
  const entry = catalog?.clauses.find((e) => e.clause.article === c.article && e.clause.paragraph === undefined && e.clause.item === undefined);
  return entry?.heading ? `（${entry.heading}）` : '';
}

/** A text as comment lines of at most about `width` characters (Japanese has no spaces to break at). */
function commentLines(text: string, prefix: string, width = 96): string[] {
  const out: string[] = [];
  let rest = text.replace(/\s+/g, ' ').trim();
  while (rest.length > width) {
    const space = rest.lastIndexOf(' ', width);
    const cut = space > width / 2 ? space : width;
    out.push(`${prefix}${rest.slice(0, cut).trimEnd()}`);
    rest = rest.slice(cut).trimStart();
  }
  if (rest !== '') out.push(`${prefix}${rest}`);
  return out;
}

export interface TemplateInput {
  kind: string;
  schema: unknown;
  rules: readonly LoadedRule[];
  catalog?: Catalog;
  /** The register's capture date written into the envelope (the day of `kitei init`). */
  capturedAt: string;
}

export function registerTemplate({ kind, schema, rules, catalog, capturedAt }: TemplateInput): string {
  const root = schema as JsonSchema;
  const record = resolve(root.properties?.records?.items ?? {}, root);
  const required = new Set(record.required ?? []);
  const lines: string[] = [`# yaml-language-server: $schema=${INSTALLED_SCHEMAS}/${kind}.schema.json`, `# ${root.title ?? kind}`];
  if (root.description) appendAll(lines, commentLines(root.description, '# '));
  lines.push('#');
  const clauses = clausesOf(kind, rules);
  if (clauses.length > 0) {
    lines.push('# この台帳を読むルールが検査する条項 / clauses checked by the rules on this register:');
    for (const { clause, rules: ids } of clauses) lines.push(`#   ${clauseJa(clause)}${articleHeading(clause, catalog)} / ${clauseEn(clause)}: ${ids.join(', ')}`);
  } else {
    lines.push('# この台帳は他の台帳のルールから参照される / read by the rules of other registers (no rule of its own)');
  }
  lines.push(
    '#',
    '# 記入のしかた / how to fill it in:',
    '#   1. records: [] を下の項目で 1 件ずつの記録に置き換える / replace records: [] with one entry per record, fields below',
    '#   2. capturedAt を台帳を取得した日にする / set capturedAt to the day the register was captured',
    '#   3. template: true の行を削除する（削除するまでルールはこの台帳を判定しない）',
    '#      delete the template: true line (until then no rule judges this register)',
    `register: ${kind}`,
    `capturedAt: "${capturedAt}"`,
    'template: true',
    'records: []',
    `# 1 件の記録 / one record (${record.title ?? 'record'}):`,
  );
  const fields = Object.entries(record.properties ?? {});
  const width = maxOf(fields.map(([name]) => name.length), 2) + 1;
  fields.forEach(([name, raw], i) => {
    const s = resolve(raw, root);
    const refs = articleRefs(`${raw.title ?? ''} ${raw.description ?? ''} ${s.title ?? ''} ${s.description ?? ''}`);
    const need = required.has(name) ? '必須 required' : '任意 optional';
    const title = raw.title ?? s.title ?? '';
    lines.push(`#${i === 0 ? ' - ' : '   '}${`${name}:`.padEnd(width)} # ${typeWords(raw, root)}; ${need}${title ? `; ${title}` : ''}${refs.length > 0 ? `; ${refs.join('・')}` : ''}`);
  });
  return lines.join('\n') + '\n';
}
