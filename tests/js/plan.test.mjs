// The co-selling plan through the built package (pkg/) in Node, on the development pair: ranking
// with reasons, the suggested shortlist, the plan CSV byte-identical to the CLI's `--plan`, the
// plan message to the partner and back, and hostile plans refused.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkgDir = join(root, 'pkg/');
const bin = join(root, 'target/release/overlap');
const fixA = join(root, 'tests/fixtures/crm-pair/partner_a.csv');
const fixB = join(root, 'tests/fixtures/crm-pair/partner_b.csv');
const today = '2026-12-01';
let o, a, b, done;

before(async () => {
  o = await import(`${pkgDir}node.js`);
  await o.init();
  a = o.Dataset.fromBytes(readFileSync(fixA));
  b = o.Dataset.fromBytes(readFileSync(fixB));
  // Co-sell planning on both sides: overlaps plus owner and deal stage.
  const s1 = await o.Party.start(a, { sharing: 'fields', fields: ['Account Owner', 'Open Opportunity Stage'] });
  const s2 = await o.Party.respond(b, s1.message, { sharing: 'fields', fields: ['Company owner', 'Open Deal Stage'] });
  const s3 = await s1.party.receive(s2.message);
  const s4 = await s2.party.receive(s3.message);
  const s5 = await s3.party.receive(s4.message);
  done = { a: s5.party, b: s4.party, ra: s5.report, rb: s4.report };
});

test('every overlapping account is ranked with its shape and reasons; the shortlist is 12 high-confidence deals', () => {
  const ranked = done.ra.rank({ today });
  assert.equal(ranked.length, done.ra.matchedRows);
  for (let i = 1; i < ranked.length; i++) assert.ok(ranked[i - 1].score >= ranked[i].score);
  assert.deepEqual(Object.keys(ranked[0]).sort(), ['confidence', 'lead', 'myOwner', 'partnerOwner', 'reasons', 'row', 'score', 'shape']);
  assert.match(ranked[0].reasons.join('; '), /^joint pursuit: both have open deals; matched on domain/);
  const { entries, warnings } = done.ra.suggestPlan({ today });
  assert.equal(entries.length, 12);
  assert.deepEqual(warnings, []);
  const byRow = new Map(ranked.map((r) => [r.row, r]));
  for (const e of entries) {
    const r = byRow.get(e.row);
    assert.equal(r.confidence, 'high');
    assert.ok(['joint-pursuit', 'customer-expansion', 'source-to-source'].includes(e.shape));
    assert.equal(e.shape, r.shape);
    assert.ok(e.partnerOwner.length > 0, 'the partner shared its owner');
  }
  assert.match(done.ra.suggestPlan({ today, size: 20 }).warnings[0], /vertical list/);
  assert.deepEqual(o.planWarnings(16), done.ra.suggestPlan({ today, size: 16 }).warnings);
  // The rule table: 16 cells, editable.
  const cells = o.shapeRules();
  assert.equal(cells.length, 16);
  assert.deepEqual(cells.find((c) => c.mine === 'customer' && c.theirs === 'opportunity'), { mine: 'customer', theirs: 'opportunity', shape: 'customer-expansion', lead: 'us' });
  assert.equal(o.shapeRules(['customer×customer=joint-pursuit']).find((c) => c.mine === 'customer' && c.theirs === 'customer').shape, 'joint-pursuit');
  assert.throws(() => o.shapeRules(['customer×customer=friends']), (e) => e instanceof o.SettingsError && /MINE×THEIRS/.test(e.message));
});

