// A pool of workers, each with its own instance of the wasm module, that runs the curve work of a
// protocol step (docs/PROTOCOL.md §5) in pieces. The core cuts the work, gives each piece's input
// and puts the outputs together (the facade's `pieces`, `pieceInput`, `runPiece`); the pool only
// moves the bytes, counts progress and handles cancels. Environment-neutral: the entries
// (index.js for browsers, node.js for Node) give it a function that starts one worker; with
// `size: 0` the pieces run on the calling thread instead.
import { OverlapError, PoolError, toOverlapError } from './errors.js';
import { wrap } from './facade.js';
import { serve } from './worker-core.js';

/**
 * @internal One started worker, whatever the platform.
 * @typedef {object} WorkerPort
 * @property {(msg: any, transfer?: Transferable[]) => void} post
 * @property {(onMessage: (msg: any) => void, onError: (err: unknown) => void) => void} listen
 * @property {() => unknown} terminate
 * @property {() => void} [ref] keep the process alive while busy (Node)
 * @property {() => void} [unref] let the process exit while idle (Node)
 */

/**
 * Options of `createPool()`.
 * @typedef {object} PoolOptions
 * @property {number} [size] workers to start; default: the machine's logical cores
 *   (`navigator.hardwareConcurrency`, `os.availableParallelism()`); `0`: no worker, the pieces
 *   run on the calling thread one at a time, each in its own task (progress and cancel still
 *   work between pieces; the thread is busy while a piece runs)
 * @property {import('./types.js').WasmSource} [wasm] the module the workers run; default: the one
 *   `init()` loaded in this thread (compiled once and sent to each worker, never fetched again)
 * @property {number} [chunkSize] curve operations per piece; default: about four pieces per
 *   worker and job, between 256 and 4096
 */

/**
 * @internal How a step's pieces run.
 * @typedef {object} RunOptions
 * @property {AbortSignal} [signal] cancels the step: queued pieces are dropped and workers busy
 *   with it are terminated (and replaced when work comes), so it rejects at once with
 *   `signal.reason`
 * @property {(p: import('./types.js').Progress) => void} [onProgress] called after each piece with
 *   operations done and in all
 */

/**
 * @internal What the pool runs: a step's curve work (the facade's `PendingStep`), cut into
 * pieces by the core.
 * @typedef {object} Work
 * @property {(workers: number, size: number) => Uint32Array} pieces cuts the work; each piece's size
 * @property {(i: number) => {input: Uint8Array, offsets: Uint32Array, first: number}} pieceInput
 */

/**
 * @internal
 * @typedef {object} Task
 * @property {JobState} job
 * @property {number} piece its index in the job's pieces
 */

/**
 * @internal
 * @typedef {object} JobState
 * @property {Work} work
 * @property {Uint8Array} scalar
 * @property {Uint32Array} sizes operations per piece
 * @property {Uint8Array[]} outputs per piece, as they come
 * @property {number} total
 * @property {number} done
 * @property {number} left pieces not yet finished
 * @property {boolean} settled
 * @property {(v: Uint8Array[]) => void} resolve
 * @property {(e: unknown) => void} reject
 * @property {RunOptions['onProgress']} onProgress
 * @property {(() => void) | null} unlisten
 */

/**
 * @internal
 * @typedef {object} Slot
 * @property {WorkerPort} port
 * @property {Task | null} task what it runs now
 * @property {number} id
 */

/**
 * A port that runs pieces on this thread, each message in its own task: progress is reported
 * and a cancel is seen between pieces. Terminating it drops what it has not started.
 * @returns {WorkerPort}
 */
function threadPort() {
  let open = true;
  /** @type {(msg: any) => void} */
  let deliver = () => {};
  const handle = serve((msg) => open && deliver(msg));
  return {
    post: (msg) => void setTimeout(() => open && handle(msg)),
    listen: (onMessage) => void (deliver = onMessage),
    terminate: () => void (open = false),
  };
}

/**
 * A pool of workers for the private protocol's curve work: module workers in browsers (also
 * from inside a worker), `worker_threads` in Node, or the calling thread (`size: 0`). Each
 * worker holds one instance of the wasm module; the core cuts each step's work into pieces that go to
 * whichever worker is free, with their buffers transferred, not copied. Several steps may run at
 * once; their pieces are served in order.
 *
 * ```js
 * const pool = createPool();                  // one worker per core
 * const { message } = await Party.start(ds, { pool, onProgress: ({ done, total }) => … });
 * pool.close();
 * ```
 */
