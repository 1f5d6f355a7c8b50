/**
 * A register's JSON Schema reduced to the shape of its data: which fields exist, their types,
 * which strings reference other registers (`x-kitei-ref`) and which hold personal data
 * (`x-kitei-personal`). One walk of the schema serves three uses: CEL type declarations (so a
 * misspelt field in a policy is caught when it is loaded), converting evidence values to CEL
 * values once (integers to BigInt), and finding references between registers.
 */
export type Shape =
  | { kind: 'string'; ref?: string; personal?: boolean; date?: DateRole; enum?: readonly string[] }
  | { kind: 'int' }
  | { kind: 'double' }
  | { kind: 'bool' }
  | { kind: 'dyn' }
  | { kind: 'list'; items: Shape }
  | { kind: 'map'; values: Shape }
  | { kind: 'object'; name: string; fields: Record<string, Shape> };

/**
 * What a date field means in time. Every date of an act or document must lie on or before the
 * register's capture date, unless it is `planned` (`x-kitei-planned`: a deadline, an expiry, an
 * agreed end). `notBefore` (`x-kitei-not-before`) names the fields of the same object it can never
 * precede (an end and its start): the order a typing error breaks.
 */
export interface DateRole {
  planned?: boolean;
  notBefore?: string[];
}

type JsonSchema = Record<string, unknown>;

function dateRole(s: JsonSchema): DateRole | undefined {
  const planned = s['x-kitei-planned'] === true;
  const notBefore = Array.isArray(s['x-kitei-not-before']) ? (s['x-kitei-not-before'] as unknown[]).filter((x): x is string => typeof x === 'string') : [];
  if (!planned && notBefore.length === 0) return undefined;
  return { ...(planned ? { planned } : {}), ...(notBefore.length > 0 ? { notBefore } : {}) };
}

export function shapeOfSchema(root: JsonSchema, rootName: string): Shape {
  const byRef = new Map<string, Shape>();
  const visit = (node: unknown, name: string): Shape => {
    if (typeof node !== 'object' || node === null) return { kind: 'dyn' };
    const s = node as JsonSchema;
    if (typeof s.$ref === 'string') {
      const ref = s.$ref;
      let shape = byRef.get(ref);
      if (!shape) {
        const m = /^#\/\$defs\/(.+)$/.exec(ref);
        const target = m ? (root.$defs as JsonSchema | undefined)?.[m[1]!] : undefined;
        if (target === undefined) return { kind: 'dyn' };
        shape = visit(target, rootName + pascal(m![1]!));
        byRef.set(ref, shape);
      }
      // Annotations beside a $ref (a date's role) belong to this use of the type only.
      const role = dateRole(s);
      return role && shape.kind === 'string' ? { ...shape, date: { ...shape.date, ...role } } : shape;
    }
    const personal = s['x-kitei-personal'] === true;
    const ref = typeof s['x-kitei-ref'] === 'string' ? (s['x-kitei-ref'] as string) : undefined;
    const type = s.type ?? inferType(s);
    switch (type) {
      case 'string': {
        const role = s.format === 'date' ? (dateRole(s) ?? {}) : dateRole(s);
        // The allowed values, for `kitei lint` (a misspelt literal compared with the field).
        const values = Array.isArray(s.enum) && s.enum.every((v) => typeof v === 'string') ? (s.enum as string[]) : undefined;
        return { kind: 'string', ...(ref ? { ref } : {}), ...(personal ? { personal } : {}), ...(role ? { date: role } : {}), ...(values ? { enum: values } : {}) };
      }
      case 'integer':
        return { kind: 'int' };
      case 'number':
        return { kind: 'double' };
      case 'boolean':
        return { kind: 'bool' };
      case 'array':
        return { kind: 'list', items: visit(s.items, name + 'Item') };
      case 'object': {
        const props = (s.properties ?? {}) as Record<string, unknown>;
        if (Object.keys(props).length === 0 && typeof s.additionalProperties === 'object') {
          return { kind: 'map', values: visit(s.additionalProperties, name + 'Value') };
        }
        const fields: Record<string, Shape> = {};
        for (const [k, v] of Object.entries(props)) fields[k] = visit(v, name + pascal(k));
        return { kind: 'object', name, fields };
      }
      default:
        return { kind: 'dyn' };
    }
  };
  return visit(root, rootName);
}

function inferType(s: JsonSchema): string | undefined {
  const values = Array.isArray(s.enum) ? s.enum : 'const' in s ? [s.const] : undefined;
  if (!values) return undefined;
  if (values.every((v) => typeof v === 'string')) return 'string';
  if (values.every((v) => typeof v === 'boolean')) return 'boolean';
  if (values.every((v) => Number.isInteger(v))) return 'integer';
  return undefined;
}

