// Driving the analyst's page in the page tests: one set-up per test file (the page's server and
// Chromium), one partner per browser context, the CLI on the same inputs for comparison, and
// readers for what the page shows (matrix, table).
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { artifacts, download, fixtures, launch, offOrigin, recordRequests, root, startServer } from './lib.mjs';

export const cli = join(root, 'target/release/overlap');

/** The crm-pair exports: the full ones when this machine has them, else the committed slices. */
export function crmPair({ fixtures: slices = false } = {}) {
  const full = join(root, '../shared/data/crm-pair');
  if (!slices && existsSync(join(full, 'partner_a.csv')) && !process.env.OVERLAP_E2E_FIXTURES) {
    return { a: join(full, 'partner_a.csv'), b: join(full, 'partner_b.csv'), full: true };
  }
  return { a: join(fixtures, 'partner_a.csv'), b: join(fixtures, 'partner_b.csv'), full: false };
}

/**
 * One test file's browser set-up: registers the hooks that start the page's server (in this
 * process) and Chromium (the flags in lib.mjs) before the file's tests, and stop them after.
 * Returns what the tests use.
 * @param {string} name a short name for the file's temporary directories
 */
export function pageTests(name) {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await startServer();
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return {
    /** The page's address. */
    get url() {
      return env.server.url;
    },
    /** A fresh temporary directory, for downloads and the CLI's files. */
    dir: () => mkdtempSync(join(tmpdir(), `overlap-e2e-${name}-`)),
    /** A partner: its own browser context (its own IndexedDB), the page loaded, its engine ready. */
    open: (partner = 'page') => openPage(env.browser, env.server, { name: partner }),
    /** The requests a partner's page made anywhere but the page's origin. */
    offOrigin: (side) => offOrigin(side.requests, env.server.url),
    /** Checks that no partner's request left the page's origin and no script failed, and closes them. */
    async done(...sides) {
      for (const side of sides) {
        assert.deepEqual(offOrigin(side.requests, env.server.url), [], `${side.name}: no request leaves the page's origin`);
        assert.deepEqual(side.problems, [], `${side.name}: no script error`);
        await side.context.close();
      }
    },
  };
}

/** A fresh context (its own IndexedDB) with the page loaded and its engine ready. */
async function openPage(browser, server, { name = 'page' } = {}) {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1366, height: 900 } });
  const requests = recordRequests(context);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`${name}: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`${name} console: ${m.text()}`);
  });
  await page.goto(server.url);
  await ready(page);
  return { name, context, page, requests, problems };
}

export async function ready(page) {
  await page.waitForSelector('html[data-engine=ready]', { timeout: 20_000 });
}

export async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

/** The top `height` pixels of the page at a laptop's width (for the README). */
export async function readmeShot(page, name, height = 1000) {
  await page.setViewportSize({ width: 1280, height });
  await page.evaluate(() => {
    document.activeElement?.blur();
    window.scrollTo(0, 0);
  });
  await page.screenshot({ path: join(artifacts, `${name}.png`) });
  await page.setViewportSize({ width: 1366, height: 900 });
}

export async function idle(page, timeout = 60_000) {
  await page.waitForSelector('#busy', { state: 'hidden', timeout });
}

/** Start: role, (B) the offer, the CSV; waits until the file is read. */
export async function startWith(page, { role = 'A', csv, offer }) {
  await page.check(`input[name=role][value=${role}]`);
  if (offer) await page.setInputFiles('#offer-file', offer);
  await page.setInputFiles('#csv-file', csv);
  await page.waitForSelector('#start-next:not([disabled])', { timeout: 60_000 });
}

/** Columns (as recognised) → sharing → exchange. */
export async function chooseSharing(page, { sharing = 'counts', fields = [], method = 'private', minPopulation, shots } = {}) {
  await page.click('#start-next');
  await page.waitForSelector('#step-columns:not([hidden])');
  if (shots) await shot(page, `${shots}-2-columns`);
  await page.click('#columns-next');
  await page.waitForSelector('#step-sharing:not([hidden])');
  if (method === 'quick') {
    // B follows its partner's list: the choice is only A's.
    if (await page.isVisible('#method')) await page.check('input[name=method][value=quick]');
    else assert.ok(await page.isVisible('#quick-sharing-note'), 'quick mode follows the partner');
  }
  else if (await page.isVisible('input[name=sharing]')) {
    await page.check(`input[name=sharing][value=${sharing}]`);
    for (const f of fields) await page.check(`#fields-list input[value="${f}"]`);
    if (minPopulation !== undefined) {
      await page.click('details.advanced summary');
      await page.fill('#min-population', String(minPopulation));
      await page.press('#min-population', 'Tab');
    }
  }
  if (shots) await shot(page, `${shots}-3-sharing`);
  await page.click('#sharing-next');
  await page.waitForSelector('#step-exchange:not([hidden])');
}

