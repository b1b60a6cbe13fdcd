// The two-party exchange, as any app would run it: the same code on the page and in a worker.
// Here both partners play in one tab; in a product each side runs in its own browser and the
// three messages travel over your channel.
import { Dataset, Party, createPool, init, type Progress, type Report } from 'overlap';

export interface Inputs {
  mine?: Uint8Array;
  theirs?: Uint8Array;
}

export interface Outcome {
  a: number;
  b: number;
  aRows: number;
  bRows: number;
  messageBytes: number[];
  workers: number;
}

function sample(): [Dataset, Dataset] {
  const mine = Dataset.fromRows(
    ['Account Name', 'Website', 'Type'],
    [
      ['Acme Corp', 'https://www.acme.com/', 'Customer'],
      ['Globex', 'globex.io', 'Prospect'],
      ['Initech', 'http://initech.de/en', 'Customer'],
    ],
  );
  const theirs = Dataset.fromRows(['Company name', 'Website URL'], [['ACME Inc.', 'acme.com'], ['Initech GmbH', 'www.initech.de'], ['Hooli', 'hooli.xyz']]);
  return [mine, theirs];
}

export async function match(inputs: Inputs, onProgress: (p: Progress) => void, signal?: AbortSignal): Promise<Outcome> {
  await init();
  const [mine, theirs] =
    inputs.mine && inputs.theirs ? [Dataset.fromBytes(inputs.mine), Dataset.fromBytes(inputs.theirs)] : sample();
  const pool = createPool();
  try {
    const step = { pool, onProgress, signal };
    const a = await Party.start(mine, { ...step, sharing: 'overlaps' });
    const b = await Party.respond(theirs, a.message!, { ...step, sharing: 'overlaps', minPopulation: 1 });
    const a2 = await a.party.receive(b.message!, step);
    const b2 = await b.party.receive(a2.message!, step);
    const ra: Report = a2.report!;
    const rb: Report = b2.report!;
    return {
      a: ra.matchedRows,
      b: rb.matchedRows,
      aRows: ra.myRows,
      bRows: rb.myRows,
      messageBytes: [a.message!.length, b.message!.length, a2.message!.length],
      workers: pool.size,
    };
  } finally {
    await pool.close();
  }
}
