// The columns step: the analyst turns a column off and moves a type value into a new population;
// the page re-reads the export with those rules, and the offer it makes announces exactly what
// the CLI's offer announces with the same --column and --population flags. The notices CSV is the
// CLI's --issues file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { download } from './lib.mjs';
import { cli, createFirst, crmPair, idle, pageTests, shot, startWith } from './page.mjs';

const pages = pageTests('col');
const data = crmPair({ fixtures: true });


/** `overlap inspect` without the lines that differ between two sessions. */
const inspect = (file) =>
  String(execFileSync(cli, ['inspect', file]))
    .split('\n')
    .filter((l) => !/^(session|bytes):/.test(l))
    .join('\n');

test('a CSV dropped on the page is read and previewed', async () => {
  const side = await pages.open();
  const { page } = side;
  const text = readFileSync(data.b, 'utf8');
  const dt = await page.evaluateHandle((t) => {
    const d = new DataTransfer();
    d.items.add(new File([t], 'dropped.csv', { type: 'text/csv' }));
    return d;
  }, text);
  await page.dispatchEvent('#csv-drop', 'dragenter', { dataTransfer: dt });
  assert.ok(await page.$('#csv-drop.over'), 'the zone shows it accepts the drop');
  await page.dispatchEvent('#csv-drop', 'drop', { dataTransfer: dt });
  await page.waitForSelector('#start-next:not([disabled])');
  assert.match(await page.textContent('#file-info'), /dropped\.csv[\s\S]*600 accounts \(rows\)/);
  assert.match(await page.textContent('#preview caption'), /First 8 rows of dropped\.csv/);
  assert.equal(await page.locator('#preview tbody tr').count(), 8);
  await pages.done(side);
});

test('edited columns and populations give the same offer as the CLI with the same rules', async () => {
  const dir = pages.dir();
  const side = await pages.open();
  const { page } = side;
  await startWith(page, { csv: data.a });
  await page.click('#start-next');
  await page.waitForSelector('#step-columns:not([hidden])');
  assert.match(await page.textContent('#mapping-card'), /Website[\s\S]*\d+%[\s\S]*from header and values/);
  assert.match(await page.textContent('#populations-card'), /Customers\s*163 rows/);

  // Turn the email column off.
  await page.selectOption('select[aria-label="Email column"]', '');
  await page.waitForFunction(() => /Email[\s\S]*off, set by you/.test(document.getElementById('mapping-card').textContent));
  await idle(page);

  // A new population, "Partners", for the value "Partner" (which went to "Other").
  await page.fill('#add-pop-name', 'Partners');
  await page.click('.add-pop button');
  await page.selectOption('select[aria-label="Population for Partner"]', 'Partners');
  await page.waitForFunction(() => /Partners/.test(document.querySelector('.pop-counts')?.textContent));
  await idle(page);
  await shot(page, 'columns-edited');
  const counts = await page.textContent('.pop-counts');
  assert.match(counts, /Partners\s*\d+ rows/);

  const notices = await download(page, '#download-issues', dir);

  await page.click('#columns-next');
  await page.check('input[name=sharing][value=overlaps]');
  await page.click('#sharing-next');
  const offer = await createFirst(page, dir);

  const flags = [
    '--column', 'email=',
    '--population', 'Customers=Type:Customer - Direct|Customer - Channel',
    '--population', 'Prospects=Type:Prospect',
    '--population', 'Other=rest',
    '--population', 'Partners=Type:Partner',
  ];
  const cliOffer = join(dir, 'cli-offer.msg');
  const cliIssues = join(dir, 'cli-issues.csv');
  execFileSync(cli, ['offer', '--csv', data.a, '--state', join(dir, 'a.state'), '--out', cliOffer, '--sharing', 'overlaps', '--issues', cliIssues, ...flags], { stdio: 'ignore' });
  assert.equal(inspect(offer), inspect(cliOffer), 'the page announces what the CLI announces');
  assert.match(inspect(offer), /population: Partners/);
  assert.equal(readFileSync(notices, 'utf8'), readFileSync(cliIssues, 'utf8'), 'the notices CSV is the CLI --issues file');

  await pages.done(side);
});