export function pascal(s: string): string {
  return s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

/** CEL type string of a shape, as the cel-js type checker spells it. */
export function celTypeOf(shape: Shape): string {
  switch (shape.kind) {
    case 'list':
      return `list<${celTypeOf(shape.items)}>`;
    case 'map':
      return `map<string, ${celTypeOf(shape.values)}>`;
    case 'object':
      return shape.name;
    default:
      return shape.kind;
  }
}

/** Every object shape reachable from `shape`, nested ones first (the order CEL needs them declared in). */
export function objectShapes(shape: Shape, out: Map<string, Extract<Shape, { kind: 'object' }>> = new Map()) {
  if (shape.kind === 'list') objectShapes(shape.items, out);
  else if (shape.kind === 'map') objectShapes(shape.values, out);
  else if (shape.kind === 'object' && !out.has(shape.name)) {
    for (const f of Object.values(shape.fields)) objectShapes(f, out);
    out.set(shape.name, shape);
  }
  return out;
}

/**
 * Fields that hold personal data, as `Type.field` (a staff member's name is personal; a
 * contractor company's name is not), plus the bare field names for expressions whose type is
 * not known statically.
 */
export function personalFields(shape: Shape, out = { typed: new Set<string>(), names: new Set<string>() }) {
  for (const o of objectShapes(shape).values()) {
    for (const [k, f] of Object.entries(o.fields)) {
      if (f.kind === 'string' && f.personal) {
        out.typed.add(`${o.name}.${k}`);
        out.names.add(k);
      }
    }
  }
  return out;
}

/** The shape of the records of a register document (its `records` items). */
export function recordShape(doc: Shape): Shape {
  if (doc.kind === 'object' && doc.fields.records?.kind === 'list') return doc.fields.records.items;
  return { kind: 'dyn' };
}

/**
 * Visits every value in `data` that the shape marks as a reference to another register,
 * with its JSON pointer relative to `data` (made only when the visitor asks: most references are fine).
 */
export function forEachReference(shape: Shape, data: unknown, visit: (register: string, id: unknown, pointer: () => string) => void): void {
  const path: string[] = [];
  const pointer = () => pointerOf(path);
  const walk = (shape: Shape, data: unknown): void => {
    if (data === null || data === undefined) return;
    switch (shape.kind) {
      case 'string':
        if (shape.ref) visit(shape.ref, data, pointer);
        return;
      case 'list':
        if (Array.isArray(data)) data.forEach((v, i) => inside(String(i), () => walk(shape.items, v)));
        return;
      case 'map':
        if (typeof data === 'object') for (const [k, v] of Object.entries(data)) inside(k, () => walk(shape.values, v));
        return;
      case 'object':
        if (typeof data === 'object' && !Array.isArray(data)) {
          for (const [k, f] of Object.entries(shape.fields)) {
            const v = (data as Record<string, unknown>)[k];
            if (v !== undefined) inside(k, () => walk(f, v));
          }
        }
        return;
      default:
        return;
    }
  };
  const inside = (key: string, f: () => void) => {
    path.push(key);
    f();
    path.pop();
  };
  walk(shape, data);
}

/**
 * Visits every date value in `data` (a string the shape marks as a date), with its pointer
 * relative to `data` (made only when the visitor asks), its role, and the object that holds it
 * (for its sibling fields).
 */
export function forEachDate(shape: Shape, data: unknown, visit: (date: string, role: DateRole, pointer: () => string, holder: Record<string, unknown>) => void): void {
  const path: string[] = [];
  const pointer = () => pointerOf(path);
  const walk = (shape: Shape, data: unknown): void => {
    if (data === null || data === undefined || typeof data !== 'object') return;
    if (shape.kind === 'list') {
      if (Array.isArray(data)) {
        for (let i = 0; i < data.length; i++) {
          path.push(String(i));
          walk(shape.items, data[i]);
          path.pop();
        }
      }
      return;
    }
    if (shape.kind === 'map') {
      for (const [k, v] of Object.entries(data)) {
        path.push(k);
        walk(shape.values, v);
        path.pop();
      }
      return;
    }
    if (shape.kind !== 'object' || Array.isArray(data)) return;
    const holder = data as Record<string, unknown>;
    for (const k in shape.fields) {
      const v = holder[k];
      if (v === undefined) continue;
      const f = shape.fields[k]!;
      path.push(k);
      if (f.kind === 'string' && f.date && typeof v === 'string') visit(v, f.date, pointer, holder);
      else walk(f, v);
      path.pop();
    }
  };
  walk(shape, data);
}

/** A JSON pointer from its unescaped segments. */
function pointerOf(path: readonly string[]): string {
  let out = '';
  for (const k of path) out += `/${escape(k)}`;
  return out;
}

function escape(k: string): string {
  if (!k.includes('~') && !k.includes('/')) return k;
  return k.replace(/~/g, '~0').replace(/\//g, '~1');
}
