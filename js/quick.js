// Quick mode (keyed hashes under a secret both partners typed, docs/PROTOCOL.md §6): the ordered
// exchange and the secret's checks. Weaker than the private protocol: label it so.
import * as raw from './overlap_wasm.js';
import { bytesOf, text, wrap } from './facade.js';
import { Report } from './report.js';

/** @import { Dataset } from './dataset.js' */
/** @import { Bytes, SecretCheck } from './types.js' */

/**
 * How strong a typed secret is, by overlap's small, transparent estimate (docs/PROTOCOL.md §6):
 * what quick mode accepts, and why not. Never quotes the secret.
 *
 * ```js
 * checkSecret('Summer2024!!'); // { ok: false, bits: 29, minBits: 50, minLength: 12,
 *                              //   weaknesses: ['common_password', 'year'], code: 'secret/weak', message: '…' }
 * ```
 * @param {string} secret
 * @returns {SecretCheck}
 */
export function checkSecret(secret) {
  return wrap(() => raw.checkSecret(text(secret, 'the secret')));
}

/**
 * A strong secret to read to the partner: six short words drawn with the platform's CSPRNG
 * (≈ 62 bits), e.g. `'tulip-smog-crisp-oxide-ruby-gauze'`.
 * @returns {string}
 */
export function suggestSecret() {
  return wrap(() => raw.suggestSecret());
}

/**
 * Quick mode, first partner: starts a session (a fresh random id) and makes my list for it,
 * keyed under the shared secret: Argon2id between the secret and the keys, then HMAC-SHA256 per
 * key. Send `message` to the partner; keep `session` (32 hex characters, not secret) for
 * {@link quickFinish}. Much faster than the private protocol but weaker: the partner holding the
 * secret can test guessed domains against the list. Label it so; never make it the default.
 *
 * Blocks for about half a second (the key derivation, 64 MiB): in a page, call it from a worker.
 * @param {Dataset} dataset
 * @param {string} secret at least 12 characters and not easy to guess ({@link checkSecret}),
 *   agreed out of band
 * @returns {{message: Uint8Array, session: string}}
 * @throws {SecretError} `secret/too_short`, `secret/weak` (with `weaknesses`), `secret/too_long`
 */
export function quickStart(dataset, secret) {
  return wrap(() => raw.quickStart(dataset.raw, text(secret, 'the secret')));
}

/**
 * Quick mode, second partner: checks the first partner's list (another secret is refused by
 * name before anything else is read), makes my list for its session and matches at once. Send
 * `message` back to the first partner.
 *
 * Blocks for about half a second (the key derivation): in a page, call it from a worker.
 * @param {Dataset} dataset
 * @param {string} secret the same secret the partner used
 * @param {Bytes} firstList the partner's list from {@link quickStart}
 * @returns {{message: Uint8Array, report: Report}}
 * @throws {MessageError} `message/wrong_secret`, `message/altered` (changed after it was made),
 *   `message/wrong_role` (an answer, not a first list), or any strict-parsing fault
 * @throws {SecretError} as {@link quickStart}
 */
export function quickAnswer(dataset, secret, firstList) {
  const r = wrap(() => raw.quickAnswer(dataset.raw, text(secret, 'the secret'), bytesOf(firstList)));
  return { message: r.message, report: new Report(r.report, dataset) };
}

/**
 * Quick mode, first partner: matches the partner's answer to the session I started.
 *
 * Blocks for about half a second (the key derivation): in a page, call it from a worker.
 * @param {Dataset} dataset the same export (and reading options) as for {@link quickStart}
 * @param {string} secret
 * @param {string} session what {@link quickStart} returned
 * @param {Bytes} secondList the partner's list from {@link quickAnswer}
 * @returns {Report}
 * @throws {MessageError} `message/other_session` (an answer to another session, e.g. an old
 *   list), `message/wrong_role` (my own list sent back), `message/wrong_secret`,
 *   `message/altered`, or any strict-parsing fault
 * @throws {SecretError} as {@link quickStart}
 */
export function quickFinish(dataset, secret, session, secondList) {
  return new Report(wrap(() => raw.quickFinish(dataset.raw, text(secret, 'the secret'), text(session, 'the session'), bytesOf(secondList))), dataset);
}
