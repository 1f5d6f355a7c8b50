import { Optional, type ASTNode, type ParseResult } from '@marcbachmann/cel-js';
import { forgetReadsSince, readsMark, readsSince, type InvalidRead } from './taint.js';
import { checkOfType, iterationItems, listEquals, listIndex, mapGet, miss, MISS, NONE, presentField } from './native-runtime.js';

export { FIELD_TYPES } from './native-runtime.js';

/**
 * CEL compiled to JavaScript closures, from cel-js's own parsed and type-checked AST: made once
 * when the policies are compiled, one closure per node.
 *
 * cel-js interprets: every evaluation walks the tree, resolves overloads, checks runtime types and
 * builds contexts, which at 100,000 records was most of the time a check spent evaluating
 * (issue 9). The shipped policies are statically typed against the register schemas, so almost
 * every node knows its types when it is compiled: a field read is a property read, `a < b` on two
 * strings is JavaScript's `<`, `exists` is a loop. (Generating JavaScript source per expression
 * instead was measured too, and was twice as slow at 100,000 records: 560 small functions each
 * warming up on their own, against closures whose code every expression shares.)
 *
 * The contract, which makes this safe to use in a compliance checker:
 * - A closure either returns exactly the value cel-js would return, or throws. It never returns a
 *   value where cel-js would raise an error: any doubt (a value of an unexpected type, an index out
 *   of range, an integer overflow, a missing field) throws.
 * - When a closure throws, the caller (`withCelFallback`) evaluates the expression again with
 *   cel-js and takes its result: errors keep cel-js's exact messages, and cel-js is the reference.
 * - Errors inside `||`, `&&`, `exists` and `all` are absorbed exactly as CEL (and cel-js) absorb
 *   them; operands are evaluated in cel-js's order (call arguments and list items last to first),
 *   so the reads noted on invalid records (taint.ts) are the same.
 * - A node this compiler does not know leaves the whole expression to cel-js: `compileNative`
 *   returns undefined (`nativeGap` says why).
 * KITEI_CEL_VERIFY=1 evaluates every expression both ways and reports any difference (exit code
 * 70): test/rules/policy-cases.test.ts runs every shipped rule case that way, and .ci/run the
 * mutation testing (about two thousand mutated expressions).
 */

/** The variables of an evaluation (record, params, registers, item …). */
export type Vars = Record<string, unknown>;
/** Local slots: comprehension variables, accumulators, `cel.bind` names. */
type Frame = unknown[];
type Closure = (v: Vars, f: Frame) => unknown;

const MAX_INT = 9223372036854775807n;
const MIN_INT = -9223372036854775808n;

/** cel-js's type declarations, as far as this compiler reads them. */
interface CelType {
  kind: string;
  name: string;
  hasDynType: boolean;
  valueType?: CelType;
  keyType?: CelType;
}
interface Decl {
  handler: (...args: unknown[]) => unknown;
  argTypes: CelType[];
  receiverType?: CelType;
}
interface Candidates {
  declarations: Decl[];
  findFunction(argTypes: CelType[], receiverType?: CelType): Decl | undefined;
}
/** A node of cel-js's checked AST, as far as this compiler reads it. */
interface Node {
  op: string;
  args: unknown;
  checkedType?: CelType;
  candidates?: Candidates;
  argTypes?: CelType[];
  meta: { alternate?: Node };
}
interface Comprehension {
  kind?: string;
  errorsAreFatal: boolean;
  iterable: Node;
  iterVarName: string;
  init: Node;
  condition?: (accu: unknown) => boolean;
  step: Node;
  result: (accu: unknown) => unknown;
}

/** Names in scope: local slots, and the accumulator of the innermost comprehension. */
interface Scope {
  locals: ReadonlyMap<string, number>;
  accu?: number;
}

class Unsupported extends Error {}
function unsupported(what: string): never {
  throw new Unsupported(what);
}

/**
 * The closure of a type-checked expression, or undefined when the expression uses something this
 * compiler leaves to cel-js. `frameSize` slots are allocated per evaluation.
 */
