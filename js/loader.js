// Loading the wasm module once per thread, and keeping the compiled module for the pool's
// workers. Internal: the entries (index.js, node.js) wrap it in their `init()`.
import initWasm from './overlap_wasm.js';
import { OverlapError } from './errors.js';

/** @typedef {import('./types.js').WasmSource} WasmSource */
/** @typedef {import('./types.js').InitOptions} InitOptions */

/** @type {WebAssembly.Module | null} */
let compiled = null;
/** @type {Promise<void> | null} */
let ready = null;

/**
 * @internal Instantiates the wasm module once per thread: `compile` turns the `wasm` option (or
 * the entry's default location) into a compiled module.
 * @param {(wasm: WasmSource | undefined) => Promise<WebAssembly.Module>} compile
 * @param {InitOptions} [options]
 * @returns {Promise<void>}
 */
export function initWith(compile, options = {}) {
  if (!ready) {
    ready = (async () => {
      const module = await compile(options.wasm);
      await initWasm({ module_or_path: module });
      compiled = module;
    })().catch((e) => {
      ready = null;
      throw new OverlapError(`the WebAssembly module could not be loaded: ${e?.message ?? e}`, 'init', { cause: e });
    });
  }
  return ready;
}

/**
 * @internal The compiled module this thread runs (for the pool's workers), once `init` is done.
 * @returns {WebAssembly.Module | null}
 */
export function compiledModule() {
  return compiled;
}

/**
 * @internal Compiles what the `wasm` option or a default location gave.
 * @param {WasmSource | Uint8Array | ArrayBuffer} source
 * @returns {Promise<WebAssembly.Module>}
 */
export async function compileSource(source) {
  source = await source;
  if (source instanceof WebAssembly.Module) return source;
  if (typeof Response === 'function' && source instanceof Response) {
    if (!source.ok) throw new Error(`HTTP ${source.status} fetching the .wasm`);
    if (typeof WebAssembly.compileStreaming === 'function' && source.headers.get('Content-Type')?.startsWith('application/wasm')) {
      return WebAssembly.compileStreaming(source);
    }
    return WebAssembly.compile(await source.arrayBuffer());
  }
  if (typeof source === 'string' || source instanceof URL) return compileSource(fetch(source));
  if (ArrayBuffer.isView(source) || source instanceof ArrayBuffer) return WebAssembly.compile(/** @type {BufferSource} */ (source));
  throw new TypeError('wasm must be a WebAssembly.Module, bytes, a URL or a Response');
}

/** @internal Throws unless `init()` has completed in this thread. */
export function need() {
  if (!compiled) throw new OverlapError('overlap is not initialized: call (and await) init() first', 'not_initialized');
}

