// The package's API over the raw wasm-bindgen exports (overlap_wasm.js). Shared by the browser
// entry (index.js) and the Node entry (node.js), which differ only in how they find and compile
// the .wasm and how the pool starts its workers.
//
// Memory: every object holding wasm memory is freed by the platform's FinalizationRegistry when
// it is garbage-collected; call `free()` only to release a large dataset early.
// Privacy: nothing here logs, and no error message quotes a key, a scalar or a cell value.
import * as raw from './overlap_wasm.js';
import {
  DatasetMismatchError,
  IngestError,
  MessageError,
  NormalizeError,
  OverlapError,
  SecretError,
  SettingsError,
  StateError,
  UnsafeError,
  toOverlapError,
} from './errors.js';
import { need } from './loader.js';

export {
  DatasetMismatchError,
  IngestError,
  MessageError,
  NormalizeError,
  OverlapError,
  PoolError,
  SecretError,
  SettingsError,
  StateError,
  UnsafeError,
} from './errors.js';

/**
 * @template T
 * @param {() => T} fn
 * @returns {T}
 */
function wrap(fn) {
  need();
  try {
    return fn();
  } catch (e) {
    throw toOverlapError(e);
  }
}

/** @param {any} e */
function normalizeError(e) {
  return e && e.name === 'OverlapError' ? new NormalizeError(e.message, e.code) : toOverlapError(e);
}

/**
 * The CSV flavour for the facade: `undefined` (Excel) or the name, checked.
 * @param {CsvOptions | undefined} options
 * @returns {string | undefined}
 */
function csvFor(options) {
  const f = options?.for;
  if (f === undefined) return undefined;
  if (f !== 'excel' && f !== 'crm') throw new SettingsError("options.for must be 'excel' or 'crm'", 'options');
  return f;
}

/**
 * @param {Bytes} b
 * @returns {Uint8Array}
 */
function bytesOf(b) {
  if (b instanceof Uint8Array) return b;
  if (ArrayBuffer.isView(b)) return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  if (b instanceof ArrayBuffer) return new Uint8Array(b);
  throw new TypeError('expected a Uint8Array, ArrayBuffer or typed array');
}

// ---- normalization ----

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
  need();
  try {
    return raw.normalize(kind, value);
  } catch (e) {
    throw normalizeError(e);
  }
}

/**
 * Normalizes many values of one kind in one call (one crossing into wasm, not one per value).
 * @param {KeyKindName} kind
 * @param {string[]} values
 * @returns {string[]} one result per value, `''` where refused
 * @throws {NormalizeError} `unknown_kind`
 */
export function normalizeBatch(kind, values) {
  need();
  try {
    return raw.normalizeBatch(kind, values);
  } catch (e) {
    throw normalizeError(e);
  }
}

/**
 * The value of a `name:` key: canonical company name and ISO country code, `|`-joined.
 * @param {string} name a company name as written in the CRM
 * @param {string} [country] a country name or code, as written in the CRM
 * @returns {string}
 * @throws {NormalizeError} when nothing is left of the name
 */
export function nameKey(name, country) {
  need();
  try {
    return raw.nameKey(name, country);
  } catch (e) {
    throw normalizeError(e);
  }
}

/**
 * The version of the normalization rules, stamped into every message: two partners need the same.
 * @returns {string}
 */
export function normalizationVersion() {
  need();
  return raw.normalizationVersion();
}

// ---- datasets ----

/**
 * Serialises rows as RFC 4180 CSV (CRLF line ends, quotes only where needed). Deterministic:
 * the same rows always give the same bytes, so a session restored later binds to them again.
 * @param {string[]} headers
 * @param {RowInput[]} rows
 * @returns {Uint8Array}
 */
