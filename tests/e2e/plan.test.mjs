// From overlap to a co-selling plan on the page (#15): two partners choose "Co-sell planning",
// finish the exchange, see a shape per overlapping account, and partner A makes its joint account
// plan: the suggested 12, star and unstar, a next step edited, the plan kept over a reload, the CSV
// exports checked byte by byte, the print view, and the plan sent to partner B, whose page shows
// it under B's own account names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { artifacts, download, root } from './lib.mjs';
import { chooseSharing, createFirst, downloadOutgoing, dropFile, idle, loadMessage, pageTests, parseCsv, quickList, ready, shot, startWith, toResults } from './page.mjs';

const pages = pageTests('plan');
// The crm-pair slices (5,000 rows each, with owner, deal stage, amount and last-activity columns).
const data = { a: join(root, 'tests/fixtures/crm-pair/partner_a.csv'), b: join(root, 'tests/fixtures/crm-pair/partner_b.csv') };

/** Goes to the Plan step and waits for the ranking. */
async function toPlan(page) {
  await page.click('#steps button[data-step=plan]');
  await page.waitForSelector('#step-plan:not([hidden]) .plan-entries, #step-plan:not([hidden]) #counts-only', { timeout: 60_000 });
}

const planRows = (page) => page.$$eval('#plan-card li.plan-entry', (els) => els.map((e) => Number(e.dataset.row)));