/**
 * A partner's first message in one go: the export read (and, for B, the partner's offer), the
 * columns as recognised, `sharing` chosen, the offer or reply made and downloaded to `dir`.
 */
export async function firstMessage(page, { role = 'A', csv, offer, sharing = 'overlaps', dir }) {
  await startWith(page, { role, csv, offer });
  await chooseSharing(page, { sharing });
  return createFirst(page, dir);
}

/** Creates the offer (A) or the reply (B) and downloads it. */
/** Drops `file` on the element `selector`, as a person drags it from an email onto the page. */
export async function dropFile(page, selector, file) {
  await page.evaluate(
    ([sel, b, n]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(b)], n));
      document.querySelector(sel).dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    [selector, [...readFileSync(file)], file.split('/').at(-1)],
  );
}

/** Partner A on the Sharing step of quick mode: a suggested secret, then the list. */
export async function quickList(page, dir) {
  await page.click('#quick-suggest');
  await page.waitForSelector('#quick-secret-status.ok-text');
  const secret = await page.inputValue('#quick-secret');
  await page.click('#quick-create');
  await page.waitForSelector('#download-quick');
  return { secret, list: await download(page, '#download-quick', dir) };
}

export async function createFirst(page, dir) {
  await page.click('#create-first');
  await page.waitForSelector('#download-outgoing, #exchange-error .callout.error', { timeout: 120_000 });
  const err = await page.$('#exchange-error .callout.error');
  if (err) throw new Error(`the page refused to create the first message: ${await err.textContent()}`);
  return download(page, '#download-outgoing', dir);
}

/** Loads the partner's message `file` as message `n` and waits for it to be taken. */
export async function loadMessage(page, file, n) {
  await page.setInputFiles('[data-loader]:not([disabled])', file);
  await page.waitForSelector(`li.msg[data-n="${n}"].done, #exchange-error .callout.error`, { timeout: 120_000 });
  const err = await page.$('#exchange-error .callout.error');
  if (err) throw new Error(`the page refused message ${n}: ${await err.textContent()}`);
}

export async function downloadOutgoing(page, dir) {
  return download(page, '#download-outgoing', dir);
}

export async function toResults(page) {
  await page.click('#see-results');
  await page.waitForSelector('#step-results:not([hidden]) .heatmap');
}

/** The heatmap as the CLI's --matrix CSV would hold it. */
export async function readMatrix(page) {
  return page.evaluate(() => {
    const t = document.querySelector('table.heatmap');
    const cols = [...t.querySelectorAll('thead th .pop')].map((x) => x.textContent);
    const rows = [...t.querySelectorAll('tbody tr')].map((tr) => [
      tr.querySelector('th .pop').textContent,
      ...[...tr.querySelectorAll('td')].map((td) => td.textContent.replace(/,/g, '')),
    ]);
    return [['my population \\ partner population', ...cols], ...rows];
  });
}

/** Every row of the results table, all columns, as { header → value } in the CLI report's terms. */
export async function readTable(page) {
  if (!(await page.$('#matches'))) return [];
  await page.click('.columns-pick summary');
  await page.click('#show-all-columns');
  await page.click('.columns-pick summary');
  await page.selectOption('#page-size', '500');
  // Wait for the 500-row page itself, not the 100-row page still shown while it renders.
  await page.waitForFunction(() => {
    const m = (document.getElementById('table-status')?.textContent ?? '').replace(/,/g, '').match(/^Rows 1.(\d+) of (\d+)/);
    return !!m && Number(m[1]) === Math.min(500, Number(m[2])) && document.querySelectorAll('#matches tbody tr[data-row]').length === Number(m[1]);
  });
  const all = [];
  for (;;) {
    await page.waitForFunction(() => /^Rows /.test(document.getElementById('table-status')?.textContent ?? ''));
    const rows = await page.evaluate(() => {
      const heads = [...document.querySelectorAll('#matches thead th')].map((th) => th.querySelector('button').firstChild.textContent);
      return [...document.querySelectorAll('#matches tbody tr[data-row]')].map((tr) => {
        const o = { __row: Number(tr.dataset.row) };
        [...tr.children].forEach((td, i) => {
          const chips = td.querySelectorAll('.chip');
          o[heads[i]] = chips.length ? [...chips].map((c) => c.textContent).join(';') : td.textContent;
        });
        return o;
      });
    });
    all.push(...rows);
    const next = await page.$('#page-next:not([disabled])');
    if (!next) break;
    const first = rows[0].__row;
    await next.click();
    await page.waitForFunction((r) => document.querySelector('#matches tbody tr[data-row]')?.dataset.row !== String(r), first);
  }
  return all.map(({ __row, ...o }) => {
    const out = {};
    for (const [k, v] of Object.entries(o)) {
      if (k === "Partner's populations") out.overlap_partner_populations = v;
      else if (k === 'Matched on') out.overlap_matched_on = v.split(', ').join(';');
      else if (k === 'Confidence') out.overlap_confidence = v.toLowerCase();
      else if (k.startsWith('Partner: ')) out[`partner_${k.slice('Partner: '.length)}`] = v;
      else if (k === 'Co-selling shape') continue; // the page's own column (the plan's), not in the CLI report
      else out[k] = v;
    }
    return out;
  });
}