function rowsToCsv(headers, rows) {
  if (!Array.isArray(headers) || headers.length === 0) throw new SettingsError('fromRows: headers must be a non-empty array of column names', 'options');
  /** @param {unknown} v */
  const cell = (v) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const parts = [headers.map(cell).join(',')];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (Array.isArray(r)) {
      parts.push(r.map(cell).join(','));
    } else if (r && typeof r === 'object') {
      const o = /** @type {Record<string, unknown>} */ (r);
      parts.push(headers.map((h) => cell(o[h])).join(','));
    } else {
      throw new SettingsError(`fromRows: row ${i} is neither an array nor an object`, 'options');
    }
  }
  return new TextEncoder().encode(parts.join('\r\n') + '\r\n');
}

/** Bytes per call into the streaming reader. */
const FEED_CHUNK = 1 << 20;

/**
 * @param {unknown} source
 * @returns {source is ReadableStream<Uint8Array>}
 */
function isReadableStream(source) {
  return typeof (/** @type {any} */ (source)?.getReader) === 'function';
}

/**
 * A CRM export read into rows, their typed keys and populations. It lives inside the wasm
 * instance; nothing of it leaves the instance except what the protocol sends.
 */
export class Dataset {
  /**
   * @internal
   * @param {raw.Dataset} inner
   */
  constructor(inner) {
    /** @internal */
    this.raw = inner;
  }

  /**
   * Reads a whole export from its bytes (any of the supported encodings).
   *
   * ```js
   * const ds = Dataset.fromBytes(new Uint8Array(await file.arrayBuffer()));
   * ```
   * @param {Bytes} bytes the CSV file's bytes
   * @param {DatasetOptions} [options] reading options, e.g. `{ columns: { website: 'Website URL' } }`
   * @returns {Dataset}
   * @throws {IngestError} when the file cannot be used at all (rows that give no key are listed in `issues` instead)
   */
  static fromBytes(bytes, options = {}) {
    const all = bytesOf(bytes);
    if (all.byteLength <= FEED_CHUNK) return new Dataset(wrap(() => new raw.Dataset(all, options)));
    // A large file goes through the streaming reader in chunks, giving the same dataset: for a
    // 1M-row export (125 MB) in Node, 4.5 s and 400 MB peak against 9.1 s and 520 MB in one call.
    const ingest = wrap(() => new raw.Ingest(options.sizeHint === undefined ? { ...options, sizeHint: all.byteLength } : options));
    try {
      for (let at = 0; at < all.byteLength; at += FEED_CHUNK) wrap(() => ingest.feed(all.subarray(at, at + FEED_CHUNK)));
      return new Dataset(wrap(() => ingest.finish()));
    } finally {
      ingest.free();
    }
  }

  /**
   * Reads rows your code already holds (from a CRM API, a database, a spreadsheet library).
   * The rows are serialised to CSV and read by the same reader as a file, so column detection,
   * keys and a restored session's dataset check behave exactly as for an export.
   *
   * ```js
   * const ds = Dataset.fromRows(['Account Name', 'Website'], [
   *   ['Acme', 'https://acme.com'],
   *   { 'Account Name': 'Beta', Website: 'beta.io' },
   * ]);
   * ```
   * @param {string[]} headers column names, as a CRM export's header row
   * @param {RowInput[]} rows each an array of cells in header order, or an object keyed by header
   *   (missing, `null` and `undefined` cells are empty; other values are `String()`-ed)
   * @param {DatasetOptions} [options]
   * @returns {Dataset}
   * @throws {IngestError}
   * @throws {SettingsError} `options` when `headers` or a row has the wrong shape
   */
  static fromRows(headers, rows, options = {}) {
    need();
    return Dataset.fromBytes(rowsToCsv(headers, rows), options);
  }

