// Browser and bundler entry. The .wasm is found next to this file: bundlers (Vite, webpack 5,
// Parcel, Rollup with its URL plugin) understand `new URL('…', import.meta.url)` and emit the asset,
// and `new Worker(new URL('./pool-worker.js', import.meta.url), { type: 'module' })` and bundle
// the pool's worker. No code runs on import (`sideEffects: false` holds).
import { compiledModule, compileSource, initWith } from './loader.js';
import { Pool } from './pool.js';

export * from './api.js';
export * from './pool.js';

/**
 * Loads and instantiates the WebAssembly module in this thread. Call (and await) it once before
 * anything else; later calls return the same promise.
 *
 * ```js
 * import { init } from 'overlap';
 * await init();                                   // the .wasm next to the package's module
 * await init({ wasm: '/assets/overlap.wasm' });   // or from where you serve it
 * ```
 * @param {import('./types.js').InitOptions} [options]
 * @returns {Promise<void>}
 * @throws {import('./errors.js').OverlapError} `init` when the module cannot be fetched or compiled
 */
export function init(options) {
  return initWith((wasm) => compileSource(wasm ?? fetch(new URL('./overlap_wasm_bg.wasm', import.meta.url))), options);
}

/**
 * Starts a pool of module workers (one wasm instance each) for the private protocol's curve
 * work; pass it as `pool` to `Party.start`, `Party.respond` and `party.receive`. Works from the
 * page's main thread and from inside a dedicated worker. Call `close()` when done.
 *
 * ```js
 * const pool = createPool();
 * const { party, message } = await Party.start(ds, { pool, signal, onProgress });
 * ```
 * @param {import('./pool.js').PoolOptions} [options]
 * @returns {Pool}
 */
export function createPool(options = {}) {
  const size = options.size ?? (globalThis.navigator?.hardwareConcurrency || 2);
  const module = options.wasm !== undefined ? compileSource(options.wasm) : init().then(() => /** @type {WebAssembly.Module} */ (compiledModule()));
  return new Pool(spawn, module, size, options.chunkSize);
}

/** @returns {import('./pool.js').WorkerPort} */
function spawn() {
  const w = new Worker(new URL('./pool-worker.js', import.meta.url), { type: 'module', name: 'overlap-pool' });
  return {
    post: (msg, transfer) => w.postMessage(msg, transfer ?? []),
    listen(onMessage, onError) {
      w.onmessage = (e) => onMessage(e.data);
      w.onerror = (e) => {
        e.preventDefault?.();
        onError(e.error ?? new Error(e.message || 'worker error'));
      };
      w.onmessageerror = () => onError(new Error('a message from the worker could not be read'));
    },
    terminate: () => w.terminate(),
  };
}
