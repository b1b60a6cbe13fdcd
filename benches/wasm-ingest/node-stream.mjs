import fs from 'node:fs';
const [wasmPath, csvPath] = process.argv.slice(2);
const mod = new WebAssembly.Module(fs.readFileSync(wasmPath));
const imports = {};
for (const i of WebAssembly.Module.imports(mod)) { imports[i.module] ??= {}; imports[i.module][i.name] = () => { throw new Error(i.name); }; }
const { memory, alloc, stream_new, stream_feed, stream_finish } = new WebAssembly.Instance(mod, imports).exports;
const size = fs.statSync(csvPath).size;
const CHUNK = 1 << 20;
const buf = alloc(CHUNK);
const t = performance.now();
const h = stream_new(size);
const fd = fs.openSync(csvPath, 'r');
const tmp = Buffer.alloc(CHUNK);
let n;
while ((n = fs.readSync(fd, tmp, 0, CHUNK)) > 0) {
  new Uint8Array(memory.buffer, buf, n).set(tmp.subarray(0, n));
  if (stream_feed(h, buf, n) !== 0) throw new Error('feed');
}
const r = stream_finish(h);
const s = (performance.now() - t) / 1000;
console.log(JSON.stringify({ bench: 'wasm-node/ingest/stream-fallback', bytes: size, rows: Math.floor(r), elements: Math.round((r % 1) * 1e8), seconds: +s.toFixed(2), mb_per_s: +(size / 1e6 / s).toFixed(1), wasm_memory_bytes: memory.buffer.byteLength, memory_over_file: +(memory.buffer.byteLength / size).toFixed(2) }));