  /**
   * Reads an export as a stream of byte chunks, never holding the file as a string: a
   * `File`/`Blob`, a `ReadableStream` (`file.stream()`, a `fetch` body) or any async iterable of
   * `Uint8Array` chunks (a Node `fs.createReadStream`).
   *
   * ```js
   * const ds = await Dataset.fromStream(file, {}, { onProgress: ({ done, total }) => bar.value = done / total });
   * ```
   * @param {Blob | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>} source
   * @param {DatasetOptions} [options]
   * @param {{onProgress?: (p: StreamProgress) => void, signal?: AbortSignal, total?: number}} [control]
   *   `onProgress` after each chunk (bytes and rows so far; `total` bytes when known: a Blob's
   *   size, or as given); `signal` stops reading
   * @returns {Promise<Dataset>}
   * @throws {IngestError}
   */
  static async fromStream(source, options = {}, control = {}) {
    need();
    const { onProgress, signal } = control;
    let total = control.total;
    if (typeof Blob !== 'undefined' && source instanceof Blob) {
      total ??= source.size;
      source = source.stream();
    }
    signal?.throwIfAborted();
    const opts = total !== undefined && options.sizeHint === undefined ? { ...options, sizeHint: total } : options;
    const ingest = wrap(() => new raw.Ingest(opts));
    /** @type {ReadableStreamDefaultReader<Uint8Array> | undefined} */
    let reader;
    const cancel = () => reader?.cancel(signal?.reason).catch(() => {});
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      /** @type {AsyncIterable<Uint8Array>} */
      let chunks;
      if (isReadableStream(source)) {
        const r = (reader = source.getReader());
        chunks = (async function* () {
          for (;;) {
            const { done, value } = await r.read();
            if (done) return;
            yield value;
          }
        })();
      } else {
        chunks = /** @type {AsyncIterable<Uint8Array>} */ (source);
      }
      for await (const chunk of chunks) {
        signal?.throwIfAborted();
        const p = wrap(() => ingest.feed(bytesOf(chunk)));
        onProgress?.({ done: p.bytes, total, bytes: p.bytes, rows: p.rows });
      }
      signal?.throwIfAborted();
      return new Dataset(wrap(() => ingest.finish()));
    } finally {
      signal?.removeEventListener('abort', cancel);
      reader?.releaseLock();
      ingest.free();
    }
  }

  /** Data rows in the file. @type {number} */
  get rowCount() {
    return this.raw.rowCount;
  }
  /** Distinct keys: the elements this dataset sends in the protocol. @type {number} */
  get keyCount() {
    return this.raw.keyCount;
  }
  /** The header row. @type {string[]} */
  get headers() {
    return this.raw.headers;
  }
  /**
   * Notices about rows: not used (no key, empty, unreadable, outside every population), folded
   * duplicates, warnings. Reasons name columns, never a cell's value.
   * @type {RowIssue[]}
   */
  get issues() {
    return this.raw.issues;
  }
  /**
   * The notices as CSV bytes (`line,kind,reason`), to hand back to whoever exported the file.
   * @param {CsvOptions} [options] `{ for: 'crm' }` for a CRM import; default: for Excel
   * @returns {Uint8Array}
   * @throws {SettingsError} for an unknown `for`
   */
  issuesCsv(options) {
    return wrap(() => this.raw.issuesCsv(csvFor(options)));
  }
  /**
   * What reading found: rows, usable and bad rows, duplicates folded, elements by kind, encoding,
   * delimiter, the columns used (with confidences) and the populations with their counts.
   * @type {DatasetSummary}
   */
  get summary() {
    return this.raw.summary;
  }
  /** Population names, in bit order. @type {string[]} */
  get populations() {
    return this.raw.populations;
  }
  /**
   * The distinct values of a column with their row counts, most frequent first (to map values
   * to populations).
   * @param {number} column 0-based
   * @returns {ColumnValues}
   * @throws {OverlapError} `range` when there is no such column
   */
  columnValues(column) {
    return wrap(() => this.raw.columnValues(column));
  }
  /**
   * The 1-based line of the file where row `i` starts.
   * @param {number} i 0-based data row
   * @returns {number}
   * @throws {OverlapError} `range` when there is no such row
   */
  rowLine(i) {
    return wrap(() => this.raw.rowLine(i));
  }
  /**
   * The original cells of row `i` (0-based, data rows only).
   * @param {number} i
   * @returns {string[]}
   * @throws {OverlapError} `range` when there is no such row
   */
  row(i) {
    return wrap(() => this.raw.row(i));
  }
  /** Releases the wasm memory now instead of when the dataset is garbage-collected. */
  free() {
    this.raw.free();
  }
}

