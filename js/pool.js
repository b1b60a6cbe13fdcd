// A pool of workers, each with its own instance of the wasm module, that runs the curve work of a
// protocol step (docs/PROTOCOL.md §5) in chunks. Environment-neutral: the entries (index.js for
// browsers, node.js for Node) give it a function that starts one worker.
import { OverlapError, PoolError, toOverlapError } from './errors.js';

/** Elements per encoding batch in the core: chunk sizes are multiples of it. */
const BATCH = 256;

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
 *   (`navigator.hardwareConcurrency`, `os.availableParallelism()`)
 * @property {import('./api.js').WasmSource} [wasm] the module the workers run; default: the one
 *   `init()` loaded in this thread (compiled once and sent to each worker, never fetched again)
 * @property {number} [chunkSize] elements per chunk; default: about four chunks per worker and
 *   job, between 256 and 4096
 */

/**
 * Options of {@link Pool#runJob}.
 * @typedef {object} RunOptions
 * @property {AbortSignal} [signal] cancels the job: queued chunks are dropped and workers busy
 *   with it are terminated (and replaced when work comes), so the promise rejects at once with
 *   `signal.reason`
 * @property {(p: import('./api.js').Progress) => void} [onProgress] called after each chunk with
 *   elements done and in all
 */

/**
 * @internal
 * @typedef {object} Chunk
 * @property {JobState} job
 * @property {'keys' | 'points'} kind
 * @property {number} start first element (in the job's keys or points)
 * @property {number} end one past the last
 */

/**
 * @internal
 * @typedef {object} JobState
 * @property {import('./api.js').Job} input
 * @property {Uint8Array} hashed
 * @property {Uint8Array} blinded
 * @property {number} total
 * @property {number} done
 * @property {number} left chunks not yet finished
 * @property {boolean} settled
 * @property {(v: [Uint8Array, Uint8Array]) => void} resolve
 * @property {(e: unknown) => void} reject
 * @property {RunOptions['onProgress']} onProgress
 * @property {(() => void) | null} unlisten
 */

/**
 * @internal
 * @typedef {object} Slot
 * @property {WorkerPort} port
 * @property {Chunk | null} chunk what it runs now
 * @property {number} id
 */

