// Interop: the wasm build (the package in Node) and the native CLI speak the same bytes. Each
// test plays one partner in wasm and the other with the CLI, through every message.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'target/release/overlap');
const A = join(root, 'tests/fixtures/partner_a.csv');
const B = join(root, 'tests/fixtures/partner_b.csv');
let overlap;

before(async () => {
  overlap = await import(join(root, 'pkg/node.js'));
  await overlap.init();
});

function cli(...args) {
  return String(execFileSync(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
}

function csvRows(bytes) {
  return new TextDecoder().decode(bytes).trim().split(/\r?\n/).length - 1;
}

test('wasm A ⇄ CLI B, fields both ways: both sides get the same result as an all-CLI run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'overlap-interop-'));
  const p = (f) => join(dir, f);
  const da = overlap.Dataset.fromBytes(readFileSync(A));
  const opts = { sharing: 'fields', fields: ['Account Owner'] };
  const { party: a1, message: offer } = await overlap.Party.start(da, opts);
  writeFileSync(p('1.msg'), offer);
  cli('reply', '--csv', B, '--offer', p('1.msg'), '--state', p('b.state'), '--out', p('2.msg'), '--sharing', 'fields', '--share', 'Company owner');
  // A keeps its state as bytes between messages, as the page does.
  const a1b = overlap.Party.restore(a1.toBytes(), da);
  const { party: a2, message: confirm, report: early } = await a1b.receive(readFileSync(p('2.msg')));
  assert.equal(a2.step, 'awaitFields');
  assert.ok(early.matchedRows > 0);
  writeFileSync(p('3.msg'), confirm);
  cli('finish', '--state', p('b.state'), '--confirm', p('3.msg'), '--report', p('b.csv'), '--out', p('4.msg'));
  const { party: a3, report } = await a2.receive(readFileSync(p('4.msg')));
  assert.equal(a3.step, 'done');
  assert.deepEqual(report.partnerFields, ['Company owner']);
  assert.ok(report.rows().every((r) => r.partnerValues.length > 0), 'every matched row carries B\'s owner');

  // The same exchange all in the CLI gives the same rows on both sides.
  cli('offer', '--csv', A, '--state', p('ca.state'), '--out', p('c1.msg'), '--sharing', 'fields', '--share', 'Account Owner');
  cli('reply', '--csv', B, '--offer', p('c1.msg'), '--state', p('cb.state'), '--out', p('c2.msg'), '--sharing', 'fields', '--share', 'Company owner');
  cli('finish', '--state', p('ca.state'), '--reply', p('c2.msg'), '--out', p('c3.msg'), '--report', p('ca.csv'));
  cli('finish', '--state', p('cb.state'), '--confirm', p('c3.msg'), '--report', p('cb.csv'), '--out', p('c4.msg'));
  cli('finish', '--state', p('ca.state'), '--fields', p('c4.msg'), '--report', p('ca.csv'));
  assert.deepEqual(Buffer.from(report.toCsv()), readFileSync(p('ca.csv')), 'the same bytes, BOM included');
  assert.equal(readFileSync(p('b.csv'), 'utf8'), readFileSync(p('cb.csv'), 'utf8'));
});

test('CLI A ⇄ wasm B, counts from B: A sees only the matrix, B sees its rows', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'overlap-interop-'));
  const p = (f) => join(dir, f);
  cli('offer', '--csv', A, '--state', p('a.state'), '--out', p('1.msg'), '--sharing', 'overlaps');
  const db = overlap.Dataset.fromBytes(readFileSync(B));
  const { party: b1, message: reply } = await overlap.Party.respond(db, readFileSync(p('1.msg')), { sharing: 'counts', minPopulation: 1 });
  writeFileSync(p('2.msg'), reply);
  const out = cli('finish', '--state', p('a.state'), '--reply', p('2.msg'), '--out', p('3.msg'), '--report', p('a.csv'), '--matrix', p('am.csv'));
  assert.match(out, /shares counts only/);
  assert.equal(csvRows(readFileSync(p('a.csv'))), 0, 'no row of A is named');
  const { report } = await b1.receive(readFileSync(p('3.msg')));
  assert.equal(report.unit, 'rows');
  assert.ok(report.matchedRows > 0);
  const total = report.matrix.flat().reduce((x, y) => x + y, 0);
  const aTotal = readFileSync(p('am.csv'), 'utf8').trim().split('\n').slice(1).flatMap((l) => l.split(',').slice(1).map(Number)).reduce((x, y) => x + y, 0);
  const shared = Number(out.match(/^(\d+) shared keys/m)[1]);
  assert.equal(shared, report.matchedElements, 'both sides count the same shared elements');
  assert.ok(aTotal >= shared, 'every shared element is in at least one population pair');
  assert.ok(total >= report.matchedRows);
});

test('a message from the wasm build for another session is refused by the CLI, with its reason', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'overlap-interop-'));
  const p = (f) => join(dir, f);
  cli('offer', '--csv', A, '--state', p('a.state'), '--out', p('1.msg'));
  const db = overlap.Dataset.fromBytes(readFileSync(B));
  const da = overlap.Dataset.fromBytes(readFileSync(A));
  const { message: otherOffer } = await overlap.Party.start(da, {});
  const { message: reply } = await overlap.Party.respond(db, otherOffer, { minPopulation: 1 });
  writeFileSync(p('2.msg'), reply);
  assert.throws(
    () => execFileSync(bin, ['finish', '--state', p('a.state'), '--reply', p('2.msg'), '--out', p('3.msg'), '--report', p('a.csv')], { stdio: 'pipe' }),
    (e) => /another mapping session/.test(String(e.stderr)),
  );
});
