// The worker pool in Node (worker_threads), through the built package: known answers, the same
// exchange as on one thread, progress, cancel, errors mapped to the element, close, exit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
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

/** A job over the vector keys, repeated `times` so it spans several chunks. */
function vectorJob(times, scalar = hex(vectors.scalar_r)) {
  const encoded = [];
  for (let t = 0; t < times; t++) for (const g of vectors.group) encoded.push(hex(g.encoded));
  const keys = new Uint8Array(encoded.reduce((n, e) => n + e.length, 0));
  const keyOffsets = new Uint32Array(encoded.length + 1);
  let at = 0;
  encoded.forEach((e, i) => {
    keys.set(e, at);
    at += e.length;
    keyOffsets[i + 1] = at;
  });
  return { scalar, keys, keyOffsets, points: new Uint8Array(0) };
}

test('the pool gives the known answers: H(k)^r over keys, then ^k over points, across chunks', async () => {
  const n = vectors.group.length;
  const [hashed, none] = await pool.runJob(vectorJob(200));
  assert.equal(none.length, 0);
  assert.equal(hashed.length, 200 * n * 32);
  for (let i = 0; i < 200 * n; i += 37) assert.equal(toHex(hashed.subarray(i * 32, i * 32 + 32)), vectors.group[i % n].query_r);
  const [, blinded] = await pool.runJob({ scalar: hex(vectors.scalar_k), keys: new Uint8Array(0), keyOffsets: new Uint32Array([0]), points: hashed });
  for (let i = 0; i < 200 * n; i += 41) assert.equal(toHex(blinded.subarray(i * 32, i * 32 + 32)), vectors.group[i % n].answer_rk);
});

test('an exchange with the pool gives the same reports as on one thread; progress reaches the total', async () => {
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
  assert.ok(seen.length > 8, 'progress after each chunk');
  for (let i = 1; i < seen.length; i++) {
    if (seen[i].total === seen[i - 1].total) assert.ok(seen[i].done >= seen[i - 1].done, 'done never goes back within a step');
  }
  assert.ok(seen.some((p) => p.done === p.total && p.total > 0));
});

test('an invalid point in a later chunk is reported with its index in the whole list', async () => {
  const [good] = await pool.runJob(vectorJob(120));
  const bad = good.slice();
  bad.fill(0xff, 32 * 517, 32 * 518);
  await assert.rejects(
    pool.runJob({ scalar: hex(vectors.scalar_k), keys: new Uint8Array(0), keyOffsets: new Uint32Array([0]), points: bad }),
    (e) => e instanceof overlap.MessageError && e.code === 'message/invalid_point' && e.index === 517 && /element 517 /.test(e.message),
  );
  // The pool goes on working.
  const [again] = await pool.runJob(vectorJob(1));
  assert.equal(toHex(again.subarray(0, 32)), vectors.group[0].query_r);
});

test('AbortSignal cancels a running job at once; the pool then runs the next job', async () => {
  const [pts] = await pool.runJob(vectorJob(2000));
  const ac = new AbortController();
  let chunks = 0;
  const started = performance.now();
  const job = pool.runJob(
    { scalar: hex(vectors.scalar_k), keys: new Uint8Array(0), keyOffsets: new Uint32Array([0]), points: pts },
    { signal: ac.signal, onProgress: (p) => p.done > 0 && ++chunks === 2 && ac.abort() },
  );
  await assert.rejects(job, (e) => e.name === 'AbortError');
  assert.ok(chunks < 10000 / 256, 'stopped before the end');
  assert.ok(performance.now() - started < 5000);
  const [after] = await pool.runJob(vectorJob(3));
  assert.equal(toHex(after.subarray(32, 64)), vectors.group[1].query_r);
  // Aborted before it starts: rejected, nothing run.
  await assert.rejects(pool.runJob(vectorJob(1), { signal: AbortSignal.abort() }), (e) => e.name === 'AbortError');
  // Through the protocol API too.
  const ds = overlap.Dataset.fromBytes(fixture('partner_a.csv'));
  await assert.rejects(overlap.Party.start(ds, { pool, signal: AbortSignal.abort() }), (e) => e.name === 'AbortError');
});

