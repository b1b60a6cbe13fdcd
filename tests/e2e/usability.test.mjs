// The defects a usability test found, each with the test that failed before its fix: a partner's
// later file dropped on Start, an export with only a header row, files that are not CSV, the
// .overlap name and large files, exporting what the table shows, the sticky account column, the
// Columns step at 1366 px, the header while a step runs, and the documents the page links to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { chooseSharing, createFirst, downloadOutgoing, dropFile, firstMessage, idle, loadMessage, pageTests, parseCsv, ready, shot, startWith, toResults } from './page.mjs';
import { download, root } from './lib.mjs';
import { writePair } from './fixtures.mjs';

const pages = pageTests('ux');
const dir = pages.dir();
const data = writePair(dir);

test('a later file dropped on the big Start zone goes visibly to its saved session, whatever the role', async () => {
  const A = await pages.open('A');
  const B = await pages.open('B');
  const offer = await firstMessage(A.page, { csv: data.a, dir });
  const reply = await firstMessage(B.page, { role: 'B', csv: data.b, offer, dir });
  // A comes back later: a fresh page, the session saved.
  await A.page.reload();
  await ready(A.page);
  // Dropped on the page beside the drop zones, as a person drags it from an email.
  await dropFile(A.page, 'h1', reply);
  const routed = A.page.locator('#routed');
  await routed.waitFor();
  assert.match(await routed.textContent(), /is file 2 \(the reply\) of your mapping [0-9a-f]{8}, saved in this browser/);
  // And on the big drop zone (its file picker) the same.
  await A.page.reload();
  await ready(A.page);
  await A.page.setInputFiles('#csv-file', reply);
  await routed.waitFor();
  assert.match(await routed.textContent(), /is file 2 \(the reply\) of your mapping/);
  assert.ok(await A.page.getByRole('button', { name: 'Resume it and load this file' }).isVisible());
  // Switching role does not hide it.
  await A.page.check('input[name=role][value=B]');
  await A.page.check('input[name=role][value=A]');
  assert.ok(await routed.isVisible(), 'still shown after the role changed twice');
  await shot(A.page, 'ux-routed-reply');
  await A.page.getByRole('button', { name: 'Resume it and load this file' }).click();
  await A.page.waitForSelector('li.msg[data-n="2"].done', { timeout: 60_000 });
  assert.ok(await A.page.isVisible('#download-outgoing'), 'file 3 is ready for the partner');
  await pages.done(A, B);
});

