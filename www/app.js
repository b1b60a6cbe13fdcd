// The analyst's page: state, steps and actions. All work happens in the engine worker
// (engine.js); this thread renders. Nothing here logs or sends anything.
import { Engine } from './engine-client.js';
import * as store from './store.js';
import { peek, messageName, quickName, MESSAGE_ACCEPT } from './wire.js';
import { $, $$, h, num, download, announce, stem, dropZone, callout } from './dom.js';
import { privacyPanel, addEngineRequests } from './privacy.js';
import { explain } from './errors.js';
import { renderColumns, populationRules } from './columns.js';
import { renderExchange } from './exchange.js';
import { renderResults, resetResultsView } from './results.js';
import { renderStart } from './start.js';
import { renderSharing, validateSharing, chooseSharingLevel } from './sharing.js';
import { renderPlan, syncPlan, receivePlan, resetPlan, wirePlan } from './plan.js';

const STEPS = ['start', 'columns', 'sharing', 'exchange', 'results', 'plan'];
const TITLES = { start: 'Start', columns: 'Columns and populations', sharing: 'Sharing', exchange: 'Exchange', results: 'Results', plan: 'Plan' };
const DEFAULT_SETTINGS = { sharing: 'counts', fields: [], maxPartnerSet: 5_000_000, minPopulation: 5, maxPopulations: 8 };

/** @import { Problem } from './errors.js' */
/** @import { MessageInfo } from './wire.js' */

/** A file as the page holds it: its name and bytes. @typedef {{name: string, bytes: Uint8Array}} NamedBytes */
/**
 * A message of the session, as the exchange lists it.
 * @typedef {{n: number | null, kind: string | null, dir: 'in' | 'out', name: string, size: number, at: number}} MessageRecord
 */
/**
 * The session under way, as saved in IndexedDB (store.js): never the secret of quick mode.
 * @typedef {object} Session
 * @property {string} id
 * @property {object} options the reading options, fixed once the session started
 * @property {string} session the session id (hex)
 * @property {string} step where the exchange is (the party's step, or `awaitAnswer`/`done` in quick mode)
 * @property {Uint8Array | null} state the party's state bytes (none in quick mode)
 * @property {NamedBytes & {kind: string, downloaded?: boolean}} outgoing the last message for the partner
 * @property {MessageRecord[]} messages
 * @property {any} partner what the partner announced (its sharing, fields, populations)
 * @property {number} createdAt
 * @property {boolean} saved
 * @property {boolean} [resumed]
 * @property {any} [plan] the joint account plan (plan.js)
 */
/**
 * A new mapping's state (`initialState()`).
 * @typedef {object} MappingState
 * @property {'A' | 'B'} role
 * @property {'private' | 'quick'} method
 * @property {File | null} file the export
 * @property {any} preview what the engine's preview said of the export's first bytes
 * @property {any} loaded what reading the whole export gave (summary, headers, issues, rules)
 * @property {unknown} loadError
 * @property {{columns: Record<string, string | undefined>, nameKeys?: string}} reading the analyst's column choices
 * @property {any} popEdit the population editor's model (columns.js)
 * @property {any} report the engine's report summary
 * @property {{sharing: string, fields: string[], maxPartnerSet: number, minPopulation: number, maxPopulations: number, cosell?: boolean}} settings
 * @property {(NamedBytes & {info: MessageInfo}) | null} offer the partner's first message (B)
 * @property {Problem | null} offerError
 * @property {Session | null} session
 * @property {Problem | null} exchangeError
 * @property {{kind: string, title: string, body?: string, detail?: string} | null} notice
 * @property {Problem | null} sharingError
 * @property {boolean} sharingConfirmed
 * @property {{secret: string, check: any, show: boolean, answer: NamedBytes | null, pending: NamedBytes | null}} quick
 *   quick mode: the secret as typed (this tab only), the engine's check of it, the answer made (B),
 *   the partner's answer waiting for the secret (A)
 */

/**
 * What a newly chosen export starts with: nothing read yet, the reader's defaults, no results.
 * @returns {Pick<MappingState, 'file' | 'preview' | 'loaded' | 'loadError' | 'reading' | 'popEdit' | 'report'>}
 */
function fileState() {
  return { file: null, preview: null, loaded: null, loadError: null, reading: { columns: {} }, popEdit: null, report: null };
}

/**
 * A new mapping: partner A, the private protocol, no export, the default settings.
 * @returns {MappingState}
 */