/**
 * How a file would be read, from its first bytes ({@link previewBytes} of them are enough):
 * encoding, delimiter, headers, first rows, the column mapping with confidences, candidate
 * population columns with their values, and the population rules that would apply. Show it to
 * the user before reading the whole file; pass their corrections as `options`.
 *
 * ```js
 * const p = preview(new Uint8Array(await file.slice(0, previewBytes()).arrayBuffer()));
 * p.mapping; // [{ field: 'website', header: 'Website', confidence: 1, … }, …]
 * ```
 * @param {Bytes} firstBytes the file's first bytes
 * @param {DatasetOptions} [options]
 * @returns {Preview}
 * @throws {IngestError}
 */
export function preview(firstBytes, options = {}) {
  return wrap(() => raw.preview(bytesOf(firstBytes), options));
}

/**
 * How many first bytes {@link preview} looks at.
 * @returns {number}
 */
export function previewBytes() {
  need();
  return raw.previewBytes();
}

// ---- the private protocol ----

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
  /** @type {raw.StepResult | undefined} */
  let result;
  try {
    signal?.throwIfAborted();
    const total = pending.jobSize;
    if (pool && total > 0) {
      const scalar = pending.scalar();
      let outputs;
      try {
        outputs = await pool.runPieces(pending, scalar, { signal, onProgress });
      } finally {
        scalar.fill(0);
      }
      result = wrap(() => pending.completePieces(dataset.raw, outputs));
    } else {
      onProgress?.({ done: 0, total });
      result = wrap(() => pending.run(dataset.raw));
      onProgress?.({ done: total, total });
    }
    const party = new Party(wrap(() => /** @type {raw.StepResult} */ (result).takeParty()), dataset);
    return { party, message: result.message };
  } finally {
    result?.free();
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
}

/**
 * One partner's result: the populations × populations matrix, my overlapping rows with the
 * partner's populations, what they matched on and how confident, and a CSV export for the CRM.
 */
export class Report {
  /**
   * @internal
   * @param {raw.Report} inner
   * @param {Dataset} dataset
   */
  constructor(inner, dataset) {
    /** @internal */
    this.raw = inner;
    /** @internal */
    this.dataset = dataset;
    const s = inner.summary();
    /** My populations with their sizes (elements). @readonly @type {Population[]} */
    this.myPopulations = s.myPopulations;
    /** The partner's populations with the sizes it announced. @readonly @type {Population[]} */
    this.partnerPopulations = s.partnerPopulations;
    /** `matrix[i][j]`: overlaps of my population `i` with the partner's population `j`. @readonly @type {number[][]} */
    this.matrix = s.matrix;
    /** What the matrix cells count: `rows` (my rows) or `elements` (the partner shares counts only). @readonly @type {'rows' | 'elements'} */
    this.unit = s.unit;
    /** Rows in my file. @readonly @type {number} */
    this.myRows = s.myRows;
    /** Distinct keys I sent. @readonly @type {number} */
    this.myElements = s.myElements;
    /** Distinct keys the partner sent. @readonly @type {number} */
    this.partnerSetSize = s.partnerSetSize;
    /** Distinct keys in the intersection. @readonly @type {number} */
    this.matchedElements = s.matchedElements;
    /** My overlapping rows (0 when the partner shares counts only). @readonly @type {number} */
    this.matchedRows = s.matchedRows;
    /** What I share (private protocol; absent in quick mode). @readonly @type {Sharing | undefined} */
    this.mySharing = s.mySharing;
    /** What the partner shares (private protocol; absent in quick mode). @readonly @type {Sharing | undefined} */
    this.partnerSharing = s.partnerSharing;
    /** Columns the partner shared for overlapping accounts. @readonly @type {string[]} */
    this.partnerFields = s.partnerFields;
    /** Things to know, e.g. an implausibly large partner set. @readonly @type {string[]} */
    this.warnings = s.warnings;
    /** The session code to compare with the partner by phone (private protocol). @readonly @type {string | undefined} */
    this.sessionCode = s.sessionCode;
  }

