// The whole private exchange over two generated lists, timed per message, with the package's
// worker pool (or on one thread). Used on the page and inside the engine worker.
import { init, createPool, Dataset, Party } from '/pkg/index.js';

export async function exchange({ a, b, pooled = true, size }) {
  const t0 = performance.now();
  await init();
  const load = async (url) => Dataset.fromBytes(new Uint8Array(await (await fetch(url)).arrayBuffer()));
  const [da, db] = [await load(a), await load(b)];
  const t1 = performance.now();
  const pool = pooled ? createPool(size ? { size } : {}) : undefined;
  if (pool) await pool.ready;
  const opts = { pool, sharing: 'overlaps', minPopulation: 1 };
  const times = [];
  const step = async (f) => {
    const t = performance.now();
    const r = await f();
    times.push((performance.now() - t) / 1000);
    return r;
  };
  const s = await step(() => Party.start(da, opts));
  const r = await step(() => Party.respond(db, s.message, opts));
  const c = await step(() => s.party.receive(r.message, opts));
  const d = await step(() => r.party.receive(c.message, opts));
  await pool?.close();
  return {
    keys: [da.keyCount, db.keyCount],
    matched: [c.report.matchedElements, d.report.matchedElements],
    load_s: (t1 - t0) / 1000,
    steps_s: times,
    exchange_s: times.reduce((x, y) => x + y, 0),
    message_bytes: [s.message.length, r.message.length, c.message.length],
    workers: pool?.size ?? 1,
    cores: navigator.hardwareConcurrency,
  };
}