function initialState() {
  return {
    role: 'A',
    method: 'private',
    ...fileState(),
    settings: { ...DEFAULT_SETTINGS, fields: [] },
    offer: null,
    offerError: null,
    session: null,
    exchangeError: null,
    notice: null,
    sharingError: null,
    sharingConfirmed: false,
    quick: { secret: '', check: null, show: false, answer: null, pending: null },
  };
}

/**
 * Everything the page shows: the page's own state, then the mapping's.
 * `routed`: a partner's later file dropped on the start page, and the saved session it belongs to
 * (shown at the top of Start whatever the role chosen).
 * @type {MappingState & {step: string, engineReady: boolean, busy: boolean, saved: any[], storeOk: boolean, routed: Problem | null}}
 */
export const S = { step: 'start', engineReady: false, busy: false, saved: [], storeOk: true, routed: /** @type {Problem | null} */ (null), ...initialState() };

/** Back to a new mapping (the saved sessions stay). */
function fresh() {
  Object.assign(S, initialState());
  resetResultsView();
  resetPlan();
}

// ---- the engine ----

let engineDataset = null; // key of the dataset the engine holds
let engineParty = null; // the state bytes the engine's party corresponds to
let fileToken = 0;

export const engine = new Engine(new URL('./engine.js', import.meta.url), {
  onReset() {
    engineDataset = null;
    engineParty = null;
  },
});

function setEngineStatus(kind, text) {
  const el = $('#engine-status');
  el.dataset.state = kind;
  $('.text', el).textContent = text;
}

let readyText = 'Ready';
engine.ready.then(
  (info) => {
    S.engineReady = true;
    readyText = `Ready · runs in this browser${info.workers > 1 ? ` on ${info.workers} threads` : ''}`;
    if (!S.busy) setEngineStatus('ready', readyText);
    document.documentElement.dataset.engine = 'ready';
    engine.run('network').then(addEngineRequests, () => {});
    render();
  },
  (e) => {
    setEngineStatus('error', 'This browser cannot run the engine');
    S.notice = { kind: 'error', title: 'This browser cannot run overlap', body: 'It needs WebAssembly and module workers (a current Chrome, Edge, Firefox or Safari).', detail: e?.message };
    render();
  },
);

// ---- busy: progress and cancel ----

/** @type {{promise: Promise<any>, cancel: () => void} | null} */
let busyCall = null;
let busySettled = Promise.resolve();
let lastAnnounced = -1;

function showProgress(label, p, subject) {
  const bar = $('#busy-bar');
  const detail = $('#busy-detail');
  if (p && p.total > 0) {
    const f = Math.min(1, (p.done ?? 0) / p.total);
    bar.value = f;
    const pc = Math.floor(f * 100);
    if (p.phase === 'read') detail.textContent = `${pc}% · ${num(p.rows ?? 0)} rows read`;
    else detail.textContent = `${pc}% · ${num(p.done)} of ${num(p.total)} entries`;
    const milestone = Math.floor(pc / 25);
    if (milestone !== lastAnnounced && pc < 100) {
      lastAnnounced = milestone;
      announce(`${label}: ${pc}%`);
    }
  } else {
    bar.removeAttribute('value');
    detail.textContent = subject ?? '';
  }
}

/**
 * Runs an engine operation with the progress bar and the cancel button. One at a time: a second
 * call with `replace` cancels the first (e.g. re-reading with new column choices).
 * @param {string} label what the bar says is happening
 * @param {string} op the engine's operation
 * @param {object} args
 * @param {{replace?: boolean, subject?: string}} [options] `subject`: said while there is no progress to show
 */
async function runBusy(label, op, args, { replace = false, subject } = {}) {
  if (S.busy) {
    if (!replace) throw Object.assign(new Error('busy'), { code: 'busy' });
    busyCall?.cancel();
    await busySettled;
  }
  S.busy = true;
  document.body.classList.add('is-busy');
  setEngineStatus('busy', `Working: ${label}…`);
  lastAnnounced = -1;
  $('#busy-label').textContent = `${label}…`;
  showProgress(label, null, subject);
  $('#busy').hidden = false;
  $('#busy-cancel').disabled = false;
  announce(`${label}…`);
  render();
  const call = engine.call(op, args, { onProgress: (p) => showProgress(label, p) });
  busyCall = call;
  /** @type {() => void} */
  let release = () => {};
  busySettled = new Promise((r) => (release = () => r(undefined)));
  try {
    return await call.promise;
  } finally {
    S.busy = false;
    busyCall = null;
    if (S.engineReady) setEngineStatus('ready', readyText);
    $('#busy').hidden = true;
    document.body.classList.remove('is-busy');
    release();
  }
}