test('an export with only a header row, a workbook, an image and a PDF are refused at Start with what to do', async () => {
  const P = await pages.open('P');
  const page = P.page;
  const headerOnly = join(dir, 'empty-report.csv');
  writeFileSync(headerOnly, 'Account Name,Website,Type\r\n');
  await page.setInputFiles('#csv-file', headerOnly);
  await page.waitForSelector('#file-info .callout.error');
  assert.match(await page.textContent('#file-info'), /empty-report\.csv: the file has column names but no accounts/);
  assert.ok(await page.isDisabled('#start-next'), 'no way forward with a file of no rows');
  await shot(page, 'ux-header-only');

  // No error of the page says "highlighted" (none highlights anything).
  for (const f of readdirSync(join(root, 'www')).filter((x) => x.endsWith('.js') || x.endsWith('.html'))) {
    assert.doesNotMatch(readFileSync(join(root, 'www', f), 'utf8'), /highlighted/i, f);
  }

  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201b7e2ff2c0000000049454e44ae426082', 'hex');
  // The start of an .xlsx: a ZIP whose first member is [Content_Types].xml naming xl/workbook.xml.
  const xlsx = Buffer.concat([
    Buffer.from('504b0304140006000800000021000000000000000000000000001300000000', 'hex').subarray(0, 26),
    Buffer.from([19, 0, 0, 0]),
    Buffer.from('[Content_Types].xml<Override PartName="/xl/workbook.xml"/>'),
  ]);
  const cases = [
    ['accounts.png', png, /accounts\.png: this is a PNG image, not a CSV file.*Export your accounts from the CRM as CSV/s],
    ['accounts.xlsx', xlsx, /accounts\.xlsx: this is an Excel workbook \(\.xlsx\), not a CSV file.*File → Save As → CSV UTF-8/s],
    ['accounts.pdf', Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n'), /accounts\.pdf: this is a PDF document, not a CSV file/],
  ];
  for (const [name, bytes, want] of cases) {
    const f = join(dir, name);
    writeFileSync(f, bytes);
    await page.setInputFiles('#csv-file', f);
    await page.waitForFunction((n) => document.querySelector('#file-info .callout.error')?.textContent.includes(n), name);
    assert.match(await page.textContent('#file-info'), want);
    assert.equal(await page.$('#preview table'), null, `${name}: no garbled preview`);
  }
  await shot(page, 'ux-xlsx');
  await pages.done(P);
});

test('the header says what runs while a step runs, and "Ready" only when it is', async () => {
  const P = await pages.open('P');
  const page = P.page;
  const big = join(dir, 'big.csv');
  const rows = ['Account Name,Website,Type'];
  for (let i = 0; i < 150_000; i++) rows.push(`Company ${i},https://www.company-${i}.example.com/,Customer`);
  writeFileSync(big, `${rows.join('\n')}\n`);
  await page.setInputFiles('#csv-file', big);
  await page.waitForSelector('#busy:not([hidden])');
  const during = await page.textContent('#engine-status');
  assert.doesNotMatch(during, /Ready/);
  assert.match(during, /Working: Reading big\.csv/);
  await idle(page);
  assert.match(await page.textContent('#engine-status'), /^Ready/);
  await pages.done(P);
});

test('message files are .overlap, the pickers take them and the old .msg, and large files get a warning', async () => {
  const A = await pages.open('A');
  const B = await pages.open('B');
  const offer = await firstMessage(A.page, { csv: data.a, dir });
  assert.match(offer, /\.overlap$/);
  for (const sel of ['#offer-file']) assert.match(await B.page.getAttribute(sel, 'accept'), /^\.overlap,\.msg,/);
  assert.match(await A.page.getAttribute('[data-loader]', 'accept'), /^\.overlap,\.msg,/);
  // A file of an earlier version, named .msg, is still taken.
  const old = join(dir, 'overlap-old-1-offer.msg');
  copyFileSync(offer, old);
  await B.page.check('input[name=role][value=B]');
  await B.page.setInputFiles('#offer-file', old);
  await B.page.waitForSelector('#offer-info .file-card');
  assert.match(await B.page.textContent('#offer-info'), /overlap-old-1-offer\.msg/);
  // Over ~20 MB (a 200k-row reply is 23.8 MB): a warning and a shared drive suggested.
  const warn = await A.page.evaluate(async () => {
    const m = await import('./exchange.js');
    return [m.sizeWarning(23.8 * 1024 * 1024)?.textContent ?? null, m.sizeWarning(6 * 1024 * 1024)];
  });
  assert.match(warn[0], /This file is 23\.8 MB: too large for many email services.*shared drive/s);
  assert.equal(warn[1], null);
  await pages.done(A, B);
});

test('the results export what is shown (or all), keep the account name in view and the Columns step fits 1366 px', async () => {
  const A = await pages.open('A');
  const B = await pages.open('B');
  await startWith(A.page, { csv: data.a });
  // Columns at 1366 px: every dropdown (the populations', the columns', the name matching) shows
  // its whole choice inside its card.
  await A.page.click('#start-next');
  await A.page.waitForSelector('#populations-card select');
  const clipped = await A.page.evaluate(() => {
    const ctx = document.createElement('canvas').getContext('2d');
    return [...document.querySelectorAll('#step-columns select')]
      .map((s) => {
        const card = s.closest('.card').getBoundingClientRect();
        const cs = getComputedStyle(s);
        ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
        const text = s.selectedOptions[0]?.textContent ?? '';
        const room = s.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
        const r = s.getBoundingClientRect();
        return { text, fits: ctx.measureText(text).width <= room + 1, inside: r.right <= card.right + 0.5 };
      })
      .filter((x) => !x.fits || !x.inside);
  });
  assert.deepEqual(clipped, [], 'no choice is cut');
  await shot(A.page, 'ux-columns-1366');
  await A.page.click('[data-go=start]');
  await chooseSharing(A.page, { sharing: 'overlaps' });
  const offer = await createFirst(A.page, dir);
  const reply = await firstMessage(B.page, { role: 'B', csv: data.b, offer, dir });
  await loadMessage(A.page, reply, 2);
  await downloadOutgoing(A.page, dir);
  await toResults(A.page);
  const page = A.page;
  await page.waitForSelector('#matches tbody tr[data-row]');

  const exported = async (selector) => parseCsv(readFileSync(await download(page, selector, dir), 'utf8'));
  const names = async () => page.$$eval('#matches tbody tr[data-row]', (trs) => trs.map((tr) => tr.children[0].textContent));

  // A search: the rows shown, and only those.
  await page.fill('#search', '株式会社');
  await page.waitForFunction(() => /of 2 matching/.test(document.getElementById('table-status').textContent));
  let rows = await exported('#export-shown');
  assert.equal(rows.length, 3, 'the header and the 2 rows shown');
  assert.deepEqual(rows.slice(1).map((r) => r[0]).sort(), (await names()).sort());
  // A heatmap cell (and no search): its rows, in the table's order.
  await page.fill('#search', '');
  await page.waitForFunction(() => /of 30$/.test(document.getElementById('table-status').textContent));
  assert.equal(await page.$('#export-shown'), null, 'nothing to narrow: only "all"');
  await page.click('button.cell[data-cell="0,0"]');
  await page.waitForFunction(() => /matching/.test(document.getElementById('table-status').textContent));
  const shown = await names();
  assert.match(await page.textContent('#export-shown'), new RegExp(`Download the ${shown.length} rows shown`));
  rows = await exported('#export-shown');
  assert.deepEqual(rows.slice(1).map((r) => r[0]), shown);
  // A confidence filter on top: still exactly what is shown.
  await page.selectOption('#confidence', 'high');
  await page.waitForFunction((n) => document.querySelectorAll('#matches tbody tr[data-row]').length === n, shown.length);
  rows = await exported('#export-shown');
  assert.equal(rows.length - 1, shown.length);
  // The whole list is one click away.
  rows = await exported('#export-csv');
  assert.equal(rows.length, 31, 'the header and all 30 rows');

  // The account name stays in view when the table scrolls sideways.
  await page.click('#clear-cell');
  await page.click('.columns-pick summary');
  await page.click('#show-all-columns');
  await page.click('.columns-pick summary');
  await page.waitForFunction(() => {
    const w = document.querySelector('.matches-wrap');
    return w && w.scrollWidth > w.clientWidth + 100;
  });
  const pos = await page.evaluate(() => {
    const w = document.querySelector('.matches-wrap');
    w.scrollLeft = 500;
    const cell = w.querySelector('tbody tr td');
    const head = w.querySelector('thead th');
    return { scrolled: w.scrollLeft, wrap: w.getBoundingClientRect().left, cell: cell.getBoundingClientRect().left, head: head.getBoundingClientRect().left };
  });
  assert.ok(pos.scrolled > 100, 'the table did scroll');
  assert.ok(Math.abs(pos.cell - pos.wrap) <= 2 && Math.abs(pos.head - pos.wrap) <= 2, `the account name column stays at the left edge (${JSON.stringify(pos)})`);
  await shot(page, 'ux-sticky-name');
  await pages.done(A, B);
});

test('the documents the page links to are served by the page, with their anchors', async () => {
  const P = await pages.open('P');
  const page = P.page;
  const links = await page.$$eval('a[href^="docs/"]', (as) => as.map((a) => a.getAttribute('href')));
  assert.ok(links.includes('docs/threat-model.html#counts'), 'the Sharing step explains counts');
  assert.ok(links.includes('docs/protocol.html'));
  const checked = new Set();
  for (const href of links) {
    const url = new URL(href, pages.url).href;
    const res = await page.goto(url);
    assert.equal(res.status(), 200, href);
    const hash = new URL(url).hash.slice(1);
    if (hash) assert.ok(await page.$(`[id="${hash}"]`), `${href}: the anchor exists`);
    // Every in-page link of the document has its target.
    const missing = await page.$$eval('a[href^="#"]', (as) => as.map((a) => a.getAttribute('href').slice(1)).filter((id) => !document.getElementById(id)));
    assert.deepEqual(missing, [], `${href}: in-page links`);
    checked.add(url.split('#')[0]);
  }
  assert.match(await page.goto(new URL('docs/threat-model.html', pages.url).href).then(() => page.textContent('[id="counts"] ~ h2, h2#sharing-only-counts-what-it-hides-and-what-it-does-not')), /Sharing only counts/);
  assert.ok(checked.size >= 3);
  await pages.done(P);
});
