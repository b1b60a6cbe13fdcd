// The private exchange on the page, end to end: two browser contexts play partners A and B on
// the crm-pair exports, through every message, for each meaningful pair of sharing levels. Each
// side's matrix, table and CSV export must equal the CLI's reports for the same inputs, and no
// request may leave the page's origin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { download } from './lib.mjs';
import { chooseSharing, cliExchange, createFirst, crmPair, downloadOutgoing, loadMessage, pageTests, parseCsv, readMatrix, readTable, readmeShot, reportRows, shot, startWith, toResults } from './page.mjs';

const pages = pageTests('x');
const data = crmPair();


// Sharing counts, a side refuses partner populations whose bit combinations hold fewer than 5
// keys; the crm-pair exports have a few such tiny groups, so that test lowers the guard on both
// sides (under "Guards" on the page, --min-population for the CLI).
const combos = [
  { aSharing: 'counts', bSharing: 'counts', aMin: 1, bMin: 1 },
  { aSharing: 'overlaps', bSharing: 'fields', bFields: ['Company owner'], table: true },
  { aSharing: 'fields', aFields: ['Account Owner'], bSharing: 'fields', bFields: ['Company owner'], table: true, shots: true },
  { aSharing: 'fields', aFields: ['Account Owner'], bSharing: 'counts' },
];

for (const c of combos) {
  test(`A shares ${c.aSharing}, B shares ${c.bSharing}: both pages match the CLI, nothing leaves localhost`, async () => {
    const dir = pages.dir();
    const A = await pages.open('A');
    const B = await pages.open('B');
    const pa = A.page;
    const pb = B.page;
    const sA = c.shots ? 'step-A' : null;
    const sB = c.shots ? 'step-B' : null;

    // 1. offer
    await startWith(pa, { role: 'A', csv: data.a });
    if (sA) await shot(pa, `${sA}-1-start`);
    await chooseSharing(pa, { sharing: c.aSharing, fields: c.aFields, minPopulation: c.aMin, shots: sA });
    const offer = await createFirst(pa, dir);
    assert.match(offer, /overlap-[0-9a-f]{8}-1-offer\.overlap$/);
    if (sA) {
      await shot(pa, `${sA}-4-exchange-offer`);
      await readmeShot(pa, 'readme-exchange', 900);
    }

    // 2. reply
    await startWith(pb, { role: 'B', csv: data.b, offer });
    if (sB) await shot(pb, `${sB}-1-start`);
    await chooseSharing(pb, { sharing: c.bSharing, fields: c.bFields, minPopulation: c.bMin, shots: sB });
    const reply = await createFirst(pb, dir);
    assert.match(reply, /-2-reply\.overlap$/);
    assert.equal(reply.split('-')[1], offer.split('-')[1], 'one session id in every file name');

    // 3. confirm (A has its result now)
    await loadMessage(pa, reply, 2);
    const confirm = await downloadOutgoing(pa, dir);
    assert.match(confirm, /-3-confirm\.overlap$/);
    await loadMessage(pb, confirm, 3);

    // 4. fields, when B shares them and A shares more than counts
    const fieldsSent = c.bSharing === 'fields' && c.aSharing !== 'counts';
    assert.equal(!!(await pb.$('li.msg[data-n="4"] #download-outgoing')), fieldsSent, 'B has a fields message exactly when it can send one');
    if (fieldsSent) {
      const fields = await downloadOutgoing(pb, dir);
      assert.match(fields, /-4-fields\.overlap$/);
      if (sB) await shot(pb, `${sB}-4-exchange-done`);
      await loadMessage(pa, fields, 4);
    }
    if (sA) await shot(pa, `${sA}-4-exchange-done`);

    // the CLI on the same inputs
    const want = cliExchange({ a: data.a, b: data.b, ...c }, dir);

    for (const [side, page, cliSide] of [
      ['A', pa, want.a],
      ['B', pb, want.b],
    ]) {
      await toResults(page);
      if (c.shots) await shot(page, `step-${side}-5-results`);
      assert.deepEqual(await readMatrix(page), parseCsv(cliSide.matrix), `${side}: the matrix equals the CLI's`);
      const cliRows = reportRows(cliSide.report);
      const counts = (await page.$('#table-status')) ? Number((await page.textContent('#table-status')).match(/of ([\d,]+)/)[1].replace(/,/g, '')) : 0;
      assert.equal(counts, cliRows.length, `${side}: as many rows as the CLI report`);
      if (c.table) {
        const rows = await readTable(page);
        assert.equal(rows.length, cliRows.length);
        assert.deepEqual(rows, cliRows, `${side}: the table equals the CLI report`);
      }
      const exported = await download(page, '#export-matrix', dir);
      assert.equal(readFileSync(exported, 'utf8'), cliSide.matrix, `${side}: the matrix export equals the CLI's`);
      if (await page.isEnabled('#export-csv')) {
        const csv = await download(page, '#export-csv', dir);
        assert.equal(readFileSync(csv, 'utf8'), cliSide.report, `${side}: the CSV export equals the CLI report`);
      } else {
        assert.equal(cliRows.length, 0, `${side}: no export only when the partner shares counts`);
      }
    }
    if (c.shots) {
      // a cell of the heatmap filters the table
      await pa.click('button.cell[data-cell="0,0"]');
      await pa.waitForSelector('.filter-chip');
      const m = await readMatrix(pa);
      await pa.waitForFunction((n) => document.getElementById('table-status').textContent.includes(`of ${n} matching`), m[1][1]);
      await shot(pa, 'step-A-5-results-cell');
      await pa.click('#clear-cell');
      await pa.waitForSelector('.filter-chip', { state: 'detached' });
      await pa.selectOption('#page-size', '100');
      await readmeShot(pa, 'readme-results', 1150);
    }

    await pages.done(A, B);
  });
}