$('#busy-cancel').addEventListener('click', () => {
  if (!busyCall) return;
  busyCall.cancel();
  $('#busy-label').textContent = 'Cancelling…';
  $('#busy-cancel').disabled = true;
});

// ---- reading the export ----

/** The reading options in effect: fixed once a session has started. */
export function readingOptions() {
  if (S.session?.options) return S.session.options;
  const o = {};
  const cols = Object.entries(S.reading.columns).filter(([, v]) => v !== undefined);
  if (cols.length) o.columns = Object.fromEntries(cols);
  const rules = populationRules(S);
  if (rules) o.populations = rules;
  if (S.reading.nameKeys) o.nameKeys = S.reading.nameKeys;
  return o;
}

const datasetKey = () => (S.file ? `${fileToken}|${JSON.stringify(readingOptions())}` : null);

function isMessageHead(b) {
  return b[0] === 0x4f && b[1] === 0x56 && b[2] === 0x4c && b[3] === 0x50;
}

/** A CSV export was chosen (or dropped). A message dropped there is routed to the offer. */
async function chooseCsv(file) {
  if (S.session || S.busy) return;
  const head = new Uint8Array(await file.slice(0, 8).arrayBuffer());
  if (isMessageHead(head)) {
    await chooseOfferFile(file);
    return;
  }
  Object.assign(S, fileState(), { file });
  S.routed = null;
  fileToken++;
  S.settings.fields = [];
  render();
  await readFile();
}

/** Previews and reads the chosen file with the current options. */
export async function readFile({ replace = false } = {}) {
  if (!S.file) return;
  const key = datasetKey();
  const token = fileToken;
  S.loadError = null;
  try {
    const p = await engine.run('preview', { file: S.file, options: readingOptions() });
    if (token !== fileToken) return;
    S.preview = p;
  } catch (e) {
    if (token !== fileToken) return;
    // A wrong column override still lets the file be previewed without it.
    S.loadError = e;
    if (!S.preview) {
      S.loaded = null;
      render();
      return;
    }
  }
  render();
  try {
    const r = await runBusy(`Reading ${S.file.name}`, 'load', { file: S.file, options: readingOptions() }, { replace });
    if (token !== fileToken) return;
    const unusable = unusableFile(r);
    if (unusable) {
      // Nothing to match on (no rows, no key column, no row with a key): refused here, not three
      // steps later.
      engineDataset = null;
      S.loaded = null;
      S.loadError = unusable;
      render();
      return;
    }
    S.loaded = r;
    S.loadError = null;
    engineDataset = key;
    engineParty = null;
    announce(`${S.file.name}: ${num(r.rowCount)} accounts read.`);
  } catch (e) {
    if (/** @type {any} */ (e)?.code === 'busy' || token !== fileToken) return;
    engineDataset = null;
    S.loaded = null;
    S.loadError = e;
  }
  render();
}

const KEY_FIELDS = new Set(['website', 'domain', 'email', 'name', 'duns', 'linkedin']);

/** Why a file that was read cannot be used for a mapping (as an engine error), or null. */
function unusableFile(r) {
  if (r.rowCount === 0) return { code: 'ingest/no_rows', message: 'the file has a header row and no data rows' };
  if (r.keyCount > 0) return null;
  if (!(r.summary?.mapping ?? []).some((m) => KEY_FIELDS.has(m.field))) {
    return { code: 'ingest', message: 'no website, domain, email, DUNS, LinkedIn or company name column found' };
  }
  return { code: 'ingest/no_keys', message: 'no row has a usable key' };
}

/** Makes sure the engine holds this session's dataset (after a reload or an engine restart). */
async function ensureDataset() {
  if (engineDataset === datasetKey() && engineDataset !== null) return true;
  await readFile();
  return !!S.loaded;
}

/** Makes sure the engine's party is this session's, restoring it from its saved state. */
async function ensureParty() {
  const s = S.session;
  if (!s || !(await ensureDataset())) return false;
  if (engineParty === s.state) return true;
  const r = await engine.run('restore', { state: s.state });
  engineParty = s.state;
  if (r.report) S.report = r.report;
  return true;
}

// ---- the partner's offer (B) ----

