// `make bench`: every benchmark in one run, each reported as a ratio against a baseline measured
// in the same run on the same generated data (bench/out/, never committed). Prints JSON lines as
// it goes, then a summary table; writes bench/out/results.json.
//   node bench/run.mjs [--only NAME[,NAME]] [--rows N] [--psi N] [--big N] [--browser N]
// Sections: quick, normalize, ingest, psi, messages, first-message, size, chromium (all by default).
//   --rows N     rows for quick/normalize/ingest (200,000)
//   --psi N      elements per side for psi (5,000)
//   --psi-rounds N  single-thread rounds of overlap then psi.js, best of each (3)
//   --big N      rows of the export for first-message (1,000,000)
//   --browser N  elements per side for the Chromium exchange (100,000)
import { execFileSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
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
const PSI_ROUNDS = Number(arg('--psi-rounds', 3));
const BIG = Number(arg('--big', 1_000_000));
const BROWSER_N = Number(arg('--browser', 100_000));
const CORES = availableParallelism();
const only = arg('--only', '').split(',').filter(Boolean);
const want = (name) => only.length === 0 || only.includes(name);

const results = [];
const summary = [];
// The machine may be shared: each result carries the 1-minute load average when it was taken.
const report = (r) => {
  r.load1 = Number(loadavg()[0].toFixed(2));
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
    overlap.quickStart(d, 'acid-acorn-acre-acts-afar-affix');
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

// 2b. Reading an export (parse + map + normalize + key) on a wide Salesforce-style export
//     (scripts/gen-crm: 19 columns, every cell quoted, ~260 bytes per row): native, wasm in Node
//     and in Chromium, against PapaParse + JavaScript normalization in the same places. [issue 5]
if (want('ingest')) {
  const file = join(out, `wide-${ROWS}.csv`);
  if (!existsSync(file)) writeFileSync(file, execFileSync(join(root, 'scripts/gen-crm'), ['--rows', String(ROWS), '--seed', '1'], { maxBuffer: 1 << 30 }));
  const bytes = new Uint8Array(readFileSync(file));
  const mb = bytes.length / 1e6;
  const nat = String(execFileSync(join(root, 'target/release/examples/ingest_speed'), [], { env: { ...process.env, OVERLAP_BENCH_ROWS: String(ROWS), OVERLAP_BENCH_RUNS: '3' }, maxBuffer: 1 << 24 }))
    .split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  for (const n of nat) report({ ...n, impl: 'native' });
  const natOf = (name) => nat.find((n) => n.bench === `ingest/${name}`)?.mb_per_s ?? NaN;
  const wasm = {};
  for (const policy of ['paired', 'fallback']) {
    const [secs, rows] = bestOf(3, () => {
      const d = overlap.Dataset.fromBytes(bytes, { nameKeys: policy });
      const n = d.rowCount;
      d.free();
      return n;
    });
    wasm[policy] = mb / secs;
    report({ bench: `ingest/read-${policy}`, impl: 'wasm-node', bytes: bytes.length, rows, seconds: secs, mb_per_s: mb / secs });
  }
  const { default: Papa } = await import('papaparse');
  const { papaKeys } = await import(join(root, 'bench/js-baseline.mjs'));
  const [psecs] = bestOf(3, () => papaKeys(Papa, bytes));
  const papaNode = mb / psecs;
  report({ bench: 'ingest/papaparse+js', impl: 'node', bytes: bytes.length, seconds: psecs, mb_per_s: papaNode });

  const { startServer, launch } = await import(join(root, 'tests/e2e/lib.mjs'));
  const server = await startServer();
  const browser = await launch();
  let chrome = {};
  try {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${server.url}bench/ingest.html`);
    await page.addScriptTag({ path: join(root, 'node_modules/papaparse/papaparse.min.js') });
    await page.waitForFunction(() => window.ready === true && window.Papa);
    const url = `/bench/out/wide-${ROWS}.csv`;
    for (const policy of ['paired', 'fallback']) {
      const r = await page.evaluate(([u, p]) => window.bench.overlap(u, p), [url, policy]);
      chrome[policy] = r.bytes / 1e6 / r.seconds;
      report({ bench: `ingest/read-${policy}`, impl: 'wasm-chromium', ...r, mb_per_s: chrome[policy] });
    }
    const r = await page.evaluate((u) => window.bench.papa(u), url);
    chrome.papa = r.bytes / 1e6 / r.seconds;
    report({ bench: 'ingest/papaparse+js', impl: 'chromium', ...r, mb_per_s: chrome.papa });
  } finally {
    await browser.close();
    server.close();
  }
  const f = (x) => `${x.toFixed(0)} MB/s`;
  summary.push([
    `read an export, ${fmt(ROWS)} rows (${mb.toFixed(0)} MB), name keys paired (default) / fallback`,
    `native ${f(natOf('read-paired'))} / ${f(natOf('read-fallback'))}; wasm Node ${f(wasm.paired)} / ${f(wasm.fallback)}; wasm Chromium ${f(chrome.paired)} / ${f(chrome.fallback)}`,
    `PapaParse + JS: Node ${f(papaNode)}, Chromium ${f(chrome.papa)}`,
    `wasm/PapaParse ${(wasm.paired / papaNode).toFixed(1)}× (Node), ${(chrome.paired / chrome.papa).toFixed(1)}× (Chromium); goals ≥ 100 MB/s native, ≥ 40 MB/s wasm`,
  ]);
}

// 3. Private matching per element: overlap (native, wasm single-threaded) vs @openmined/psi.js,
//    equal sets of PSI_N distinct domains, half shared; the whole exchange. [issue 4, 7]
if (want('psi')) {
  // One key per row (a website, no name column), so both sides hold exactly PSI_N elements, as
  // psi.js does.
  const csv = (from) => {
    let s = 'Website,Type\n';
    for (let i = from; i < from + PSI_N; i++) s += `company${i}.com,${i % 3 ? 'Prospect' : 'Customer'}\n`;
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
  if (da.keyCount !== PSI_N || db.keyCount !== PSI_N) throw new Error(`psi: expected ${PSI_N} elements a side, got ${da.keyCount} and ${db.keyCount}`);
  const opts = { sharing: 'overlaps', minPopulation: 1 };
  const wasmExchange = async () => {
    const { party: a1, message: offer } = await overlap.Party.start(da, opts);
    const { party: b1, message: reply } = await overlap.Party.respond(db, offer, opts);
    const { message: confirm } = await a1.receive(reply);
    const { report: r } = await b1.receive(confirm);
    return r.matchedElements;
  };
  const { default: PSI } = await import('@openmined/psi.js');
  const psi = await PSI();
  const ca = Array.from({ length: PSI_N }, (_, i) => `company${i}.com`);
  const cb = Array.from({ length: PSI_N }, (_, i) => `company${i + PSI_N / 2}.com`);
  const psiExchange = () => {
    const client = psi.client.createWithNewKey(true);
    const server = psi.server.createWithNewKey(true);
    const setup = server.createSetupMessage(1e-9, PSI_N, cb, psi.dataStructure.Raw);
    const resp = server.processRequest(client.createRequest(ca));
    return client.getIntersection(setup, resp).length;
  };
  // The single-thread comparison in rounds, each running overlap then psi.js, so a busy moment of
  // the machine falls on both; each side's best round counts (the same statistic for both).
  const rounds = [];
  let matched;
  let pmatched;
  for (let i = 0; i < PSI_ROUNDS; i++) {
    const [ws, wm] = await bestOfAsync(1, wasmExchange);
    const [ps, pm] = bestOf(1, psiExchange);
    rounds.push({ wasm_s: ws, psi_js_s: ps, ratio: ps / ws, load1: Number(loadavg()[0].toFixed(2)) });
    [matched, pmatched] = [wm, pm];
  }
  const secs = Math.min(...rounds.map((r) => r.wasm_s));
  const psecs = Math.min(...rounds.map((r) => r.psi_js_s));
  const w = { bench: 'psi_exchange', impl: 'overlap-wasm-node-1thread', elements: PSI_N, seconds: secs, us_per_element: (secs * 1e6) / PSI_N, matched, rounds };
  report(w);

  const pool = overlap.createPool();
  await pool.ready;
  const popts = { ...opts, pool };
  const [qsecs, qmatched] = await bestOfAsync(2, async () => {
    const { party: a1, message: offer } = await overlap.Party.start(da, popts);
    const { party: b1, message: reply } = await overlap.Party.respond(db, offer, popts);
    const { message: confirm } = await a1.receive(reply, popts);
    const { report: r } = await b1.receive(confirm, popts);
    return r.matchedElements;
  });
  await pool.close();
  const q = { bench: 'psi_exchange', impl: `overlap-wasm-node-pool-${pool.size}`, elements: PSI_N, seconds: qsecs, us_per_element: (qsecs * 1e6) / PSI_N, matched: qmatched, workers: pool.size, cores: CORES };
  report(q);

  const p = { bench: 'psi_exchange', impl: 'psi.js-node', elements: PSI_N, seconds: psecs, us_per_element: (psecs * 1e6) / PSI_N, matched: pmatched };
  report(p);
  summary.push([
    `private match per element (${fmt(PSI_N)} × ${fmt(PSI_N)}, whole exchange, Node)`,
    `wasm 1 thread ${w.us_per_element.toFixed(0)} µs, pool of ${q.workers} ${q.us_per_element.toFixed(0)} µs`,
    `psi.js 1 thread ${p.us_per_element.toFixed(0)} µs, native 1 thread ${n.us_per_element.toFixed(0)} µs`,
    `psi.js/wasm ${(p.us_per_element / w.us_per_element).toFixed(2)}× 1 thread (goal ≥ 5; rounds ${rounds.map((r) => r.ratio.toFixed(2)).join(', ')}), ${(p.us_per_element / q.us_per_element).toFixed(2)}× with the pool on ${CORES} cores; wasm/native ${(w.us_per_element / n.us_per_element).toFixed(1)}`,
  ]);
}

// Package size vs psi.js: what a browser downloads (the .wasm and every JS file of the package,
// gzipped one by one), and the npm tarball. [issue 3, 7]
if (want('size')) {
  const gz = (f) => execFileSync('sh', ['-c', `gzip -9 -c '${f}' | wc -c`]).toString().trim() * 1;
  const manifest = JSON.parse(readFileSync(join(root, 'pkg/package.json'), 'utf8'));
  const shipped = manifest.files.filter((f) => /\.(js|wasm)$/.test(f) && f !== 'node.js' && f !== 'pool-worker-node.js');
  const wasmGz = gz(join(root, 'pkg/overlap_wasm_bg.wasm'));
  const jsGz = shipped.filter((f) => f.endsWith('.js')).reduce((n, f) => n + gz(join(root, 'pkg', f)), 0);
  const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: join(root, 'pkg') }).toString())[0];
  const psiDir = join(root, 'node_modules/@openmined/psi.js');
  const psiGz = gz(join(psiDir, 'psi_wasm_web.js'));
  const r = { bench: 'package_size', ours_gzip: wasmGz + jsGz, wasm_gzip: wasmGz, js_gzip: jsGz, tarball: packed.size, psi_js_web_gzip: psiGz };
  report(r);
  const kb = (n) => `${fmt(n / 1000)} kB`;
  summary.push([
    'package size, gzipped (browser download)',
    `overlap ${kb(wasmGz + jsGz)} (wasm ${kb(wasmGz)} + JS ${kb(jsGz)}; npm tarball ${kb(packed.size)})`,
    `psi.js (web build) ${kb(psiGz)}`,
    `psi.js/overlap ${(psiGz / (wasmGz + jsGz)).toFixed(2)}×, goal ≤ 300 kB`,
  ]);
}

// Message sizes of a 200k-row × 200k-row private exchange through the CLI (format 2, measured),
// against format 1's layout on the same element counts (32-byte answers and 34-byte elements for
// both lists, a 32-byte answer per B element in the confirm; PROTOCOL.md §3); and what the fields
// step costs per shared row: the same exchange at the fields level (Account Owner), less the
// overlaps one. [issue 13: total ≥ ⅓ smaller]
if (want('messages')) {
  const fa = generate(ROWS, 1);
  const fb = generate(ROWS, 2);
  const cli = join(root, 'target/release/overlap');
  const dir = join(out, 'messages');
  mkdirSync(dir, { recursive: true });
  const exchange = (level) => {
    const f = (n) => join(dir, `${level}-${n}`);
    const share = level === 'fields' ? ['--share', 'Account Owner'] : [];
    const t0 = performance.now();
    const run = (...a) => execFileSync(cli, a, { stdio: ['ignore', 'ignore', 'ignore'] });
    run('offer', '--csv', fa, '--state', f('a.state'), '--out', f('1.msg'), '--sharing', level, ...share);
    run('reply', '--csv', fb, '--offer', f('1.msg'), '--state', f('b.state'), '--out', f('2.msg'), '--sharing', level, ...share);
    run('finish', '--state', f('a.state'), '--reply', f('2.msg'), '--out', f('3.msg'), '--report', f('a.csv'));
    const args = ['finish', '--state', f('b.state'), '--confirm', f('3.msg'), '--report', f('b.csv')];
    if (level === 'fields') args.push('--out', f('4.msg'));
    run(...args);
    if (level === 'fields') run('finish', '--state', f('a.state'), '--fields', f('4.msg'), '--report', f('a.csv'));
    const seconds = (performance.now() - t0) / 1000;
    const size = (n) => (existsSync(f(n)) ? readFileSync(f(n)).length : 0);
    const rows = (n) => readFileSync(f(n), 'utf8').trim().split('\n').length - 1;
    return { seconds, offer: size('1.msg'), reply: size('2.msg'), confirm: size('3.msg'), fields: size('4.msg'), rowsA: rows('a.csv'), rowsB: rows('b.csv') };
  };
  const o = exchange('overlaps');
  // Element counts from the messages themselves: n = A's queries, m = B's tags.
  const msg = (n) => new Uint8Array(readFileSync(join(dir, `overlaps-${n}`)));
  const u32 = (b, at) => new DataView(b.buffer, b.byteOffset).getUint32(at);
  const reply = msg('2.msg');
  let m = 1;
  while (u32(reply, reply.length - 32 - 14 * m - 4) !== m) m++;
  const offer = msg('1.msg');
  let nq = 1;
  while (u32(offer, offer.length - 32 - 34 * nq - 4) !== nq) nq++;
  const hdr = 100; // header, announcement and checksum, about the same in both formats
  const v1 = { offer: 34 * nq + hdr, reply: 32 * nq + 34 * m + hdr, confirm: 32 * m + hdr };
  const v2total = o.offer + o.reply + o.confirm;
  const v1total = v1.offer + v1.reply + v1.confirm;
  report({ bench: 'messages', rows: ROWS, a_elements: nq, b_elements: m, v2: { offer: o.offer, reply: o.reply, confirm: o.confirm }, v1_layout: v1, v2_total: v2total, v1_total: v1total, smaller: 1 - v2total / v1total, seconds: o.seconds });
  const f = exchange('fields');
  const shared = f.rowsA + f.rowsB;
  const extraBytes = f.confirm - o.confirm + f.fields;
  report({ bench: 'fields_step', rows: ROWS, shared_rows: shared, extra_seconds: f.seconds - o.seconds, extra_bytes: extraBytes, us_per_shared_row: ((f.seconds - o.seconds) * 1e6) / shared, bytes_per_shared_row: extraBytes / shared });
  const mb = (x) => `${(x / 1e6).toFixed(1)} MB`;
  summary.push([
    `messages of a ${fmt(ROWS)} × ${fmt(ROWS)}-row exchange (overlaps; ${fmt(nq)} and ${fmt(m)} elements)`,
    `format 2: offer ${mb(o.offer)} + reply ${mb(o.reply)} + confirm ${mb(o.confirm)} = ${mb(v2total)}`,
    `format 1 layout: ${mb(v1.offer)} + ${mb(v1.reply)} + ${mb(v1.confirm)} = ${mb(v1total)}`,
    `${(100 * (1 - v2total / v1total)).toFixed(0)}% smaller (goal ≥ 33%)`,
  ]);
  summary.push([
    `fields step (Account Owner), ${fmt(shared)} shared rows`,
    `${(((f.seconds - o.seconds) * 1e6) / shared).toFixed(0)} µs and ${(extraBytes / shared).toFixed(0)} bytes per shared row (both sides, CLI)`,
    `the overlaps exchange: ${o.seconds.toFixed(1)} s`,
    '',
  ]);
}

// A big export to the first message, in child processes (each pipeline's own peak memory):
// overlap quick mode and private offer (worker pool) vs the PapaParse + WebCrypto SHA-256
// pipeline, from the file's bytes in memory to the message's bytes. [issue 7]
if (want('first-message')) {
  const file = generate(BIG, 1);
  const run = (impl) => {
    const r = JSON.parse(execFileSync(process.execPath, [join(root, 'bench/first-message.mjs'), impl, file], { maxBuffer: 1 << 20 }).toString().trim().split('\n').at(-1));
    report(r);
    return r;
  };
  const papa = run('papaparse-webcrypto');
  const quick = run('wasm-quick');
  const offer = run('wasm-private-pool');
  const mb = (n) => `${fmt(n / 2 ** 20)} MB`;
  summary.push([
    `${fmt(BIG)}-row export → first message (Node)`,
    `overlap quick ${quick.seconds.toFixed(1)} s (peak ${mb(quick.peak_rss)}), private offer with pool of ${offer.workers} ${offer.seconds.toFixed(1)} s (peak ${mb(offer.peak_rss)})`,
    `PapaParse + WebCrypto SHA-256 ${papa.seconds.toFixed(1)} s (peak ${mb(papa.peak_rss)})`,
    `baseline/quick ${(papa.seconds / quick.seconds).toFixed(1)}× (goal ≥ 30), baseline/offer ${(papa.seconds / offer.seconds).toFixed(2)}×`,
  ]);
}

// The whole private exchange at BROWSER_N × BROWSER_N elements in headless Chromium, the engine
// in a dedicated worker with the pool nested in it, as the page runs it. [issue 4: ≤ 30 s on 2 cores]
if (want('chromium')) {
  // One key per row, as in the psi section.
  const csv = (from, n) => {
    let s = 'Website,Type\n';
    for (let i = from; i < from + n; i++) s += `company${i}.com,${i % 3 ? 'Prospect' : 'Customer'}\n`;
    return s;
  };
  const fa = join(out, `psi-a-${BROWSER_N}.csv`);
  const fb = join(out, `psi-b-${BROWSER_N}.csv`);
  writeFileSync(fa, csv(0, BROWSER_N));
  writeFileSync(fb, csv(BROWSER_N / 2, BROWSER_N));
  const { startServer, launch } = await import(join(root, 'tests/e2e/lib.mjs'));
  const server = await startServer();
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}bench/pool.html`);
    await page.waitForFunction(() => window.ready === true);
    const args = { a: `/bench/out/psi-a-${BROWSER_N}.csv`, b: `/bench/out/psi-b-${BROWSER_N}.csv` };
    const r = await page.evaluate((a) => window.bench.inWorker(a), args);
    const c = { bench: 'psi_exchange_chromium', impl: `overlap-wasm-chromium-worker-pool-${r.workers}`, ...r, elements: BROWSER_N, us_per_element: (r.exchange_s * 1e6) / BROWSER_N };
    report(c);
    summary.push([
      `private exchange ${fmt(BROWSER_N)} × ${fmt(BROWSER_N)} in headless Chromium (engine in a worker, pool of ${r.workers})`,
      `all messages ${c.exchange_s.toFixed(1)} s (offer ${r.steps_s[0].toFixed(1)}, reply ${r.steps_s[1].toFixed(1)}, confirm ${r.steps_s[2].toFixed(1)}, B's result ${r.steps_s[3].toFixed(1)}); reading both files ${r.load_s.toFixed(1)} s`,
      `${c.us_per_element.toFixed(0)} µs per element`,
      'goal ≤ 30 s',
    ]);
  } finally {
    await browser.close();
    server.close();
  }
}

writeFileSync(join(out, 'results.json'), JSON.stringify(results, null, 2));
console.log(`\n${CORES} cores; 1-minute load average ${loadavg()[0].toFixed(2)} at the end (other processes share the machine)`);
console.log('\n' + summary.map((r) => r.join('  |  ')).join('\n'));
