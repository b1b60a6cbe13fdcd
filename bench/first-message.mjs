// One pipeline from a CRM export's bytes (already in memory) to the first message's bytes, in its
// own process so that its peak memory is its own. Prints one JSON line. Run by bench/run.mjs.
//
//   node bench/first-message.mjs IMPL FILE
//
// IMPL:
//   wasm-quick           overlap: Dataset.fromBytes + quickStart (Argon2id, keyed hashes, one message)
//   wasm-private-pool    overlap: Dataset.fromBytes + Party.start with a worker pool (the offer)
//   wasm-private         overlap: the same on this thread only
//   papaparse-webcrypto  the "send SHA-256 hashes" practice overlap replaces: PapaParse, websites
//                        normalized in plain JS (scheme, www, path, case), SHA-256 per key with
//                        crypto.subtle, sorted, concatenated
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const [impl, file] = process.argv.slice(2);
const bytes = new Uint8Array(readFileSync(file));
const baseRss = process.memoryUsage().rss;
let result;
const t0 = performance.now();

if (impl.startsWith('wasm')) {
  const overlap = await import(join(root, 'pkg/node.js'));
  await overlap.init();
  const t = performance.now();
  const ds = overlap.Dataset.fromBytes(bytes);
  const parsed = performance.now();
  let message;
  let pool;
  if (impl === 'wasm-quick') ({ message } = overlap.quickStart(ds, 'acid-acorn-acre-acts-afar-affix'));
  else {
    pool = impl === 'wasm-private-pool' ? overlap.createPool() : undefined;
    ({ message } = await overlap.Party.start(ds, { pool }));
  }
  const done = performance.now();
  result = { rows: ds.rowCount, keys: ds.keyCount, message_bytes: message.length, parse_s: (parsed - t) / 1000, seconds: (done - t) / 1000, workers: pool?.size ?? 1 };
  await pool?.close();
} else if (impl === 'papaparse-webcrypto') {
  const { default: Papa } = await import('papaparse');
  const t = performance.now();
  const text = new TextDecoder().decode(bytes);
  const { data, meta } = Papa.parse(text, { header: true, skipEmptyLines: true });
  const names = ['website', 'website url', 'web site', 'domain', 'company domain name', 'url', 'homepage'];
  const col = meta.fields.find((f) => names.includes(f.trim().toLowerCase()));
  const keys = new Set();
  for (const row of data) {
    const v = String(row[col] ?? '').trim().toLowerCase();
    const host = v.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/^www\./, '').split(/[/?#:]/)[0];
    if (host.includes('.')) keys.add(host);
  }
  const parsed = performance.now();
  const enc = new TextEncoder();
  const list = [...keys];
  const digests = [];
  for (let i = 0; i < list.length; i += 10_000) {
    const batch = list.slice(i, i + 10_000).map((k) => crypto.subtle.digest('SHA-256', enc.encode(`domain:${k}`)));
    digests.push(...(await Promise.all(batch)));
  }
  const hashes = digests.map((d) => Buffer.from(d));
  hashes.sort(Buffer.compare);
  const message = Buffer.concat(hashes);
  const done = performance.now();
  result = { rows: data.length, keys: keys.size, message_bytes: message.length, parse_s: (parsed - t) / 1000, seconds: (done - t) / 1000, workers: 1 };
} else {
  throw new Error(`unknown pipeline ${impl}`);
}

const peak = process.resourceUsage().maxRSS * 1024;
console.log(JSON.stringify({ bench: 'first_message', impl, bytes: bytes.length, ...result, wall_s: (performance.now() - t0) / 1000, peak_rss: peak, base_rss: baseRss }));