async function chooseOfferFile(file) {
  if (S.session || S.busy) return;
  const data = new Uint8Array(await file.arrayBuffer());
  const info = peek(data);
  S.offerError = null;
  S.routed = null;
  if (!info.ok) {
    S.offer = null;
    S.offerError = { title: `${file.name} is not an overlap message`, body: `It looks like ${info.looksLike}. Load the .overlap file your partner sent you.` };
  } else if (info.kind === 'quick-v1') {
    S.offer = null;
    S.offerError = { title: `${file.name} is a quick-mode list of an older version of overlap`, body: 'Quick mode changed: ask your partner to update overlap and start again with a new list.' };
  } else if (info.kind === 'quick' && info.role === 'second') {
    S.offer = null;
    const saved = S.saved.find((r) => r.session === info.session);
    S.routed = saved
      ? {
          title: `${file.name} is your partner's answer to a quick-mode list you started (session ${info.session.slice(0, 8)}, saved in this browser)`,
          body: 'Resume that session: the file is loaded into it.',
          action: { label: 'Resume it and load this file', run: () => resume(saved.id, file) },
        }
      : {
          title: `${file.name} answers a quick-mode list, it does not start one`,
          body: 'To answer a partner you need the list it started with. If you started this mapping, load the answer in the browser where you started it.',
        };
  } else if (info.kind === 'offer' || info.kind === 'quick') {
    S.role = 'B';
    S.method = info.kind === 'quick' ? 'quick' : 'private';
    S.offer = { bytes: data, info, name: file.name };
    announce(`Offer loaded: your partner shares ${info.announcement?.sharing ?? 'an unknown level'}.`);
  } else {
    S.offer = null;
    const saved = S.saved.find((r) => r.session === info.session);
    const which = `file ${info.number ?? '?'}${info.kind ? ` (the ${info.kind})` : ''}`;
    S.routed = saved
      ? {
          title: `${file.name} is ${which} of your mapping ${info.session.slice(0, 8)}, saved in this browser`,
          body: `${saved.role === 'A' ? 'You started' : 'You answered'} it with ${saved.fileName}. Resume it: the file is loaded into it.`,
          action: { label: 'Resume it and load this file', run: () => resume(saved.id, file) },
        }
      : {
          title: `${file.name} is ${which} of mapping ${info.session.slice(0, 8)}, which is not saved in this browser`,
          body: 'Load it in the browser where that mapping was started or answered. To answer a partner here, you need its file 1 (…-1-offer.overlap).',
        };
  }
  render();
  if (S.routed) $('#routed')?.focus();
}

// ---- sessions ----

const uuid = () => (crypto.randomUUID ? crypto.randomUUID() : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join(''));

async function refreshSaved() {
  try {
    S.saved = await store.list();
    S.storeOk = true;
  } catch {
    S.saved = [];
    S.storeOk = false;
  }
}

async function saveSession() {
  const s = S.session;
  if (!s || !S.file) return;
  try {
    await store.put({
      id: s.id,
      version: 1,
      method: S.method,
      role: S.role,
      fileName: S.file.name,
      fileSize: S.file.size,
      file: S.file,
      options: s.options,
      settings: S.settings,
      session: s.session,
      step: s.step,
      state: s.state,
      outgoing: s.outgoing,
      messages: s.messages,
      partner: s.partner,
      hasReport: !!S.report,
      plan: s.plan,
      createdAt: s.createdAt,
    });
    s.saved = true;
  } catch {
    s.saved = false;
  }
  await refreshSaved();
}

export async function discard() {
  if (S.busy) busyCall?.cancel();
  await busySettled;
  const id = S.session?.id;
  if (id) {
    try {
      await store.remove(id);
    } catch {}
  }
  await backToStart();
  inform('Session discarded.', "Its saved state (with the session's secret key), your file and its messages are deleted from this browser.");
}

async function discardSaved(id) {
  if (S.session?.id === id) return discard();
  try {
    await store.remove(id);
  } catch {}
  await refreshSaved();
  inform('Saved session discarded.', 'Its state, secret key, file and messages are deleted from this browser.');
}

/** Shows an information notice, and says its title to screen readers. */
function inform(title, body) {
  S.notice = { kind: 'info', title, body };
  render();
  announce(title);
}

/** Reopens a saved session; loads `thenLoad` (a partner's message) into it if given. */
export async function resume(id, thenLoad) {
  if (S.busy) return;
  const rec = await store.get(id);
  if (!rec) {
    await refreshSaved();
    render();
    return;
  }
  fresh();
  S.routed = null;
  S.role = rec.role;
  S.method = rec.method === 'quick' ? 'quick' : 'private';
  S.file = rec.file;
  fileToken++;
  S.settings = { ...S.settings, ...rec.settings };
  S.session = {
    id: rec.id,
    options: rec.options,
    session: rec.session,
    step: rec.step,
    state: rec.state,
    outgoing: rec.outgoing,
    messages: rec.messages ?? [],
    partner: rec.partner ?? null,
    createdAt: rec.createdAt,
    saved: true,
    resumed: true,
    plan: rec.plan,
  };
  go('exchange');
  try {
    if (!(await ensureDataset())) {
      S.exchangeError = explain(S.loadError ?? {}, { file: rec.fileName });
      render();
      return;
    }
    if (S.method !== 'quick') await ensureParty();
    announce(`Session ${rec.session.slice(0, 8)} resumed.`);
  } catch (e) {
    S.exchangeError = explain(e, { file: rec.fileName });
  }
  render();
  if (thenLoad) await (S.method === 'quick' ? quickFinish(thenLoad) : receiveMessage(thenLoad));
}

