/**
 * ABI TEST DOUBLES — not OPA, not Rego. The `opa` compiler cannot be installed here and no binary
 * from elsewhere may be committed, so the tests build, from this WAT text (compiled with the
 * `wabt` package during the test), small Wasm modules that implement the OPA Wasm ABI exports
 * `@open-policy-agent/opa-wasm` calls (see its src/opa.js):
 *
 *   globals  opa_wasm_abi_version (1), opa_wasm_abi_minor_version (1, 2 or 3)
 *   memory   imported as env.memory; imports env.opa_builtin1 when a builtin is declared
 *   exports  opa_malloc, opa_json_parse, opa_json_dump, opa_heap_ptr_get, opa_heap_ptr_set,
 *            builtins, entrypoints, and either opa_eval (ABI ≥ 1.2, the SDK's fast path) or
 *            opa_eval_ctx_new / _set_input / _set_data / _set_entrypoint, eval,
 *            opa_eval_ctx_get_result (ABI 1.1)
 *
 * A "value" here is only a {pointer, length} pair of JSON text: opa_json_parse keeps the text,
 * opa_json_dump writes it back NUL-terminated. Each entrypoint has a scripted behaviour instead
 * of compiled Rego: compliant unless the input's target (the part before "registers") contains a
 * token; the bundle's data as the result; a host builtin's answer; a trap; an endless loop; an
 * allocation without end. That is enough to drive every path of kitei's Wasm engine.
 */
import wabtInit from 'wabt';

export type Behaviour =
  | { kind: 'bool'; token: string }
  | { kind: 'violations'; token: string; violations: unknown[] }
  | { kind: 'data' }
  | { kind: 'builtin'; arg: unknown }
  | { kind: 'const'; result: unknown }
  | { kind: 'trap' }
  | { kind: 'loop' }
  | { kind: 'alloc' };

export interface DoubleSpec {
  /** ABI minor version: 1 uses the eval context exports, 2 and 3 opa_eval. */
  minor: 1 | 2 | 3;
  entrypoints: { name: string; behaviour: Behaviour }[];
  /** Builtins the module declares (their ids are their order), e.g. json.is_valid. */
  builtins?: string[];
}

class Strings {
  private offset = 1024;
  readonly segments: { at: number; bytes: Buffer }[] = [];
  add(s: string): { at: number; len: number } {
    const bytes = Buffer.from(s, 'utf8');
    const at = this.offset;
    this.segments.push({ at, bytes });
    this.offset += bytes.length + 8;
    return { at, len: bytes.length };
  }
  wat(): string {
    return this.segments.map(({ at, bytes }) => `(data (i32.const ${at}) "${[...bytes].map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('')}")`).join('\n');
  }
}

const rs = (result: unknown) => JSON.stringify([{ result }]);

