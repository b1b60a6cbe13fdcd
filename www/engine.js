// The engine: a module worker that holds the analyst's dataset, the protocol party and the report,
// and does all the work (reading the CSV, blinding, matching). The page only renders.
//
// Protocol with the page (engine-client.js):
//   page → engine  { id, op, args }          run an operation
//                  { cancel: id }            abort it (between chunks of work)
//   engine → page  { id, progress }          { phase: 'read'|'blind', done, total, rows? }
//                  { id, result }            the operation's answer
//                  { id, error }             { name, code, message } — never a cell value
// Nothing here logs: no cell value, key, scalar or state ever reaches the console.
import * as overlap from './pkg/index.js';

const { init, Dataset, Party, preview, previewBytes, quickStart, quickAnswer, quickFinish, checkSecret, suggestSecret } = overlap;

// ---- the curve work ----

/** The package's worker pool (`createPool`: one worker per core, each with its own wasm instance). */
let pool = null;
let poolBroken = false;
/**
 * The package's pool without workers (`size: 0`: the pieces run here, one task each, so progress
 * is posted and a cancel is seen between them): for when the workers cannot run (e.g. offline
 * after a cancel, when the replacement workers' scripts cannot be fetched). Small pieces, so a
 * cancel is seen soon.
 */
let inThread = null;

function startPool() {
  try {
    const size = Math.max(1, Math.min(navigator.hardwareConcurrency || 2, 8));
    pool = overlap.createPool({ size });
  } catch {
    pool = null;
  }
}

/**
 * Runs one protocol step (`fn(options)` calls Party.start/respond/receive with `{pool}`) on the
 * pool, or on this thread when the pool's workers cannot run.
 */
async function withRunner(fn, signal, onProgress) {
  const usePool = pool && !poolBroken;
  inThread ??= overlap.createPool({ size: 0, chunkSize: 512 });
  try {
    return await fn({ pool: usePool ? pool : inThread, signal, onProgress });
  } catch (e) {
    if (usePool && !signal?.aborted && /** @type {any} */ (e)?.name === 'PoolError') {
      poolBroken = true;
      return fn({ pool: inThread, signal, onProgress });
    }
    throw e;
  }
}

// ---- state ----

/** The dataset read, with what the page needs to know about it. */
let current = null; // { dataset, options, headers }
let party = null;
let report = null; // { raw: Report, rows: Row[], view, viewKey, index: row → position }

function free(x) {
  try {
    x?.free?.();
  } catch {}
}

function dropSession() {
  party = null;
  report = null;
}

// ---- the report, for the page ----

function summarize(r) {
  const rep = {
    myPopulations: r.myPopulations,
    partnerPopulations: r.partnerPopulations,
    matrix: r.matrix,
    unit: r.unit,
    myRows: r.myRows,
    myElements: r.myElements,
    partnerSetSize: r.partnerSetSize,
    matchedElements: r.matchedElements,
    matchedRows: r.matchedRows,
    mySharing: r.mySharing ?? null,
    partnerSharing: r.partnerSharing ?? null,
    partnerFields: r.partnerFields,
    warnings: r.warnings,
    sessionCode: r.sessionCode ?? null,
    headers: current.headers,
  };
  return rep;
}

/**
 * Builds the table behind the report once: the report's rows (the core's populations, kinds,
 * confidence and partner cells) with their display texts, in the CSV export's columns.
 */
function buildReport(r) {
  const { headers } = current;
  const rows = r.rows().map((x) => {
    const cells = x.cells.slice(0, headers.length);
    while (cells.length < headers.length) cells.push('');
    return {
      row: x.row,
      texts: [...cells, x.partnerPopulations.join(';'), x.matchedOn.join(';'), x.confidence, ...x.partnerCells],
      confidence: x.confidence,
      shape: '',
      hay: null,
    };
  });
  const count = (c) => rows.filter((x) => x.confidence === c).length;
  report = { raw: r, rows, view: null, viewKey: '', index: null };
  const shapes = setShapes([]);
  // A cell of the matrix lists its rows when the matrix counts rows (the partner shares overlaps).
  return { ...summarize(r), cellFilter: r.unit === 'rows', confidence: { high: count('high'), likely: count('likely'), possible: count('possible') }, ...shapes };
}

// ---- the co-selling plan (docs/CO-SELLING.md; the page's Plan step is plan.js) ----

