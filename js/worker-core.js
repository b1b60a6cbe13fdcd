// The body of a pool worker (pool-worker.js in browsers, pool-worker-node.js in Node; the pool's
// in-thread port too): one wasm instance, made from the compiled module the pool sends, running
// pieces of a step's curve work with the facade's `runPiece`. The scalar arrives in memory with
// each piece and is wiped after use; nothing is logged.
import initWasm, { runPiece } from './overlap_wasm.js';

/**
 * @internal Returns the worker's message handler; `post` sends a reply to the pool.
 * @param {(msg: any, transfer?: Transferable[]) => void} post
 * @returns {(msg: any) => Promise<void>}
 */
export function serve(post) {
  /** @type {(v: Promise<unknown>) => void} */
  let started = () => {};
  // Pieces may arrive before the module does: they wait for it.
  const ready = new Promise((resolve) => (started = resolve));
  return async (msg) => {
    if (msg.type === 'init') {
      const instance = initWasm({ module_or_path: msg.module });
      started(instance);
      try {
        await instance;
        post({ type: 'ready' });
      } catch (e) {
        post({ type: 'init-error', message: String(/** @type {any} */ (e)?.message ?? e) });
      }
      return;
    }
    try {
      await ready;
      const result = runPiece(msg.scalar, msg.input, msg.offsets, msg.first);
      post({ type: 'done', result }, [result.buffer]);
    } catch (e) {
      const err = /** @type {any} */ (e);
      post({ type: 'error', code: typeof err?.code === 'string' ? err.code : 'internal', message: String(err?.message ?? err), index: err?.index });
    } finally {
      msg.scalar?.fill(0);
    }
  };
}
