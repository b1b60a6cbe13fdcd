import { init, Dataset, quickStart } from '/pkg/index.js';

await init();
const ds = Dataset.fromBytes(new TextEncoder().encode('Website\nacme.com\n'));
const times = [];
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  quickStart(ds, 'acid-acorn-acre-acts-afar-affix');
  times.push((performance.now() - t) / 1000);
}
postMessage(times);