const SHAPE_WORDS = { 'joint-pursuit': 'Joint pursuit', 'customer-expansion': 'Customer expansion', 'source-to-source': 'Source to source', 'shared-customer': 'Shared customer', 'shared-target': 'Shared target', unclassified: 'Unclassified' };

/**
 * Ranks the report's rows under the rule-table edits `rules`: each table row gets its shape (the
 * last text, the results' "Co-selling shape" column); returns the shape counts and the table.
 */
function setShapes(rules, today) {
  const ranked = report.raw.rank({ rules, today });
  const byRow = new Map(ranked.map((x) => [x.row, x]));
  const shapeCounts = {};
  for (const x of report.rows) {
    const k = byRow.get(x.row);
    x.shape = k?.shape ?? '';
    x.texts[x.texts.length - (x.shaped ? 1 : 0)] = k ? SHAPE_WORDS[k.shape] + ((k.shape === 'customer-expansion' || k.shape === 'source-to-source') && k.lead !== 'both' ? (k.lead === 'us' ? ', we lead' : ', partner leads') : '') : '';
    x.shaped = true;
    x.hay = null;
    if (x.shape) shapeCounts[x.shape] = (shapeCounts[x.shape] ?? 0) + 1;
  }
  report.viewKey = '';
  report.ranked = ranked;
  return { shapeCounts, shapeCells: overlap.shapeRules(rules) };
}

/**
 * My accounts' names and websites, for the plan: row → {name, website}, from the report's rows
 * the engine already holds (their texts begin with the row's cells), not one call per row.
 */
function labeler() {
  const m = current.dataset.summary.mapping;
  const col = (f) => m.find((x) => x.field === f)?.column ?? -1;
  const [n, w, d] = [col('name'), col('website'), col('domain')];
  const texts = new Map((report?.rows ?? []).map((x) => [x.row, x.texts]));
  return (row) => {
    const cells = texts.get(row) ?? current.dataset.row(row);
    return { name: cells[n] ?? '', website: cells[w] || cells[d] || '' };
  };
}

const planOps = {
  rank({ rules = [], today, likely = false, size }) {
    if (!report) throw Object.assign(new Error('there is no report yet'), { code: 'internal' });
    const shapes = setShapes(rules, today);
    const label = labeler();
    const ranked = report.ranked.map((x) => ({ ...x, ...label(x.row) }));
    const suggested = report.raw.suggestPlan({ rules, today, likely, size });
    return { ranked, suggested, standardCells: overlap.shapeRules([]), ...shapes };
  },
  planWarnings({ n }) {
    return overlap.planWarnings(n);
  },
  planCsv({ entries, rules = [], today, for: flavour = 'excel' }) {
    if (!report) throw Object.assign(new Error('there is no report yet'), { code: 'internal' });
    return report.raw.planCsv(entries, { rules, today, for: flavour });
  },
  planMessage({ entries, status, revision }) {
    return needParty().planMessage(entries, { status, revision });
  },
  readPlan({ message }) {
    const got = needParty().readPlan(message);
    const label = labeler();
    return { ...got, labels: got.entries.map((e) => label(e.row)) };
  },
};

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/**
 * What the page asks of the table.
 * @typedef {object} TableQuery
 * @property {string} [search] words every row shown holds (in any column)
 * @property {[number, number] | null} [cell] a cell of the matrix: my population, the partner's
 * @property {'' | 'high' | 'likely' | 'possible'} [confidence]
 * @property {string} [shape] a co-selling shape (`joint-pursuit`, …)
 * @property {{column: number, dir: 'asc' | 'desc'} | null} [sort]
 * @property {number} [offset]
 * @property {number} [limit]
 */

/**
 * One page of the table: filtered by search, cell and confidence, sorted, sliced.
 * @param {TableQuery} q
 */
