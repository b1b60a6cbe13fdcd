// The normalization vectors (tests/vectors/normalization.json) through the built package: the same
// rules must give the same keys from JavaScript as natively and in the wasm tests. The package
// exports `normalize(kind, value)` (the value, or an error whose `code` is the refusal code),
// `normalizeBatch(kind, values)` (one value per input, '' when refused) and
// `nameKey(name, country)`; a missing or renamed one fails these tests, it never skips them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const pkgDir = fileURLToPath(new URL('../../pkg/', import.meta.url));
const vectors = JSON.parse(readFileSync(new URL('../vectors/normalization.json', import.meta.url), 'utf8'));
const overlap = await import(`${pkgDir}node.js`);
await overlap.init();

/** The export each kind of vector goes through. */
const via = { name_key: 'nameKey', domain: 'normalize', email: 'normalize', name: 'normalize', country: 'normalize', duns: 'normalize', linkedin: 'normalize' };

test('every export the vectors go through is there, and every kind of vector has one', () => {
  assert.deepEqual([...new Set(vectors.cases.map((c) => c.kind))].filter((k) => !(k in via)), [], 'kinds of vector with no export');
  for (const name of [...new Set(Object.values(via)), 'normalizeBatch']) assert.equal(typeof overlap[name], 'function', `the package exports ${name}()`);
});

test('every vector through normalize(kind, value) and nameKey(name, country)', () => {
  const failures = [];
  for (const c of vectors.cases) {
    let got;
    if (c.kind === 'name_key') {
      try { got = { value: overlap.nameKey(c.input, c.country ?? undefined) }; } catch (e) { got = { refusal: e.code }; }
    } else {
      try { got = { value: overlap.normalize(c.kind, c.input) }; } catch (e) { got = { refusal: e.code }; }
    }
    const want = 'expect' in c ? { value: c.expect } : { refusal: c.refusal };
    if (JSON.stringify(got) !== JSON.stringify(want)) failures.push(`[${c.rule}] ${c.kind} ${JSON.stringify(c.input).slice(0, 60)}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  }
  assert.deepEqual(failures, []);
});

test('normalizeBatch agrees with normalize, one value per input', () => {
  for (const kind of ['domain', 'email', 'name', 'country', 'duns', 'linkedin']) {
    const cases = vectors.cases.filter((c) => c.kind === kind);
    const out = [...overlap.normalizeBatch(kind, cases.map((c) => c.input))];
    assert.equal(out.length, cases.length);
    cases.forEach((c, i) => assert.equal(out[i], c.expect ?? '', `${kind} ${JSON.stringify(c.input).slice(0, 40)}`));
  }
});

test('an unknown kind is its own error', () => {
  assert.throws(() => overlap.normalize('colour', 'red'), (e) => e.code === 'unknown_kind');
});
