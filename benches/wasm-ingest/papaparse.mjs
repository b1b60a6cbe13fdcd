import fs from 'node:fs';
import Papa from 'papaparse'; // resolved from NODE_PATH's node_modules (run.sh)
const csvPath = process.argv[2];
const buf = fs.readFileSync(csvPath);
const mb = buf.length / 1e6;
const FREE = new Set(['gmail.com', 'googlemail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'live.com', 'icloud.com']);
function domain(raw) {
  let s = raw.trim().toLowerCase();
  if (!s || ['n/a', 'na', 'none', '-', '--', 'tbd', 'unknown', 'null'].includes(s)) return null;
  const i = s.indexOf('://'); if (i >= 0) s = s.slice(i + 3);
  s = s.split(/[/?#]/)[0]; const at = s.lastIndexOf('@'); if (at >= 0) s = s.slice(at + 1);
  s = s.split(':')[0].replace(/\.+$/, ''); if (s.startsWith('www.')) s = s.slice(4);
  return s.includes('.') && /^[a-z0-9.-]+$/.test(s) ? s : null;
}
function email(raw) { const at = raw.lastIndexOf('@'); if (at < 0) return null; const d = domain(raw.slice(at + 1)); return d && !FREE.has(d) ? d : null; }
function run() {
  const text = new TextDecoder().decode(buf);          // the whole file as one JS string
  const res = Papa.parse(text, { header: true, skipEmptyLines: true });
  const keys = new Map();
  for (const row of res.data) {
    const ks = [];
    const w = domain(row['Website'] ?? ''); if (w) ks.push('domain:' + w);
    const e = email(row['Primary Contact Email'] ?? ''); if (e) ks.push('domain:' + e);
    const d = (row['D-U-N-S Number'] ?? '').replace(/[- ]/g, ''); if (/^\d{9}$/.test(d)) ks.push('duns:' + d);
    if (!ks.length && row['Account Name']) ks.push('name:' + row['Account Name'].trim().toLowerCase().replace(/\s+/g, ' ') + '|' + (row['Billing Country'] ?? ''));
    for (const k of ks) keys.set(k, (keys.get(k) ?? 0) + 1);
  }
  return [res.data.length, keys.size];
}
let best = Infinity, r;
for (let i = 0; i < 3; i++) { const t = performance.now(); r = run(); best = Math.min(best, performance.now() - t); }
const heap = process.memoryUsage();
console.log(JSON.stringify({ bench: 'node/papaparse+js-normalize', bytes: buf.length, rows: r[0], keys: r[1], seconds: +(best / 1000).toFixed(4), mb_per_s: +(mb / (best / 1000)).toFixed(1), rss_bytes: heap.rss }));