function query({ search = '', cell = null, confidence = '', shape = '', sort = null, offset = 0, limit = 100 }) {
  if (!report) return { total: 0, offset: 0, rows: [] };
  const key = JSON.stringify([search, cell, confidence, shape, sort]);
  if (report.viewKey !== key) {
    const words = search.toLowerCase().split(/\s+/).filter(Boolean);
    const inCell = cell ? new Set(report.raw.cellRows(cell[0], cell[1])) : null;
    let view = report.rows.filter((x) => {
      if (confidence && x.confidence !== confidence) return false;
      if (shape && x.shape !== shape) return false;
      if (inCell && !inCell.has(x.row)) return false;
      if (words.length) {
        x.hay ??= x.texts.join('\u0001').toLowerCase();
        if (!words.every((w) => x.hay.includes(w))) return false;
      }
      return true;
    });
    if (sort && sort.column >= 0) {
      const c = sort.column;
      const dir = sort.dir === 'desc' ? -1 : 1;
      view = view.slice().sort((p, q) => dir * collator.compare(p.texts[c] ?? '', q.texts[c] ?? '') || p.row - q.row);
    }
    report.view = view;
    report.viewKey = key;
  }
  const total = report.view.length;
  const start = Math.max(0, Math.min(offset, Math.max(0, total - 1)));
  return {
    total,
    offset: start,
    rows: report.view.slice(start, start + limit).map((x) => ({ row: x.row, texts: x.texts })),
  };
}

/**
 * The header record (with any byte-order mark) and the data records `picks` (0-based, in that
 * order) of CSV bytes, cut at the line ends outside quotes: the report's records are its rows in
 * order, one record each, so the bytes of a record are copied as the core wrote them.
 * @param {Uint8Array} bytes
 * @param {number[]} picks
 */