test("the plan CSV is the CLI's --plan, byte for byte", () => {
  const dir = mkdtempSync(join(tmpdir(), 'overlap-plan-'));
  const p = (f) => join(dir, f);
  const cli = (...args) => execFileSync(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  cli('offer', '--csv', fixA, '--state', p('a.state'), '--out', p('1.overlap'), '--sharing', 'fields', '--share', 'Account Owner,Open Opportunity Stage');
  cli('reply', '--csv', fixB, '--offer', p('1.overlap'), '--state', p('b.state'), '--out', p('2.overlap'), '--sharing', 'fields', '--share', 'Company owner,Open Deal Stage');
  cli('finish', '--state', p('a.state'), '--reply', p('2.overlap'), '--out', p('3.overlap'), '--report', p('a.csv'));
  cli('finish', '--state', p('b.state'), '--confirm', p('3.overlap'), '--out', p('4.overlap'), '--report', p('b.csv'));
  cli('finish', '--state', p('a.state'), '--fields', p('4.overlap'), '--report', p('a.csv'), '--plan', p('plan.csv'), '--today', today);
  const { entries } = done.ra.suggestPlan({ today });
  const mine = done.ra.planCsv(entries, { today });
  assert.deepEqual(Buffer.from(mine), readFileSync(p('plan.csv')));
  assert.deepEqual([...mine.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const crm = done.ra.planCsv(entries, { today, for: 'crm' });
  assert.notEqual(crm[0], 0xef);
  rmSync(dir, { recursive: true });
});

test('the plan travels to the partner without naming an account, and comes back with changes', () => {
  const { entries } = done.ra.suggestPlan({ today });
  entries[0].nextStep = '=HYPERLINK("http://evil")';
  entries[0].nextStepDate = '2026-12-15';
  entries[0].notes = 'Buying committee: CFO, CIO';
  const msg = done.a.planMessage(entries, { status: 'proposal', revision: 1 });
  const text = new TextDecoder().decode(msg);
  for (const e of entries) {
    const name = a.row(e.row)[1];
    assert.ok(!text.includes(name), `${name} travels`);
  }
  const got = done.b.readPlan(msg);
  assert.equal(got.status, 'proposal');
  assert.equal(got.entries.length, 12);
  const bRows = new Set(done.rb.rows().map((r) => r.row));
  got.entries.forEach((e, i) => {
    assert.ok(bRows.has(e.row), 'on one of B’s overlapping rows');
    assert.ok(got.rows[i].includes(e.row));
    assert.equal(e.partnerOwner, entries[i].myOwner);
    const flip = { us: 'partner', partner: 'us', both: 'both' };
    assert.equal(e.lead, flip[entries[i].lead]);
  });
  // B's CSV of A's plan guards the formula A wrote.
  const csv = new TextDecoder().decode(done.rb.planCsv(got.entries, { today }));
  assert.ok(csv.includes(`'=HYPERLINK(""http://evil"")`), csv.slice(0, 400));
  got.entries[1].nextStepOwner = 'Ana';
  const back = done.b.planMessage(got.entries.slice(0, 10), { status: 'changes', revision: 2 });
  const mine = done.a.readPlan(back);
  assert.equal(mine.status, 'changes');
  assert.equal(mine.revision, 2);
  // Each comes back on A's rows for the same account (A's CRM may hold an account twice: every
  // row of it is listed, the entry sits on the first).
  mine.rows.forEach((rows, i) => assert.ok(rows.includes(entries[i].row), `entry ${i}`));
  assert.equal(mine.entries[1].nextStepOwner, 'Ana');
});

test('hostile plans are refused whole, and the instance keeps working', async () => {
  const { entries } = done.ra.suggestPlan({ today });
  const good = done.a.planMessage(entries.slice(0, 2), { revision: 7 });
  // Find the first position: after status 0, revision 7, count 2.
  let at = -1;
  for (let i = 0; i + 7 <= good.length; i++) {
    if (good[i] === 0 && good[i + 1] === 0 && good[i + 2] === 0 && good[i + 3] === 0 && good[i + 4] === 7 && good[i + 5] === 0 && good[i + 6] === 2) { at = i + 7; break; }
  }
  assert.ok(at > 0);
  const reseal = async (m) => {
    const body = m.subarray(0, m.length - 32);
    const sum = new Uint8Array(await crypto.subtle.digest('SHA-256', body));
    const out = new Uint8Array(m.length);
    out.set(body);
    out.set(sum, body.length);
    return out;
  };
  {
    const bad = new Uint8Array(good);
    new DataView(bad.buffer).setUint32(at, 0xfffffff0);
    assert.throws(() => done.b.readPlan(bad), (e) => e instanceof o.MessageError && e.code === 'message/corrupted');
    const badSealed = await reseal(bad);
    assert.throws(() => done.b.readPlan(badSealed), (e) => e instanceof o.MessageError && /not one of this session's overlaps/.test(e.message));
    const huge = new Uint8Array(good);
    new DataView(huge.buffer).setUint16(at - 2, 65535);
    const hugeSealed = await reseal(huge);
    assert.throws(() => done.b.readPlan(hugeSealed), (e) => e instanceof o.MessageError && /accounts in a plan/.test(e.message));
    // An account A does not share cannot be planned; a counts-only session has no named plan.
    const outside = [...Array(a.rowCount).keys()].find((r) => !done.ra.rows().some((x) => x.row === r));
    assert.throws(() => done.a.planMessage([{ row: outside }]), (e) => e.code === 'plan' && /account 1 of the plan/.test(e.message));
    assert.equal(done.b.readPlan(good).revision, 7);
  }
});
