// The worker pool in Node (worker_threads), through the built package: known answers through the
// workers, the same exchange as on one thread (and in-thread with size 0), progress per piece,
// cancel, an invalid point named by its index across pieces, close, exit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const pkgDir = fileURLToPath(new URL('../../pkg/', import.meta.url));
const vectors = JSON.parse(readFileSync(new URL('../vectors/protocol.json', import.meta.url), 'utf8'));
const fixture = (name) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));
const hex = (s) => Uint8Array.from(s.match(/../g), (b) => parseInt(b, 16));
const toHex = (u) => Buffer.from(u).toString('hex');
let overlap, pool;

before(async () => {
  overlap = await import(`${pkgDir}node.js`);
  await overlap.init();
  pool = overlap.createPool({ size: 2, chunkSize: 256 });
});
after(() => pool?.close());

/**
 * Work for the pool's internal `runPieces` (what `Party` hands it), each vector its own piece:
 * the workers' answers can then be checked one by one against the known ones.
 */
function vectorWork(pieces) {
  return { pieces: () => Uint32Array.from(pieces, () => 1), pieceInput: (i) => ({ ...pieces[i], first: i }) };
}

test('the workers give the known answers: H(k)^r for keys, then ^k for points, each in its piece', async () => {
  const keys = vectors.group.map((g) => ({ input: hex(g.encoded), offsets: Uint32Array.of(0, hex(g.encoded).length) }));
  const hashed = await pool.runPieces(vectorWork(keys), hex(vectors.scalar_r));
  assert.deepEqual(hashed.map(toHex), vectors.group.map((g) => g.query_r));
  const points = hashed.map((h) => ({ input: h, offsets: new Uint32Array(0) }));
  const blinded = await pool.runPieces(vectorWork(points), hex(vectors.scalar_k));
  assert.deepEqual(blinded.map(toHex), vectors.group.map((g) => g.answer_rk));
});

test('an exchange with the pool, or in-thread, gives the same reports as on one thread; progress reaches the total', async () => {
  const a = overlap.Dataset.fromBytes(fixture('partner_a.csv'));
  const b = overlap.Dataset.fromBytes(fixture('partner_b.csv'));
  const opts = { sharing: 'overlaps', minPopulation: 1 };
  const run = async (extra) => {
    const s = await overlap.Party.start(a, { ...opts, ...extra });
    const r = await overlap.Party.respond(b, s.message, { ...opts, ...extra });
    const c = await s.party.receive(r.message, extra);
    const d = await r.party.receive(c.message, extra);
    return [c.report.rows().map((x) => x.row), d.report.rows().map((x) => x.row)];
  };
  const seen = [];
  const pooled = await run({ pool, onProgress: (p) => seen.push(p) });
  const single = await run({});
  const here = overlap.createPool({ size: 0 });
  const inThread = await run({ pool: here });
  await here.close();
  assert.deepEqual(pooled, single);
  assert.deepEqual(inThread, single);
  assert.ok(pooled[0].length > 50 && pooled[1].length > 50, 'both sides see their overlap');
  assert.ok(seen.length > 8, 'progress after each piece');
  for (let i = 1; i < seen.length; i++) {
    if (seen[i].total === seen[i - 1].total) assert.ok(seen[i].done >= seen[i - 1].done, 'done never goes back within a step');
  }
  assert.ok(seen.some((p) => p.done === p.total && p.total > 0));
});

/** An offer of `n` accounts whose element `bad` is no point of the group (checksum recomputed). */
async function offerWithABadPoint(n, bad) {
  const ds = overlap.Dataset.fromRows(['Website'], Array.from({ length: n }, (_, i) => [`company-${i}.com`]));
  const { message } = await overlap.Party.start(ds, { minPopulation: 1 });
  const m = message.slice();
  // The offer ends with its elements (32-byte point, 2-byte label), then a SHA-256 of the rest.
  const at = m.length - 32 - (n - bad) * 34;
  m[at + 31] |= 0x80; // a non-canonical encoding; the elements stay sorted
  m.set(createHash('sha256').update(m.subarray(0, m.length - 32)).digest(), m.length - 32);
  return m;
}

test('an invalid point in a later piece is reported with its index in the whole list, by every runner', async () => {
  const offer = await offerWithABadPoint(1200, 517);
  const b = overlap.Dataset.fromRows(['Website'], [['acme.com'], ['beta.io']]);
  const here = overlap.createPool({ size: 0, chunkSize: 256 });
  for (const runner of [pool, here, undefined]) {
    await assert.rejects(
      overlap.Party.respond(b, offer, { pool: runner, minPopulation: 1 }),
      (e) => e instanceof overlap.MessageError && e.code === 'message/invalid_point' && e.index === 517 && /element 517 /.test(e.message),
      `runner ${runner?.size ?? 'none'}`,
    );
  }
  await here.close();
  // The pool goes on working.
  const { message } = await overlap.Party.start(b, { pool });
  assert.ok(message.length > 64);
});

/** A dataset large enough for many pieces. */
const big = () => overlap.Dataset.fromRows(['Website'], Array.from({ length: 8000 }, (_, i) => [`c${i}.com`]));

