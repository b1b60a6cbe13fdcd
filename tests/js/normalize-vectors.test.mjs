// The normalization vectors (tests/vectors/normalization.json) through the built package: the same
// rules must give the same keys from JavaScript as natively and in the wasm tests.
// Expects the package to export `normalize(kind, value)` returning the value or throwing an error
// whose `code` is the refusal code, `normalizeBatch(kind, values)` returning one value per input
// ('' when refused), and optionally `nameKey(name, country)`. Skipped until the facade has them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const pkgDir = fileURLToPath(new URL('../../pkg/', import.meta.url));
const vectors = JSON.parse(readFileSync(new URL('../vectors/normalization.json', import.meta.url), 'utf8'));
const overlap = await import(`${pkgDir}node.js`);
await overlap.init();
const missing = typeof overlap.normalize !== 'function' && 'the package does not export normalize() yet';

test('every vector through normalize(kind, value)', { skip: missing }, () => {
  const failures = [];
  for (const c of vectors.cases) {
    let got;
    if (c.kind === 'name_key') {
      if (typeof overlap.nameKey !== 'function') continue;
      try { got = { value: overlap.nameKey(c.input, c.country ?? undefined) }; } catch (e) { got = { refusal: e.code }; }
    } else {
      try { got = { value: overlap.normalize(c.kind, c.input) }; } catch (e) { got = { refusal: e.code }; }
    }
    const want = 'expect' in c ? { value: c.expect } : { refusal: c.refusal };
    if (JSON.stringify(got) !== JSON.stringify(want)) failures.push(`[${c.rule}] ${c.kind} ${JSON.stringify(c.input).slice(0, 60)}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  }
  assert.deepEqual(failures, []);
});

test('normalizeBatch agrees with normalize, one value per input', { skip: missing || (typeof overlap.normalizeBatch !== 'function' && 'no normalizeBatch() yet') }, () => {
  for (const kind of ['domain', 'email', 'name', 'country', 'duns', 'linkedin']) {
    const cases = vectors.cases.filter((c) => c.kind === kind);
    const out = [...overlap.normalizeBatch(kind, cases.map((c) => c.input))];
    assert.equal(out.length, cases.length);
    cases.forEach((c, i) => assert.equal(out[i], c.expect ?? '', `${kind} ${JSON.stringify(c.input).slice(0, 40)}`));
  }
});

test('an unknown kind is its own error', { skip: missing }, () => {
  assert.throws(() => overlap.normalize('colour', 'red'), (e) => e.code === 'unknown_kind');
});
