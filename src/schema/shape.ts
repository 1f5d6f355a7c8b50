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
 * The way into a shape's data down to what a walk visits, and nothing else: an object's fields
 * that lead to something visited, in the shape's order. A record holds a few references and dates
 * among many other fields (names, lists of permissions), and the walks below run once per record
 * (100,000 times over the same few shapes); so each shape's route is worked out once, and data
 * with nothing to visit is never entered.
 */
type Route =
  | { kind: 'reference'; register: string }
  | { kind: 'list'; items: Route }
  | { kind: 'map'; values: Route }
  | { kind: 'object'; fields: RouteField[] };

/** A field an object route goes into: a date visited there (its role), or the route below it. */
interface RouteField {
  key: string;
  date?: DateRole;
  route?: Route;
}

/** A shape's route for one kind of walk (undefined: nothing to visit in its data), made on first use. */
function routeOf(shape: Shape, routes: WeakMap<Shape, Route | null>, make: (shape: Shape) => Route | undefined): Route | undefined {
  let route = routes.get(shape);
  if (route === undefined) {
    route = make(shape) ?? null;
    routes.set(shape, route);
  }
  return route ?? undefined;
}

/** A list's or a map's route: the route of its items or values, if they have one. */
function containerRoute(shape: Shape, inner: (shape: Shape) => Route | undefined): Route | undefined {
  if (shape.kind === 'list') {
    const items = inner(shape.items);
    return items && { kind: 'list', items };
  }
  if (shape.kind === 'map') {
    const values = inner(shape.values);
    return values && { kind: 'map', values };
  }
  return undefined;
}

const referenceRoutes = new WeakMap<Shape, Route | null>();

/** Where the references are: strings marked `x-kitei-ref`, at any depth. */
function referenceRoute(shape: Shape): Route | undefined {
  return routeOf(shape, referenceRoutes, (s) => {
    if (s.kind === 'string') return s.ref ? { kind: 'reference', register: s.ref } : undefined;
    if (s.kind !== 'object') return containerRoute(s, referenceRoute);
    const fields: RouteField[] = [];
    for (const key in s.fields) {
      const route = referenceRoute(s.fields[key]!);
      if (route) fields.push({ key, route });
    }
    return fields.length > 0 ? { kind: 'object', fields } : undefined;
  });
}

const dateRoutes = new WeakMap<Shape, Route | null>();

/**
 * Where the dates are: an object's fields that are strings with a date role, at any depth. A date
 * as an item of a list or a value of a map is not visited (there is no holder to compare it with).
 */
function dateRoute(shape: Shape): Route | undefined {
  return routeOf(shape, dateRoutes, (s) => {
    if (s.kind !== 'object') return containerRoute(s, dateRoute);
    const fields: RouteField[] = [];
    for (const key in s.fields) {
      const f = s.fields[key]!;
      if (f.kind === 'string' && f.date) fields.push({ key, date: f.date });
      else {
        const route = dateRoute(f);
        if (route) fields.push({ key, route });
      }
    }
    return fields.length > 0 ? { kind: 'object', fields } : undefined;
  });
}

export type ReferenceVisitor = (register: string, id: unknown, pointer: () => string) => void;
export type DateVisitor = (date: string, role: DateRole, pointer: () => string, holder: Record<string, unknown>) => void;

/**
 * A walk over values of one shape (a register's records, one after another) that visits every
 * value the shape marks as a reference to another register, with its JSON pointer relative to the
 * value (made only when the visitor asks: most references are fine). The route, the path and the
 * pointer maker are made once, not once per record. A visitor must not start another walk with the
 * same walker. Undefined when the shape holds no reference.
 */
export function referenceWalker(shape: Shape): Walker<ReferenceVisitor> | undefined {
  return walkerOf(referenceRoute(shape));
}

/**
 * A walk over values of one shape, as `referenceWalker`, that visits every date value (a string
 * the shape marks as a date) with its pointer relative to the value (made only when the visitor
 * asks), its role, and the object that holds it (for its sibling fields).
 */
export function dateWalker(shape: Shape): Walker<DateVisitor> | undefined {
  return walkerOf(dateRoute(shape));
}

type Walker<V> = (data: unknown, visit: V) => void;

/**
 * What `walk` calls at the end of a route: a reference route's value (`visit(register, id,
 * pointer)`) or an object's date field (`visit(date, role, pointer, holder)`). A route made for one
 * kind of walk has ends of that kind only, so each walker's visitor is called as it expects.
 */
type RouteEnd = (value: unknown, what: unknown, pointer: () => string, holder?: Record<string, unknown>) => void;

/** A walker along `route` (undefined: nothing to visit), its path and pointer maker made once. */
function walkerOf<V extends ReferenceVisitor | DateVisitor>(route: Route | undefined): Walker<V> | undefined {
  if (route === undefined) return undefined;
  const path = new WalkPath();
  const pointer = () => path.pointer();
  return (data, visit) => {
    path.depth = 0;
    walk(route, data, path, pointer, visit as unknown as RouteEnd);
  };
}

/** Follows a route through the data: into list items, map values and an object's fields that lead somewhere. */
function walk(route: Route, data: unknown, path: WalkPath, pointer: () => string, visit: RouteEnd): void {
  if (data === null || data === undefined) return;
  switch (route.kind) {
    case 'reference':
      visit(route.register, data, pointer);
      return;
    case 'list':
      if (Array.isArray(data)) {
        for (let i = 0; i < data.length; i++) {
          path.push(i);
          walk(route.items, data[i], path, pointer, visit);
          path.pop();
        }
      }
      return;
    case 'map':
      if (typeof data === 'object') {
        for (const k of Object.keys(data)) {
          path.push(k);
          walk(route.values, (data as Record<string, unknown>)[k], path, pointer, visit);
          path.pop();
        }
      }
      return;
    case 'object':
      if (typeof data === 'object' && !Array.isArray(data)) {
        const holder = data as Record<string, unknown>;
        for (const f of route.fields) {
          const v = holder[f.key];
          if (v === undefined) continue;
          path.push(f.key);
          if (f.date) {
            if (typeof v === 'string') visit(v, f.date, pointer, holder);
          } else walk(f.route!, v, path, pointer, visit);
          path.pop();
        }
      }
      return;
  }
}

/**
 * The keys down to where a walk is. Not an array pushed and popped: an array emptied by `pop`
 * gives its storage back and takes new storage on the next `push`, once per record walked.
 */
class WalkPath {
  private readonly keys: (string | number)[] = [];
  depth = 0;

  push(key: string | number): void {
    this.keys[this.depth++] = key;
  }

  pop(): void {
    this.depth--;
  }

  /** The JSON pointer of where the walk is. */
  pointer(): string {
    let out = '';
    for (let i = 0; i < this.depth; i++) {
      const k = this.keys[i]!;
      out += `/${typeof k === 'number' ? k : escape(k)}`;
    }
    return out;
  }
}

function escape(k: string): string {
  if (!k.includes('~') && !k.includes('/')) return k;
  return k.replace(/~/g, '~0').replace(/\//g, '~1');
}
