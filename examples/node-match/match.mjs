// @ts-check
// Two partners find the accounts they share, without either seeing the rest of the other's list.
// Both play in this one process here; in a real integration each side runs on its own machine and
// the messages travel over your channel (an API, a queue, an email attachment).
//
//   node match.mjs                      sample rows built in code (Dataset.fromRows)
//   node match.mjs mine.csv theirs.csv  two CRM exports (Salesforce, HubSpot, any CSV)
import { open, writeFile } from 'node:fs/promises';
import { createPool, Dataset, init, OverlapError, Party } from 'overlap';

await init();

/** @param {string} path */
async function readExport(path) {
  const file = await open(path);
  try {
    // Any async iterable of bytes works: a file stream, a fetch body, a Blob.
    return await Dataset.fromStream(file.createReadStream());
  } finally {
    await file.close();
  }
}

const [pathA, pathB] = process.argv.slice(2);
const mine = pathA
  ? await readExport(pathA)
  : Dataset.fromRows(
      ['Account Name', 'Website', 'Type'],
      [
        ['Acme Corp', 'https://www.acme.com/', 'Customer'],
        ['Globex', 'globex.io', 'Prospect'],
        ['Initech', 'http://initech.de/en', 'Customer'],
        { 'Account Name': 'Umbrella', Website: 'umbrella.co.uk', Type: 'Prospect' },
      ],
    );
const theirs = pathB
  ? await readExport(pathB)
  : Dataset.fromRows(
      ['Company name', 'Website URL'],
      [
        ['ACME Inc.', 'acme.com'],
        ['Initech GmbH', 'www.initech.de'],
        ['Hooli', 'hooli.xyz'],
      ],
    );

// One worker thread per core for the curve work; pass the same pool to every step.
const pool = createPool();
const step = { pool, onProgress: (/** @type {import('overlap').Progress} */ p) => process.stderr.write(`\r${p.done}/${p.total}  `) };
try {
  // 1. A makes the offer and sends it to B.
  const a = await Party.start(mine, { ...step, sharing: 'overlaps' });
  // 2. B answers with the reply.
  const b = await Party.respond(theirs, /** @type {Uint8Array} */ (a.message), { ...step, sharing: 'overlaps', minPopulation: 1 });
  // 3. A learns its overlap and sends the confirm…
  const a2 = await a.party.receive(/** @type {Uint8Array} */ (b.message), step);
  // 4. …from which B learns its own.
  const b2 = await b.party.receive(/** @type {Uint8Array} */ (a2.message), step);
  process.stderr.write('\n');

  const reportA = /** @type {import('overlap').Report} */ (a2.report);
  const reportB = /** @type {import('overlap').Report} */ (b2.report);
  for (const [who, r] of /** @type {const} */ ([['A', reportA], ['B', reportB]])) {
    console.log(`${who}: ${r.matchedRows} of ${r.myRows} rows overlap (partner sent ${r.partnerSetSize} keys)`);
    for (const row of r.rows()) console.log(`   row ${row.row}: matched on ${row.matchedOn.join('+')} (${row.confidence})`);
  }
  await writeFile('overlap-a.csv', reportA.toCsv()); // for Excel (UTF-8 with a BOM)
  await writeFile('overlap-a-crm.csv', reportA.toCsv({ for: 'crm' })); // for a CRM import
  console.log(JSON.stringify({ a: reportA.matchedRows, b: reportB.matchedRows, bytes: [a.message, b.message, a2.message].map((m) => m?.length) }));
} catch (e) {
  // Every error overlap throws has a stable code to branch on.
  if (e instanceof OverlapError) console.error(`overlap: ${e.message} [${e.code}]`);
  else throw e;
  process.exitCode = 1;
} finally {
  await pool.close();
}