function selectRecords(bytes, picks) {
  /** @type {number[]} record starts; the last entry is the end */
  const starts = [0];
  let quoted = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x22) quoted = !quoted;
    else if (b === 0x0a && !quoted && i + 1 < bytes.length) starts.push(i + 1);
  }
  starts.push(bytes.length);
  const record = (k) => bytes.subarray(starts[k], starts[k + 1]);
  const parts = [record(0), ...picks.map((k) => record(k + 1))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// ---- operations ----

function stepInfo(p, message) {
  return {
    session: p.session,
    role: p.role,
    step: p.step,
    state: p.toBytes(),
    message: message ?? null,
  };
}

function needDataset() {
  if (!current) throw Object.assign(new Error('no export is loaded'), { code: 'internal' });
  return current.dataset;
}

function needParty() {
  if (!party) throw Object.assign(new Error('no session is open'), { code: 'internal' });
  return party;
}

const ops = {
  async hello() {
    await init();
    startPool();
    if (pool?.ready) {
      try {
        await pool.ready;
      } catch {
        poolBroken = true;
      }
    }
    return { normalization: overlap.normalizationVersion(), workers: pool && !poolBroken ? pool.size : 1 };
  },

  async preview({ file, options }) {
    await init();
    const bytes = new Uint8Array(await file.slice(0, previewBytes()).arrayBuffer());
    return preview(bytes, options);
  },

  async load({ file, options }, { signal, progress }) {
    await init();
    if (current) {
      free(current.dataset);
      current = null;
    }
    dropSession();
    const total = file.size;
    let last = 0;
    const dataset = await Dataset.fromStream(file.stream(), { ...options, sizeHint: file.size }, {
      signal,
      total,
      onProgress(p) {
        const now = performance.now();
        if (now - last < 50) return;
        last = now;
        progress({ phase: 'read', done: p.bytes ?? p.done, total, rows: p.rows });
      },
    });
    const head = new Uint8Array(await file.slice(0, previewBytes()).arrayBuffer());
    const rules = preview(head, options).rules;
    const headers = dataset.headers;
    current = { dataset, options, headers };
    const summary = dataset.summary;
    const issues = dataset.issues;
    const byKind = {};
    for (const i of issues) byKind[i.kind] = (byKind[i.kind] ?? 0) + 1;
    const popCol = summary.mapping.find((m) => m.field === 'population');
    return {
      summary,
      headers,
      rowCount: dataset.rowCount,
      keyCount: dataset.keyCount,
      populations: dataset.populations,
      rules,
      issues: issues.slice(0, 200),
      issueCount: issues.length,
      issuesByKind: byKind,
      populationValues: popCol ? dataset.columnValues(popCol.column) : null,
    };
  },

  columnValues({ column }) {
    return needDataset().columnValues(column);
  },

  issuesCsv() {
    return needDataset().issuesCsv();
  },

  async start({ settings }, { signal, progress }) {
    const ds = needDataset();
    dropSession();
    const onProgress = (p) => progress({ phase: 'blind', ...p });
    const r = await withRunner((o) => Party.start(ds, { ...settings, ...o }), signal, onProgress);
    party = r.party;
    return stepInfo(party, r.message);
  },

  async respond({ settings, offer }, { signal, progress }) {
    const ds = needDataset();
    dropSession();
    const onProgress = (p) => progress({ phase: 'blind', ...p });
    const r = await withRunner((o) => Party.respond(ds, offer, { ...settings, ...o }), signal, onProgress);
    party = r.party;
    return stepInfo(party, r.message);
  },

  restore({ state }) {
    const ds = needDataset();
    dropSession();
    const p = Party.restore(state, ds);
    const rep = p.report();
    party = p;
    return { ...stepInfo(p), report: rep ? buildReport(rep) : null };
  },

  async receive({ message }, { signal, progress }) {
    const p = needParty();
    const onProgress = (x) => progress({ phase: 'blind', ...x });
    const r = await withRunner((o) => p.receive(message, o), signal, onProgress);
    party = r.party;
    return { ...stepInfo(party, r.message), report: r.report ? buildReport(r.report) : null };
  },

  // Quick mode: each call derives the session's key (Argon2id, ~0.5 s) from the secret, which
  // lives here only for the call.
  checkSecret({ secret }) {
    return checkSecret(secret);
  },

  suggestSecret() {
    return { secret: suggestSecret() };
  },

  quickStart({ secret }) {
    return quickStart(needDataset(), secret);
  },

  quickAnswer({ secret, message }) {
    const ds = needDataset();
    dropSession();
    const r = quickAnswer(ds, secret, message);
    return { message: r.message, report: buildReport(r.report) };
  },

  quickFinish({ secret, session, message }) {
    const ds = needDataset();
    dropSession();
    return { report: buildReport(quickFinish(ds, secret, session, message)) };
  },

  query(q) {
    return query(q);
  },

  /**
   * The overlapping rows as CSV (`for`: 'excel', the default, or 'crm'): all of them, or with
   * `view` the rows the table shows for that query (its filters and its order).
   * @param {{view?: TableQuery, for?: 'excel' | 'crm'}} [args]
   */
  reportCsv({ view, for: flavour } = {}) {
    if (!report) throw Object.assign(new Error('there is no report yet'), { code: 'internal' });
    const bytes = report.raw.toCsv(flavour ? { for: flavour } : undefined);
    if (!view) return { bytes, rows: report.rows.length };
    query(view);
    const at = (report.index ??= new Map(report.rows.map((x, k) => [x.row, k])));
    return { bytes: selectRecords(bytes, report.view.map((x) => at.get(x.row))), rows: report.view.length };
  },

  /** @param {{for?: 'excel' | 'crm'}} [args] */
  matrixCsv({ for: flavour } = {}) {
    if (!report) throw Object.assign(new Error('there is no report yet'), { code: 'internal' });
    return report.raw.matrixCsv(flavour ? { for: flavour } : undefined);
  },

  ...planOps,

  unload() {
    dropSession();
    if (current) free(current.dataset);
    current = null;
    return true;
  },
};

// ---- messages ----

const running = new Map();

function transferables(x, out = []) {
  if (x instanceof Uint8Array) out.push(x.buffer);
  else if (x && typeof x === 'object' && !(x instanceof Blob)) for (const v of Object.values(x)) transferables(v, out);
  return out;
}

function errorOf(e) {
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError') return { name: 'AbortError', code: 'cancelled', message: 'cancelled' };
  return {
    name: e?.name ?? 'Error',
    code: typeof e?.code === 'string' ? e.code : 'internal',
    message: typeof e?.message === 'string' ? e.message : 'the engine failed',
  };
}

// Operations run one at a time, in order: each sees the state the previous one left.
let queue = Promise.resolve();

self.onmessage = (ev) => {
  const msg = ev.data;
  if (msg.cancel !== undefined) {
    running.get(msg.cancel)?.abort();
    return;
  }
  const { id, op, args } = msg;
  const ctl = new AbortController();
  running.set(id, ctl);
  queue = queue.then(async () => {
    try {
      if (!ops[op]) throw Object.assign(new Error(`unknown operation ${op}`), { code: 'internal' });
      ctl.signal.throwIfAborted();
      const progress = (p) => self.postMessage({ id, progress: p });
      const result = await ops[op](args ?? {}, { signal: ctl.signal, progress });
      self.postMessage({ id, result }, { transfer: transferables(result) });
    } catch (e) {
      self.postMessage({ id, error: errorOf(ctl.signal.aborted ? ctl.signal.reason : e) });
    } finally {
      running.delete(id);
    }
  });
};
