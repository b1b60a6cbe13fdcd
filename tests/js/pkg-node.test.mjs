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

test('Node imports the package and matches two small lists in quick mode', async () => {
  const overlap = await import(`${pkgDir}node.js`);
  await overlap.init();
  const a = new overlap.Dataset(enc.encode('Account Name,Website\nAcme,https://www.acme.com/\nBeta,beta.io\nGamma,gamma.org\n'), {});
  const b = new overlap.Dataset(enc.encode('Company name,Website URL\nACME Inc,acme.com\nGamma,http://gamma.org/en\nDelta,delta.de\n'), {});
  const secret = 'agreed out of band';
  const ra = overlap.quickMatch(a, secret, overlap.quickList(b, secret));
  const rb = overlap.quickMatch(b, secret, overlap.quickList(a, secret));
  assert.deepEqual([...ra.matchRows], [0, 2]);
  assert.deepEqual([...rb.matchRows], [0, 1]);
  assert.equal(ra.partnerSetSize, 3);
  const csv = new TextDecoder().decode(ra.toCsv(a));
  assert.match(csv, /^Account Name,Website,overlap_partner_populations,overlap_matched_on,overlap_confidence/);
  assert.throws(() => overlap.quickMatch(a, 'another secret!', overlap.quickList(b, secret)), (e) => e.code === 'message' && /different shared secret/.test(e.message));
});
