// The package's API over the raw wasm-bindgen exports (overlap_wasm.js). Shared by the browser
// entry (index.js) and the Node entry (node.js), which differ only in how they load the .wasm.
//
// Memory: every object holding wasm memory is freed by the platform's FinalizationRegistry when
// it is garbage-collected; call `free()` only to release large datasets early.
import * as raw from './overlap_wasm.js';

let loader = null;
let ready = null;

/** @internal Called by the entry points with a loader for the wasm module. */
export function setLoader(load) {
  loader = load;
  ready = null;
}

/**
 * Loads and instantiates the WebAssembly module. Call (and await) once before anything else;
 * later calls return the same promise.
 * @param {{ wasm?: BufferSource | WebAssembly.Module | URL | string | Response }} [options]
 *   where to load the .wasm from; by default the file next to this module
 * @returns {Promise<void>}
 */
export function init(options = {}) {
  if (!ready) {
    ready = loader(options.wasm).catch((e) => {
      ready = null;
      throw e;
    });
  }
  return ready;
}

// ---- errors ----

/** Base class of every error overlap throws; `code` is stable, the message is for people. */
export class OverlapError extends Error {
  /** @param {string} message @param {string} code */
  constructor(message, code) {
    super(message);
    this.name = new.target.name;
    /** A stable machine-readable code, e.g. `ingest`, `message/truncated`, `settings`. */
    this.code = code;
  }
}
/** The CSV cannot be used (no key column, unreadable, …). */
export class IngestError extends OverlapError {}
/** The partner's message is invalid for this step (`code` is `message/<fault>`). */
export class MessageError extends OverlapError {}
/** Our own options or settings cannot be used. */
export class SettingsError extends OverlapError {}
/** The partner's populations could single out accounts while we share counts only. */
export class UnsafeError extends OverlapError {}
/** The dataset is not the one the session started from. */
export class DatasetMismatchError extends OverlapError {}
/** A saved session cannot be used, or is finished. */
export class StateError extends OverlapError {}
/** The quick-mode secret is unusable. */
export class SecretError extends OverlapError {}
/** `normalize()` refused a value; `code` is the refusal (e.g. `placeholder`, `free_mail`). */
export class NormalizeError extends OverlapError {}

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
];

/** @internal Converts an error thrown by the wasm module into an OverlapError subclass. */
export function toOverlapError(e) {
  if (e instanceof OverlapError) return e;
  if (e && e.name === 'OverlapError' && typeof e.code === 'string') {
    const base = e.code.split('/')[0];
    const Cls = classes.find(([c]) => c === base)?.[1] ?? OverlapError;
    return new Cls(e.message, e.code);
  }
  return e;
}

function wrap(fn) {
  try {
    return fn();
  } catch (e) {
    throw toOverlapError(e);
  }
}

// ---- normalization ----

/**
 * Normalizes one value the way overlap keys it (docs/NORMALIZATION.md).
 * @param {'domain'|'email'|'name'|'country'|'duns'|'linkedin'} kind
 * @param {string} value
 * @returns {string} the normalized value
 * @throws {NormalizeError} with `code` the refusal reason (`placeholder`, `free_mail`, …) or `unknown_kind`
 */
export function normalize(kind, value) {
  try {
    return raw.normalize(kind, value);
  } catch (e) {
    throw new NormalizeError(e.message, e.code);
  }
}

/**
 * Normalizes many values of one kind in one call.
 * @param {'domain'|'email'|'name'|'country'|'duns'|'linkedin'} kind
 * @param {string[]} values
 * @returns {string[]} one result per value, `''` where refused
 */
export function normalizeBatch(kind, values) {
  try {
    return raw.normalizeBatch(kind, values);
  } catch (e) {
    throw new NormalizeError(e.message, e.code);
  }
}

/**
 * The value of a `name:` key: canonical company name and ISO country code, `|`-joined.
 * @param {string} name
 * @param {string} [country]
 * @returns {string}
 */
