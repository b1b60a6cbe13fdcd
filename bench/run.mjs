// `make bench`: every benchmark in one run, each reported as a ratio against a baseline measured
// in the same run on the same generated data. Data is generated under bench/out/ (never committed).
//   node bench/run.mjs [--rows N]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'bench/out');
mkdirSync(out, { recursive: true });
const argRows = process.argv.indexOf('--rows');
const ROWS = argRows > 0 ? Number(process.argv[argRows + 1]) : 200_000;

function generate(rows, seed, universe = 1) {
  const file = join(out, `crm-${rows}-${seed}-${universe}.csv`);
  if (!existsSync(file)) execFileSync(process.execPath, [join(root, 'bench/gen.mjs'), String(rows), file, String(seed), String(universe)]);
  return file;
}

function native(...args) {
  const exe = join(root, 'target/release/examples/bench_native');
  return String(execFileSync(exe, args))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

function bestOf(runs, f) {
  let best = Infinity;
  let value;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    value = f();
    best = Math.min(best, (performance.now() - t) / 1000);
  }
  return [best, value];
}

const overlap = await import(join(root, 'pkg/node.js'));
await overlap.init();
const results = [];
const report = (r) => {
  results.push(r);
  console.log(JSON.stringify(r));
};

// 1. CSV → keyed hashes (quick mode): wasm in Node vs native, same file.
{
  const file = generate(ROWS, 1);
  const bytes = new Uint8Array(readFileSync(file));
  const [n] = native('quick', file);
  report(n);
  const [secs, rows] = bestOf(3, () => {
    const d = new overlap.Dataset(bytes, {});
    overlap.quickList(d, 'benchmark secret');
    const rows = d.rowCount;
    d.free();
    return rows;
  });
  const w = { bench: 'csv_to_keyed_hashes', impl: 'wasm-node', rows, bytes: bytes.length, seconds: secs, rows_per_s: Math.round(rows / secs) };
  report(w);
  console.log(
    `csv → keyed hashes, ${rows} rows (${(statSync(file).size / 1e6).toFixed(1)} MB): native ${n.rows_per_s.toLocaleString('en')} rows/s, ` +
      `wasm ${w.rows_per_s.toLocaleString('en')} rows/s — wasm/native = ${(w.rows_per_s / n.rows_per_s).toFixed(2)}`,
  );
}