// ---- the exchange ----

function engineSettings() {
  const s = S.settings;
  return {
    sharing: s.sharing,
    fields: s.sharing === 'fields' ? s.fields : [],
    maxPartnerSet: s.maxPartnerSet,
    minPopulation: s.minPopulation,
    maxPopulations: s.maxPopulations,
  };
}

/** The expected next incoming message, or null. */
export function expectedKind() {
  const s = S.session;
  if (!s) return S.role === 'B' ? 'offer' : null;
  if (S.role === 'A') return s.step === 'awaitReply' ? 'reply' : s.step === 'awaitFields' ? 'fields' : null;
  return s.step === 'awaitConfirm' ? 'confirm' : null;
}

/** A creates the offer, or B the reply. */
export async function createFirst() {
  if (S.busy || S.session) return;
  S.exchangeError = null;
  render();
  try {
    if (!(await ensureDataset())) throw S.loadError ?? new Error('the export could not be read');
    const options = readingOptions();
    const settings = engineSettings();
    const isA = S.role === 'A';
    const offer = S.offer;
    if (!isA && !offer) return;
    const r = await runBusy(
      isA ? 'Scrambling your accounts for file 1' : "Scrambling your accounts and your partner's for file 2",
      isA ? 'start' : 'respond',
      offer ? { settings, offer: offer.bytes } : { settings },
    );
    const kind = isA ? 'offer' : 'reply';
    /** @type {MessageRecord[]} */
    const messages = [];
    if (offer) messages.push({ n: 1, kind: 'offer', dir: 'in', name: offer.name, size: offer.bytes.length, at: Date.now() });
    const name = messageName(r.session, kind);
    messages.push({ n: isA ? 1 : 2, kind, dir: 'out', name, size: r.message.length, at: Date.now() });
    S.session = {
      id: uuid(),
      options,
      session: r.session,
      step: r.step,
      state: r.state,
      outgoing: { kind, name, bytes: r.message },
      messages,
      partner: offer ? { ...offer.info.announcement } : null,
      createdAt: Date.now(),
      saved: false,
    };
    engineParty = r.state;
    await saveSession();
    render();
    announce(`File ${isA ? 1 : 2} is ready to download: ${name}`);
    $('#download-outgoing')?.focus();
  } catch (e) {
    S.exchangeError = explain(e, { session: S.session?.session, go });
    render();
    $('#exchange-error .callout')?.focus?.();
  }
}

export function downloadOutgoing() {
  const o = S.session?.outgoing;
  if (!o) return;
  download(o.bytes, o.name);
  o.downloaded = true;
  announce(`${o.name} downloaded. Send it to your partner.`);
  render();
}

/** Loads the partner's next message into the session. */
export async function receiveMessage(file) {
  if (S.busy || !S.session) return;
  S.exchangeError = null;
  const expected = expectedKind();
  const data = new Uint8Array(await file.arrayBuffer());
  const info = peek(data);
  if (info.kind === 'plan') return receivePlan(ctx, file);
  render();
  try {
    if (!(await ensureParty())) throw S.loadError ?? new Error('the export could not be read');
    const r = await runBusy(`Reading your partner's ${info.number ? `file ${info.number}` : 'file'}`, 'receive', { message: data });
    const s = /** @type {Session} */ (S.session);
    s.messages.push({ n: info.number ?? null, kind: info.kind ?? null, dir: 'in', name: file.name, size: data.length, at: Date.now() });
    if (info.kind === 'reply' && info.announcement) s.partner = { ...info.announcement };
    s.step = r.step;
    s.state = r.state;
    engineParty = r.state;
    if (r.message) {
      const kind = S.role === 'A' ? 'confirm' : 'fields';
      const name = messageName(s.session, kind);
      s.outgoing = { kind, name, bytes: r.message };
      s.messages.push({ n: kind === 'confirm' ? 3 : 4, kind, dir: 'out', name, size: r.message.length, at: Date.now() });
    }
    if (r.report) {
      S.report = r.report;
      resetResultsView();
    }
    await saveSession();
    render();
    announce(r.message ? `Loaded. Your next file for your partner is ready to download, and your results are ready.` : 'Loaded. Your results are ready.');
    (r.message ? $('#download-outgoing') : $('#see-results'))?.focus();
  } catch (e) {
    S.exchangeError = explain(e, { file: file.name, info, expected, session: S.session?.session, started: true });
    render();
  }
}

