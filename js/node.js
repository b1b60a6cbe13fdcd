// Node entry: the .wasm is read from disk next to this file and the pool runs on worker_threads.
// Same API as the browser entry. No code runs on import.
import { readFile } from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import { compiledModule, compileSource, initWith } from './loader.js';
import { Pool } from './pool.js';

export * from './api.js';
export * from './pool.js';

/**
 * Loads and instantiates the WebAssembly module. Call (and await) it once before anything
 * else; later calls return the same promise.
 *
 * ```js
 * import { init } from 'overlap';
 * await init();   // reads overlap_wasm_bg.wasm from the package's directory
 * ```
 * @param {import('./types.js').InitOptions} [options]
 * @returns {Promise<void>}
 * @throws {import('./errors.js').OverlapError} `init` when the module cannot be read or compiled
 */
export function init(options) {
  return initWith(compile, options);
}

/**
 * Compiles the module from the `wasm` option: file paths and `file:` URLs are read from disk.
 * @param {import('./types.js').WasmSource | undefined} wasm
 * @returns {Promise<WebAssembly.Module>}
 */
async function compile(wasm) {
  if (wasm === undefined) wasm = await readFile(new URL('./overlap_wasm_bg.wasm', import.meta.url));
  else if (wasm instanceof URL && wasm.protocol === 'file:') wasm = await readFile(wasm);
  else if (typeof wasm === 'string' && !/^[a-z][a-z0-9+.-]*:/i.test(wasm)) wasm = await readFile(wasm);
  return compileSource(wasm);
}

/**
 * Starts a pool of worker threads (one wasm instance each) for the private protocol's curve
 * work; pass it as `pool` to `Party.start`, `Party.respond` and `party.receive`. Idle workers do
 * not keep the process alive; `close()` stops them.
 *
 * ```js
 * const pool = createPool();
 * const { party, message } = await Party.start(ds, { pool, onProgress });
 * await pool.close();
 * ```
 * @param {import('./pool.js').PoolOptions} [options]
 * @returns {Pool}
 */
export function createPool(options = {}) {
  const size = options.size ?? (typeof availableParallelism === 'function' ? availableParallelism() : cpus().length);
  const module = options.wasm !== undefined ? compile(options.wasm) : init().then(() => /** @type {WebAssembly.Module} */ (compiledModule()));
  return new Pool(spawn, module, size, options.chunkSize);
}

/** @returns {import('./pool.js').WorkerPort} */
function spawn() {
  // Node flags for the main script (`--input-type` of `node -e`) would stop a worker's start.
  const execArgv = process.execArgv.filter((a) => !a.startsWith('--input-type'));
  const w = new Worker(new URL('./pool-worker-node.js', import.meta.url), { name: 'overlap-pool', execArgv });
  return {
    post: (msg, transfer) => w.postMessage(msg, /** @type {any} */ (transfer)),
    listen(onMessage, onError) {
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', (code) => code !== 0 && onError(new Error(`worker exited with code ${code}`)));
    },
    terminate: () => w.terminate(),
    ref: () => w.ref(),
    unref: () => w.unref(),
  };
}
