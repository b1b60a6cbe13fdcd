// The package's API over the raw wasm-bindgen exports. Shared by the browser entry (index.js)
// and the Node entry (node.js), which differ only in how they load the .wasm file.
import * as raw from './overlap_wasm.js';

let ready = null;

/** @internal Called by the entry points with a loader for the wasm module. */
export function setLoader(load) {
  ready = null;
  loader = load;
}
let loader = null;

/**
 * Loads and instantiates the WebAssembly module. Call once before anything else; later calls
 * return the same promise.
 * @param {{ wasm?: BufferSource | WebAssembly.Module | URL | string | Response }} [options]
 *   Where to load the .wasm from; by default next to this file.
 * @returns {Promise<void>}
 */
export function init(options = {}) {
  if (!ready) ready = loader(options.wasm);
  return ready;
}

/** The version of the normalization rules (stamped into every message). */
export function normalizationVersion() {
  return raw.normalizationVersion();
}

/**
 * A CRM export read into rows, keys and populations, inside the wasm instance.
 */
export const Dataset = raw.Dataset;

/**
 * Quick mode: my list keyed under a secret shared with the partner. Weaker than the private
 * protocol: the partner holding the secret can test guessed domains against it.
 * @param {raw.Dataset} dataset
 * @param {string} secret at least 8 characters, agreed out of band
 * @returns {Uint8Array} the message for the partner
 */
export function quickList(dataset, secret) {
  return raw.quickList(dataset, secret);
}

/**
 * Quick mode: match my dataset against the partner's list.
 * @param {raw.Dataset} dataset
 * @param {string} secret
 * @param {Uint8Array} partnerMessage
 * @returns {raw.Report}
 */
export function quickMatch(dataset, secret, partnerMessage) {
  return raw.quickMatch(dataset, secret, partnerMessage);
}
