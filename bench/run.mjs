// `make bench`: every benchmark in one run, each reported as a ratio against a baseline measured
// in the same run on the same generated data (bench/out/, never committed). Prints JSON lines as
// it goes, then a summary table; writes bench/out/results.json.
//   node bench/run.mjs [--only NAME[,NAME]] [--rows N] [--psi N]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'bench/out');
mkdirSync(out, { recursive: true });
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const ROWS = Number(arg('--rows', 200_000));
const PSI_N = Number(arg('--psi', 5_000));
const only = arg('--only', '').split(',').filter(Boolean);
const want = (name) => only.length === 0 || only.includes(name);

const results = [];
const summary = [];
const report = (r) => {
  results.push(r);
  console.log(JSON.stringify(r));
};
const fmt = (n) => Math.round(n).toLocaleString('en');

function generate(rows, seed, universe = 1) {
  const file = join(out, `crm-${rows}-${seed}-${universe}.csv`);
  if (!existsSync(file)) execFileSync(process.execPath, [join(root, 'bench/gen.mjs'), String(rows), file, String(seed), String(universe)]);
  return file;
}

function native(...args) {
  const exe = join(root, 'target/release/examples/bench_native');
  return String(execFileSync(exe, args, { maxBuffer: 1 << 26 }))
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

async function bestOfAsync(runs, f) {
  let best = Infinity;
  let value;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    value = await f();
    best = Math.min(best, (performance.now() - t) / 1000);
  }
  return [best, value];
}

const overlap = await import(join(root, 'pkg/node.js'));
await overlap.init();

// 1. CSV → keyed hashes (quick mode): wasm in Node vs native, same file. [issue 2]
if (want('quick')) {
  const file = generate(ROWS, 1);
  const bytes = new Uint8Array(readFileSync(file));
  const [n] = native('quick', file);
  report(n);
  const [secs, rows] = bestOf(3, () => {
    const d = overlap.Dataset.fromBytes(bytes);
    overlap.quickList(d, 'benchmark secret');
    const rows = d.rowCount;
    d.free();
    return rows;
  });
  const w = { bench: 'csv_to_keyed_hashes', impl: 'wasm-node', rows, bytes: bytes.length, seconds: secs, rows_per_s: Math.round(rows / secs) };
  report(w);
  summary.push([`CSV → keyed hashes (${fmt(rows)} rows)`, `wasm ${fmt(w.rows_per_s)} rows/s`, `native ${fmt(n.rows_per_s)} rows/s`, `wasm/native ${(w.rows_per_s / n.rows_per_s).toFixed(2)}`]);
}

// 2. Normalization of website cells: wasm (normalizeBatch) vs native, same values. [issue 3]
if (want('normalize')) {
  const file = generate(ROWS, 1);
  const values = readFileSync(file, 'utf8').split('\n').slice(1, -1).map((l) => l.split(',')[2]);
  const vfile = join(out, `websites-${ROWS}.txt`);
  writeFileSync(vfile, values.join('\n') + '\n');
  const [n] = native('normalize', 'domain', vfile);
  report(n);
  overlap.normalizeBatch('domain', values.slice(0, 100));
  const [secs] = bestOf(3, () => overlap.normalizeBatch('domain', values));
  const w = { bench: 'normalize', impl: 'wasm-node', kind: 'domain', values: values.length, seconds: secs, values_per_s: Math.round(values.length / secs) };
  report(w);
  summary.push([`normalize domains (${fmt(values.length)})`, `wasm ${fmt(w.values_per_s)}/s`, `native ${fmt(n.values_per_s)}/s`, `wasm/native ${(w.values_per_s / n.values_per_s).toFixed(2)}`]);
}