export function nameKey(name, country) {
  try {
    return raw.nameKey(name, country);
  } catch (e) {
    throw new NormalizeError(e.message, e.code);
  }
}

/** The version of the normalization rules (stamped into every message). */
export function normalizationVersion() {
  return raw.normalizationVersion();
}

// ---- datasets ----

/**
 * A CRM export read into rows, keys and populations, held inside the wasm instance.
 */
export class Dataset {
  /** @internal */
  constructor(inner) {
    /** @internal */
    this.raw = inner;
  }

  /**
   * Reads a whole export from its bytes.
   * @param {Uint8Array} bytes the CSV file's bytes (any of the supported encodings)
   * @param {object} [options] reading options, e.g. `{ columns: { website: 'Website URL' } }`
   * @returns {Dataset}
   */
  static fromBytes(bytes, options = {}) {
    return new Dataset(wrap(() => new raw.Dataset(bytes, options)));
  }

  /**
   * Reads an export as a stream of byte chunks (e.g. `file.stream()`), never holding the file as
   * a string. Reports progress and stops on `signal`.
   * @param {ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>} stream
   * @param {object} [options] reading options (see `fromBytes`)
   * @param {{ onProgress?: (p: {bytes: number, rows: number}) => void, signal?: AbortSignal }} [control]
   * @returns {Promise<Dataset>}
   */
  static async fromStream(stream, options = {}, control = {}) {
    const { onProgress, signal } = control;
    const ingest = wrap(() => new raw.Ingest(options));
    try {
      const iterable = stream[Symbol.asyncIterator] ? stream : iterateStream(stream);
      for await (const chunk of iterable) {
        signal?.throwIfAborted();
        const p = wrap(() => ingest.feed(chunk));
        onProgress?.(p);
      }
      signal?.throwIfAborted();
      return new Dataset(wrap(() => ingest.finish()));
    } finally {
      ingest.free();
    }
  }

  /** Data rows in the file. */
  get rowCount() {
    return this.raw.rowCount;
  }
  /** Distinct keys (protocol elements). */
  get keyCount() {
    return this.raw.keyCount;
  }
  /** The header row. @returns {string[]} */
  get headers() {
    return this.raw.headers;
  }
  /**
   * Notices about rows: not used (no key, empty, unreadable, outside every population), folded
   * duplicates, warnings. Reasons name columns, never a cell's value.
   * @returns {{line: number, row: number, kind: string, reason: string}[]}
   */
  get issues() {
    return this.raw.issues;
  }
  /** The notices as CSV bytes (`line,kind,reason`). @returns {Uint8Array} */
  issuesCsv() {
    return this.raw.issuesCsv();
  }
  /**
   * What reading found: rows, usable and bad rows, duplicates folded, elements by kind, encoding,
   * delimiter, the columns used (with confidences) and the populations with their counts.
   */
  get summary() {
    return this.raw.summary;
  }
  /** Population names, in bit order. @returns {string[]} */
  get populations() {
    return this.raw.populations;
  }
  /**
   * The distinct values of a column with their row counts (to map values to populations).
   * @param {number} column 0-based
   * @returns {{column: number, header: string, values: {value: string, rows: number}[], more: number}}
   */
  columnValues(column) {
    return wrap(() => this.raw.columnValues(column));
  }
  /** The original cells of row `i`. @param {number} i @returns {string[]} */
  row(i) {
    return wrap(() => this.raw.row(i));
  }
  /** Releases the wasm memory now instead of at garbage collection. */
  free() {
    this.raw.free();
  }
}

