// Quick mode's key derivation (Argon2id with the shipped parameters), best of five, in Node and in
// headless Chromium (a module worker, as the page runs it), next to the native build:
//   cargo build --release --example bench_native && node bench/kdf.mjs
// Needs pkg/ (scripts/build-pkg) and Chromium (scripts/setup).
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../scripts/serve.mjs';
import { launch } from '../tests/e2e/lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = [];
try {
  const n = JSON.parse(execFileSync(join(root, 'target/release/examples/bench_native'), ['kdf'], { encoding: 'utf8' }));
  out.push(['native', n.seconds]);
} catch {
  out.push(['native', NaN]);
}
const overlap = await import(join(root, 'pkg/node.js'));
await overlap.init();
const ds = overlap.Dataset.fromBytes(new TextEncoder().encode('Website\nacme.com\n'));
let best = Infinity;
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  overlap.quickStart(ds, 'acid-acorn-acre-acts-afar-affix');
  best = Math.min(best, (performance.now() - t) / 1000);
}
out.push(['wasm-node', best]);
const server = await serve([['/pkg/', join(root, 'pkg')], ['/', join(root, 'bench/kdf')]]);
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(server.url);
  const times = await page.evaluate(() => window.result);
  out.push(['wasm-chromium', Math.min(...times)]);
} finally {
  await browser.close();
  await server.close();
}
for (const [impl, s] of out) console.log(JSON.stringify({ bench: 'quick_kdf', impl, seconds: +s.toFixed(3) }));
