// The baseline overlap's ingestion is measured against: PapaParse (header mode, the whole file as
// one string) plus plain JavaScript normalization of the key columns, as a team would write it
// without overlap. Shared by the Node and Chromium runs of `make bench` (section ingest).
const FREE = new Set(['gmail.com', 'googlemail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'live.com', 'icloud.com']);
const PLACEHOLDERS = new Set(['n/a', 'na', 'none', '-', '--', 'tbd', 'unknown', 'null']);

export function domain(raw) {
  let s = raw.trim().toLowerCase();
  if (!s || PLACEHOLDERS.has(s)) return null;
  const i = s.indexOf('://');
  if (i >= 0) s = s.slice(i + 3);
  s = s.split(/[/?#]/)[0];
  const at = s.lastIndexOf('@');
  if (at >= 0) s = s.slice(at + 1);
  s = s.split(':')[0].replace(/\.+$/, '');
  if (s.startsWith('www.')) s = s.slice(4);
  return s.includes('.') && /^[a-z0-9.-]+$/.test(s) ? s : null;
}

function email(raw) {
  const at = raw.lastIndexOf('@');
  if (at < 0) return null;
  const d = domain(raw.slice(at + 1));
  return d && !FREE.has(d) ? d : null;
}

/** Parses and keys an export (Salesforce layout of scripts/gen-crm); returns [rows, distinct keys]. */
export function papaKeys(Papa, bytes) {
  const text = new TextDecoder().decode(bytes);
  const res = Papa.parse(text, { header: true, skipEmptyLines: true });
  const keys = new Map();
  for (const row of res.data) {
    const ks = [];
    const w = domain(row['Website'] ?? '');
    if (w) ks.push('domain:' + w);
    const e = email(row['Primary Contact Email'] ?? '');
    if (e) ks.push('domain:' + e);
    const d = (row['D-U-N-S Number'] ?? '').replace(/[- ]/g, '');
    if (/^\d{9}$/.test(d)) ks.push('duns:' + d);
    const name = (row['Account Name'] ?? '').trim().toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
    if (name) ks.push(`name:${name}|${(row['Billing Country'] ?? '').trim().toLowerCase()}|${ks.length ? '+' : '-'}`);
    for (const k of ks) keys.set(k, (keys.get(k) ?? 0) + 1);
  }
  return [res.data.length, keys.size];
}
