// The whole exchange over the two fixtures, the same on the page and in a worker.
import { init, createPool, Dataset, Party } from '/pkg/index.js';

async function fixture(name) {
  return new Uint8Array(await (await fetch(`/samples/${name}`)).arrayBuffer());
}

/** Runs A ⇄ B; `pooled` with a pool of `size` workers. Returns each side's matched rows and progress seen. */
export async function exchange({ pooled, size }) {
  await init();
  const a = Dataset.fromBytes(await fixture('partner_a.csv'));
  const b = await Dataset.fromStream((await fetch('/samples/partner_b.csv')).body);
  const pool = pooled ? createPool(size ? { size } : {}) : undefined;
  const progress = [];
  const opts = { pool, sharing: 'overlaps', minPopulation: 1, onProgress: (p) => progress.push(p.done) };
  try {
    const s = await Party.start(a, opts);
    const r = await Party.respond(b, s.message, opts);
    const c = await s.party.receive(r.message, opts);
    const d = await r.party.receive(c.message, opts);
    return { a: c.report.rows().map((x) => x.row), b: d.report.rows().map((x) => x.row), progress: progress.length, workers: pool?.size ?? 0 };
  } finally {
    await pool?.close();
  }
}

/** Starts a large step and aborts it after its first piece; then runs a small one on the same pool. */
export async function abortThenRun() {
  await init();
  const rows = Array.from({ length: 20000 }, (_, i) => [`c${i}.com`]);
  const ds = Dataset.fromRows(['Website'], rows);
  const pool = createPool({ size: 2 });
  const ac = new AbortController();
  const t = performance.now();
  let outcome;
  try {
    await Party.start(ds, { pool, signal: ac.signal, onProgress: (p) => p.done > 0 && ac.abort() });
    outcome = 'finished';
  } catch (e) {
    outcome = e.name;
  }
  const ms = performance.now() - t;
  const small = await Party.start(Dataset.fromRows(['Website'], [['acme.com']]), { pool });
  await pool.close();
  return { outcome, ms, after: small.message.length };
}
