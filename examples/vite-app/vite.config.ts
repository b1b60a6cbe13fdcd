import { defineConfig } from 'vite';

export default defineConfig({
  // The dev server pre-bundles dependencies into one file, which would lose the package's
  // `new URL('./overlap_wasm_bg.wasm', import.meta.url)` and its worker file: serve it as is.
  optimizeDeps: { exclude: ['overlap'] },
  // The pool's workers are module workers; bundle them (and ours) as ES modules.
  worker: { format: 'es' },
});
