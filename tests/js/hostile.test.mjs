// The package against a hostile partner (issue #13), from the built pkg/ in Node: a forged
// confirm gets no value, a confirm crafted to exhaust memory is refused and the wasm instance
// keeps working, a finished session's bytes hold no secret, both sides see the same session code.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const pkgDir = fileURLToPath(new URL('../../pkg/', import.meta.url));
let o;

before(async () => {
  o = await import(`${pkgDir}node.js`);
  await o.init();
});

const exportOf = (tag, n, shared) => {
  const rows = [];
  for (let i = 0; i < n; i++) rows.push([`Company ${tag}${i}`, i < shared ? `shared${i}.com` : `${tag}-only${i}.com`, 'Customer', `SECRET-OWNER-${tag}-${i}`]);
  return o.Dataset.fromRows(['Name', 'Website', 'Type', 'Owner'], rows);
};

const reseal = (msg) => {
  const out = Uint8Array.from(msg);
  out.set(createHash('sha256').update(out.subarray(0, out.length - 32)).digest(), out.length - 32);
  return out;
};

/** B's tag count: the u32 before m × 14 bytes of tags and the checksum. */
function tagCount(reply) {
  const v = new DataView(reply.buffer, reply.byteOffset, reply.byteLength);
  for (let m = 1; m < reply.length / 14; m++) if (v.getUint32(reply.length - 32 - 14 * m - 4) === m) return m;
  throw new Error('no tag count');
}

const contains = (hay, needle) => Buffer.from(hay).includes(Buffer.from(needle));

async function firstSteps(bSharing) {
  const a = exportOf('a', 40, 15);
  const b = exportOf('b', 60, 15);
  const s = await o.Party.start(a, { sharing: 'overlaps' });
  const r = await o.Party.respond(b, s.message, { sharing: bSharing, fields: bSharing === 'fields' ? ['Owner'] : undefined });
  const c = await s.party.receive(r.message);
  return { a, b, s, r, c };
}

test('a forged confirm claiming every account gets no value; the honest one then works', async () => {
  const { r, c } = await firstSteps('fields');
  const reply = r.message;
  const confirm = c.message;
  const m = tagCount(reply);
  const at = 55 + confirm[54] + 32; // header, A's nonce: then the result kind
  assert.equal(confirm[at], 1);
  const bitmap = new Uint8Array(Math.ceil(m / 8)).fill(0xff);
  if (m % 8) bitmap[bitmap.length - 1] = (0xff << (8 - (m % 8))) & 0xff;
  const parts = [confirm.subarray(0, at + 1), bitmap];
  const tags = reply.subarray(reply.length - 32 - 14 * m, reply.length - 32);
  for (let q = 0; q < m; q++) parts.push(tags.subarray(q * 14, q * 14 + 8), Uint8Array.of(0, 1));
  parts.push(new Uint8Array(5 + 32));
  const forged = reseal(Buffer.concat(parts));
  await assert.rejects(r.party.receive(forged), (e) => e instanceof o.MessageError && e.code === 'message/unproven_claim' && !/SECRET/.test(e.message));
  // The party is unchanged: the honest confirm goes through; B's owners travel sealed.
  const d = await r.party.receive(confirm);
  assert.ok(d.message, 'B sends its fields');
  assert.ok(!contains(d.message, 'SECRET-OWNER'));
  const e = await c.party.receive(d.message);
  const values = e.report.rows().flatMap((row) => row.partnerValues.flat());
  assert.equal(values.length, 15);
  assert.ok(values.every((v) => /^SECRET-OWNER-b-(\d|1[0-4])$/.test(v)), values.join(','));
});

test('a confirm crafted to exhaust memory is refused, and the wasm instance keeps working', async () => {
  const { b, r, c } = await firstSteps('overlaps');
  const confirm = c.message;
  const m = tagCount(r.message);
  const at = 55 + confirm[54] + 32;
  // No claim, then a sealed section announcing 4,294,967,295 entries of 6 bytes each (v1's shape
  // that took 3 GB), 360 KB of zeros.
  const body = [confirm.subarray(0, at), Uint8Array.of(1), new Uint8Array(Math.ceil(m / 8)), Uint8Array.of(0, 0xff, 0xff, 0xff, 0xff), new Uint8Array(6 * 60000), new Uint8Array(32)];
  const bomb = reseal(Buffer.concat(body));
  await assert.rejects(r.party.receive(bomb), (e) => e.code === 'message/count_mismatch');
  // Pairs for every element with no bytes for them, and every element claimed with no proof.
  for (const tail of [[0, ...new Uint8Array(new Uint32Array([m]).buffer).reverse()], [1, ...new Uint8Array(Math.ceil(m / 8)).fill(0xff)]]) {
    const msg = reseal(Buffer.concat([confirm.subarray(0, at), Uint8Array.from(tail), new Uint8Array(32)]));
    await assert.rejects(r.party.receive(msg), (e) => e instanceof o.MessageError);
  }
  // The same instance: the honest confirm, and a whole new exchange.
  const d = await r.party.receive(confirm);
  assert.equal(d.report.matchedRows, 15);
  const again = await firstSteps('overlaps');
  assert.equal((await again.r.party.receive(again.c.message)).report.matchedRows, 15);
  assert.equal(b.rowCount, 60);
});

test('both sides see the same session code; a finished session keeps no secret', async () => {
  const { s, r, c } = await firstSteps('overlaps');
  assert.equal(s.party.sessionCode, undefined);
  assert.equal(r.party.sessionCode, undefined, 'B cannot know it before the confirm');
  assert.match(c.party.sessionCode, /^\d{4} \d{4}$/);
  assert.ok(s.party.holdsSecrets && r.party.holdsSecrets);
  const d = await r.party.receive(c.message);
  assert.equal(d.party.sessionCode, c.party.sessionCode);
  assert.equal(d.report.sessionCode, c.party.sessionCode);
  for (const p of [c.party, d.party]) {
    assert.equal(p.step, 'done');
    assert.equal(p.holdsSecrets, false);
    const back = o.Party.restore(p.toBytes(), p.dataset);
    assert.equal(back.holdsSecrets, false);
    assert.ok(back.report().matchedRows > 0, 'the result stays');
  }
});
