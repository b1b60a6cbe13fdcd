// The errors overlap throws: one class per kind of fault, each with a stable `code`.
/**
 * Base class of every error overlap throws. `code` is stable and machine-readable; `message` is
 * for people and never quotes a value from either partner's data.
 *
 * Codes: `init`, `not_initialized`, `ingest`, `options`, `settings`, `message/<fault>` (see
 * docs/PROTOCOL.md §3, e.g. `message/truncated`, `message/invalid_point`), `unsafe`, `dataset`,
 * `state`, `finished`, `secret/<reason>`, `memory`, `randomness`, `range`, `worker`, `closed`, `internal`, and the refusal codes of
 * {@link normalize} (`placeholder`, `free_mail`, …).
 */
export class OverlapError extends Error {
  /**
   * @param {string} message for people
   * @param {string} code stable, machine-readable
   * @param {{cause?: unknown, index?: number, weaknesses?: string[]}} [details]
   */
  constructor(message, code, details = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    /** A stable machine-readable code, e.g. `ingest`, `message/truncated`, `settings`. @readonly */
    this.code = code;
    /**
     * For faults about one element of a partner's message (`message/invalid_point`,
     * `message/duplicate_element`): its 0-based index in the list.
     * @type {number | undefined}
     */
    this.index = details.index;
  }
}
/** The CSV (or rows) cannot be used: no key column, unreadable, a column override that names no header. */
export class IngestError extends OverlapError {}
/** The partner's message is invalid for this step; `code` is `message/<fault>`, e.g. `message/out_of_order`. */
export class MessageError extends OverlapError {}
/** Our own options or protocol settings cannot be used (`options`, `settings`). */
export class SettingsError extends OverlapError {}
/** The partner's populations could single out accounts while we share counts only (`unsafe`). */
export class UnsafeError extends OverlapError {}
/** The dataset is not the one the session started from (`dataset`). */
export class DatasetMismatchError extends OverlapError {}
/** A saved session cannot be used, or is finished (`state`, `finished`). */
export class StateError extends OverlapError {}
/**
 * The quick-mode secret is refused: `secret/too_short`, `secret/too_long`, `secret/weak` (then
 * `weaknesses` lists why, e.g. `['common_password', 'year']`). Never quotes the secret.
 */
export class SecretError extends OverlapError {
  /**
   * @param {string} message
   * @param {string} code
   * @param {{cause?: unknown, index?: number, weaknesses?: string[]}} [details]
   */
  constructor(message, code, details = {}) {
    super(message, code, details);
    /** For `secret/weak`: the kinds of weakness found. @type {string[] | undefined} */
    this.weaknesses = details.weaknesses;
  }
}
/** `normalize()` refused a value; `code` is the refusal (e.g. `placeholder`, `free_mail`, `unknown_kind`). */
export class NormalizeError extends OverlapError {}
/** The worker pool failed or was closed (`worker`, `closed`). */
export class PoolError extends OverlapError {}

/** @type {[string, typeof OverlapError][]} */
const classes = [
  ['ingest', IngestError],
  ['message', MessageError],
  ['settings', SettingsError],
  ['options', SettingsError],
  ['unsafe', UnsafeError],
  ['dataset', DatasetMismatchError],
  ['state', StateError],
  ['finished', StateError],
  ['secret', SecretError],
  ['worker', PoolError],
  ['closed', PoolError],
];

/**
 * @internal Converts an error thrown by the wasm module (or reported by a pool worker) into the
 * matching OverlapError subclass; anything else is returned as it is.
 * @param {any} e
 * @returns {any}
 */
export function toOverlapError(e) {
  if (e instanceof OverlapError) return e;
  if (e && e.name === 'OverlapError' && typeof e.code === 'string') {
    const base = e.code.split('/')[0];
    const Cls = classes.find(([c]) => c === base)?.[1] ?? OverlapError;
    return new Cls(e.message, e.code, {
      index: typeof e.index === 'number' ? e.index : undefined,
      weaknesses: Array.isArray(e.weaknesses) ? [...e.weaknesses] : undefined,
    });
  }
  if (e instanceof WebAssembly.RuntimeError) {
    return new OverlapError('internal error in the WebAssembly module; reload it before going on', 'internal', { cause: e });
  }
  return e;
}

