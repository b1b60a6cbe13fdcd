// A first-time user, each partner in its own browser, going through the whole mapping only by what
// the page shows: labels, button names and headings (no ids, no knowledge of the page's code).
// A screenshot of every step goes to tests/e2e/artifacts/first-time-*.png. Then the exported CSV is
// read back as a spreadsheet would read it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pageTests, shot } from './page.mjs';
import { writePair } from './fixtures.mjs';

const pages = pageTests('first');
const dir = pages.dir();
const data = writePair(dir);

/** Clicks the button named `name` and saves the download it starts. */
async function downloadBy(page, name) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
  const path = join(dir, dl.suggestedFilename());
  await dl.saveAs(path);
  return path;
}

/** The file input of the drop zone whose visible text is `text`. */
const dropZone = (page, text) => page.locator('label.drop', { hasText: text }).locator('input[type=file]');

test('two first-time partners map their accounts by reading the page', async () => {
  const A = await pages.open('A');
  const B = await pages.open('B');
  const a = A.page;
  const b = B.page;

  // ---- A: start ----
  await a.getByRole('radio', { name: /^Start a mapping/ }).check();
  await dropZone(a, 'Drop a CSV export here').setInputFiles(data.a);
  await a.getByText('60 accounts (rows)').waitFor();
  await shot(a, 'first-time-a-1-start');
  await a.getByRole('button', { name: 'Continue to columns' }).click();
  await a.getByRole('heading', { name: 'Columns and populations' }).waitFor();
  await shot(a, 'first-time-a-2-columns');
  await a.getByRole('button', { name: 'Continue to sharing' }).click();
  await a.getByRole('heading', { name: 'What your partner may learn' }).waitFor();
  await a.getByRole('radio', { name: /^Overlaps Your partner also sees/ }).check();
  // Before committing: the partner may share less, and what each combination gives.
  await a.getByText('Your partner chooses too, and may share less than you.').waitFor();
  const combos = a.getByRole('table', { name: /With your choice \(overlaps\)/ });
  assert.equal(await combos.getByRole('row').count(), 4, 'a row per level the partner may choose, and the header');
  assert.match(await combos.textContent(), /CountsHow many accounts overlap, per pair of populations — not whichWhich of its accounts overlap, with your populations/);
  await shot(a, 'first-time-a-3-sharing');
  await a.getByRole('button', { name: 'Continue to the exchange' }).click();
  await a.getByRole('heading', { name: 'Exchange files with your partner' }).waitFor();
  await a.getByText('File 1 of 3 — to your partner').waitFor();
  await a.getByRole('button', { name: 'Create file 1' }).click();
  const file1 = await downloadBy(a, 'Download file 1 of 3');
  assert.match(file1, /overlap-[0-9a-f]{8}-1-offer\.overlap$/);
  // The note for the partner: the page's address, what to choose, what to send back.
  const note = await a.getByRole('textbox', { name: 'What to tell your partner' }).inputValue();
  assert.ok(note.includes(pages.url), 'the note gives the page address');
  assert.match(note, /Choose "Answer a partner’s offer" and drop the attached file/);
  assert.match(note, /Drop your own CRM export/);
  assert.match(note, /send it back to me/);
  assert.ok(note.includes(file1.split('/').at(-1)), 'the note names the file');
  const mail = await a.getByRole('link', { name: 'Write an email' }).getAttribute('href');
  assert.ok(mail.startsWith('mailto:?subject=') && decodeURIComponent(mail).includes(pages.url));
  await shot(a, 'first-time-a-4-file-1');

  // ---- B: answers ----
  await b.getByRole('radio', { name: /^Answer a partner’s offer/ }).check();
  await dropZone(b, 'Drop your partner’s file here').setInputFiles(file1);
  await b.getByText(/Your partner shares overlaps/).first().waitFor();
  await dropZone(b, 'Drop a CSV export here').setInputFiles(data.b);
  await b.getByText('70 accounts (rows)').waitFor();
  await shot(b, 'first-time-b-1-start');
  await b.getByRole('button', { name: 'Continue to columns' }).click();
  await b.getByRole('button', { name: 'Continue to sharing' }).click();
  await b.getByRole('radio', { name: /^Overlaps Your partner also sees/ }).check();
  await shot(b, 'first-time-b-2-sharing');
  await b.getByRole('button', { name: 'Continue to the exchange' }).click();
  await b.getByRole('button', { name: 'Create file 2' }).click();
  const file2 = await downloadBy(b, 'Download file 2 of 3');
  assert.match(file2, /-2-reply\.overlap$/);
  assert.match(await b.getByRole('textbox', { name: 'What to tell your partner' }).inputValue(), /file 3 of 3: please send it back to me/);
  await shot(b, 'first-time-b-3-file-2');

  // ---- A: loads file 2, sends file 3, sees its results ----
  await dropZone(a, 'Drop file 2 here').setInputFiles(file2);
  const file3 = await downloadBy(a, 'Download file 3 of 3');
  assert.match(file3, /-3-confirm\.overlap$/);
  await shot(a, 'first-time-a-5-file-3');
  await a.getByRole('button', { name: 'See your results' }).click();
  await a.getByRole('heading', { name: 'Your overlap', exact: true }).waitFor();
  await a.getByText(/Rows 1–30 of 30/).waitFor();
  assert.match(await a.getByText(/Your partner sees different totals/).textContent(), /each side counts its own rows/);
  await shot(a, 'first-time-a-6-results');

  // ---- B: loads file 3, sees its results ----
  await dropZone(b, 'Drop file 3 here').setInputFiles(file3);
  await b.getByRole('button', { name: 'See your results' }).click();
  await b.getByRole('heading', { name: 'Your overlap', exact: true }).waitFor();
  await b.getByText(/Rows 1–30 of 30/).waitFor();
  await shot(b, 'first-time-b-4-results');

  // ---- A exports: for Excel (the default), then for a CRM import ----
  assert.ok(await a.getByRole('radio', { name: /^For Excel/ }).isChecked(), 'Excel is the default');
  const excel = await downloadBy(a, /^Download all 30 overlapping rows/);
  const bytes = readFileSync(excel);
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with a byte-order mark');
  // Read back as a spreadsheet reads a CSV: LibreOffice is not installed on this machine (and too
  // large to install for a test), so Python's csv module decodes it as Excel decodes a file with a
  // byte-order mark ('utf-8-sig'); without the mark Excel falls back to the ANSI code page (1252),
  // which is what garbled "Débora" into "DÃ©bora".
  const py = `
import csv, io, json, sys
raw = open(sys.argv[1], 'rb').read()
rows = list(csv.DictReader(io.StringIO(raw.decode('utf-8-sig'), newline='')))
ansi = raw[3:].decode('cp1252', errors='replace')
print(json.dumps({'names': [r['Account Name'] for r in rows], 'owners': sorted({r['Account Owner'] for r in rows}), 'phones': [r['Phone'] for r in rows], 'ansi_garbles': 'DÃ©bora' in ansi}))
`;
  const read = (file) => JSON.parse(execFileSync('python3', ['-c', py, file], { encoding: 'utf8' }));
  const x = read(excel);
  assert.equal(x.names.length, 30);
  for (const name of data.named) assert.ok(x.names.includes(name), `${name} intact in the Excel export`);
  assert.deepEqual(x.owners, ['Débora Núñez', '山田 太郎']);
  assert.ok(x.ansi_garbles, 'without the byte-order mark the same bytes would show DÃ©bora');
  assert.ok(x.phones.includes("'+46 70 123 45 67"), 'for Excel a cell starting with + is guarded');

  await a.getByRole('radio', { name: /^For a CRM import/ }).check();
  const crm = await downloadBy(a, /^Download all 30 overlapping rows/);
  assert.match(crm, /-for-crm\.csv$/);
  const crmBytes = readFileSync(crm);
  assert.notDeepEqual([...crmBytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'no byte-order mark for a CRM import');
  const y = JSON.parse(execFileSync('python3', ['-c', py.replace("raw.decode('utf-8-sig')", "raw.decode('utf-8')"), crm], { encoding: 'utf8' }));
  for (const name of data.named) assert.ok(y.names.includes(name), `${name} intact in the CRM export`);
  for (const phone of data.phones) assert.ok(y.phones.includes(phone), `${phone} usable in the CRM export`);
  await shot(a, 'first-time-a-7-export');

  await pages.done(A, B);
});