export function compileNative(ast: ASTNode): ((vars: Vars) => unknown) | undefined {
  const slots = { count: 0 };
  let body: Closure;
  try {
    body = compile(ast as unknown as Node, { locals: new Map() }, slots);
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
  const size = slots.count;
  const empty: Frame = [];
  return size === 0 ? (vars) => body(vars, empty) : (vars) => body(vars, new Array<unknown>(size));
}

/** Why an expression stays with cel-js (for kitei's own statistics and tests), or undefined. */
export function nativeGap(ast: ASTNode): string | undefined {
  try {
    compile(ast as unknown as Node, { locals: new Map() }, { count: 0 });
    return undefined;
  } catch (e) {
    if (e instanceof Unsupported) return e.message;
    throw e;
  }
}

function compile(n: Node, scope: Scope, slots: { count: number }): Closure {
  const sub = (x: Node, s: Scope = scope): Closure => compile(x, s, slots);
  const args = n.args as unknown;
  switch (n.op) {
    case 'value': {
      const value = args;
      return () => value;
    }
    case 'id':
      return variable(n, scope, sub);
    case '.':
    case '.?': {
      const [left, key] = args as [Node, string];
      const obj = sub(left);
      return n.op === '.' ? fieldRead(left.checkedType, n.checkedType, key, obj) : optionalFieldRead(left.checkedType, n.checkedType, key, obj);
    }
    case '[]':
    case '[?]': {
      const [left, index] = args as [Node, Node];
      return indexRead(n.op === '[?]', left.checkedType, n.checkedType, sub(left), sub(index));
    }
    case '&&':
    case '||':
      return logical(n.op === '||', sub((args as Node[])[0]!), sub((args as Node[])[1]!));
    case '?:': {
      const [c, a, b] = (args as Node[]).map((x) => sub(x)) as [Closure, Closure, Closure];
      return (v, f) => {
        const cond = c(v, f);
        if (cond === true) return a(v, f);
        if (cond === false) return b(v, f);
        return miss();
      };
    }
    case '!_': {
      const x = sub(args as Node);
      return (v, f) => {
        const b = x(v, f);
        return typeof b === 'boolean' ? !b : miss();
      };
    }
    case '-_': {
      const operand = args as Node;
      const x = sub(operand);
      const t = operand.checkedType?.name;
      if (t === 'int') return (v, f) => -(x(v, f) as bigint);
      if (t === 'double') return (v, f) => -(x(v, f) as number);
      return unsupported(`-${t}`);
    }
    case 'list': {
      const items = (args as Node[]).map((x) => sub(x));
      const count = items.length;
      // Built last to first, as cel-js builds it.
      return (v, f) => {
        const out = new Array<unknown>(count);
        for (let i = count - 1; i >= 0; i--) out[i] = items[i]!(v, f);
        return out;
      };
    }
    case '==':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
    case 'in': {
      const [l, r] = args as [Node, Node];
      return binary(n.op, l.checkedType, r.checkedType, sub(l), sub(r));
    }
    case 'call':
    case 'rcall':
      return call(n, scope, slots, sub);
    case 'comprehension':
      return comprehension(args as Comprehension, scope, slots);
    case 'accuValue': {
      const slot = accuSlot(scope);
      return (_v, f) => f[slot];
    }
    case 'accuPush': {
      const slot = accuSlot(scope);
      const item = sub(args as Node);
      return (v, f) => {
        const list = f[slot] as unknown[];
        list.push(item(v, f));
        return list;
      };
    }
    default:
      return unsupported(n.op);
  }
}

function accuSlot(scope: Scope): number {
  return scope.accu ?? unsupported('accumulator outside a comprehension');
}

function variable(n: Node, scope: Scope, sub: (x: Node) => Closure): Closure {
  // Constants (cel, optional) are replaced by their value when checked.
  if (n.meta.alternate) return sub(n.meta.alternate);
  const name = n.args as string;
  const slot = scope.locals.get(name);
  // A local was checked against its type when it was set (as cel-js's setIterValue checks it).
  if (slot !== undefined) return (_v, f) => f[slot];
  const is = typeCheck(n.checkedType ?? unsupported(`unchecked variable ${name}`));
  return (v) => {
    const x = v[name];
    return x !== undefined && is(x) ? x : miss();
  };
}

/**
 * Whether a value is of a checked type, as cel-js checks a field, item or variable it reads. Only
 * types that evidence values have; anything else leaves the expression to cel-js.
 */
function typeCheck(t: CelType | undefined): (x: unknown) => boolean {
  if (!t) return unsupported('an unchecked node');
  const check = checkOfType(t.name);
  return check ?? unsupported(`type ${t.name}`);
}

/** A field of a message or a map (`a.b`): a missing field is an error. */
function fieldRead(left: CelType | undefined, result: CelType | undefined, key: string, obj: Closure): Closure {
  const is = typeCheck(result ?? unsupported(`unchecked field ${key}`));
  switch (left?.kind) {
    case 'message':
      return (v, f) => {
        const o = obj(v, f) as Record<string, unknown>;
        const x = o[key];
        return x !== undefined && is(x) ? x : miss();
      };
    case 'map':
      return (v, f) => {
        const x = mapGet(obj(v, f), key);
        return x !== undefined && is(x) ? x : miss();
      };
  }
  return unsupported(`.${key} on ${left?.name}`);
}

/**
 * `a.?b`: an optional of the field, none when absent, when `a` is itself none, or when the value
 * is not of the field's type (cel-js's `#getOptionalField` turns that error into none).
 */
function optionalFieldRead(left: CelType | undefined, result: CelType | undefined, key: string, obj: Closure): Closure {
  const inner = left?.kind === 'optional' ? left.valueType : left;
  const is = typeCheck(result?.valueType);
  const fromMessage = inner?.kind === 'message';
  if (!fromMessage && inner?.kind !== 'map') return unsupported(`.?${key} on ${left?.name}`);
  return (v, f) => {
    let o = obj(v, f);
    if (o instanceof Optional) o = o.orValue(undefined);
    if (o === undefined) return NONE;
    if (fromMessage) {
      const x = (o as Record<string, unknown>)[key];
      // A field of the wrong type is none: cel-js turns that error into none.
      return x === undefined || !is(x) ? NONE : Optional.of(x);
    }
    // A map's value is checked by cel-js against the value's own runtime type, not this one.
    const x = mapGet(o, key);
    return x === undefined ? NONE : is(x) ? Optional.of(x) : miss();
  };
}

/** `a[i]` on a list or a map, and `a[?i]`. */
function indexRead(optional: boolean, left: CelType | undefined, result: CelType | undefined, obj: Closure, index: Closure): Closure {
  const is = typeCheck(optional ? result?.valueType : result);
  // An item or value of an unexpected type is left to cel-js, which checks it its own way.
  const found = (x: unknown): unknown => (x === undefined ? (optional ? NONE : miss()) : !is(x) ? miss() : optional ? Optional.of(x) : x);
  const inner = left?.kind === 'optional' && optional ? left.valueType : left;
  if (inner?.kind !== 'list' && inner?.kind !== 'map') return unsupported(`[] on ${left?.name}`);
  const at = inner.kind === 'list' ? (c: unknown, i: unknown) => (Array.isArray(c) ? c[listIndex(i)] : miss()) : mapGet;
  return (v, f) => {
    let c = obj(v, f);
    const i = index(v, f);
    if (c instanceof Optional) c = c.orValue(undefined);
    if (c === undefined) return optional ? NONE : miss();
    return found(at(c, i));
  };
}

/**
 * `a || b` and `a && b` with CEL's commutative error handling: an error (or a non-bool) on one
 * side is absorbed when the other side decides the result, and raised otherwise.
 */
function logical(or: boolean, left: Closure, right: Closure): Closure {
  const decisive = or;
  return (v, f) => {
    let l: unknown;
    try {
      l = left(v, f);
    } catch {
      l = MISS;
    }
    if (l === decisive) return decisive;
    const r = right(v, f);
    if (r === decisive) return decisive;
    if (r === !decisive && l === !decisive) return r;
    return miss();
  };
}

const PRIMITIVE_EQUALITY = new Set(['string', 'int', 'double', 'bool', 'null']);
const ORDERED = new Set(['string', 'int', 'double', 'bool']);

function binary(op: string, lt: CelType | undefined, rt: CelType | undefined, l: Closure, r: Closure): Closure {
  const ln = lt?.kind === 'primitive' ? lt.name : undefined;
  const rn = rt?.kind === 'primitive' ? rt.name : undefined;
  const same = ln !== undefined && ln === rn;
  switch (op) {
    case '==':
    case '!=': {
      if (same && PRIMITIVE_EQUALITY.has(ln)) return op === '==' ? (v, f) => l(v, f) === r(v, f) : (v, f) => l(v, f) !== r(v, f);
      if (primitiveList(lt) && lt!.name === rt?.name) {
        // Lists of one primitive type: item by item, strictly (cel-js's isEqual on such items).
        return op === '==' ? (v, f) => listEquals(l(v, f), r(v, f)) : (v, f) => !listEquals(l(v, f), r(v, f));
      }
      return unsupported(`${lt?.name} ${op} ${rt?.name}`);
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (!same || !ORDERED.has(ln)) return unsupported(`${lt?.name} ${op} ${rt?.name}`);
      type Ord = string | bigint | number | boolean;
      if (op === '<') return (v, f) => (l(v, f) as Ord) < (r(v, f) as Ord);
      if (op === '<=') return (v, f) => (l(v, f) as Ord) <= (r(v, f) as Ord);
      if (op === '>') return (v, f) => (l(v, f) as Ord) > (r(v, f) as Ord);
      return (v, f) => (l(v, f) as Ord) >= (r(v, f) as Ord);
    }
    case '+':
      if (same && ln === 'int') return (v, f) => checkedInt((l(v, f) as bigint) + (r(v, f) as bigint));
      if (same && (ln === 'string' || ln === 'double')) return (v, f) => (l(v, f) as string) + (r(v, f) as string);
      if (lt?.kind === 'list' && rt?.kind === 'list') return (v, f) => (l(v, f) as unknown[]).concat(r(v, f) as unknown[]);
      return unsupported(`${lt?.name} + ${rt?.name}`);
    case '-':
      if (same && ln === 'int') return (v, f) => checkedInt((l(v, f) as bigint) - (r(v, f) as bigint));
      if (same && ln === 'double') return (v, f) => (l(v, f) as number) - (r(v, f) as number);
      return unsupported(`${lt?.name} - ${rt?.name}`);
    case '*':
      if (same && ln === 'int') return (v, f) => checkedInt((l(v, f) as bigint) * (r(v, f) as bigint));
      if (same && ln === 'double') return (v, f) => (l(v, f) as number) * (r(v, f) as number);
      return unsupported(`${lt?.name} * ${rt?.name}`);
    case '/':
    case '%':
      if (same && ln === 'int') {
        return (v, f) => {
          const a = l(v, f) as bigint;
          const b = r(v, f) as bigint;
          return b === 0n ? miss() : op === '/' ? a / b : a % b;
        };
      }
      return unsupported(`${lt?.name} ${op} ${rt?.name}`);
    case 'in':
      return membership(lt, rt, l, r);
  }
  return unsupported(op);
}

function primitiveList(t: CelType | undefined): boolean {
  return t?.kind === 'list' && t.valueType?.kind === 'primitive' && PRIMITIVE_EQUALITY.has(t.valueType.name);
}

function checkedInt(x: bigint): bigint {
  return x <= MAX_INT && x >= MIN_INT ? x : miss();
}

/** `x in list` (primitive items, compared as cel-js does: strictly) and `k in map` (a key with a value). */
function membership(lt: CelType | undefined, rt: CelType | undefined, l: Closure, r: Closure): Closure {
  if (rt?.kind === 'list') {
    const item = rt.valueType;
    if (lt?.kind !== 'primitive' || item?.kind !== 'primitive' || lt.name !== item.name || !PRIMITIVE_EQUALITY.has(lt.name)) return unsupported(`${lt?.name} in ${rt.name}`);
    return (v, f) => {
      const x = l(v, f);
      const list = r(v, f);
      if (!Array.isArray(list)) return miss();
      for (let i = 0; i < list.length; i++) if (list[i] === x) return true;
      return false;
    };
  }
  if (rt?.kind === 'map') {
    return (v, f) => {
      const k = l(v, f);
      return mapGet(r(v, f), k) !== undefined;
    };
  }
  return unsupported(`in ${rt?.name}`);
}

function call(n: Node, scope: Scope, slots: { count: number }, sub: (x: Node, s?: Scope) => Closure): Closure {
  const a = n.args as unknown[];
  const name = a[0] as string;
  // exists, all, map, filter … are comprehensions once expanded.
  if (n.meta.alternate) return sub(n.meta.alternate);
  if (n.op === 'call' && name === 'has') return presence((a[1] as Node[])[0]!, sub);
  if (n.op === 'rcall' && name === 'bind') {
    const [varNode, value, body] = a[2] as [Node, Node, Node];
    const slot = slots.count++;
    const locals = new Map(scope.locals).set(varNode.args as string, slot);
    const val = sub(value);
    const is = typeCheck(value.checkedType);
    const exp = sub(body, { ...scope, locals });
    return (v, f) => {
      const x = val(v, f);
      if (!is(x)) return miss();
      f[slot] = x;
      return exp(v, f);
    };
  }
  if (n.op === 'rcall' && !n.candidates && (name === 'orValue' || name === 'or')) return optionalDefault(name, sub(a[1] as Node), sub((a[2] as Node[])[0]!));
  const receiver = n.op === 'rcall' ? (a[1] as Node) : undefined;
  const argNodes = (n.op === 'rcall' ? a[2] : a[1]) as Node[];
  const argTypes = n.argTypes ?? argNodes.map((x) => x.checkedType!);
  const candidates = n.candidates ?? unsupported(`${name}: no overloads`);
  if (receiver?.checkedType?.hasDynType) return unsupported(`${name} on dyn`);
  let decl = candidates.findFunction(argTypes, receiver?.checkedType);
  const dynamic = argTypes.some((t) => t.hasDynType);
  if (dynamic) {
    // Resolved at run time by cel-js from the values' types: with a single overload, a dyn value
    // passed where the overload takes dyn is that overload; anything else is left to cel-js.
    if (candidates.declarations.length !== 1) return unsupported(`${name}: overloads chosen at run time`);
    decl = candidates.declarations[0];
  }
  if (!decl) return unsupported(`${name}: no overload`);
  const handler = decl.handler;
  const checks = argTypes.map((t, i) => (t.hasDynType ? runtimeParamCheck(decl!.argTypes[i]) : undefined));
  const parts = [...(receiver ? [receiver] : []), ...argNodes].map((x) => sub(x));
  const offset = receiver ? 1 : 0;
  const count = parts.length;
  if (checks.every((c) => c === undefined)) {
    // The usual call, nothing to check at run time: no array of arguments, no spread (a call
    // per record and rule). Arguments are evaluated last to first, then the receiver, as below.
    const call = handler as (...args: unknown[]) => unknown;
    const [p0, p1, p2] = parts as [Closure, Closure, Closure];
    if (count === 1) return (v, f) => call(p0(v, f));
    if (count === 2) {
      return (v, f) => {
        const b = p1(v, f);
        return call(p0(v, f), b);
      };
    }
    if (count === 3) {
      return (v, f) => {
        const c = p2(v, f);
        const b = p1(v, f);
        return call(p0(v, f), b, c);
      };
    }
  }
  return (v, f) => {
    // Arguments last to first, then the receiver: cel-js's order.
    const values = new Array<unknown>(count);
    for (let i = count - 1; i >= 0; i--) values[i] = parts[i]!(v, f);
    for (let i = 0; i < checks.length; i++) {
      const check = checks[i];
      if (check && !check(values[i + offset])) return miss();
    }
    return handler(...values);
  };
}

/**
 * `o.orValue(x)` and `o.or(p)`, cel-js's optional macros: the default is evaluated only when `o`
 * is none. A receiver (or, for `or`, an argument) that is not an optional is an error.
 */
function optionalDefault(name: 'orValue' | 'or', receiver: Closure, fallback: Closure): Closure {
  if (name === 'orValue') {
    return (v, f) => {
      const o = receiver(v, f);
      if (!(o instanceof Optional)) return miss();
      return o.hasValue() ? o.value() : fallback(v, f);
    };
  }
  return (v, f) => {
    const o = receiver(v, f);
    if (!(o instanceof Optional)) return miss();
    if (o.hasValue()) return o;
    const p = fallback(v, f);
    return p instanceof Optional ? p : miss();
  };
}

/** What a dyn argument must be for the one overload to take it (cel-js matches the value's type). */
function runtimeParamCheck(param: CelType | undefined): (x: unknown) => boolean {
  if (!param) return unsupported('parameter');
  if (param.kind === 'dyn') return () => true;
  if (param.kind === 'list' && param.valueType?.kind === 'dyn') return Array.isArray;
  if (param.kind === 'primitive') return typeCheck(param);
  return unsupported(`dyn passed as ${param.name}`);
}

/**
 * `has(a.b.c)`: whether the last field is present. A missing field before the last is an error
 * (as in cel-js), unless the path is optional (`.?`).
 */
function presence(path: Node, sub: (x: Node) => Closure): Closure {
  const steps: { key: string; optional: boolean }[] = [];
  let node = path;
  while (node.op === '.' || node.op === '.?') {
    const [inner, key] = node.args as [Node, string];
    steps.unshift({ key, optional: node.op === '.?' });
    node = inner;
  }
  if (node.op !== 'id') return unsupported('has() of an expression');
  const base = sub(node);
  return (v, f) => {
    let o = base(v, f);
    let optional = false;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      if (step.optional) optional = true;
      const x = presentField(o, step.key);
      if (x === undefined) {
        if (!optional && i < steps.length - 1 && !step.optional) return miss();
        return false;
      }
      o = x;
    }
    return true;
  };
}

