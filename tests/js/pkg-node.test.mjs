// The built package (pkg/), imported by Node through its package.json `exports`, matches two lists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const pkgDir = fileURLToPath(new URL('../../pkg/', import.meta.url));
const enc = new TextEncoder();

test('package.json routes Node to the Node entry and carries the Cargo version', async () => {
  const require = createRequire(import.meta.url);
  const manifest = require(`${pkgDir}package.json`);
  assert.equal(manifest.name, 'overlap');
  assert.equal(manifest.sideEffects, false);
  assert.equal(manifest.exports['.'].node, './node.js');
  assert.match(manifest.version, /^\d+\.\d+\.\d+/);
});

test('Node imports the package and maps in quick mode: start, answer, finish', async () => {
  const overlap = await import(`${pkgDir}node.js`);
  await overlap.init();
  const a = overlap.Dataset.fromBytes(enc.encode('Account Name,Website\nAcme,https://www.acme.com/\nBeta,beta.io\nGamma,gamma.org\n'), {});
  const b = overlap.Dataset.fromBytes(enc.encode('Company name,Website URL\nACME Inc,acme.com\nGamma,http://gamma.org/en\nDelta,delta.de\n'), {});
  const secret = overlap.suggestSecret();
  assert.match(secret, /^[a-z]{3,5}(-[a-z]{3,5}){5}$/);
  assert.equal(overlap.checkSecret(secret).ok, true);
  const { message: first, session } = overlap.quickStart(a, secret);
  assert.match(session, /^[0-9a-f]{32}$/);
  const { message: second, report: rb } = overlap.quickAnswer(b, secret, first);
  const ra = overlap.quickFinish(a, secret, session, second);
  assert.deepEqual(ra.rows().map((r) => r.row), [0, 2]);
  assert.deepEqual(rb.rows().map((r) => r.row), [0, 1]);
  // The partner's set is counted in protocol elements, as in the private protocol (and as the
  // wasm test counts it): three domains and, for each city-less name, its two place tokens.
  assert.equal(ra.partnerSetSize, 9);
  const csv = new TextDecoder().decode(ra.toCsv());
  assert.match(csv, /^Account Name,Website,overlap_partner_populations,overlap_matched_on,overlap_confidence/);
  // Another secret, my own list sent back, an answer to an older session: each refused by name.
  const other = overlap.suggestSecret();
  assert.throws(() => overlap.quickAnswer(b, other, first), (e) => e instanceof overlap.MessageError && e.code === 'message/wrong_secret' && /different shared secret/.test(e.message));
  assert.throws(() => overlap.quickFinish(a, secret, session, first), (e) => e instanceof overlap.MessageError && e.code === 'message/wrong_role');
  const newer = overlap.quickStart(a, secret);
  assert.throws(() => overlap.quickFinish(a, secret, newer.session, second), (e) => e instanceof overlap.MessageError && e.code === 'message/other_session');
  // A weak secret: refused with its reasons, never quoted.
  const check = overlap.checkSecret('Summer2024!!');
  assert.equal(check.ok, false);
  assert.equal(check.code, 'secret/weak');
  assert.ok(check.weaknesses.includes('year') && check.weaknesses.includes('common_password'), check.weaknesses.join());
  assert.throws(() => overlap.quickStart(a, 'Summer2024!!'), (e) => e instanceof overlap.SecretError && e.code === 'secret/weak' && e.weaknesses.includes('year') && !e.message.includes('Summer'));
});
