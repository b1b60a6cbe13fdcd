// Browser and bundler entry: the .wasm is fetched from next to this file (bundlers such as Vite,
// webpack 5 and esbuild understand `new URL(..., import.meta.url)` and emit the asset).
import initWasm from './overlap_wasm.js';
import { setLoader } from './api.js';

setLoader(async (wasm) => {
  await initWasm({ module_or_path: wasm ?? new URL('./overlap_wasm_bg.wasm', import.meta.url) });
});

export * from './api.js';
