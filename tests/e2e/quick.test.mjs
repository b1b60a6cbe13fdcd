// The page in quick mode, end to end in Chromium: two contexts play the two partners.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { artifacts, download, fixtures, launch, offOrigin, recordRequests, root, startServer } from './lib.mjs';

let server, browser;
const dir = mkdtempSync(join(tmpdir(), 'overlap-e2e-'));
const A = join(fixtures, 'partner_a.csv');
const B = join(fixtures, 'partner_b.csv');
const SECRET = 'correct horse battery staple';

before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.close();
});

async function party(csv) {
  const context = await browser.newContext({ acceptDownloads: true });
  const requests = recordRequests(context);
  const page = await context.newPage();
  await page.goto(server.url);
  await page.setInputFiles('#csv', csv);
  await page.waitForFunction(() => /rows/.test(document.getElementById('file-status').textContent));
  await page.fill('#secret', SECRET);
  return { context, page, requests };
}

function cliQuick(csv, partnerMsg) {
  const bin = join(root, 'target/release/overlap');
  const env = { ...process.env, OVERLAP_SECRET: SECRET };
  const out = execFileSync(bin, ['quick', '--csv', csv, '--partner', partnerMsg, '--report', join(dir, 'cli.csv')], {
    env,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return Number(String(out).match(/^(\d+) of my/)[1]);
}

test('two partners find their overlap in quick mode, matching the CLI, without leaving localhost', async () => {
  const a = await party(A);
  const b = await party(B);
  await a.page.screenshot({ path: join(artifacts, 'quick-1-file.png'), fullPage: true });
  const aMsg = await download(a.page, '#make', dir);
  const bMsg = await download(b.page, '#make', dir);
  assert.match(aMsg, /partner_a\.quick\.msg$/);

  await a.page.setInputFiles('#partner', bMsg);
  await b.page.setInputFiles('#partner', aMsg);
  for (const p of [a.page, b.page]) await p.waitForSelector('#step-results:not([hidden])');
  await a.page.screenshot({ path: join(artifacts, 'quick-2-results.png'), fullPage: true });

  const countOf = async (p) => Number((await p.textContent('#summary')).match(/^(\d+) of your/)[1]);
  const aCount = await countOf(a.page);
  const bCount = await countOf(b.page);
  assert.ok(aCount > 50, `A sees ${aCount} overlapping rows`);
  assert.equal(aCount, cliQuick(A, bMsg), 'page and CLI agree for A');
  assert.equal(bCount, cliQuick(B, aMsg), 'page and CLI agree for B');
  assert.equal(await a.page.locator('#matches tbody tr').count(), Math.min(aCount, 500));

  const exported = await download(a.page, '#export', dir);
  assert.match(exported, /partner_a\.overlap\.csv$/);

  for (const side of [a, b]) {
    assert.deepEqual(offOrigin(side.requests, server.url), [], 'no request leaves the page origin');
    await side.context.close();
  }
});

test('a different secret, a file that is not a message and a CSV without usable columns are named', async () => {
  const a = await party(A);
  const other = await browser.newContext({ acceptDownloads: true });
  const op = await other.newPage();
  await op.goto(server.url);
  await op.setInputFiles('#csv', B);
  await op.waitForFunction(() => /rows/.test(document.getElementById('file-status').textContent));
  await op.fill('#secret', 'a different secret');
  const wrong = await download(op, '#make', dir);

  await a.page.setInputFiles('#partner', wrong);
  await a.page.waitForFunction(() => document.getElementById('error').textContent !== '');
  assert.match(await a.page.textContent('#error'), /different shared secret/);

  await a.page.setInputFiles('#partner', B);
  await a.page.waitForFunction(() => /not an overlap message/.test(document.getElementById('error').textContent));

  const noKeys = join(dir, 'no-keys.csv');
  writeFileSync(noKeys, 'Phone,Notes\n555-0100,call back\n');
  await a.page.setInputFiles('#csv', noKeys);
  await a.page.waitForFunction(() => document.getElementById('error').textContent !== '');
  assert.match(await a.page.textContent('#error'), /no-keys\.csv: .*column/);
  await a.context.close();
  await other.close();
});
