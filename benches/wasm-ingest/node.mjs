import fs from 'node:fs';
const [wasmPath, csvPath] = process.argv.slice(2);
const mod = new WebAssembly.Module(fs.readFileSync(wasmPath));
const imports = {};
for (const i of WebAssembly.Module.imports(mod)) {
  imports[i.module] ??= {};
  imports[i.module][i.name] = () => { throw new Error('import ' + i.name + ' called'); };
}
const inst = new WebAssembly.Instance(mod, imports);
const { memory, alloc, ingest, parse_only } = inst.exports;
const data = fs.readFileSync(csvPath);
const ptr = alloc(data.length);
new Uint8Array(memory.buffer, ptr, data.length).set(data);
const mb = data.length / 1e6;
function best(f, runs = 3) { let b = Infinity, r; for (let i = 0; i < runs; i++) { const t = performance.now(); r = f(); b = Math.min(b, performance.now() - t); } return [b / 1000, r]; }
let [s, r] = best(() => parse_only(ptr, data.length));
console.log(JSON.stringify({ bench: 'wasm-node/ingest/parse', bytes: data.length, seconds: +s.toFixed(4), mb_per_s: +(mb / s).toFixed(1) }));
for (const [p, name] of [[0, 'fallback'], [1, 'never'], [2, 'always']]) {
  const before = memory.buffer.byteLength;
  [s, r] = best(() => ingest(ptr, data.length, p));
  console.log(JSON.stringify({ bench: `wasm-node/ingest/read-${name}`, bytes: data.length, rows: Math.floor(r), seconds: +s.toFixed(4), mb_per_s: +(mb / s).toFixed(1), wasm_memory_bytes: memory.buffer.byteLength }));
}