test('AbortSignal cancels a running step at once; the pool then runs the next one', async () => {
  const ds = big();
  const ac = new AbortController();
  let pieces = 0;
  const step = overlap.Party.start(ds, { pool, signal: ac.signal, onProgress: (p) => p.done > 0 && ++pieces === 2 && ac.abort() });
  await assert.rejects(step, (e) => e.name === 'AbortError');
  assert.equal(pieces, 2, 'no piece reports after the cancel');
  const { message } = await overlap.Party.start(overlap.Dataset.fromRows(['Website'], [['acme.com']]), { pool });
  assert.ok(message.length > 64);
  // Aborted before it starts: rejected, nothing run.
  await assert.rejects(overlap.Party.start(ds, { pool, signal: AbortSignal.abort() }), (e) => e.name === 'AbortError');
});

test('steps run concurrently share the workers and each gets its own results', async () => {
  const a = overlap.Dataset.fromBytes(fixture('partner_a.csv'));
  const b = overlap.Dataset.fromBytes(fixture('partner_b.csv'));
  const [sa, sb] = await Promise.all([overlap.Party.start(a, { pool, minPopulation: 1 }), overlap.Party.start(b, { pool, minPopulation: 1 })]);
  const [ra, rb] = await Promise.all([
    overlap.Party.respond(b, sa.message, { pool, minPopulation: 1 }),
    overlap.Party.respond(a, sb.message, { pool, minPopulation: 1 }),
  ]);
  const [ca, cb] = await Promise.all([sa.party.receive(ra.message, { pool }), sb.party.receive(rb.message, { pool })]);
  assert.equal(ca.report.matchedElements, cb.report.matchedElements, 'A×B and B×A share the same elements');
  assert.ok(ca.report.matchedElements > 50);
});

test('close() rejects running steps with PoolError closed, and later steps too', async () => {
  const p = overlap.createPool({ size: 1 });
  const running = assert.rejects(overlap.Party.start(big(), { pool: p }), (e) => e instanceof overlap.PoolError && e.code === 'closed');
  await new Promise((r) => setTimeout(r, 50));
  await p.close();
  await running;
  await assert.rejects(overlap.Party.start(big(), { pool: p }), (e) => e instanceof overlap.PoolError && e.code === 'closed');
});

test('size 0 runs the pieces on this thread: progress per piece, other tasks between pieces, a cancel between pieces', async () => {
  const here = overlap.createPool({ size: 0, chunkSize: 256 });
  assert.equal(here.size, 0);
  const ds = overlap.Dataset.fromRows(['Website'], Array.from({ length: 600 }, (_, i) => [`c${i}.com`]));
  const seen = [];
  let ticks = 0;
  const timer = setInterval(() => ticks++, 0);
  await overlap.Party.start(ds, { pool: here, onProgress: (p) => seen.push(p.done) });
  clearInterval(timer);
  assert.deepEqual(seen, [0, 256, 512, 600], 'progress after each piece the core cut');
  assert.ok(ticks >= 3, 'the thread runs other tasks between pieces');
  const ac = new AbortController();
  let pieces = 0;
  await assert.rejects(
    overlap.Party.start(ds, { pool: here, signal: ac.signal, onProgress: (p) => p.done > 0 && ++pieces === 1 && ac.abort() }),
    (e) => e.name === 'AbortError',
  );
  assert.equal(pieces, 1, 'no piece reports after the cancel');
  await here.close();
  await assert.rejects(overlap.Party.start(ds, { pool: here }), (e) => e instanceof overlap.PoolError && e.code === 'closed');
});

test('options are checked; the compiled module can be given', async () => {
  assert.throws(() => overlap.createPool({ size: -1 }), (e) => e.code === 'options');
  assert.throws(() => overlap.createPool({ size: 1.5 }), (e) => e.code === 'options');
  assert.throws(() => overlap.createPool({ chunkSize: 1.5 }), (e) => e.code === 'options');
  const p = overlap.createPool({ size: 1, wasm: readFileSync(`${pkgDir}overlap_wasm_bg.wasm`) });
  await p.ready;
  const [h] = await p.runPieces(vectorWork([{ input: hex(vectors.group[0].encoded), offsets: Uint32Array.of(0, hex(vectors.group[0].encoded).length) }]), hex(vectors.scalar_r));
  assert.equal(toHex(h), vectors.group[0].query_r);
  await p.close();
});

test('a platform that refuses workers fails the pool with PoolError worker, not a hang', async () => {
  const module = WebAssembly.compile(readFileSync(`${pkgDir}overlap_wasm_bg.wasm`));
  const refused = new overlap.Pool(() => {
    throw new Error('Refused to create a worker (Content-Security-Policy)');
  }, module, 2);
  await assert.rejects(refused.ready, (e) => e instanceof overlap.PoolError && e.code === 'worker');
  await assert.rejects(overlap.Party.start(big(), { pool: refused }), (e) => e instanceof overlap.PoolError && e.code === 'worker' && /could not be started/.test(e.message));
  await refused.close();
});

test('a process with an idle pool it never closed still exits', () => {
  const script = `
    const o = await import(${JSON.stringify(`${pkgDir}node.js`)});
    await o.init();
    const pool = o.createPool({ size: 2 });
    const ds = o.Dataset.fromRows(['Website'], [['acme.com'], ['beta.io']]);
    const { message } = await o.Party.start(ds, { pool });
    console.log(message.length);`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { timeout: 20_000 });
  assert.ok(Number(String(out)) > 64);
});
