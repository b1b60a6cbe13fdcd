import { exchange } from './pool-exchange.js';

window.bench = {
  onPage: (args) => exchange(args),
  inWorker: (args) =>
    new Promise((resolve, reject) => {
      const w = new Worker('./pool-engine.js', { type: 'module' });
      w.onmessage = (e) => (e.data.error ? reject(new Error(e.data.error)) : resolve(e.data.ok), w.terminate());
      w.onerror = (e) => reject(new Error(e.message));
      w.postMessage(args);
    }),
};
window.ready = true;
