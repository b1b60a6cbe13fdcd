// Sessions survive a reload: each partner reloads its page in the middle of the exchange,
// resumes from IndexedDB without dropping its file again, downloads its last file again, and
// finishes. "Discard" deletes everything the session kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { download } from './lib.mjs';
import { cliExchange, crmPair, downloadOutgoing, firstMessage, loadMessage, pageTests, parseCsv, readMatrix, ready, shot, toResults } from './page.mjs';

const pages = pageTests('r');
// The committed slices: these tests are about the page's behaviour, not the data.
const data = crmPair({ fixtures: true });


async function reloadAndResume(page, shotName) {
  await page.reload();
  await ready(page);
  await page.waitForSelector('#saved .saved-list li');
  if (shotName) await shot(page, shotName);
  assert.equal(await page.locator('#saved .saved-list li').count(), 1, 'one saved session');
  await page.click('#saved .saved-list li button:has-text("Resume")');
  await page.waitForSelector('#step-exchange:not([hidden]) li.msg.done');
  await page.waitForSelector('#busy', { state: 'hidden' });
}

async function savedSessions(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const req = indexedDB.open('overlap');
        req.onsuccess = () => {
          const db = req.result;
          if (!db.objectStoreNames.contains('sessions')) return resolve(0);
          const r = db.transaction('sessions').objectStore('sessions').count();
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(r.error);
        };
        req.onerror = () => reject(req.error);
      }),
  );
}

test('both partners reload in the middle of the exchange, resume, and finish with the right result', async () => {
  const dir = pages.dir();
  const A = await pages.open('A');
  const B = await pages.open('B');

  const offer = await firstMessage(A.page, { csv: data.a, dir });

  // A reloads while waiting for the reply, and can download its offer again, byte for byte.
  await reloadAndResume(A.page, 'resume-1-saved-sessions');
  const again = await download(A.page, '#download-outgoing', pages.dir());
  assert.deepEqual(readFileSync(again), readFileSync(offer), 'the saved offer downloads again unchanged');
  assert.match(await A.page.textContent('#session-bar'), /saved in this browser/);

  const reply = await firstMessage(B.page, { role: 'B', csv: data.b, offer, dir });

  // B reloads while waiting for the confirm.
  await reloadAndResume(B.page);

  await loadMessage(A.page, reply, 2);
  const confirm = await downloadOutgoing(A.page, dir);
  // A reloads once more after its result: the result comes back from the saved state.
  await reloadAndResume(A.page);
  await A.page.waitForSelector('#see-results');
  await shot(A.page, 'resume-2-resumed');
  await loadMessage(B.page, confirm, 3);

  const want = cliExchange({ a: data.a, b: data.b, aSharing: 'overlaps', bSharing: 'overlaps' }, dir);
  await toResults(A.page);
  await toResults(B.page);
  assert.deepEqual(await readMatrix(A.page), parseCsv(want.a.matrix));
  assert.deepEqual(await readMatrix(B.page), parseCsv(want.b.matrix));
  const exported = await download(B.page, '#export-csv', dir);
  assert.equal(readFileSync(exported, 'utf8'), want.b.report);

  // Discard deletes the saved session.
  assert.equal(await savedSessions(A.page), 1);
  await A.page.click('#discard-end');
  await A.page.click('#discard-end');
  await A.page.waitForSelector('#step-start:not([hidden])');
  assert.match(await A.page.textContent('#saved'), /Session discarded/);
  assert.equal(await savedSessions(A.page), 0, 'nothing is left in IndexedDB');
  await A.page.reload();
  await ready(A.page);
  assert.equal(await A.page.locator('#saved .saved-list li').count(), 0);

  await pages.done(A, B);
});

test("a partner's message dropped on the start page resumes the session it belongs to", async () => {
  const dir = pages.dir();
  const A = await pages.open('A');
  const B = await pages.open('B');
  const offer = await firstMessage(A.page, { csv: data.a, dir });
  const reply = await firstMessage(B.page, { role: 'B', csv: data.b, offer, dir });

  await A.page.reload();
  await ready(A.page);
  await A.page.check('input[name=role][value=B]');
  await A.page.setInputFiles('#offer-file', reply);
  await A.page.waitForSelector('#routed');
  assert.match(await A.page.textContent('#routed'), /file 2 \(the reply\) of your mapping [0-9a-f]{8}, saved in this browser/);
  await A.page.click('#routed-resume');
  await A.page.waitForSelector('li.msg[data-n="2"].done', { timeout: 60_000 });
  await A.page.waitForSelector('#see-results');
  await pages.done(A, B);
});