// ---- CSV and the CLI ----

/** RFC 4180 CSV → rows of cells (a byte-order mark, as the Excel flavour writes, is skipped). */
export function parseCsv(text) {
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  const rows = [];
  let row = [];
  let cell = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else q = false;
      } else cell += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** The CLI report's rows as { header → value }, formula guards undone (the page shows raw cells). */
export function reportRows(csvText) {
  const [head, ...rows] = parseCsv(csvText);
  // src/csv_out.rs: a ' before TAB/CR/LF/NUL, or before a formula character after spaces.
  const unescape = (v) => (/^'(?:[\t\r\n\0]|[\s\u200B-\u200F\u2060\uFEFF\u061C\u202A-\u202E\u2066-\u2069]*[=+\-@＝＋－＠])/.test(v) ? v.slice(1) : v);
  return rows.map((r) => Object.fromEntries(head.map((h, i) => [unescape(h), unescape(r[i] ?? '')])));
}

function run(args, env) {
  return execFileSync(cli, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
}

/**
 * The same exchange with the CLI: both reports (A's after the fields message if any) and matrices.
 * @returns {{a: {report: string, matrix: string}, b: {report: string, matrix: string}}}
 */
export function cliExchange({ a, b, aSharing, bSharing, aFields = [], bFields = [], aMin, bMin }, dir) {
  const p = (n) => join(dir, n);
  const share = (fields) => (fields.length ? ['--share', fields.join(',')] : []);
  const min = (n) => (n === undefined ? [] : ['--min-population', String(n)]);
  run(['offer', '--csv', a, '--state', p('a.state'), '--out', p('1.msg'), '--sharing', aSharing, ...share(aFields), ...min(aMin)]);
  run(['reply', '--csv', b, '--offer', p('1.msg'), '--state', p('b.state'), '--out', p('2.msg'), '--sharing', bSharing, ...share(bFields), ...min(bMin)]);
  run(['finish', '--state', p('a.state'), '--reply', p('2.msg'), '--out', p('3.msg'), '--report', p('a.csv'), '--matrix', p('a-matrix.csv')]);
  run(['finish', '--state', p('b.state'), '--confirm', p('3.msg'), '--out', p('4.msg'), '--report', p('b.csv'), '--matrix', p('b-matrix.csv')]);
  if (existsSync(p('4.msg'))) {
    run(['finish', '--state', p('a.state'), '--fields', p('4.msg'), '--report', p('a.csv'), '--matrix', p('a-matrix.csv')]);
  }
  const read = (n) => readFileSync(p(n), 'utf8');
  return { a: { report: read('a.csv'), matrix: read('a-matrix.csv') }, b: { report: read('b.csv'), matrix: read('b-matrix.csv') } };
}

/**
 * The CLI's quick-mode report for the same inputs: the second partner's (`answer` to the first
 * list), or the first partner's (`finish` with the answer, for `session`: the CLI's state file
 * holds only the session id, so it is written here from the page's list).
 */
export function cliQuick(csv, partnerMsg, secret, dir, { session } = {}) {
  const env = { OVERLAP_SECRET: secret };
  const outputs = ['--report', join(dir, 'quick.csv'), '--matrix', join(dir, 'quick-matrix.csv')];
  if (session) {
    const body = Buffer.concat([Buffer.from('OVLQ'), Buffer.from([1]), Buffer.from(session, 'hex')]);
    writeFileSync(join(dir, 'a.quick'), Buffer.concat([body, createHash('sha256').update(body).digest()]));
    run(['quick', 'finish', '--csv', csv, '--state', join(dir, 'a.quick'), '--partner', partnerMsg, ...outputs], env);
  } else {
    run(['quick', 'answer', '--csv', csv, '--partner', partnerMsg, '--out', join(dir, 'answer.msg'), ...outputs], env);
  }
  return { report: readFileSync(join(dir, 'quick.csv'), 'utf8'), matrix: readFileSync(join(dir, 'quick-matrix.csv'), 'utf8') };
}
