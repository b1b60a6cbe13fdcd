// Small exports for the usability tests, written on the fly: a Salesforce-like partner A and a
// HubSpot-like partner B with accented and Japanese company names, phone numbers starting with +,
// and a known overlap.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const NAMES = [
  ['Débora Lindqvist AB', 'deboralindqvist.se', 'Sweden', '+46 70 123 45 67'],
  ['株式会社山田製作所', 'yamada-seisakusho.co.jp', 'Japan', '+81 3-1234-5678'],
  ['Müller & Söhne GmbH', 'mueller-soehne.de', 'Germany', '+49 30 123456'],
  ['Société Générale d’Équipement', 'sge-equipement.fr', 'France', '+33 1 23 45 67 89'],
  ['Øresund Logistik ApS', 'oresund-logistik.dk', 'Denmark', '+45 12 34 56 78'],
  ['東京データ株式会社', 'tokyo-data.jp', 'Japan', '+81 3-9876-5432'],
  ['Çelik Yapı A.Ş.', 'celikyapi.com.tr', 'Turkey', '+90 212 555 01 01'],
  ['Árvíztűrő Kft.', 'arvizturo.hu', 'Hungary', '+36 1 234 5678'],
];

/** `n`-th company: the named ones first, then plain ones. */
function company(i) {
  if (i < NAMES.length) return NAMES[i];
  return [`Company ${i} Inc`, `company${i}.com`, 'United States', `+1 (555) 010-${String(1000 + i).slice(-4)}`];
}

/**
 * Writes A's and B's exports to `dir`: A holds companies 0..59, B holds 0..29 (shared, including
 * every named one) and 100..139 (B only). Returns their paths and the overlap's size.
 */
export function writePair(dir) {
  const a = ['Account Name,Website,Type,Billing Country,Account Owner,Phone'];
  for (let i = 0; i < 60; i++) {
    const [name, site, country, phone] = company(i);
    a.push([csv(name), `https://www.${site}/`, i % 3 === 0 ? 'Prospect' : 'Customer - Direct', country, csv(i % 2 ? 'Débora Núñez' : '山田 太郎'), csv(phone)].join(','));
  }
  const b = ['Company name,Company Domain Name,Lifecycle Stage,Country/Region,Company owner'];
  for (const i of [...Array(30).keys(), ...Array.from({ length: 40 }, (_, k) => 100 + k)]) {
    const [name, site, country] = company(i);
    b.push([csv(name), site, i % 2 ? 'customer' : 'opportunity', country, 'Zoë Åkesson'].join(','));
  }
  const pa = join(dir, 'accounts-salesforce.csv');
  const pb = join(dir, 'companies-hubspot.csv');
  writeFileSync(pa, `${a.join('\r\n')}\r\n`);
  writeFileSync(pb, `${b.join('\r\n')}\r\n`);
  return { a: pa, b: pb, overlap: 30, named: NAMES.map((x) => x[0]), phones: NAMES.map((x) => x[3]) };
}

const csv = (v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
