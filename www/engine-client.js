// The page's side of the engine worker (engine.js): calls with progress and cancel.
// If the engine stops answering after a cancel (or crashes), it is replaced by a fresh one and
// `onReset` tells the page that the dataset and session must be loaded into it again.

export class EngineError extends Error {
  constructor({ name, code, message }) {
    super(message);
    this.name = name === 'AbortError' ? 'AbortError' : 'EngineError';
    this.kind = name;
    this.code = code;
  }
}

export class Engine {
  #worker = null;
  #next = 1;
  #calls = new Map();
  #url;

  /** @param {URL} url the engine's module  @param {{onReset?: () => void}} [hooks] */
  constructor(url, hooks = {}) {
    this.#url = url;
    this.onReset = hooks.onReset ?? (() => {});
    this.#spawn();
  }

  #spawn() {
    const w = new Worker(this.#url, { type: 'module', name: 'overlap-engine' });
    w.onmessage = (e) => this.#onMessage(e.data);
    w.onerror = (e) => {
      e.preventDefault();
      this.#crash('The engine stopped unexpectedly. Your file and session are safe; try again.');
    };
    this.#worker = w;
    this.ready = this.call('hello').promise;
    this.ready.catch(() => {});
  }

  #crash(text) {
    const err = new EngineError({ name: 'EngineError', code: 'engine', message: text });
    for (const c of this.#calls.values()) c.reject(err);
    this.#calls.clear();
    this.#worker.terminate();
    this.#spawn();
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
   * @returns {{promise: Promise<any>, cancel: () => void}}
   */
  call(op, args = {}, { onProgress, transfer = [] } = {}) {
    const id = this.#next++;
    let cancel;
    const promise = new Promise((resolve, reject) => {
      const c = { resolve, reject, onProgress, timer: null };
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

  /** Runs `op` and resolves to its result (no cancel). */
  run(op, args, options) {
    return this.call(op, args, options).promise;
  }
}