/**
 * The comprehensions macros expand to: `map` and `filter` (an error anywhere is the result's),
 * `exists` and `all` (an error on one item is absorbed when another item decides).
 */
function comprehension(c: Comprehension, scope: Scope, slots: { count: number }): Closure {
  if (c.kind !== undefined && c.kind !== 'quantifier') return unsupported(`comprehension ${c.kind}`);
  const itemSlot = slots.count++;
  const accu = slots.count++;
  const iterable = compile(c.iterable, scope, slots);
  const init = compile(c.init, scope, slots);
  const inner: Scope = { locals: new Map(scope.locals).set(c.iterVarName, itemSlot), accu };
  const step = compile(c.step, inner, slots);
  const { condition, result } = c;
  // Each item is checked against the element type as it is bound, outside the step (an error
  // there is not absorbed by exists or all).
  const iterType = c.iterable.checkedType;
  const itemIs = typeCheck(iterType?.kind === 'list' ? iterType.valueType : iterType?.kind === 'map' ? iterType.keyType : iterType);
  if (c.errorsAreFatal) {
    return (v, f) => {
      const items = iterationItems(iterable(v, f));
      let acc = init(v, f);
      f[accu] = acc;
      for (let i = 0; i < items.length; i++) {
        if (condition && !condition(acc)) break;
        if (!itemIs(items[i])) return miss();
        f[itemSlot] = items[i];
        acc = step(v, f);
      }
      return result(acc);
    };
  }
  if (!condition) return unsupported('quantifier without condition');
  return (v, f) => {
    const items = iterationItems(iterable(v, f));
    let acc = init(v, f);
    f[accu] = acc;
    let failed = false;
    for (let i = 0; i < items.length; i++) {
      if (!condition(acc)) return result(acc);
      if (!itemIs(items[i])) return miss();
      f[itemSlot] = items[i];
      try {
        acc = step(v, f);
      } catch {
        failed = true;
      }
    }
    if (failed && condition(acc)) return miss();
    return result(acc);
  };
}