/**
 * A pool of workers for the private protocol's curve work: module workers in browsers (also
 * from inside a worker), `worker_threads` in Node. Each worker holds one instance of the wasm
 * module; jobs are cut into chunks that go to whichever worker is free, with their buffers
 * transferred, not copied. Several jobs may run at once; their chunks are served in order.
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
  /** @type {Chunk[]} */ #queue = [];
  /** @type {number | undefined} */ #chunkSize;
  #closed = false;
  #nextId = 1;
  /** @type {unknown} */ #broken = null;

  /**
   * @internal Use `createPool()`.
   * @param {() => WorkerPort} spawn starts one worker
   * @param {Promise<WebAssembly.Module>} module what the workers run
   * @param {number} size
   * @param {number | undefined} chunkSize
   */
  constructor(spawn, module, size, chunkSize) {
    if (!Number.isInteger(size) || size < 1) throw new OverlapError('pool size must be a positive integer', 'options');
    if (chunkSize !== undefined && !(Number.isInteger(chunkSize) && chunkSize > 0)) {
      throw new OverlapError('chunkSize must be a positive integer', 'options');
    }
    this.#spawn = spawn;
    this.#module = module;
    this.#chunkSize = chunkSize;
    this.#slots = new Array(size).fill(null);
    /** Number of workers. @readonly @type {number} */
    this.size = size;
    /**
     * Resolves when the module is compiled and the workers are started; rejects with a
     * {@link PoolError} if that fails. Waiting for it is optional: jobs wait themselves.
     * @readonly
     * @type {Promise<void>}
     */
    this.ready = module.then(() => {
      for (let i = 0; i < size; i++) if (!this.#closed && !this.#slots[i]) this.#start(i);
    });
    this.ready.catch((e) => this.#fail(new PoolError(`the pool's workers could not get the wasm module: ${e?.message ?? e}`, 'worker', { cause: e })));
  }

  /**
   * Runs a step's curve work: `H(k)^s` for every key and `P^s` for every point.
   * @param {import('./api.js').Job} job
   * @param {RunOptions} [options]
   * @returns {Promise<[Uint8Array, Uint8Array]>} 32 bytes per key (`hashed`) and per point (`blinded`), in job order
   * @throws {MessageError} `message/invalid_point` with `index` the element's index in the job's points
   * @throws {PoolError} `closed` after {@link Pool#close}; `worker` when a worker fails
   */
  runJob(job, options = {}) {
    const { signal, onProgress } = options;
    if (this.#closed) return Promise.reject(new PoolError('the pool is closed', 'closed'));
    if (this.#broken) return Promise.reject(this.#broken);
    if (signal?.aborted) return Promise.reject(signal.reason);
    const nKeys = Math.max(0, job.keyOffsets.length - 1);
    const nPoints = job.points.byteLength / 32;
    if (!Number.isInteger(nPoints)) return Promise.reject(new OverlapError('job points are not 32 bytes each', 'internal'));
    const total = nKeys + nPoints;
    return new Promise((resolve, reject) => {
      /** @type {JobState} */
      const state = {
        input: { ...job, scalar: job.scalar.slice() },
        hashed: new Uint8Array(nKeys * 32),
        blinded: new Uint8Array(nPoints * 32),
        total,
        done: 0,
        left: 0,
        settled: false,
        resolve,
        reject,
        onProgress,
        unlisten: null,
      };
      if (total === 0) return this.#finish(state);
      const size = this.#chunkSize ?? Math.min(4096, Math.max(BATCH, Math.ceil(total / (this.size * 4) / BATCH) * BATCH));
      for (const [kind, n] of /** @type {const} */ ([['keys', nKeys], ['points', nPoints]])) {
        for (let start = 0; start < n; start += size) {
          this.#queue.push({ job: state, kind, start, end: Math.min(n, start + size) });
          state.left++;
        }
      }
      if (signal) {
        const abort = () => this.#cancel(state, signal.reason, true);
        signal.addEventListener('abort', abort, { once: true });
        state.unlisten = () => signal.removeEventListener('abort', abort);
      }
      onProgress?.({ done: 0, total });
      this.#pump();
    });
  }

  /**
   * Stops the workers. Jobs still running reject with a {@link PoolError} `closed`.
   * @returns {Promise<void>}
   */
  async close() {
    if (this.#closed) return;
    this.#closed = true;
    const err = new PoolError('the pool was closed', 'closed');
    for (const c of this.#queue) this.#settle(c.job, err);
    this.#queue = [];
    const stops = [];
    for (let i = 0; i < this.#slots.length; i++) {
      const s = this.#slots[i];
      if (!s) continue;
      if (s.chunk) this.#settle(s.chunk.job, err);
      this.#slots[i] = null;
      stops.push(s.port.terminate());
    }
    await Promise.allSettled(stops);
  }

  /** @param {number} i */
  #start(i) {
    const port = this.#spawn();
    /** @type {Slot} */
    const slot = { port, chunk: null, id: this.#nextId++ };
    this.#slots[i] = slot;
    port.listen(
      (msg) => this.#onMessage(slot, msg),
      (err) => this.#onCrash(slot, err),
    );
    port.unref?.(); // after listening: adding a listener refs a Node worker's port again
    this.#module.then((module) => {
      if (this.#slots[i] === slot) port.post({ type: 'init', module });
    }, () => {});
  }

  #pump() {
    if (this.#closed || this.#broken) return;
    for (let i = 0; i < this.#slots.length && this.#queue.length; i++) {
      let slot = this.#slots[i];
      if (slot?.chunk) continue;
      const chunk = /** @type {Chunk} */ (this.#queue.shift());
      if (!slot) {
        this.#start(i);
        slot = /** @type {Slot} */ (this.#slots[i]);
      }
      this.#dispatch(slot, chunk);
    }
  }

  /**
   * @param {Slot} slot
   * @param {Chunk} chunk
   */
  #dispatch(slot, chunk) {
    slot.chunk = chunk;
    slot.port.ref?.();
    const { input } = chunk.job;
    const scalar = input.scalar.slice();
    if (chunk.kind === 'keys') {
      const off = input.keyOffsets;
      const base = off[chunk.start];
      const offsets = new Uint32Array(chunk.end - chunk.start + 1);
      for (let j = 0; j < offsets.length; j++) offsets[j] = off[chunk.start + j] - base;
      const keys = input.keys.slice(base, off[chunk.end]);
      slot.port.post({ type: 'keys', scalar, keys, offsets }, [scalar.buffer, keys.buffer, offsets.buffer]);
    } else {
      const points = input.points.slice(chunk.start * 32, chunk.end * 32);
      slot.port.post({ type: 'points', scalar, points, baseIndex: chunk.start }, [scalar.buffer, points.buffer]);
    }
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
    const chunk = slot.chunk;
    if (!chunk) return;
    slot.chunk = null;
    slot.port.unref?.();
    const job = chunk.job;
    if (!job.settled) {
      if (msg.type === 'error') {
        this.#cancel(job, toOverlapError({ name: 'OverlapError', code: msg.code, message: msg.message, index: msg.index }), false);
      } else {
        const n = chunk.end - chunk.start;
        const out = /** @type {Uint8Array} */ (msg.result);
        if (out.byteLength !== n * 32) {
          this.#cancel(job, new OverlapError('a worker returned a result of the wrong size', 'internal'), false);
        } else {
          (chunk.kind === 'keys' ? job.hashed : job.blinded).set(out, chunk.start * 32);
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
    if (slot.chunk) this.#cancel(slot.chunk.job, e, false);
    else if (!this.#queue.length && this.#slots.every((s) => s === null)) this.#fail(e);
    this.#pump();
  }

  /**
   * Fails the job: drops its queued chunks; when `terminate`, also stops the workers busy with it.
   * @param {JobState} job
   * @param {unknown} reason
   * @param {boolean} terminate
   */
  #cancel(job, reason, terminate) {
    if (job.settled) return;
    this.#settle(job, reason);
    this.#queue = this.#queue.filter((c) => c.job !== job);
    if (terminate) {
      for (let i = 0; i < this.#slots.length; i++) {
        const s = this.#slots[i];
        if (s?.chunk?.job === job) {
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
    this.#broken = err;
    for (const c of this.#queue) this.#settle(c.job, err);
    this.#queue = [];
    for (const s of this.#slots) if (s?.chunk) this.#settle(s.chunk.job, err);
  }

  /** @param {JobState} job */
  #finish(job) {
    if (job.settled) return;
    job.settled = true;
    job.unlisten?.();
    job.input.scalar.fill(0);
    job.resolve([job.hashed, job.blinded]);
  }

  /**
   * @param {JobState} job
   * @param {unknown} reason
   */
  #settle(job, reason) {
    if (job.settled) return;
    job.settled = true;
    job.unlisten?.();
    job.input.scalar.fill(0);
    job.reject(reason);
  }
}
