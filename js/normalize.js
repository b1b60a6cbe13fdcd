// Normalization: the values overlap keys, as the core normalizes them (docs/NORMALIZATION.md).
import * as raw from './overlap_wasm.js';
import { NormalizeError, toOverlapError } from './errors.js';
import { need } from './loader.js';

/** @import { KeyKindName } from './types.js' */

/**
 * Calls a normalizer of the facade once `init()` is done; a refusal becomes a NormalizeError with
 * its code.
 * @template T
 * @param {() => T} fn
 * @returns {T}
 */
function normalizing(fn) {
  need();
  try {
    return fn();
  } catch (e) {
    throw /** @type {any} */ (e)?.name === 'OverlapError' ? new NormalizeError(/** @type {any} */ (e).message, /** @type {any} */ (e).code) : toOverlapError(e);
  }
}

/**
 * Normalizes one value the way overlap keys it (docs/NORMALIZATION.md).
 *
 * ```js
 * normalize('domain', 'HTTPS://WWW.Acme.com/about'); // 'acme.com'
 * normalize('email', 'jane@gmail.com');              // throws NormalizeError, code 'free_mail'
 * ```
 * @param {KeyKindName} kind
 * @param {string} value
 * @returns {string} the normalized value
 * @throws {NormalizeError} with `code` the refusal reason (`placeholder`, `free_mail`, …) or `unknown_kind`
 */
export function normalize(kind, value) {
  return normalizing(() => raw.normalize(kind, value));
}

/**
 * Normalizes many values of one kind in one call (one crossing into wasm, not one per value).
 * @param {KeyKindName} kind
 * @param {string[]} values
 * @returns {string[]} one result per value, `''` where refused
 * @throws {NormalizeError} `unknown_kind`
 */
export function normalizeBatch(kind, values) {
  return normalizing(() => raw.normalizeBatch(kind, values));
}

/**
 * The value of a `name:` key: canonical company name and ISO country code, `|`-joined.
 * @param {string} name a company name as written in the CRM
 * @param {string} [country] a country name or code, as written in the CRM
 * @returns {string}
 * @throws {NormalizeError} when nothing is left of the name
 */
export function nameKey(name, country) {
  return normalizing(() => raw.nameKey(name, country));
}

/**
 * The version of the normalization rules, stamped into every message: two partners need the same.
 * @returns {string}
 */
export function normalizationVersion() {
  need();
  return raw.normalizationVersion();
}
