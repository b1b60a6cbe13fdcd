// Datasets: a CRM export read by the core's reader (from bytes, a stream or rows in memory), and
// the preview of a file's first bytes.
import * as raw from './overlap_wasm.js';
import { SettingsError } from './errors.js';
import { bytesOf, csvFor, wrap } from './facade.js';
import { need } from './loader.js';

/** @import { Bytes, ColumnValues, CsvOptions, DatasetOptions, DatasetSummary, Preview, RowInput, RowIssue, StreamProgress } from './types.js' */

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
    // The streaming reader, in chunks, whatever the size (one way in): for a 1M-row export
    // (125 MB) in Node, 4.5 s and 400 MB peak against 9.1 s and 520 MB in one call.
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
