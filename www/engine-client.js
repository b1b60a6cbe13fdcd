// The page's side of the engine worker (engine.js): calls with progress and cancel.
// If the engine stops answering after a cancel (or crashes), it is replaced by a fresh one and
// `onReset` tells the page that the dataset and session must be loaded into it again.

/** What the engine says about a failed operation: never a cell value. @typedef {{name: string, code: string, message: string}} EngineFailure */

export class EngineError extends Error {
  /** @param {EngineFailure} failure */
  constructor({ name, code, message }) {
    super(message);
    this.name = name === 'AbortError' ? 'AbortError' : 'EngineError';
    this.kind = name;
    this.code = code;
  }
}

/**
 * A call waiting for the engine's answer.
 * @typedef {{resolve: (v: any) => void, reject: (e: unknown) => void, onProgress?: (p: any) => void, timer: ReturnType<typeof setTimeout> | undefined}} Call
 */

/**
 * Options of {@link Engine#call}.
 * @typedef {object} CallOptions
 * @property {(p: any) => void} [onProgress] `{ phase, done, total, rows? }` as the work advances
 * @property {Transferable[]} [transfer] buffers to move to the engine, not copy
 */

export class Engine {
  /** @type {Worker} */ #worker;
  #next = 1;
  /** @type {Map<number, Call>} */ #calls = new Map();
  #url;
  /** Resolves with `{ normalization, workers }` once the engine runs. @type {Promise<any>} */
  ready;

  /** @param {URL} url the engine's module  @param {{onReset?: () => void}} [hooks] */
  constructor(url, hooks = {}) {
    this.#url = url;
    this.onReset = hooks.onReset ?? (() => {});
    this.#worker = this.#spawn();
    this.ready = this.#hello();
  }

  /** @returns {Worker} */
  #spawn() {
    const w = new Worker(this.#url, { type: 'module', name: 'overlap-engine' });
    w.onmessage = (e) => this.#onMessage(e.data);
    w.onerror = (e) => {
      e.preventDefault();
      this.#crash('The engine stopped unexpectedly. Your file and session are safe; try again.');
    };
    return w;
  }

  #hello() {
    const ready = this.call('hello').promise;
    ready.catch(() => {});
    return ready;
  }

  #crash(text) {
    const err = new EngineError({ name: 'EngineError', code: 'engine', message: text });
    for (const c of this.#calls.values()) c.reject(err);
    this.#calls.clear();
    this.#worker.terminate();
    this.#worker = this.#spawn();
    this.ready = this.#hello();
    this.onReset();
  }

  #onMessage(msg) {
    const c = this.#calls.get(msg.id);
    if (!c) return;
    if (msg.progress) {
      c.onProgress?.(msg.progress);
      return;
    }
    this.#calls.delete(msg.id);
    clearTimeout(c.timer);
    if (msg.error) c.reject(new EngineError(msg.error));
    else c.resolve(msg.result);
  }

  /**
   * Runs `op` in the engine.
   * @param {string} op
   * @param {object} [args]
   * @param {CallOptions} [options]
   * @returns {{promise: Promise<any>, cancel: () => void}}
   */
  call(op, args = {}, { onProgress, transfer = [] } = {}) {
    const id = this.#next++;
    let cancel = () => {};
    const promise = new Promise((resolve, reject) => {
      /** @type {Call} */
      const c = { resolve, reject, onProgress, timer: undefined };
      this.#calls.set(id, c);
      cancel = () => {
        if (!this.#calls.has(id)) return;
        this.#worker.postMessage({ cancel: id });
        // The engine aborts between chunks of work; one that does not answer is replaced.
        c.timer = setTimeout(() => {
          if (!this.#calls.has(id)) return;
          this.#calls.delete(id);
          reject(new EngineError({ name: 'AbortError', code: 'cancelled', message: 'cancelled' }));
          this.#crash('The engine did not stop in time and was restarted.');
        }, 4000);
      };
      this.#worker.postMessage({ id, op, args }, transfer);
    });
    return { promise, cancel };
  }

  /**
   * Runs `op` and resolves to its result (no cancel).
   * @param {string} op
   * @param {object} [args]
   * @param {CallOptions} [options]
   * @returns {Promise<any>}
   */
  run(op, args, options) {
    return this.call(op, args, options).promise;
  }
}