export class Pool {
  /** @type {() => WorkerPort} */ #spawn;
  /** @type {Promise<WebAssembly.Module>} */ #module;
  /** @type {(Slot | null)[]} */ #slots;
  /** @type {Task[]} */ #queue = [];
  /** @type {number | undefined} */ #chunkSize;
  #closed = false;
  #nextId = 1;
  /** @type {unknown} */ #broken = null;

  /**
   * @internal Use `createPool()`.
   * @param {() => WorkerPort} spawn starts one worker
   * @param {Promise<WebAssembly.Module>} module what the workers run
   * @param {number} size workers; 0: none, the pieces run on this thread
   * @param {number | undefined} chunkSize
   */
  constructor(spawn, module, size, chunkSize) {
    if (!Number.isInteger(size) || size < 0) throw new OverlapError('pool size must be a whole number (0: this thread)', 'options');
    if (chunkSize !== undefined && !(Number.isInteger(chunkSize) && chunkSize > 0)) {
      throw new OverlapError('chunkSize must be a positive integer', 'options');
    }
    this.#spawn = size === 0 ? threadPort : spawn;
    this.#module = module;
    this.#chunkSize = chunkSize;
    this.#slots = new Array(Math.max(1, size)).fill(null);
    /** Number of workers (0: the pieces run on the calling thread). @readonly @type {number} */
    this.size = size;
    /**
     * Resolves when the module is compiled and the workers are started; rejects with a
     * {@link PoolError} if that fails. Waiting for it is optional: steps wait themselves.
     * @readonly
     * @type {Promise<void>}
     */
    this.ready = module.then(() => {
      for (let i = 0; i < this.#slots.length; i++) if (!this.#closed && !this.#broken && !this.#slots[i]) this.#start(i);
      if (this.#broken) throw this.#broken;
    });
    this.ready.catch((e) => this.#fail(e instanceof PoolError ? e : new PoolError(`the pool's workers could not get the wasm module: ${e?.message ?? e}`, 'worker', { cause: e })));
  }

  /**
   * @internal Runs `work`'s pieces under `scalar` (a copy is kept, and wiped when the work
   * ends); resolves to the pieces' outputs, in piece order.
   * @param {Work} work
   * @param {Uint8Array} scalar
   * @param {RunOptions} [options]
   * @returns {Promise<Uint8Array[]>}
   */
  runPieces(work, scalar, options = {}) {
    const { signal, onProgress } = options;
    /** @type {Uint32Array} */
    let sizes;
    try {
      this.#refuse(signal);
      sizes = wrap(() => work.pieces(this.#slots.length, this.#chunkSize ?? 0));
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise((resolve, reject) => {
      /** @type {JobState} */
      const state = {
        work,
        scalar: scalar.slice(),
        sizes,
        outputs: new Array(sizes.length),
        total: sizes.reduce((n, s) => n + s, 0),
        done: 0,
        left: sizes.length,
        settled: false,
        resolve,
        reject,
        onProgress,
        unlisten: null,
      };
      if (sizes.length === 0) return this.#finish(state);
      for (let piece = 0; piece < sizes.length; piece++) this.#queue.push({ job: state, piece });
      if (signal) {
        const abort = () => this.#cancel(state, signal.reason, true);
        signal.addEventListener('abort', abort, { once: true });
        state.unlisten = () => signal.removeEventListener('abort', abort);
      }
      onProgress?.({ done: 0, total: state.total });
      this.#pump();
    });
  }

  /**
   * Throws what a job started now would reject with: the pool is closed or broken, or the
   * signal is aborted.
   * @param {AbortSignal | undefined} signal
   */
  #refuse(signal) {
    if (this.#closed) throw new PoolError('the pool is closed', 'closed');
    if (this.#broken) throw this.#broken;
    signal?.throwIfAborted();
  }

  /**
   * Stops the workers. Steps still running reject with a {@link PoolError} `closed`.
   * @returns {Promise<void>}
   */
  async close() {
    if (this.#closed) return;
    this.#closed = true;
    const err = new PoolError('the pool was closed', 'closed');
    for (const t of this.#queue) this.#settle(t.job, err);
    this.#queue = [];
    const stops = [];
    for (let i = 0; i < this.#slots.length; i++) {
      const s = this.#slots[i];
      if (!s) continue;
      if (s.task) this.#settle(s.task.job, err);
      this.#slots[i] = null;
      stops.push(s.port.terminate());
    }
    await Promise.allSettled(stops);
  }

  /**
   * Starts worker `i`; when the platform refuses (a Content-Security-Policy without
   * `worker-src 'self'`, no Worker at all), the pool fails with a PoolError `worker`.
   * @param {number} i
   * @returns {Slot | null}
   */
  #start(i) {
    /** @type {WorkerPort} */
    let port;
    try {
      port = this.#spawn();
    } catch (e) {
      this.#fail(new PoolError(`a pool worker could not be started: ${/** @type {any} */ (e)?.message ?? e}`, 'worker', { cause: e }));
      return null;
    }
    /** @type {Slot} */
    const slot = { port, task: null, id: this.#nextId++ };
    this.#slots[i] = slot;
    port.listen(
      (msg) => this.#onMessage(slot, msg),
      (err) => this.#onCrash(slot, err),
    );
    port.unref?.(); // after listening: adding a listener refs a Node worker's port again
    this.#module.then((module) => {
      if (this.#slots[i] === slot) port.post({ type: 'init', module });
    }, () => {});
    return slot;
  }

  #pump() {
    if (this.#closed || this.#broken) return;
    for (let i = 0; i < this.#slots.length && this.#queue.length; i++) {
      let slot = this.#slots[i];
      if (slot?.task) continue;
      if (!slot && !(slot = this.#start(i))) return;
      this.#dispatch(slot, /** @type {Task} */ (this.#queue.shift()));
    }
  }

  /**
   * Sends a piece's input (from the core) and a copy of the scalar to a worker.
   * @param {Slot} slot
   * @param {Task} task
   */
  #dispatch(slot, task) {
    const { work, scalar } = task.job;
    let piece;
    try {
      piece = wrap(() => work.pieceInput(task.piece));
    } catch (e) {
      this.#cancel(task.job, e, false);
      return;
    }
    slot.task = task;
    slot.port.ref?.();
    const s = scalar.slice();
    slot.port.post({ type: 'piece', scalar: s, ...piece }, [s.buffer, piece.input.buffer, piece.offsets.buffer]);
  }

  /**
   * @param {Slot} slot
   * @param {any} msg
   */
  #onMessage(slot, msg) {
    if (msg.type === 'ready') return;
    if (msg.type === 'init-error') {
      this.#fail(new PoolError(`a worker could not instantiate the wasm module: ${msg.message}`, 'worker'));
      return;
    }
    const task = slot.task;
    if (!task) return;
    slot.task = null;
    slot.port.unref?.();
    const job = task.job;
    if (!job.settled) {
      if (msg.type === 'error') {
        this.#cancel(job, toOverlapError({ name: 'OverlapError', code: msg.code, message: msg.message, index: msg.index }), false);
      } else {
        const n = job.sizes[task.piece];
        const out = /** @type {Uint8Array} */ (msg.result);
        if (out.byteLength !== n * 32) {
          this.#cancel(job, new OverlapError('a worker returned a result of the wrong size', 'internal'), false);
        } else {
          job.outputs[task.piece] = out;
          job.done += n;
          job.left--;
          job.onProgress?.({ done: job.done, total: job.total });
          if (job.left === 0) this.#finish(job);
        }
      }
    }
    this.#pump();
  }

  /**
   * @param {Slot} slot
   * @param {unknown} err
   */
  #onCrash(slot, err) {
    const i = this.#slots.indexOf(slot);
    if (i < 0) return;
    this.#slots[i] = null;
    try {
      slot.port.terminate();
    } catch {}
    const e = new PoolError('a pool worker stopped unexpectedly', 'worker', { cause: err });
    if (slot.task) this.#cancel(slot.task.job, e, false);
    else if (!this.#queue.length && this.#slots.every((s) => s === null)) this.#fail(e);
    this.#pump();
  }

  /**
   * Fails the job: drops its queued pieces; when `terminate`, also stops the workers busy with it.
   * @param {JobState} job
   * @param {unknown} reason
   * @param {boolean} terminate
   */
  #cancel(job, reason, terminate) {
    if (job.settled) return;
    this.#settle(job, reason);
    this.#queue = this.#queue.filter((t) => t.job !== job);
    if (terminate) {
      for (let i = 0; i < this.#slots.length; i++) {
        const s = this.#slots[i];
        if (s?.task?.job === job) {
          this.#slots[i] = null;
          s.port.terminate();
        }
      }
    }
    this.#pump();
  }

  /** @param {unknown} err */
  #fail(err) {
    if (this.#closed) return;
    const e = (this.#broken ??= err);
    for (const t of this.#queue) this.#settle(t.job, e);
    this.#queue = [];
    for (const s of this.#slots) if (s?.task) this.#settle(s.task.job, e);
  }

  /** @param {JobState} job */
  #finish(job) {
    if (job.settled) return;
    job.settled = true;
    job.unlisten?.();
    job.scalar.fill(0);
    job.resolve(job.outputs);
  }

  /**
   * @param {JobState} job
   * @param {unknown} reason
   */
  #settle(job, reason) {
    if (job.settled) return;
    job.settled = true;
    job.unlisten?.();
    job.scalar.fill(0);
    job.reject(reason);
  }
}
