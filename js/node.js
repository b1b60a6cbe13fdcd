// Node entry: the .wasm is read from disk next to this file.
import { readFile } from 'node:fs/promises';
import { initSync } from './overlap_wasm.js';
import { setLoader } from './api.js';

setLoader(async (wasm) => {
  const bytes = wasm ?? (await readFile(new URL('./overlap_wasm_bg.wasm', import.meta.url)));
  initSync({ module: bytes });
});

export * from './api.js';