export function doubleWat(spec: DoubleSpec): string {
  const s = new Strings();
  const eps = s.add(JSON.stringify(Object.fromEntries(spec.entrypoints.map((e, i) => [e.name, i]))));
  const bis = s.add(JSON.stringify(Object.fromEntries((spec.builtins ?? []).map((b, i) => [b, i]))));
  const registers = s.add('"registers"');
  const prefix = s.add('[{"result":');
  const suffix = s.add('}]');
  const branch = (b: Behaviour): string => {
    switch (b.kind) {
      case 'bool':
      case 'violations': {
        const tok = s.add(b.token);
        const yes = s.add(b.kind === 'bool' ? rs(false) : rs(b.violations));
        const no = s.add(b.kind === 'bool' ? rs(true) : rs([]));
        return `(if (result i32) (call $hasToken (local.get $input) (i32.const ${tok.at}) (i32.const ${tok.len}))
          (then (call $val (i32.const ${yes.at}) (i32.const ${yes.len})))
          (else (call $val (i32.const ${no.at}) (i32.const ${no.len}))))`;
      }
      case 'const': {
        const c = s.add(rs(b.result));
        return `(call $val (i32.const ${c.at}) (i32.const ${c.len}))`;
      }
      case 'data':
        return `(call $wrap (local.get $data))`;
      case 'builtin': {
        const a = s.add(JSON.stringify(b.arg));
        return `(call $wrap (call $builtin1 (i32.const 0) (i32.const 0) (call $val (i32.const ${a.at}) (i32.const ${a.len}))))`;
      }
      case 'trap':
        return `(unreachable)`;
      case 'loop':
        return `(loop $forever (br $forever)) (i32.const 0)`;
      case 'alloc':
        return `(loop $more (drop (call $malloc (i32.const 1048576))) (br $more)) (i32.const 0)`;
    }
  };
  const runBody = spec.entrypoints.map((e, i) => `(if (i32.eq (local.get $ep) (i32.const ${i})) (then (return ${branch(e.behaviour)})))`).join('\n    ');
  const usesBuiltin = spec.entrypoints.some((e) => e.behaviour.kind === 'builtin');
  return `(module
  (import "env" "memory" (memory 2))
  ${usesBuiltin ? '(import "env" "opa_builtin1" (func $builtin1 (param i32 i32 i32) (result i32)))' : ''}
  (global (export "opa_wasm_abi_version") i32 (i32.const 1))
  (global (export "opa_wasm_abi_minor_version") i32 (i32.const ${spec.minor}))
  (global $heap (mut i32) (i32.const 65536))
  ${s.wat()}
  (func $malloc (export "opa_malloc") (param $n i32) (result i32) (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.and (i32.add (i32.add (global.get $heap) (local.get $n)) (i32.const 7)) (i32.const -8)))
    (block $ok (loop $grow
      (br_if $ok (i32.le_u (global.get $heap) (i32.mul (memory.size) (i32.const 65536))))
      (if (i32.eq (memory.grow (i32.const 1)) (i32.const -1)) (then (unreachable)))
      (br $grow)))
    (local.get $p))
  (func $val (param $p i32) (param $l i32) (result i32) (local $v i32)
    (local.set $v (call $malloc (i32.const 8)))
    (i32.store (local.get $v) (local.get $p))
    (i32.store offset=4 (local.get $v) (local.get $l))
    (local.get $v))
  (func $copy (param $d i32) (param $s i32) (param $n i32) (local $i i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (i32.store8 (i32.add (local.get $d) (local.get $i)) (i32.load8_u (i32.add (local.get $s) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next))))
  (func (export "opa_json_parse") (param $p i32) (param $l i32) (result i32) (local $c i32)
    (local.set $c (call $malloc (local.get $l)))
    (call $copy (local.get $c) (local.get $p) (local.get $l))
    (call $val (local.get $c) (local.get $l)))
  (func $dump (export "opa_json_dump") (param $v i32) (result i32) (local $l i32) (local $d i32)
    (local.set $l (i32.load offset=4 (local.get $v)))
    (local.set $d (call $malloc (i32.add (local.get $l) (i32.const 1))))
    (call $copy (local.get $d) (i32.load (local.get $v)) (local.get $l))
    (i32.store8 (i32.add (local.get $d) (local.get $l)) (i32.const 0))
    (local.get $d))
  (func (export "opa_heap_ptr_get") (result i32) (global.get $heap))
  (func (export "opa_heap_ptr_set") (param $p i32) (global.set $heap (local.get $p)))
  (func (export "builtins") (result i32) (call $val (i32.const ${bis.at}) (i32.const ${bis.len})))
  (func (export "entrypoints") (result i32) (call $val (i32.const ${eps.at}) (i32.const ${eps.len})))
  ;; [{"result": <value>}]
  (func $wrap (param $v i32) (result i32) (local $l i32) (local $d i32)
    (local.set $l (i32.add (i32.add (i32.const ${prefix.len}) (i32.load offset=4 (local.get $v))) (i32.const ${suffix.len})))
    (local.set $d (call $malloc (local.get $l)))
    (call $copy (local.get $d) (i32.const ${prefix.at}) (i32.const ${prefix.len}))
    (call $copy (i32.add (local.get $d) (i32.const ${prefix.len})) (i32.load (local.get $v)) (i32.load offset=4 (local.get $v)))
    (call $copy (i32.sub (i32.add (local.get $d) (local.get $l)) (i32.const ${suffix.len})) (i32.const ${suffix.at}) (i32.const ${suffix.len}))
    (call $val (local.get $d) (local.get $l)))
  ;; index of needle in haystack, or -1
  (func $find (param $h i32) (param $hl i32) (param $n i32) (param $nl i32) (result i32) (local $i i32) (local $j i32)
    (block $absent (loop $outer
      (br_if $absent (i32.gt_s (i32.add (local.get $i) (local.get $nl)) (local.get $hl)))
      (local.set $j (i32.const 0))
      (block $mismatch (loop $inner
        (if (i32.ge_s (local.get $j) (local.get $nl)) (then (return (local.get $i))))
        (br_if $mismatch (i32.ne (i32.load8_u (i32.add (i32.add (local.get $h) (local.get $i)) (local.get $j))) (i32.load8_u (i32.add (local.get $n) (local.get $j)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $inner)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $outer)))
    (i32.const -1))
  ;; whether the token occurs in the input before "registers" (in the record or records)
  (func $hasToken (param $input i32) (param $t i32) (param $tl i32) (result i32) (local $p i32) (local $l i32) (local $r i32)
    (local.set $p (i32.load (local.get $input)))
    (local.set $l (i32.load offset=4 (local.get $input)))
    (local.set $r (call $find (local.get $p) (local.get $l) (i32.const ${registers.at}) (i32.const ${registers.len})))
    (if (i32.ge_s (local.get $r) (i32.const 0)) (then (local.set $l (local.get $r))))
    (i32.ge_s (call $find (local.get $p) (local.get $l) (local.get $t) (local.get $tl)) (i32.const 0)))
  (func $run (param $ep i32) (param $data i32) (param $input i32) (result i32)
    ${runBody}
    (unreachable))
  ${spec.minor >= 2 ? `
  (func (export "opa_eval") (param $reserved i32) (param $ep i32) (param $data i32) (param $in i32) (param $inLen i32) (param $heapPtr i32) (param $format i32) (result i32)
    (global.set $heap (local.get $heapPtr))
    (call $dump (call $run (local.get $ep) (local.get $data) (call $val (local.get $in) (local.get $inLen)))))` : `
  (func (export "opa_eval_ctx_new") (result i32) (local $c i32)
    (local.set $c (call $malloc (i32.const 16)))
    (i32.store (local.get $c) (i32.const 0)) (i32.store offset=4 (local.get $c) (i32.const 0))
    (i32.store offset=8 (local.get $c) (i32.const 0)) (i32.store offset=12 (local.get $c) (i32.const 0))
    (local.get $c))
  (func (export "opa_eval_ctx_set_input") (param $c i32) (param $v i32) (i32.store (local.get $c) (local.get $v)))
  (func (export "opa_eval_ctx_set_data") (param $c i32) (param $v i32) (i32.store offset=4 (local.get $c) (local.get $v)))
  (func (export "opa_eval_ctx_set_entrypoint") (param $c i32) (param $e i32) (i32.store offset=8 (local.get $c) (local.get $e)))
  (func (export "eval") (param $c i32) (result i32)
    (i32.store offset=12 (local.get $c) (call $run (i32.load offset=8 (local.get $c)) (i32.load offset=4 (local.get $c)) (i32.load (local.get $c))))
    (i32.const 0))
  (func (export "opa_eval_ctx_get_result") (param $c i32) (result i32) (i32.load offset=12 (local.get $c)))`}
)`;
}

let wabt: Awaited<ReturnType<typeof wabtInit>> | undefined;

/** Compiles WAT text to a Wasm binary with the wabt package. */
export async function compileWat(text: string): Promise<Uint8Array> {
  wabt ??= await wabtInit();
  const mod = wabt.parseWat('double.wat', text);
  try {
    return mod.toBinary({}).buffer;
  } finally {
    mod.destroy();
  }
}

export async function buildDouble(spec: DoubleSpec): Promise<Uint8Array> {
  return compileWat(doubleWat(spec));
}