test('Co-sell planning on both sides → shapes in the results → a joint plan, exported, printed, kept and sent to the partner', async () => {
  const dir = pages.dir();
  const A = await pages.open('A');
  const B = await pages.open('B');
  const pa = A.page;
  const pb = B.page;

  // Sharing: "Co-sell planning" shares overlaps plus the owner and deal stage columns.
  await startWith(pa, { role: 'A', csv: data.a });
  await pa.click('#start-next');
  await pa.waitForSelector('#step-columns:not([hidden])');
  // Each population shows its role (and it can be changed).
  const roles = await pa.$$eval('#populations-card .pop-role', (els) => els.map((e) => /** @type {HTMLSelectElement} */ (e).value));
  assert.deepEqual(roles, ['customer', 'prospect', 'other', 'opportunity']);
  await pa.locator('#populations-card').screenshot({ path: join(artifacts, 'plan-0-roles.png') });
  await pa.click('#columns-next');
  await pa.waitForSelector('#step-sharing:not([hidden])');
  await pa.check('input[name=sharing][value=cosell]');
  assert.deepEqual(await pa.$$eval('#fields-list input:checked', (els) => els.map((e) => /** @type {HTMLInputElement} */ (e).value)), ['Account Owner', 'Open Opportunity Stage']);
  assert.match(await pa.textContent('#cosell-hint'), /both of you to share at least overlaps/);
  await shot(pa, 'plan-1-sharing');
  await pa.click('#sharing-next');
  await pa.waitForSelector('#step-exchange:not([hidden])');
  const offer = await createFirst(pa, dir);

  await startWith(pb, { role: 'B', csv: data.b, offer });
  await pb.click('#start-next');
  await pb.waitForSelector('#step-columns:not([hidden])');
  await pb.click('#columns-next');
  await pb.waitForSelector('#step-sharing:not([hidden])');
  // B reads what A chose.
  assert.match(await pb.textContent('#partner-offer-note'), /Your partner chose co-sell planning: overlaps plus its owner and deal stage \(Account Owner, Open Opportunity Stage\)/);
  await pb.check('input[name=sharing][value=cosell]');
  assert.deepEqual(await pb.$$eval('#fields-list input:checked', (els) => els.map((e) => /** @type {HTMLInputElement} */ (e).value)), ['Company owner', 'Open Deal Stage']);
  await pb.click('#sharing-next');
  await pb.waitForSelector('#step-exchange:not([hidden])');
  const reply = await createFirst(pb, dir);
  await loadMessage(pa, reply, 2);
  const confirm = await downloadOutgoing(pa, dir);
  await loadMessage(pb, confirm, 3);
  const fields = await downloadOutgoing(pb, dir);
  await loadMessage(pa, fields, 4);

  // Results: a shape per overlapping row (a column and a filter), a shape under each heatmap cell.
  await toResults(pa);
  await pa.waitForSelector('#matches tbody tr[data-row]');
  const heads = await pa.$$eval('#matches thead th', (els) => els.map((e) => e.querySelector('button')?.firstChild?.textContent));
  assert.ok(heads.includes('Co-selling shape'));
  const cellShapes = await pa.$$eval('table.heatmap td[data-shape]', (els) => els.map((e) => e.getAttribute('data-shape')));
  assert.equal(cellShapes.length, 16);
  // my Customers × its Open Opportunities: customer expansion led by me, my Prospects × its
  // Customers: led by the partner; my Open deals × its Open deals: joint pursuit
  assert.equal(cellShapes[1], 'Customer expansion, we lead');
  assert.equal(cellShapes[4], 'Customer expansion, partner leads');
  assert.equal(cellShapes[15], 'Joint pursuit');
  const total = await pa.textContent('#table-status');
  await pa.selectOption('#shape-filter', 'joint-pursuit');
  await pa.waitForFunction((t) => document.getElementById('table-status')?.textContent !== t, total);
  const shapesShown = await pa.$$eval('#matches tbody .shape-badge', (els) => [...new Set(els.map((e) => e.textContent))]);
  assert.deepEqual(shapesShown, ['Joint pursuit']);
  await shot(pa, 'plan-2-results-shapes');
  await pa.selectOption('#shape-filter', '');

  // Plan: the suggested 12.
  await pa.click('#to-plan');
  await pa.waitForSelector('#step-plan:not([hidden]) .plan-entries');
  const suggested = await planRows(pa);
  assert.equal(suggested.length, 12);
  assert.equal(await pa.textContent('#plan-count'), '12 accounts');
  // every planned account is a co-selling deal; reasons say why
  const badges = await pa.$$eval('#plan-card .plan-entry-head .shape-badge', (els) => els.map((e) => e.textContent));
  for (const b of badges) assert.ok(['Joint pursuit', 'Customer expansion', 'Source to source'].includes(b), b);
  assert.match(await pa.textContent('#plan-card .plan-entry .why'), /matched on domain/);

  // Star the first ranked account not in the plan, unstar the plan's last one.
  const extra = await pa.$eval('#ranked tbody button.star[aria-pressed=false]', (b) => Number(b.closest('tr').dataset.row));
  await pa.click(`#star-${extra}`);
  await pa.waitForFunction(() => document.getElementById('plan-count')?.textContent === '13 accounts');
  await pa.click(`#plan-${suggested[11]}-unstar`);
  await pa.waitForFunction(() => document.getElementById('plan-count')?.textContent === '12 accounts');
  const mine = await planRows(pa);
  assert.ok(mine.includes(extra) && !mine.includes(suggested[11]));
  // Above 15 the page warns.
  const stars = await pa.$$eval('#ranked tbody button.star[aria-pressed=false]', (els) => els.slice(0, 4).map((b) => b.id));
  for (const id of stars) await pa.click(`#${id}`);
  await pa.waitForFunction(() => document.getElementById('plan-count')?.textContent === '16 accounts');
  await pa.waitForSelector('#plan-warnings .callout.warning');
  assert.match(await pa.textContent('#plan-warnings'), /vertical list/);
  for (const id of stars) await pa.click(`#${id}`);
  await pa.waitForFunction(() => document.getElementById('plan-count')?.textContent === '12 accounts');
  assert.equal(await pa.$('#plan-warnings .callout'), null);

  // Edit a next step (and a formula in the notes, which the CSV must guard).
  const first = mine[0];
  await pa.fill(`#plan-${first}-nextStep`, 'Intro call with the CFO');
  await pa.fill(`#plan-${first}-nextStepOwner`, 'Ana');
  await pa.fill(`#plan-${first}-nextStepDate`, '2026-12-15');
  await pa.fill(`#plan-${first}-notes`, '=HYPERLINK("http://evil.example","x")');
  await pa.selectOption(`#plan-${first}-lead`, 'us');
  await pa.waitForTimeout(400); // the session is saved a moment after typing stops
  await shot(pa, 'plan-3-plan');

  // Reload: the plan comes back with the session.
  await pa.reload();
  await ready(pa);
  await pa.waitForSelector('#saved .saved-list li');
  await pa.click('#saved .saved-list li button:has-text("Resume")');
  await pa.waitForSelector('#step-exchange:not([hidden]) li.msg.done');
  await idle(pa);
  await toPlan(pa);
  assert.deepEqual(await planRows(pa), mine, 'the same accounts after a reload');
  assert.equal(await pa.inputValue(`#plan-${first}-nextStep`), 'Intro call with the CFO');
  assert.equal(await pa.inputValue(`#plan-${first}-nextStepDate`), '2026-12-15');
  assert.equal(await pa.inputValue(`#plan-${first}-lead`), 'us');

  // CSV for Excel: BOM, the plan's columns, the formula guarded; for a CRM: no BOM.
  const excel = readFileSync(await download(pa, '#plan-csv-excel', dir));
  assert.deepEqual([...excel.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const rows = parseCsv(excel.toString('utf8'));
  assert.deepEqual(rows[0], ['account', 'website', 'shape', 'lead', 'support', 'closes', 'our_owner', 'partner_owner', 'next_step', 'next_step_owner', 'next_step_date', 'forecast_date', 'notes', 'score', 'why']);
  assert.equal(rows.length, 13);
  const row1 = Object.fromEntries(rows[0].map((k, i) => [k, rows[1][i]]));
  assert.equal(row1.next_step, 'Intro call with the CFO');
  assert.equal(row1.next_step_owner, 'Ana');
  assert.equal(row1.lead, 'us');
  assert.equal(row1.notes, `'=HYPERLINK("http://evil.example","x")`, 'the formula comes out guarded');
  const crm = readFileSync(await download(pa, '#plan-csv-crm', dir));
  assert.notEqual(crm[0], 0xef);
  assert.equal(parseCsv(crm.toString('utf8'))[0].join(','), rows[0].join(','));

  // The rule table: a cell changed ranks again (shared customers become joint pursuits).
  const before = await pa.textContent('#ranked-shape option[value=joint-pursuit]');
  await pa.selectOption('#rules select[data-cell="customer×customer"]', 'joint-pursuit/both');
  await pa.waitForFunction((b) => document.querySelector('#ranked-shape option[value=joint-pursuit]')?.textContent !== b, before);
  await pa.selectOption('#rules select[data-cell="customer×customer"]', 'shared-customer/both');
  await pa.waitForFunction((b) => document.querySelector('#ranked-shape option[value=joint-pursuit]')?.textContent === b, before);
  assert.deepEqual(await planRows(pa), mine, 'an edited plan stays as it is when the rules change');
  assert.equal(await pa.$('#rules-reset'), null, 'back to the standard table: no edit left');

  // Sending: what travels is said first; the file names no account.
  assert.match(await pa.textContent('#plan-travels'), /Never an account name/);
  const planFile = await download(pa, '#send-plan', dir);
  assert.match(planFile, /overlap-[0-9a-f]{8}-5-plan-r1\.overlap$/);
  const aCsv = parseCsv(readFileSync(data.a, 'utf8'));
  const bytes = readFileSync(planFile);
  for (const r of mine) assert.ok(!bytes.includes(Buffer.from(aCsv[r + 1][1])), 'no account name travels');

  // B drops it on its Plan step: A's plan under B's own account names, sides from B's view.
  await toResults(pb);
  await toPlan(pb);
  await pb.setInputFiles('#plan-file', planFile);
  await pb.waitForSelector('#plan-received');
  assert.match(await pb.textContent('#h-received'), /proposal, revision 1 · 12 accounts/);
  const bCsv = parseCsv(readFileSync(data.b, 'utf8'));
  const received = await pb.$$eval('#received-table tbody tr', (els) => els.map((e) => ({ row: Number(e.dataset.row), name: e.querySelector('.received-name')?.textContent, cells: [...e.children].map((td) => td.textContent) })));
  assert.equal(received.length, 12);
  for (const r of received) assert.equal(r.name, bCsv[r.row + 1][1], "shown under B's own name for the account");
  const mineFirst = received[0];
  assert.match(mineFirst.cells[2], /^Partner \//, 'A leads: B sees its partner leading');
  assert.match(mineFirst.cells[5], /Intro call with the CFO/);
  assert.equal(mineFirst.cells[7], '=HYPERLINK("http://evil.example","x")', 'shown as text');
  await pb.locator('#plan-received').screenshot({ path: join(artifacts, 'plan-6-received.png') });

  // B answers with changes (revision 2); A sees them and accepts.
  await pb.click('#adopt-plan');
  await pb.waitForSelector('#plan-card .plan-entries');
  const bFirst = received[0].row;
  await pb.fill(`#plan-${bFirst}-nextStepOwner`, 'Bea');
  const changes = await download(pb, '#send-plan', dir);
  assert.match(changes, /-5-plan-r2\.overlap$/);
  // A drops it on its Exchange step (finished: no loader there): it goes to the Plan step.
  await pa.click('#steps button[data-step=exchange]');
  await dropFile(pa, '#step-exchange', changes);
  await pa.waitForSelector('#step-plan:not([hidden]) #plan-received');
  assert.match(await pa.textContent('#h-received'), /changes to your plan, revision 2/);
  assert.match(await pa.textContent('#received-table'), /Bea/);
  const accepted = await download(pa, '#accept-plan', dir);
  assert.match(accepted, /-5-plan-r2-accepted\.overlap$/);
  // B takes the acceptance after a reload, dropped on the start page: the session it belongs to
  // resumes and its Plan step shows it.
  await pb.reload();
  await ready(pb);
  await pb.check('input[name=role][value=B]');
  await pb.setInputFiles('#offer-file', accepted);
  await pb.waitForSelector('#routed');
  assert.match(await pb.textContent('#routed'), /file 5 \(the plan\) of your mapping [0-9a-f]{8}, saved in this browser/);
  await pb.click('#routed-resume');
  await pb.waitForFunction(() => /accepted, revision 2/.test(document.getElementById('h-received')?.textContent ?? ''), null, { timeout: 60_000 });
  assert.match(await pb.textContent('#received-line'), /Your partner accepted this revision/);
  assert.match(await pb.inputValue(`#plan-${bFirst}-nextStepOwner`), /Bea/, "B's plan came back with its session");

  // A's plan, as agreed, with a few more next steps: the print view (only the plan, as a table)
  // and the step, for the README.
  await pa.waitForSelector('#plan-card .plan-entries');
  const agreed = await planRows(pa);
  await pa.fill(`#plan-${agreed[0]}-notes`, 'Use case: replace the legacy data platform. Committee: CFO (sponsor), CIO, Head of Data');
  await pa.fill(`#plan-${agreed[0]}-forecastDate`, '2027-03-31');
  const steps = [
    ['Joint account review with both reps', '2026-12-10'],
    ['Partner rep introduces us to the CIO', '2026-12-12'],
    ['Shared demo for the data team', '2026-12-17'],
  ];
  for (const [k, [step, date]] of steps.entries()) {
    await pa.fill(`#plan-${agreed[k + 1]}-nextStep`, step);
    await pa.fill(`#plan-${agreed[k + 1]}-nextStepDate`, date);
  }
  await pa.waitForTimeout(400);
  await pa.emulateMedia({ media: 'print' });
  assert.equal(await pa.isVisible('#plan-print'), true);
  assert.equal(await pa.isVisible('#plan-card'), false);
  assert.equal(await pa.isVisible('nav.stepper'), false);
  assert.equal(await pa.locator('#plan-print-body tr').count(), agreed.length);
  assert.match(await pa.textContent('#plan-print-body'), /Shared demo for the data team/);
  await pa.setViewportSize({ width: 1280, height: 900 });
  await pa.screenshot({ path: join(artifacts, 'plan-5-print.png'), fullPage: true });
  await pa.emulateMedia({ media: 'screen' });
  await pa.evaluate(() => {
    document.activeElement?.blur();
    window.scrollTo(0, 0);
  });
  await pa.click('#plan-card .plan-entry .why summary');
  await pa.screenshot({ path: join(artifacts, 'plan-4-plan-top.png') });
  for (const part of ['share-plan', 'ranked-card', 'rules-card']) await pa.locator(`#${part}`).screenshot({ path: join(artifacts, `plan-7-${part}.png`) });

  // The best two for the README.
  copyFileSync(join(artifacts, 'plan-4-plan-top.png'), join(root, 'docs/screenshots/plan.png'));
  copyFileSync(join(artifacts, 'plan-5-print.png'), join(root, 'docs/screenshots/plan-print.png'));
  await pages.done(A, B);
});

test('a counts-only result says what it can and cannot support instead of an empty plan', async () => {
  const dir = pages.dir();
  const A = await pages.open('A');
  const B = await pages.open('B');
  await startWith(A.page, { role: 'A', csv: data.a });
  await chooseSharing(A.page, { sharing: 'counts', minPopulation: 1 });
  const offer = await createFirst(A.page, dir);
  await startWith(B.page, { role: 'B', csv: data.b, offer });
  assert.match(await B.page.textContent('#offer-info'), /counts/);
  await chooseSharing(B.page, { sharing: 'counts', minPopulation: 1 });
  const reply = await createFirst(B.page, dir);
  await loadMessage(A.page, reply, 2);
  await toResults(A.page);
  assert.match(await A.page.textContent('#results'), /cannot make a named plan/);
  await toPlan(A.page);
  const text = await A.page.textContent('#counts-only');
  assert.match(text, /size the opportunity/);
  assert.match(text, /Co-sell planning/);
  await shot(A.page, 'plan-8-counts-only');
  await pages.done(A, B);
});

test('in quick mode the plan is made and exported, and the page says why it cannot be sent', async () => {
  const dir = pages.dir();
  const A = await pages.open('A');
  const B = await pages.open('B');
  await startWith(A.page, { role: 'A', csv: data.a });
  await chooseSharing(A.page, { method: 'quick' });
  const { secret, list } = await quickList(A.page, dir);
  // The second partner has no saved session: its plan lives in the page.
  await startWith(B.page, { role: 'B', csv: data.b, offer: list });
  await chooseSharing(B.page, { method: 'quick' });
  await B.page.fill('#quick-secret', secret);
  await B.page.waitForSelector('#quick-secret-status.ok-text');
  await B.page.click('#quick-answer');
  await B.page.waitForSelector('#download-quick');
  await B.page.click('#steps button[data-step=plan]');
  await B.page.waitForSelector('#plan-card .plan-entries');
  assert.equal((await planRows(B.page)).length, 12);
  assert.match(await B.page.textContent('#plan-not-sendable'), /quick mode/);
  const csv = readFileSync(await download(B.page, '#plan-csv-excel', dir));
  assert.equal(parseCsv(csv.toString('utf8')).length, 13);
  await pages.done(A, B);
});