// ---- quick mode ----

const KDF_NOTE = 'Deriving the key from your secret takes about half a second (Argon2id), on purpose: it makes guessing the secret from a list slow.';
let secretToken = 0;

/** The secret as typed: kept in this tab only, checked by the engine as it is typed. */
export async function quickSecret(value) {
  const q = S.quick;
  q.secret = value;
  const token = ++secretToken;
  const wasOk = !!q.check?.ok;
  let check = null;
  if (value) {
    try {
      check = await engine.run('checkSecret', { secret: value });
    } catch {
      check = null;
    }
  }
  if (token !== secretToken) return;
  q.check = check;
  const input = /** @type {HTMLInputElement | null} */ (document.getElementById('quick-secret'));
  const focused = !!input && document.activeElement === input;
  const caret = focused ? input.selectionStart : null;
  render();
  if (focused) {
    const again = /** @type {HTMLInputElement | null} */ (document.getElementById('quick-secret'));
    again?.focus();
    if (caret !== null) again?.setSelectionRange(caret, caret);
  }
  if (wasOk !== !!check?.ok && check?.ok) announce('The secret is strong enough.');
}

/** "Suggest one": six short words from the engine's CSPRNG, shown so they can be read out. */
export async function quickSuggest() {
  try {
    const r = await engine.run('suggestSecret');
    S.quick.show = true;
    await quickSecret(r.secret);
    announce('A secret was suggested: read it to your partner.');
  } catch (e) {
    S.exchangeError = explain(e);
    render();
  }
}

/** The first partner: a new session and its list, saved (the session id, never the secret). */
export async function quickStart() {
  if (S.busy || S.session) return;
  S.exchangeError = null;
  try {
    if (!(await ensureDataset())) throw S.loadError ?? new Error('the export could not be read');
    const options = readingOptions();
    const r = await runBusy('Deriving the key and keying your list', 'quickStart', { secret: S.quick.secret }, { subject: KDF_NOTE });
    const name = quickName(r.session, 1);
    S.session = {
      id: uuid(),
      options,
      session: r.session,
      step: 'awaitAnswer',
      state: null,
      outgoing: { kind: 'quick', name, bytes: r.message },
      messages: [{ n: 1, kind: 'quick', dir: 'out', name, size: r.message.length, at: Date.now() }],
      partner: null,
      createdAt: Date.now(),
      saved: false,
    };
    await saveSession();
    render();
    announce(`Your list is ready to download: ${name}`);
    $('#download-quick')?.focus();
  } catch (e) {
    S.exchangeError = explain(e);
    render();
  }
}

/** The second partner: checks the first partner's list, makes the answer and gets the results. */
export async function quickAnswer() {
  if (S.busy || !S.offer) return;
  S.exchangeError = null;
  const first = S.offer;
  try {
    if (!(await ensureDataset())) throw S.loadError ?? new Error('the export could not be read');
    const r = await runBusy("Deriving the key, checking your partner's list and keying yours", 'quickAnswer', { secret: S.quick.secret, message: first.bytes }, { subject: KDF_NOTE });
    S.quick.answer = { name: quickName(first.info.session, 2), bytes: r.message };
    S.report = r.report;
    resetResultsView();
    render();
    announce('Your answer is ready to download, and your results are ready.');
    $('#download-quick')?.focus();
  } catch (e) {
    S.exchangeError = explain(e, { file: first.name, info: first.info, expected: 'quick' });
    render();
  }
}

/** The first partner: matches the answer (a file, or the one loaded before the secret was typed). */
export async function quickFinish(file) {
  if (S.busy || !S.session) return;
  S.exchangeError = null;
  const s = S.session;
  const loaded = file ? { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) } : S.quick.pending;
  if (!loaded) return;
  const info = peek(loaded.bytes);
  if (!S.quick.check?.ok) {
    // Loaded before the secret was typed (e.g. from the start page): match once it is.
    S.quick.pending = loaded;
    render();
    return;
  }
  try {
    if (!(await ensureDataset())) throw S.loadError ?? new Error('the export could not be read');
    const r = await runBusy("Deriving the key and matching your partner's answer", 'quickFinish', { secret: S.quick.secret, session: s.session, message: loaded.bytes }, { subject: KDF_NOTE });
    S.quick.pending = loaded;
    S.report = r.report;
    s.step = 'done';
    s.messages = s.messages.filter((m) => m.dir !== 'in');
    s.messages.push({ n: 2, kind: 'quick', dir: 'in', name: loaded.name, size: loaded.bytes.length, at: Date.now() });
    resetResultsView();
    await saveSession();
    render();
    announce('Your results are ready.');
    $('#see-results')?.focus();
  } catch (e) {
    S.quick.pending = null;
    S.exchangeError = explain(e, { file: loaded.name, info, expected: 'quick', session: s.session, started: true });
    render();
  }
}