// 3. Private matching per element: overlap (native, wasm single-threaded) vs @openmined/psi.js,
//    equal sets of PSI_N distinct domains, half shared; the whole exchange. [issue 4, 7]
if (want('psi')) {
  const csv = (from) => {
    let s = 'Name,Website,Type\n';
    for (let i = from; i < from + PSI_N; i++) s += `Company ${i},company${i}.com,${i % 3 ? 'Prospect' : 'Customer'}\n`;
    return s;
  };
  const fa = join(out, `psi-a-${PSI_N}.csv`);
  const fb = join(out, `psi-b-${PSI_N}.csv`);
  writeFileSync(fa, csv(0));
  writeFileSync(fb, csv(PSI_N / 2));
  const [n] = native('psi', fa, fb);
  report(n);

  const da = overlap.Dataset.fromBytes(readFileSync(fa));
  const db = overlap.Dataset.fromBytes(readFileSync(fb));
  const opts = { sharing: 'overlaps', minPopulation: 1 };
  const [secs, matched] = await bestOfAsync(2, async () => {
    const { party: a1, message: offer } = await overlap.Party.start(da, opts);
    const { party: b1, message: reply } = await overlap.Party.respond(db, offer, opts);
    const { message: confirm } = await a1.receive(reply);
    const { report: r } = await b1.receive(confirm);
    return r.matchedElements;
  });
  const w = { bench: 'psi_exchange', impl: 'overlap-wasm-node-1thread', elements: PSI_N, seconds: secs, us_per_element: (secs * 1e6) / PSI_N, matched };
  report(w);

  const { default: PSI } = await import('@openmined/psi.js');
  const psi = await PSI();
  const ca = Array.from({ length: PSI_N }, (_, i) => `company${i}.com`);
  const cb = Array.from({ length: PSI_N }, (_, i) => `company${i + PSI_N / 2}.com`);
  const [psecs, pmatched] = bestOf(1, () => {
    const client = psi.client.createWithNewKey(true);
    const server = psi.server.createWithNewKey(true);
    const setup = server.createSetupMessage(1e-9, PSI_N, cb, psi.dataStructure.Raw);
    const resp = server.processRequest(client.createRequest(ca));
    return client.getIntersection(setup, resp).length;
  });
  const p = { bench: 'psi_exchange', impl: 'psi.js-node', elements: PSI_N, seconds: psecs, us_per_element: (psecs * 1e6) / PSI_N, matched: pmatched };
  report(p);
  summary.push([
    `private match per element (${fmt(PSI_N)} × ${fmt(PSI_N)})`,
    `wasm ${w.us_per_element.toFixed(0)} µs`,
    `psi.js ${p.us_per_element.toFixed(0)} µs, native ${n.us_per_element.toFixed(0)} µs`,
    `psi.js/wasm ${(p.us_per_element / w.us_per_element).toFixed(2)}× (goal ≥ 5), wasm/native ${(w.us_per_element / n.us_per_element).toFixed(1)}`,
  ]);
}

// Package size vs psi.js. [issue 3, 7]
if (want('size')) {
  const gz = (f) => execFileSync('sh', ['-c', `gzip -9 -c '${f}' | wc -c`]).toString().trim() * 1;
  const ours = ['overlap_wasm_bg.wasm', 'overlap_wasm.js', 'api.js', 'index.js', 'node.js'].map((f) => join(root, 'pkg', f)).filter(existsSync);
  const oursGz = ours.reduce((s, f) => s + gz(f), 0);
  const psiDir = join(root, 'node_modules/@openmined/psi.js');
  const psiGz = gz(join(psiDir, 'psi_wasm_web.js'));
  const r = { bench: 'package_size', ours_gzip: oursGz, psi_js_web_gzip: psiGz };
  report(r);
  summary.push(['package size, gzipped', `overlap ${fmt(oursGz / 1024)} KB`, `psi.js (web build) ${fmt(psiGz / 1024)} KB`, `goal ≤ 300 KB`]);
}

writeFileSync(join(out, 'results.json'), JSON.stringify(results, null, 2));
console.log('\n' + summary.map((r) => r.join('  |  ')).join('\n'));
