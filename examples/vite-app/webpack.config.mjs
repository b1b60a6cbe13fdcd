// webpack 5: `new URL('./x.wasm', import.meta.url)` becomes an emitted asset and
// `new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })` a worker chunk, in the
// package as in this app; TypeScript through ts-loader (type-checking is `npm run typecheck`).
import { fileURLToPath } from 'node:url';

export default {
  mode: 'production',
  entry: './src/main.ts',
  output: { path: fileURLToPath(new URL('./dist-webpack', import.meta.url)), clean: true },
  resolve: { extensions: ['.ts', '.js'] },
  module: { rules: [{ test: /\.ts$/, loader: 'ts-loader', options: { transpileOnly: true } }] },
  performance: { hints: false },
};
