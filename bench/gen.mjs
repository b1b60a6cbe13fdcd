// Deterministic generator of Salesforce-style Account exports for benchmarks (never committed).
//   node bench/gen.mjs ROWS OUT.csv [SEED] [OVERLAP_WITH_SEED]
// Rows look like real exports: ids, names with legal forms, websites written every way CRMs hold
// them (schemes, www, paths, ports, upper case, placeholders, emails), types, countries, owners,
// contact emails (some free-mail) and revenue.
import { createWriteStream } from 'node:fs';

export function rng(seed) {
  let s = BigInt(seed) * 0x9e3779b97f4a7c15n + 1n;
  return () => {
    s ^= s << 13n; s &= 0xffffffffffffffffn;
    s ^= s >> 7n;
    s ^= s << 17n; s &= 0xffffffffffffffffn;
    return Number(s >> 11n) / 2 ** 53;
  };
}

const syll = ['ka', 'ro', 'min', 'tel', 'vex', 'lu', 'dor', 'sa', 'bri', 'qua', 'zen', 'fo', 'nik', 'ta', 'lo', 'mar', 'pel', 'ix', 'gra', 'von'];
const forms = ['Inc', 'Inc.', 'LLC', 'Ltd', 'GmbH', 'S.A.S.', 'B.V.', 'AB', 'Corp', 'Co., Ltd.', 'PLC', 'SA', ''];
const tlds = ['com', 'com', 'com', 'io', 'co.uk', 'de', 'fr', 'nl', 'se', 'co.jp', 'com.br', 'net'];
const types = ['Customer - Direct', 'Customer - Channel', 'Prospect', 'Prospect', 'Partner', 'Other'];
const countries = ['United States', 'USA', 'United Kingdom', 'Germany', 'France', 'Netherlands', 'Sweden', 'Japan', 'Brazil'];
const first = ['Anna', 'Ben', 'Chloe', 'David', 'Emma', 'Felix', 'Grace', 'Hugo', 'Ines', 'Jonas'];
const last = ['Smith', 'Meyer', 'Dubois', 'Jansen', 'Berg', 'Tanaka', 'Silva', 'Brown', 'Rossi', 'Nowak'];

/** Company number i of the universe `seed`: the same i always gives the same company. */
export function company(i, seed) {
  const r = rng(seed * 1_000_003 + i);
  const pick = (a) => a[Math.floor(r() * a.length)];
  const n = 2 + Math.floor(r() * 3);
  let word = '';
  for (let k = 0; k < n; k++) word += pick(syll);
  word += i.toString(36);
  const name = word[0].toUpperCase() + word.slice(1);
  return { name, form: pick(forms), domain: `${word}.${pick(tlds)}`, country: pick(countries) };
}

function website(c, r) {
  const x = r();
  if (x < 0.05) return '';
  if (x < 0.07) return ['n/a', '-', 'none'][Math.floor(r() * 3)];
  if (x < 0.3) return `https://www.${c.domain}/`;
  if (x < 0.45) return `http://${c.domain}`;
  if (x < 0.55) return `www.${c.domain}`;
  if (x < 0.6) return `HTTPS://WWW.${c.domain.toUpperCase()}:443/about?ref=crm`;
  if (x < 0.65) return `shop.${c.domain}`;
  return c.domain;
}

export function* rows(count, seed, universe = 1) {
  const r = rng(seed);
  yield 'Account ID,Account Name,Website,Type,Industry,Billing Country,Account Owner,Primary Contact Email,Annual Revenue';
  for (let i = 0; i < count; i++) {
    // Draw companies from a shared universe so two generated files overlap.
    const c = company(Math.floor(r() * count * 3), universe);
    const name = `${c.name}${c.form ? ' ' + c.form : ''}`;
    const quoted = name.includes(',') ? `"${name}"` : name;
    const f = first[Math.floor(r() * first.length)];
    const l = last[Math.floor(r() * last.length)];
    const mail = r() < 0.2 ? `${f.toLowerCase()}.${l.toLowerCase()}@gmail.com` : r() < 0.7 ? `${f.toLowerCase()}@${c.domain}` : '';
    const id = `001${(seed * 7919 + i).toString(36).padStart(12, '0')}`;
    yield `${id},${quoted},${website(c, r)},${types[Math.floor(r() * types.length)]},Software,${c.country},${f} ${l},${mail},${Math.floor(r() * 1e9)}`;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [count, out, seed = '1', universe = '1'] = process.argv.slice(2);
  const w = createWriteStream(out);
  let buf = '';
  for (const line of rows(Number(count), Number(seed), Number(universe))) {
    buf += line + '\n';
    if (buf.length > 1 << 20) {
      if (!w.write(buf)) await new Promise((res) => w.once('drain', res));
      buf = '';
    }
  }
  w.end(buf);
}
