// Reading an export in Chromium: overlap's wasm reader against PapaParse + JS normalization, on
// the same bytes (bench/run.mjs, section ingest). PapaParse is injected by the driver.
import { init, Dataset } from '/pkg/index.js';
import { papaKeys } from './js-baseline.mjs';

async function bytesOf(url) {
  return new Uint8Array(await (await fetch(url)).arrayBuffer());
}

function best(runs, f) {
  let b = Infinity;
  let v;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    v = f();
    b = Math.min(b, performance.now() - t);
  }
  return [b / 1000, v];
}

window.bench = {
  async overlap(url, nameKeys) {
    await init();
    const bytes = await bytesOf(url);
    const [s, rows] = best(3, () => {
      const d = Dataset.fromBytes(bytes, { nameKeys });
      const n = d.rowCount;
      d.free();
      return n;
    });
    return { bytes: bytes.length, rows, seconds: s };
  },
  async papa(url) {
    const bytes = await bytesOf(url);
    const [s, [rows, keys]] = best(3, () => papaKeys(window.Papa, bytes));
    return { bytes: bytes.length, rows, keys, seconds: s };
  },
};
window.ready = true;
