// The private protocol (ECDH-PSI over ristretto255, docs/PROTOCOL.md): one party's steps, their
// curve work run in one call here or in pieces on a pool, and the party kept as bytes between
// messages.
import * as raw from './overlap_wasm.js';
import { bytesOf, wrap } from './facade.js';
import { Report } from './report.js';

/** @import { Dataset } from './dataset.js' */
/** @import { Bytes, PartyOptions, PlanEntry, ReceivedPlan, Sharing, Step, StepOptions, StepOutcome } from './types.js' */

/**
 * @param {PartyOptions} [options]
 * @returns {object}
 */
function settingsOf(options) {
  const { sharing, fields, maxPartnerSet, minPopulation, maxPopulations } = options ?? {};
  return { sharing, fields, maxPartnerSet, minPopulation, maxPopulations };
}

/**
 * Runs a step's curve work (in pieces on the pool when given, else in one call here) and
 * completes it.
 * @param {raw.PendingStep} pending
 * @param {Dataset} dataset
 * @param {StepOptions} [options]
 * @returns {Promise<{party: Party, message: Uint8Array | undefined}>}
 */
async function runStep(pending, dataset, options = {}) {
  const { pool, signal, onProgress } = options;
  try {
    signal?.throwIfAborted();
    const total = pending.jobSize;
    /** @type {raw.Party} */
    let party;
    if (pool && total > 0) {
      const scalar = pending.scalar();
      let outputs;
      try {
        outputs = await pool.runPieces(pending, scalar, { signal, onProgress });
      } finally {
        scalar.fill(0);
      }
      party = wrap(() => pending.completePieces(dataset.raw, outputs));
    } else {
      onProgress?.({ done: 0, total });
      party = wrap(() => pending.run(dataset.raw));
      onProgress?.({ done: total, total });
    }
    return { party: new Party(party, dataset), message: party.takeMessage() };
  } finally {
    pending.free();
  }
}

/**
 * One side of the private protocol (ECDH-PSI over ristretto255, docs/PROTOCOL.md). Partner A
 * calls {@link Party.start}, partner B {@link Party.respond}; each message from the partner goes
 * to {@link Party#receive}, which returns the party after that step, the next message to send
 * (if any) and, once known, the report. Move the messages over any channel you like.
 *
 * ```js
 * const { party: a, message: offer } = await Party.start(mine, { sharing: 'overlaps' });
 * const { party: b, message: reply } = await Party.respond(theirs, offer);   // at B
 * const { message: confirm, report } = await a.receive(reply);              // A's result
 * const { report: bReport } = await b.receive(confirm);                     // B's result
 * ```
 * A party is immutable: each step returns a new one. Keep it between messages in memory, or as
 * bytes with {@link Party#toBytes} and {@link Party.restore}.
 */
export class Party {
  /**
   * @internal
   * @param {raw.Party} inner
   * @param {Dataset} dataset
   */
  constructor(inner, dataset) {
    /** @internal */
    this.raw = inner;
    /** The dataset this party was made from. @readonly @type {Dataset} */
    this.dataset = dataset;
  }

  /**
   * Partner A: starts a session and makes the offer.
   * @param {Dataset} dataset my export
   * @param {PartyOptions} [options] what I share, guards, and how to run the curve work
   * @returns {Promise<StepOutcome>} the party (awaiting the reply) and the offer to send to B
   * @throws {SettingsError} for unusable options
   */
  static async start(dataset, options = {}) {
    const pending = wrap(() => raw.startParty(dataset.raw, settingsOf(options)));
    return runStep(pending, dataset, options);
  }

  /**
   * Partner B: answers A's offer with the reply.
   * @param {Dataset} dataset my export
   * @param {Bytes} offer the offer A sent
   * @param {PartyOptions} [options] as for {@link Party.start}
   * @returns {Promise<StepOutcome>} the party (awaiting the confirm) and the reply to send to A
   * @throws {MessageError} when the offer is invalid
   * @throws {UnsafeError} when sharing counts and A's populations could single out accounts
   */
  static async respond(dataset, offer, options = {}) {
    const pending = wrap(() => raw.respondParty(dataset.raw, settingsOf(options), bytesOf(offer)));
    return runStep(pending, dataset, options);
  }