// ---- navigation ----

function reachable(step) {
  switch (step) {
    case 'start':
      return true;
    case 'columns':
      return !!S.preview || !!S.session;
    case 'sharing':
      return !!S.loaded || !!S.session;
    case 'exchange':
      return !!S.session || (!!S.loaded && S.sharingConfirmed);
    case 'results':
    case 'plan':
      return !!S.report;
  }
  return false;
}

export function go(step, { focus = true } = {}) {
  if (!STEPS.includes(step)) return;
  S.step = step;
  if (step !== 'start') S.notice = null;
  document.title = `${TITLES[step]} — overlap`;
  for (const s of STEPS) $(`#step-${s}`).hidden = s !== step;
  render();
  window.scrollTo(0, 0);
  if (focus) $(`#h-${step}`)?.focus({ preventScroll: true });
}

function renderStepper() {
  const cur = STEPS.indexOf(S.step);
  for (const b of $$('#steps button')) {
    const step = b.dataset.step;
    const i = STEPS.indexOf(step);
    b.disabled = !reachable(step);
    b.classList.toggle('done', i < cur && reachable(step));
    if (step === S.step) b.setAttribute('aria-current', 'step');
    else b.removeAttribute('aria-current');
  }
}

// ---- rendering ----

export function render() {
  renderStepper();
  // Unlock before the step renders (it then sets what it disables itself); lock after.
  if (!S.session) lockEarlySteps(false);
  if (S.step === 'start') renderStart(ctx);
  else if (S.step === 'columns') renderColumns(ctx);
  else if (S.step === 'sharing') renderSharing(ctx);
  else if (S.step === 'exchange') renderExchange(ctx);
  else if (S.step === 'results') renderResults(ctx);
  else if (S.step === 'plan') renderPlan(ctx);
  if (S.step === 'results') syncPlan(ctx);
  if (S.session) lockEarlySteps(true);
  refreshPrivacy();
}

/** Once the first message exists, the file, columns and sharing of a session are fixed. */
function lockEarlySteps(locked) {
  for (const id of ['#step-start', '#step-columns', '#step-sharing']) {
    const sec = $(id);
    sec.classList.toggle('locked', locked);
    for (const el of $$('input, select, textarea, button:not([data-go]):not([data-always])', sec)) {
      if (locked) {
        if (!el.dataset.lockedBy) el.dataset.lockedBy = el.disabled ? 'self' : 'session';
        el.disabled = true;
      } else if (el.dataset.lockedBy) {
        if (el.dataset.lockedBy === 'session') el.disabled = false;
        delete el.dataset.lockedBy;
      }
    }
  }
}

/** Leaves the current session (it stays saved) for a new mapping. */
async function startOver() {
  if (S.busy) return;
  await backToStart();
}

/** Empties the engine and the page for a new mapping, on the start page (saved sessions stay). */
async function backToStart() {
  try {
    await engine.run('unload');
  } catch {}
  engineDataset = null;
  engineParty = null;
  fresh();
  await refreshSaved();
  go('start');
}

// ---- privacy panel ----

function privacyContext() {
  const out = S.session?.outgoing;
  let kind;
  if (S.method === 'quick') kind = 'quick';
  else kind = out?.kind ?? (S.role === 'A' ? 'offer' : 'reply');
  // Exact figures from the message when it exists; before, the file's (names may add a few).
  const sent = out && (out.kind === 'offer' || out.kind === 'reply') ? peek(out.bytes).announcement : null;
  const quickBytes = S.method === 'quick' ? (S.session?.outgoing?.bytes ?? S.quick.answer?.bytes) : null;
  const quickSent = quickBytes ? peek(quickBytes).announcement : null;
  const exact = sent ?? quickSent;
  const pops = exact?.populations ?? S.loaded?.summary.populations.map((p) => ({ name: p.name, elements: p.elements }));
  const partner = S.session?.partner ?? (S.role === 'B' ? S.offer?.info.announcement : null);
  return {
    mode: S.method,
    kind,
    keyCount: exact?.elements ?? S.loaded?.keyCount,
    nameKeys: sent?.nameKeys ?? S.loaded?.summary.nameKeys,
    exact: !!exact,
    populations: pops,
    settings: S.settings,
    partnerSharing: partner?.sharing,
    partnerCount: partner?.elements ?? undefined,
  };
}