test('jobs run concurrently share the workers and each gets its own results', async () => {
  const jobs = [1, 2, 3].map((t) => pool.runJob(vectorJob(60 * t)));
  const out = await Promise.all(jobs);
  out.forEach(([h], k) => {
    assert.equal(h.length, 60 * (k + 1) * vectors.group.length * 32);
    assert.equal(toHex(h.subarray(h.length - 32)), vectors.group.at(-1).query_r);
  });
});

test('close() rejects running jobs with PoolError closed, and later jobs too', async () => {
  const p = overlap.createPool({ size: 1 });
  const running = assert.rejects(p.runJob(vectorJob(400)), (e) => e instanceof overlap.PoolError && e.code === 'closed');
  await p.close();
  await running;
  await assert.rejects(p.runJob(vectorJob(1)), (e) => e instanceof overlap.PoolError && e.code === 'closed');
});

test('size 0 runs the pieces on this thread: the same answers, progress per piece, a cancel between pieces', async () => {
  const here = overlap.createPool({ size: 0, chunkSize: 256 });
  assert.equal(here.size, 0);
  const n = 120 * vectors.group.length;
  const seen = [];
  let ticks = 0;
  const timer = setInterval(() => ticks++, 0);
  const [hashed] = await here.runJob(vectorJob(120), { onProgress: (p) => seen.push(p.done) });
  clearInterval(timer);
  assert.deepEqual(hashed, (await pool.runJob(vectorJob(120)))[0]);
  assert.deepEqual(seen, [0, 256, 512, n], 'progress after each piece the core cut');
  assert.ok(ticks >= 3, 'the thread runs other tasks between pieces');
  // A bad point in the third piece is named by its index in the whole job.
  const bad = hashed.slice();
  bad.fill(0xff, 32 * 517, 32 * 518);
  await assert.rejects(
    here.runJob({ scalar: hex(vectors.scalar_k), keys: new Uint8Array(0), keyOffsets: new Uint32Array([0]), points: bad }),
    (e) => e instanceof overlap.MessageError && e.code === 'message/invalid_point' && e.index === 517,
  );
  const ac = new AbortController();
  let pieces = 0;
  await assert.rejects(
    here.runJob(vectorJob(120), { signal: ac.signal, onProgress: (p) => p.done > 0 && ++pieces === 1 && ac.abort() }),
    (e) => e.name === 'AbortError',
  );
  assert.equal(pieces, 1, 'no piece reports after the cancel');
  const [again] = await here.runJob(vectorJob(1));
  assert.equal(toHex(again.subarray(0, 32)), vectors.group[0].query_r);
  await here.close();
  await assert.rejects(here.runJob(vectorJob(1)), (e) => e instanceof overlap.PoolError && e.code === 'closed');
});

test('options are checked; the compiled module can be given', async () => {
  assert.throws(() => overlap.createPool({ size: -1 }), (e) => e.code === 'options');
  assert.throws(() => overlap.createPool({ size: 1.5 }), (e) => e.code === 'options');
  assert.throws(() => overlap.createPool({ chunkSize: 1.5 }), (e) => e.code === 'options');
  const p = overlap.createPool({ size: 1, wasm: readFileSync(`${pkgDir}overlap_wasm_bg.wasm`) });
  await p.ready;
  const [h] = await p.runJob(vectorJob(1));
  assert.equal(toHex(h.subarray(0, 32)), vectors.group[0].query_r);
  await p.close();
});

test('a platform that refuses workers fails the pool with PoolError worker, not a hang', async () => {
  const module = WebAssembly.compile(readFileSync(`${pkgDir}overlap_wasm_bg.wasm`));
  const refused = new overlap.Pool(() => {
    throw new Error('Refused to create a worker (Content-Security-Policy)');
  }, module, 2);
  await assert.rejects(refused.ready, (e) => e instanceof overlap.PoolError && e.code === 'worker');
  await assert.rejects(refused.runJob(vectorJob(3)), (e) => e instanceof overlap.PoolError && e.code === 'worker' && /could not be started/.test(e.message));
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