  /**
   * Restores a party saved with {@link Party#toBytes}.
   * @param {Bytes} bytes the saved state
   * @param {Dataset} dataset the export the session started from, read with the same options
   * @returns {Party}
   * @throws {StateError} when the bytes are not a saved party
   */
  static restore(bytes, dataset) {
    return new Party(wrap(() => raw.Party.fromBytes(bytesOf(bytes))), dataset);
  }

  /**
   * Takes the partner's next message and makes the next one.
   * @param {Bytes} message the partner's last message
   * @param {StepOptions} [options] how to run the curve work
   * @returns {Promise<StepOutcome & {report: Report | undefined}>}
   *   the party after the step, the next message for the partner (if any) and the report (once known)
   * @throws {MessageError} when the message is invalid, out of order or from another session
   * @throws {DatasetMismatchError} when this party's dataset is not the one the session started from
   */
  async receive(message, options = {}) {
    const pending = wrap(() => this.raw.receive(this.dataset.raw, bytesOf(message)));
    const { party, message: next } = await runStep(pending, this.dataset, options);
    return { party, message: next, report: party.report() };
  }

  /** Where the session is: `awaitReply`, `awaitConfirm`, `awaitFields` or `done`. @type {Step} */
  get step() {
    return /** @type {Step} */ (this.raw.step);
  }
  /** `starter` (A) or `responder` (B). @type {'starter' | 'responder'} */
  get role() {
    return /** @type {'starter' | 'responder'} */ (this.raw.role);
  }
  /** What this party shares. @type {Sharing} */
  get sharing() {
    return /** @type {Sharing} */ (this.raw.sharing);
  }
  /** The session id (hex; not secret). @type {string} */
  get session() {
    return this.raw.session;
  }
  /**
   * The session code both partners read to each other by phone (`1234 5678`): it differs when
   * someone else took part in the exchange. A has it once it took the reply, B once it took the
   * confirm; `undefined` before. @type {string | undefined}
   */
  get sessionCode() {
    return this.raw.sessionCode;
  }
  /**
   * Notes about the exchange so far, e.g. that the partner's list is tiny or its populations look
   * padded, or that fields were not sent. Numbers only, never a value. @type {string[]}
   */
  get notes() {
    return this.raw.notes;
  }
  /**
   * Whether {@link Party#toBytes} still holds secrets (the session's scalar, nonce, PRF outputs).
   * A finished session holds none: only its result. @type {boolean}
   */
  get holdsSecrets() {
    return this.raw.holdsSecrets;
  }
  /**
   * The state as bytes, to keep between messages (IndexedDB, a file). While the session runs they
   * hold its secrets (never a value from the data): keep them private. Once the session is
   * finished they hold only its result.
   * @returns {Uint8Array}
   */
  toBytes() {
    return wrap(() => this.raw.toBytes());
  }
  /**
   * The report once this party knows its result, else `undefined`.
   * @returns {Report | undefined}
   */
  report() {
    const r = wrap(() => this.raw.report(this.dataset.raw));
    return r ? new Report(r, this.dataset) : undefined;
  }

  /**
   * The joint plan as a message for the partner, once the session is done and both sides shared
   * at least overlaps. It names no account: each is referred to by its place in this session, and
   * the partner sees it under its own account names. Owners, next steps and notes travel as
   * written.
   * @param {PlanEntry[]} entries the plan (from {@link Report#suggestPlan}, edited)
   * @param {{status?: 'proposal' | 'accepted' | 'changes', revision?: number}} [options]
   * @returns {Uint8Array}
   * @throws {OverlapError} `plan` when the session is not done, a side shared counts only, or an
   *   entry is not an overlapping account
   */
  planMessage(entries, options = {}) {
    return wrap(() => this.raw.planMessage(this.dataset.raw, entries, options.status ?? 'proposal', options.revision ?? 1));
  }

  /**
   * The partner's plan on my rows: its entries with sides seen from me (its `us` is my
   * `partner`), and for each entry every row of mine for the account.
   * @param {Bytes} message the partner's plan message
   * @returns {ReceivedPlan}
   * @throws {MessageError} for another session, a malformed message, or an account that is not
   *   one of my overlaps
   */
  readPlan(message) {
    return wrap(() => this.raw.readPlan(this.dataset.raw, bytesOf(message)));
  }
}