/**
 * The expression's evaluator: the compiled closure, and cel-js when it gives up (see the contract
 * above). Reads of invalid records noted by an abandoned attempt are forgotten.
 */
export function withCelFallback(cel: ParseResult, native: (vars: Vars) => unknown, text: string): ParseResult {
  const run = VERIFY
    ? (vars?: Vars) => verified(cel, native, text, vars ?? {})
    : (vars?: Vars) => {
        const mark = readsMark();
        try {
          return native(vars ?? {});
        } catch {
          forgetReadsSince(mark);
          return cel(vars);
        }
      };
  return Object.assign(run, { ast: cel.ast, check: cel.check });
}

const VERIFY = process.env.KITEI_CEL_VERIFY === '1';

/** A difference found by KITEI_CEL_VERIFY between the compiled closure and cel-js. */
export interface NativeMismatch {
  expression: string;
  native: string;
  cel: string;
}

/** The differences found so far in this process (KITEI_CEL_VERIFY=1). */
export const nativeMismatches: NativeMismatch[] = [];

/** KITEI_CEL_VERIFY=1: how many evaluations the compiled closures answered, and how many they left to cel-js. */
export const nativeTally = { answered: 0, gaveUp: 0 };

/** Both evaluators on the same variables; cel-js's result is returned, any difference recorded. */
function verified(cel: ParseResult, native: (vars: Vars) => unknown, text: string, vars: Vars): unknown {
  const mark = readsMark();
  let mine: { value: unknown } | undefined;
  try {
    mine = { value: native(vars) };
  } catch {
    mine = undefined;
  }
  const myReads = readsSince(mark);
  forgetReadsSince(mark);
  let theirs: { value: unknown } | { error: unknown };
  try {
    theirs = { value: cel(vars) };
  } catch (error) {
    theirs = { error };
  }
  const celReads = readsSince(mark);
  if (mine) nativeTally.answered++;
  else nativeTally.gaveUp++;
  // A closure that gives up is always right (cel-js decides); one that answers must answer as cel-js does.
  if (mine && (!('value' in theirs) || !sameValue(mine.value, theirs.value) || !sameReads(myReads, celReads))) {
    const mismatch = { expression: text, native: describe(mine.value, myReads.length), cel: 'value' in theirs ? describe(theirs.value, celReads.length) : `error ${String((theirs.error as Error)?.message ?? theirs.error).split('\n')[0]}` };
    // A difference is a defect of kitei's: the process fails, whatever it was doing.
    if (nativeMismatches.push(mismatch) === 1) process.on('exit', () => (process.exitCode = 70));
    process.stderr.write(`kitei: KITEI_CEL_VERIFY: ${mismatch.expression}: compiled ${mismatch.native}, cel-js ${mismatch.cel}\n`);
    if (process.env.KITEI_CEL_VERIFY_STACK) process.stderr.write(String((theirs as { error?: Error }).error?.stack) + "\n");
  }
  if ('error' in theirs) throw theirs.error;
  return theirs.value;
}

function sameReads(a: InvalidRead[], b: InvalidRead[]): boolean {
  return a.length === b.length && a.every((r, i) => r.record === b[i]!.record);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (a instanceof Map && b instanceof Map) return a.size === b.size && [...a].every(([k, x]) => b.has(k) && sameValue(x, b.get(k)));
  if (a instanceof Optional && b instanceof Optional) return a.hasValue() === b.hasValue() && (!a.hasValue() || sameValue(a.value(), b.value()));
  return false;
}

function describe(value: unknown, reads: number): string {
  const text = typeof value === 'bigint' ? `${value}n` : value instanceof Optional ? `optional(${value.hasValue() ? String(value.value()) : 'none'})` : Array.isArray(value) ? `list(${value.length})` : String(value);
  return `${text} (${reads} invalid reads)`;
}