function refreshPrivacy() {
  const c = privacyContext();
  if (S.step === 'sharing') $('#privacy-sharing').replaceChildren(privacyPanel(c));
  if (S.step === 'exchange') $('#privacy-exchange').replaceChildren(privacyPanel(c));
  const dlg = $('#privacy-dialog');
  if (dlg.open) $('#privacy-dialog-body').replaceChildren(privacyPanel(c));
}

// ---- wiring ----

export const ctx = {
  S,
  engine,
  render,
  go,
  readFile,
  readingOptions,
  createFirst,
  downloadOutgoing,
  receiveMessage,
  expectedKind,
  discard,
  quickSecret,
  quickSuggest,
  quickStart,
  quickAnswer,
  quickFinish,
  runBusy,
  startOver,
  resume,
  discardSaved,
  refreshPrivacy,
  saveSession,
  ensureParty,
};

function wire() {
  // A file dropped beside a drop zone must not make the browser leave the page for it.
  for (const type of ['dragover', 'drop']) window.addEventListener(type, (e) => e.preventDefault());
  // On Start, a file dropped anywhere (not only on a drop zone) is taken as dropped on the export's
  // zone: an export is read, a partner's file goes to its offer or its saved session.
  window.addEventListener('drop', async (e) => {
    const f = e.dataTransfer?.files[0];
    if (!f || (e.target instanceof Element && e.target.closest('.drop'))) return;
    if (S.step === 'start') return chooseCsv(f);
    // Later in a session, a plan file dropped anywhere (the Exchange step has no loader once the
    // exchange is over) goes to the Plan step, which reads it or says why not.
    const head = new Uint8Array(await f.slice(0, 8).arrayBuffer());
    if (S.session && isMessageHead(head) && head[5] === 5) receivePlan(ctx, f);
  });
  for (const b of $$('#steps button')) b.addEventListener('click', () => reachable(b.dataset.step) && go(b.dataset.step));
  for (const b of $$('[data-go]')) b.addEventListener('click', () => go(b.dataset.go));
  for (const r of $$('input[name=role]')) {
    r.addEventListener('change', () => {
      S.role = r.value;
      if (S.role === 'A' && S.offer?.info.kind === 'quick') S.method = 'private';
      if (S.role === 'A') S.offer = null;
      S.offerError = null;
      render();
    });
  }
  dropZone($('#csv-drop'), chooseCsv);
  dropZone($('#offer-drop'), chooseOfferFile);
  for (const b of $$('[data-sample]')) {
    b.addEventListener('click', async () => {
      try {
        const res = await fetch(`/samples/${b.dataset.sample}`);
        if (!res.ok) throw new Error(String(res.status));
        const blob = await res.blob();
        await chooseCsv(new File([blob], b.dataset.sample, { type: 'text/csv' }));
      } catch {
        S.notice = { kind: 'warning', title: 'The sample files are not available on this server.', body: 'They are served by `make demo`.' };
        render();
      }
    });
  }
  $('#start-next').addEventListener('click', () => go('columns'));
  $('#columns-next').addEventListener('click', () => go('sharing'));
  for (const r of $$('input[name=method]')) {
    r.addEventListener('change', () => {
      S.method = r.value;
      render();
    });
  }
  for (const r of $$('input[name=sharing]')) {
    r.addEventListener('change', () => {
      chooseSharingLevel(S, r.value);
      S.sharingError = null;
      render();
    });
  }
  for (const id of ['#max-partner-set', '#max-populations', '#min-population']) $(id).addEventListener('change', () => validateSharing(S) ?? refreshPrivacy());
  $('#sharing-next').addEventListener('click', () => {
    if (!S.session) {
      S.sharingError = validateSharing(S);
      if (S.sharingError) {
        render();
        $('#sharing-error .callout')?.scrollIntoView({ block: 'center' });
        return;
      }
      S.sharingConfirmed = true;
    }
    go('exchange');
  });
  const dlg = $('#privacy-dialog');
  $('#privacy-open').addEventListener('click', () => {
    $('#privacy-dialog-body').replaceChildren(privacyPanel(privacyContext()));
    dlg.showModal();
  });
  $('#privacy-close').addEventListener('click', () => dlg.close());
  dlg.addEventListener('click', (e) => {
    if (e.target === dlg) dlg.close();
  });
}

async function main() {
  wire();
  wirePlan(ctx);
  await refreshSaved();
  go('start', { focus: false });
}

main();