async function* iterateStream(stream) {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * How a file would be read, from its first bytes (`previewBytes()` of them are enough): encoding,
 * delimiter, headers, first rows, the column mapping with confidences, candidate population
 * columns with their values, and the population rules that would apply.
 * @param {Uint8Array} firstBytes
 * @param {object} [options] reading options
 */
export function preview(firstBytes, options = {}) {
  return wrap(() => raw.preview(firstBytes, options));
}

/** How many first bytes `preview` looks at. */
export function previewBytes() {
  return raw.previewBytes();
}

// ---- the private protocol ----

function settingsOf(options) {
  const { sharing, fields, maxPartnerSet, minPopulation, maxPopulations } = options ?? {};
  return { sharing, fields, maxPartnerSet, minPopulation, maxPopulations };
}

async function runStep(pending, dataset, options = {}) {
  const { pool, signal, onProgress } = options;
  signal?.throwIfAborted();
  let result;
  if (pool && pending.jobSize > 0) {
    const [hashed, blinded] = await pool.runJob(
      {
        scalar: pending.scalar(),
        keys: pending.jobKeys(),
        keyOffsets: pending.jobKeyOffsets(),
        points: pending.jobPoints(),
      },
      { signal, onProgress },
    );
    result = wrap(() => pending.complete(dataset.raw, hashed, blinded));
  } else {
    result = wrap(() => pending.run(dataset.raw));
    onProgress?.({ done: 1, total: 1 });
  }
  return { party: new Party(result.takeParty(), dataset), message: result.message };
}

/**
 * One side of the private protocol (ECDH-PSI over ristretto255). Partner A calls
 * `Party.start`, partner B `Party.respond`; each incoming message goes to `receive`, which
 * returns the next message to send (if any) and, once known, the report.
 */
export class Party {
  /** @internal */
  constructor(inner, dataset) {
    /** @internal */
    this.raw = inner;
    /** The dataset this party was made from. */
    this.dataset = dataset;
  }

  /**
   * Partner A: starts a session.
   * @param {Dataset} dataset
   * @param {{sharing?: 'counts'|'overlaps'|'fields', fields?: string[], maxPartnerSet?: number,
   *   minPopulation?: number, maxPopulations?: number, pool?: object, signal?: AbortSignal,
   *   onProgress?: (p: {done: number, total: number}) => void}} [options]
   * @returns {Promise<{party: Party, message: Uint8Array}>} the offer to send to B
   */
  static async start(dataset, options = {}) {
    const pending = wrap(() => raw.startParty(dataset.raw, settingsOf(options)));
    return runStep(pending, dataset, options);
  }

  /**
   * Partner B: answers A's offer.
   * @param {Dataset} dataset
   * @param {Uint8Array} offer
   * @param {object} [options] as for `start`
   * @returns {Promise<{party: Party, message: Uint8Array}>} the reply to send to A
   */
  static async respond(dataset, offer, options = {}) {
    const pending = wrap(() => raw.respondParty(dataset.raw, settingsOf(options), offer));
    return runStep(pending, dataset, options);
  }

  /**
   * Restores a party saved with `toBytes()`; the dataset must be the one it started from.
   * @param {Uint8Array} bytes
   * @param {Dataset} dataset
   */
  static restore(bytes, dataset) {
    return new Party(wrap(() => raw.Party.fromBytes(bytes)), dataset);
  }

  /**
   * Takes the partner's next message.
   * @param {Uint8Array} message
   * @param {{pool?: object, signal?: AbortSignal, onProgress?: Function}} [options]
   * @returns {Promise<{party: Party, message?: Uint8Array, report?: Report}>}
   *   the party after the step, the next message for the partner (if any) and the report (once known)
   */
  async receive(message, options = {}) {
    const pending = wrap(() => this.raw.receive(this.dataset.raw, message));
    const { party, message: next } = await runStep(pending, this.dataset, options);
    return { party, message: next, report: party.report() };
  }

  /** `awaitReply`, `awaitConfirm`, `awaitFields` or `done`. */
  get step() {
    return this.raw.step;
  }
  /** `starter` (A) or `responder` (B). */
  get role() {
    return this.raw.role;
  }
  /** The session id (hex; not secret). */
  get session() {
    return this.raw.session;
  }
  /** The state as bytes: keep them between messages; they hold the session's secret scalar. */
  toBytes() {
    return this.raw.toBytes();
  }
  /** The report once known, else `undefined`. @returns {Report|undefined} */
  report() {
    const r = wrap(() => this.raw.report(this.dataset.raw));
    return r ? new Report(r, this.dataset) : undefined;
  }
}

const KINDS = ['domain', 'duns', 'linkedin', 'name'];

/**
 * One partner's result: the populations × populations matrix, my overlapping rows with the
 * partner's populations, what they matched on and how confident.
 */
export class Report {
  /** @internal */
  constructor(inner, dataset) {
    /** @internal */
    this.raw = inner;
    /** @internal */
    this.dataset = dataset;
    const s = inner.summary();
    /** My populations with their sizes (elements). @type {{name: string, size: number}[]} */
    this.myPopulations = s.myPopulations;
    /** The partner's populations with the sizes it announced. */
    this.partnerPopulations = s.partnerPopulations;
    /** `matrix[i][j]`: overlaps of my population i with the partner's population j. @type {number[][]} */
    this.matrix = s.matrix;
    /** What the cells count: `rows` (my rows) or `elements` (the partner shares counts only). */
    this.unit = s.unit;
    /** Rows in my file. */
    this.myRows = s.myRows;
    /** Distinct keys I sent. */
    this.myElements = s.myElements;
    /** Distinct keys the partner sent. */
    this.partnerSetSize = s.partnerSetSize;
    /** Distinct keys in the intersection. */
    this.matchedElements = s.matchedElements;
    /** My overlapping rows (0 when the partner shares counts only). */
    this.matchedRows = s.matchedRows;
    /** What I share and what the partner shares (private protocol). */
    this.mySharing = s.mySharing;
    this.partnerSharing = s.partnerSharing;
    /** Columns the partner shared for overlapping accounts. @type {string[]} */
    this.partnerFields = s.partnerFields;
    /** Things to know, e.g. an implausibly large partner set. @type {string[]} */
    this.warnings = s.warnings;
  }

  /**
   * My overlapping rows.
   * @returns {{row: number, cells: string[], partnerPopulations: string[], matchedOn: string[],
   *   confidence: 'high'|'possible', partnerValues: string[][]}[]}
   */
  rows() {
    const idx = this.raw.matchRows;
    const pops = this.raw.matchPopulations;
    const kinds = this.raw.matchKinds;
    const out = new Array(idx.length);
    for (let i = 0; i < idx.length; i++) {
      const matchedOn = KINDS.filter((_, b) => kinds[i] & (1 << b));
      out[i] = {
        row: idx[i],
        cells: this.dataset.row(idx[i]),
        partnerPopulations: this.partnerPopulations.filter((_, b) => pops[i] & (1 << b)).map((p) => p.name),
        matchedOn,
        confidence: matchedOn.some((k) => k !== 'name') ? 'high' : 'possible',
        partnerValues: this.partnerFields.length ? this.raw.partnerValues(i) : [],
      };
    }
    return out;
  }

  /** My overlapping rows as CSV bytes for the CRM (formula cells escaped). @returns {Uint8Array} */
  toCsv() {
    return this.raw.toCsv(this.dataset.raw);
  }
  /** The matrix as CSV bytes. @returns {Uint8Array} */
  matrixCsv() {
    return this.raw.matrixCsv();
  }
}

// ---- quick mode ----

/**
 * Quick mode: my list keyed under a secret shared with the partner. Weaker than the private
 * protocol: the partner holding the secret can test guessed domains against it.
 * @param {Dataset} dataset
 * @param {string} secret at least 8 characters, agreed out of band
 * @returns {Uint8Array} the message for the partner
 */
export function quickList(dataset, secret) {
  return wrap(() => raw.quickList(dataset.raw ?? dataset, secret));
}

/**
 * Quick mode: match my dataset against the partner's list.
 * @param {Dataset} dataset
 * @param {string} secret
 * @param {Uint8Array} partnerMessage
 * @returns {Report}
 */
export function quickMatch(dataset, secret, partnerMessage) {
  const ds = dataset instanceof Dataset ? dataset : new Dataset(dataset);
  return new Report(wrap(() => raw.quickMatch(ds.raw, secret, partnerMessage)), ds);
}