  /**
   * My overlapping rows (none when the partner shares counts only): each row's cells, my and
   * the partner's populations, what it matched on, how confident that is, and the partner's
   * shared values (fields level). Read in one call.
   * @returns {ReportRow[]}
   */
  rows() {
    return wrap(() => this.raw.rows(this.dataset.raw));
  }

  /**
   * The rows of my file that cell `matrix[mine][partner]` counts: my population `mine` × the
   * partner's population `partner` (none when the partner shares counts only).
   * @param {number} mine index into {@link Report#myPopulations}
   * @param {number} partner index into {@link Report#partnerPopulations}
   * @returns {number[]} 0-based data rows, as in {@link ReportRow}'s `row`
   * @throws {OverlapError} `range` when the matrix has no such cell
   */
  cellRows(mine, partner) {
    return Array.from(wrap(() => this.raw.cellRows(mine, partner)));
  }

  /**
   * My overlapping rows as CSV bytes: my columns plus the partner's populations, what matched,
   * the confidence and the partner's shared columns. By default for Excel (UTF-8 with a BOM; every
   * cell that starts like a formula, `=` `+` `-` `@` also after spaces or full-width, prefixed
   * with `'`); `{ for: 'crm' }` for a CRM import (no BOM; phone numbers and signed numbers such as
   * `+46 70 123 45 67` or `-12.5` left as they are, formulas still prefixed).
   * @param {CsvOptions} [options]
   * @returns {Uint8Array}
   * @throws {SettingsError} for an unknown `for`
   */
  toCsv(options) {
    return wrap(() => this.raw.toCsv(this.dataset.raw, csvFor(options)));
  }
  /**
   * The matrix as CSV bytes: my populations as rows, the partner's as columns (population names
   * guarded as in {@link Report#toCsv}).
   * @param {CsvOptions} [options]
   * @returns {Uint8Array}
   * @throws {SettingsError} for an unknown `for`
   */
  matrixCsv(options) {
    return wrap(() => this.raw.matrixCsv(csvFor(options)));
  }
}

// ---- quick mode ----

/**
 * @param {unknown} v
 * @param {string} what
 * @returns {string}
 */
function text(v, what) {
  if (typeof v !== 'string') throw new SettingsError(`${what} must be a string`, 'options');
  return v;
}

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

// ---- types ----

/**
 * Where to load the `.wasm` from: a compiled module, its bytes, a URL, or a `fetch` response.
 * @typedef {WebAssembly.Module | Bytes | URL | string | Response | Promise<Response>} WasmSource
 */
/**
 * Options of `init()`.
 * @typedef {object} InitOptions
 * @property {WasmSource} [wasm] where to load the `.wasm` from; by default the file next to this
 *   module (bundlers emit it as an asset; Node reads it from disk)
 */
/** Bytes in any of the usual wrappers. @typedef {ArrayBuffer | ArrayBufferView} Bytes */
/**
 * What {@link checkSecret} says of a typed secret.
 * @typedef {object} SecretCheck
 * @property {boolean} ok whether quick mode accepts it
 * @property {number} bits estimated strength, rounded down
 * @property {number} minBits the least accepted (50)
 * @property {number} minLength the fewest characters accepted (12)
 * @property {SecretWeakness[]} weaknesses what the estimate found
 * @property {string} [code] when refused: `secret/too_short`, `secret/too_long`, `secret/weak`
 * @property {string} [message] when refused: why, for people
 */
