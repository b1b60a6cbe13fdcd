// Calling the wasm facade (overlap_wasm.js) from the package's modules: the init check, the
// facade's errors as the package's classes, byte views, and the checks of small option values
// the facade takes as plain strings. Internal: nothing here is exported from the package.
import { SettingsError, toOverlapError } from './errors.js';
import { need } from './loader.js';

/** @import { Bytes, CsvOptions } from './types.js' */

/**
 * Calls into the facade once `init()` is done; its errors become the package's classes.
 * @template T
 * @param {() => T} fn
 * @returns {T}
 */
export function wrap(fn) {
  need();
  try {
    return fn();
  } catch (e) {
    throw toOverlapError(e);
  }
}

/**
 * The CSV flavour for the facade: `undefined` (Excel) or the name, checked.
 * @param {CsvOptions | undefined} options
 * @returns {string | undefined}
 */
export function csvFor(options) {
  const f = options?.for;
  if (f === undefined) return undefined;
  if (f !== 'excel' && f !== 'crm') throw new SettingsError("options.for must be 'excel' or 'crm'", 'options');
  return f;
}

/**
 * A view of the bytes in any of the usual wrappers, without copying them.
 * @param {Bytes} b
 * @returns {Uint8Array}
 */
export function bytesOf(b) {
  if (b instanceof Uint8Array) return b;
  if (ArrayBuffer.isView(b)) return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  if (b instanceof ArrayBuffer) return new Uint8Array(b);
  throw new TypeError('expected a Uint8Array, ArrayBuffer or typed array');
}

/**
 * `v` when it is a string, else a SettingsError naming `what`.
 * @param {unknown} v
 * @param {string} what
 * @returns {string}
 */
export function text(v, what) {
  if (typeof v !== 'string') throw new SettingsError(`${what} must be a string`, 'options');
  return v;
}
