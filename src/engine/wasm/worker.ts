/**
 * The worker thread that runs OPA Wasm policies (host.ts starts it). Policies compiled elsewhere
 * are code kitei did not write: a module may trap, loop forever or allocate without bound, so it
 * runs here, where the main thread can stop it (`Worker.terminate`) and V8's heap is capped
 * (`resourceLimits`); the module's linear memory is capped by the memory's `maximum`.
 *
 * Protocol: the main thread posts a request on `port` and blocks on `signal` (Atomics.wait with
 * a time limit); this thread answers on `port`, then sets `signal` to 1 and notifies.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { KITEI_BUILTINS } from './builtins.js';

export type WorkerRequest =
  | { op: 'load'; key: string; wasm: Uint8Array<ArrayBuffer>; data: unknown; maxPages: number }
  | { op: 'eval'; key: string; entrypoint: string | number; input: string };

export type WorkerResponse =
  | { ok: true; entrypoints: Record<string, number>; builtins: string[]; abi: { major: number; minor: number | undefined } }
  | { ok: true; result: unknown }
  | { ok: false; error: string };

interface Loaded {
  policy: Awaited<ReturnType<typeof loadPolicy>>;
}

// The SDK writes notes to the console (a module without an ABI minor version, say): they are not
// kitei's output, and a report on stdout must never carry them. Silenced here rather than by piping
// the worker's streams, whose ports would keep the process alive after its work.
for (const m of ['log', 'info', 'warn', 'error', 'debug'] as const) console[m] = () => undefined;

const policies = new Map<string, Loaded>();

function text(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'object' && e !== null && 'message' in e) return String((e as { message: unknown }).message);
  return String(e);
}

/** Reads a NUL-terminated JSON string the module wrote into its memory. */
function readJson(memory: WebAssembly.Memory, addr: number): unknown {
  const buf = new Uint8Array(memory.buffer);
  let end = addr;
  while (end < buf.length && buf[end] !== 0) end++;
  return JSON.parse(new TextDecoder().decode(buf.subarray(addr, end))) as unknown;
}

async function handle(req: WorkerRequest): Promise<WorkerResponse> {
  if (req.op === 'load') {
    const module = await WebAssembly.compile(req.wasm);
    const exported = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
    const missing = ['opa_malloc', 'opa_json_parse', 'opa_json_dump', 'opa_heap_ptr_get', 'opa_heap_ptr_set', 'builtins', 'entrypoints', 'opa_wasm_abi_version'].filter((n) => !exported.has(n));
    if (missing.length > 0) return { ok: false, error: `not an OPA Wasm module: it does not export ${missing.join(', ')}` };
    const policy = await loadPolicy(module, { initial: 5, maximum: req.maxPages }, KITEI_BUILTINS as never);
    const p = policy as unknown as { wasmInstance: WebAssembly.Instance; mem: WebAssembly.Memory; minorVersion: number | undefined; entrypoints: Record<string, number> };
    const ex = p.wasmInstance.exports as Record<string, unknown>;
    const major = (ex.opa_wasm_abi_version as WebAssembly.Global).value as number;
    const minor = p.minorVersion;
    if (minor !== undefined && minor >= 2 && typeof ex.opa_eval !== 'function') return { ok: false, error: `ABI 1.${minor} module without opa_eval` };
    if ((minor === undefined || minor < 2) && ['opa_eval_ctx_new', 'opa_eval_ctx_set_input', 'opa_eval_ctx_set_data', 'opa_eval_ctx_set_entrypoint', 'eval', 'opa_eval_ctx_get_result'].some((n) => typeof ex[n] !== 'function')) {
      return { ok: false, error: `ABI 1.${minor ?? '?'} module without the opa_eval_ctx_* exports` };
    }
    const declared = readJson(p.mem, (ex.opa_json_dump as (a: number) => number)((ex.builtins as () => number)())) as Record<string, number>;
    if (req.data !== undefined) policy.setData(req.data as object);
    policies.set(req.key, { policy });
    return { ok: true, entrypoints: { ...p.entrypoints }, builtins: Object.keys(declared ?? {}), abi: { major, minor } };
  }
  const loaded = policies.get(req.key);
  if (!loaded) return { ok: false, error: `policy ${req.key} is not loaded` };
  const bytes = new TextEncoder().encode(req.input);
  const input = bytes.buffer.byteLength === bytes.byteLength ? bytes.buffer : bytes.slice().buffer;
  return { ok: true, result: loaded.policy.evaluate(input, req.entrypoint) };
}

const shared = workerData as { kiteiWasm?: true; port: MessagePort; signal: SharedArrayBuffer } | null;
if (shared?.kiteiWasm) {
  const { port, signal } = shared;
  const flag = new Int32Array(signal);
  port.on('message', (req: WorkerRequest) => {
    void handle(req)
      .catch((e: unknown): WorkerResponse => ({ ok: false, error: text(e) }))
      .then((res) => {
        try {
          port.postMessage(res);
        } catch (e) {
          port.postMessage({ ok: false, error: `result not transferable: ${text(e)}` } satisfies WorkerResponse);
        }
        Atomics.store(flag, 0, 1);
        Atomics.notify(flag, 0);
      });
  });
}