/** A kind of weakness in a typed secret. @typedef {'common_password' | 'few_words' | 'keyboard_run' | 'sequence' | 'repeat' | 'year' | 'few_kinds'} SecretWeakness */
/** The kinds of value overlap normalizes. @typedef {'domain' | 'email' | 'name' | 'country' | 'duns' | 'linkedin'} KeyKindName */
/** What a partner shares: the matrix only, also which rows overlap, also chosen columns. @typedef {'counts' | 'overlaps' | 'fields'} Sharing */
/** Where a session is: the message a party waits for next, or `done`. @typedef {'awaitReply' | 'awaitConfirm' | 'awaitFields' | 'done'} Step */
/**
 * How to read an export. Every setting has a default that suits a plain CRM export.
 * @typedef {object} DatasetOptions
 * @property {',' | ';' | '\t' | '|' | 'comma' | 'semicolon' | 'tab' | 'pipe'} [delimiter] default: sniffed
 * @property {'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252'} [encoding] default: detected
 * @property {boolean} [header] whether the first row is a header; default: yes, unless it looks like data
 * @property {Partial<Record<FieldName, string | string[]>>} [columns] header names (or `#N`, 1-based)
 *   to use instead of the detected columns, e.g. `{ website: 'Website URL', email: ['E1', 'E2'] }`;
 *   an empty name turns a field off
 * @property {PopulationRule[]} [populations] rules putting rows in populations; default: Customers,
 *   Open Opportunities, Prospects and Other from the type/stage column
 * @property {'paired' | 'always' | 'fallback' | 'never'} [nameKeys] when a row gets a `name:` key
 *   (company name and country); default `paired`: every named row, but two names match only when
 *   one of the two rows has no other key; `fallback`: only rows without another key
 * @property {number} [maxRows] refuse files with more rows (default 50,000,000)
 * @property {number} [maxBytes] refuse larger files (default 4 GiB)
 * @property {number} [sizeHint] the file's size in bytes, if known, to size tables once
 */
/** A column overlap can use. @typedef {'website' | 'domain' | 'email' | 'name' | 'country' | 'duns' | 'linkedin' | 'population'} FieldName */
/**
 * A population rule: rows whose `column` holds one of `values`, or every row (`all`), or the rows
 * no earlier rule took (`rest`). `role` says what the population means in your CRM (default:
 * guessed from the name).
 * @typedef {({name: string, column: string, values: string[]} | {name: string, all: true} | {name: string, rest: true}) & {role?: PopulationRole}} PopulationRule
 */
/** What a population means in its owner's CRM. @typedef {'customer' | 'opportunity' | 'prospect' | 'other'} PopulationRole */
/**
 * A column chosen for a field.
 * @typedef {object} ColumnChoice
 * @property {FieldName} field
 * @property {number} column 0-based
 * @property {string} header
 * @property {number} confidence 0 to 1
 * @property {'override' | 'header' | 'values' | 'header and values'} basis why it was chosen
 */
/**
 * The distinct values of a column with their row counts.
 * @typedef {object} ColumnValues
 * @property {number} column 0-based
 * @property {string} header
 * @property {{value: string, rows: number}[]} values most frequent first
 * @property {number} more distinct values left out
 */
/**
 * What {@link preview} shows of a file.
 * @typedef {object} Preview
 * @property {string} encoding
 * @property {string} delimiter
 * @property {boolean} hasHeader
 * @property {string[]} headers
 * @property {string[][]} rows the first rows' cells
 * @property {ColumnChoice[]} mapping
 * @property {string[]} notes about the mapping
 * @property {ColumnValues[]} populationColumns columns that could define populations
 * @property {PopulationRule[]} rules the population rules that would apply
 */
/**
 * What reading a file found.
 * @typedef {object} DatasetSummary
 * @property {number} rows
 * @property {number} usableRows rows that give at least one key
 * @property {number} badRows
 * @property {number} outsidePopulations rows in no population
 * @property {number} duplicatesFolded
 * @property {number} warnings
 * @property {number} elements distinct keys
 * @property {Record<'domain' | 'duns' | 'linkedin' | 'name', number>} elementsByKind
 * @property {string} encoding
 * @property {string} delimiter
 * @property {number} replacedCharacters bytes that were not valid text
 * @property {ColumnChoice[]} mapping
 * @property {string[]} notes
 * @property {'paired' | 'always' | 'fallback' | 'never'} nameKeys
 * @property {{name: string, rows: number, elements: number}[]} populations
 */
/**
 * How a CSV export is written.
 * @typedef {object} CsvOptions
 * @property {'excel' | 'crm'} [for] `excel` (default): UTF-8 with a byte-order mark, every cell
 *   that a spreadsheet could run as a formula prefixed with `'`; `crm`: for a CRM import, no
 *   byte-order mark, and cells that are entirely a phone number or a signed number left as they
 *   are (formulas still prefixed). The exact rule is in the README.
 */
/** A row for `Dataset.fromRows`: cells in header order, or an object keyed by header. @typedef {unknown[] | Record<string, unknown>} RowInput */
/**
 * A notice about a row.
 * @typedef {object} RowIssue
 * @property {number} line 1-based line in the file where the row starts
 * @property {number} row 0-based data row
 * @property {'no_key' | 'empty' | 'unreadable' | 'outside_populations' | 'duplicate' | 'warning'} kind
 * @property {string} reason why (names columns, never quotes a cell)
 */
/**
 * How far a long operation is.
 * @typedef {object} Progress
 * @property {number} done units done (curve operations for protocol steps, bytes for streams)
 * @property {number | undefined} total units in all, when known
 */
/**
 * How far reading a stream is: `done` and `bytes` are the bytes read so far.
 * @typedef {Progress & {bytes: number, rows: number}} StreamProgress
 */
/**
 * How to run a step's curve work.
 * @typedef {object} StepOptions
 * @property {import('./pool.js').Pool} [pool] a worker pool (`createPool()`; `createPool({ size: 0 })`
 *   runs the pieces on this thread, one task each); without one the work runs on this thread in
 *   one call (blocking it: use a pool or a worker for large lists in a page)
 * @property {AbortSignal} [signal] cancels the step (between pieces with a pool, else only before it)
 * @property {(p: Progress) => void} [onProgress] called as the curve work advances
 */
/**
 * What I share, the guards against a dishonest partner, and how to run the curve work.
 * @typedef {StepOptions & {
 *   sharing?: Sharing,
 *   fields?: string[],
 *   maxPartnerSet?: number,
 *   minPopulation?: number,
 *   maxPopulations?: number,
 * }} PartyOptions
 *   `sharing` (default `counts`, the most private): `counts` (the matrix only), `overlaps` (which of the partner's
 *   rows overlap, with my populations), `fields` (also the `fields` columns of overlapping rows).
 *   `maxPartnerSet` (default 5,000,000): refuse larger partner sets. Sharing counts:
 *   `maxPopulations` (default 8) populations at most, `minPopulation` (default 5) elements at least
 *   in each of the partner's populations.
 */
/**
 * What a protocol step gives.
 * @typedef {object} StepOutcome
 * @property {Party} party the party after this step
 * @property {Uint8Array | undefined} message the message to send to the partner (none after the last step)
 */
/**
 * A population (Customers, Open Opportunities, …), its size and its role.
 * @typedef {object} Population
 * @property {string} name
 * @property {number} size elements in the population
 * @property {PopulationRole} role what it means in its owner's CRM
 */
/**
 * One of my overlapping rows.
 * @typedef {object} ReportRow
 * @property {number} row 0-based data row in my file
 * @property {string[]} cells the row's original cells
 * @property {string[]} myPopulations my populations the row is in
 * @property {string[]} partnerPopulations the partner's populations the account is in
 * @property {KeyKindName[]} matchedOn the kinds of keys that matched
 * @property {'high' | 'possible'} confidence `high` when a domain or an identifier matched, `possible` when only a name did
 * @property {string[][]} partnerValues the partner's shared columns, one array per partner row (fields level)
 * @property {string[]} partnerCells the partner's shared columns as {@link Report#toCsv} writes them: one
 *   cell per name in `partnerFields`, the values of the partner's rows joined with ` | `
 */
/**
 * Curve work given as bytes, for `Pool#runJob`: hash-and-blind `keys`, blind `points`.
 * @typedef {object} Job
 * @property {Uint8Array} scalar the step's secret scalar (32 bytes; kept in memory only)
 * @property {Uint8Array} keys encoded keys, concatenated
 * @property {Uint32Array} keyOffsets `n + 1` offsets into `keys`
 * @property {Uint8Array} points 32-byte points, concatenated
 */

