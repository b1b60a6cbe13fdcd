import { abortThenRun, exchange } from './exchange.js';

// Entry points for the test driver (page.evaluate).
window.tests = {
  exchange,
  abortThenRun,
  inWorker(args) {
    return new Promise((resolve, reject) => {
      const w = new Worker('./worker.js', { type: 'module' });
      w.onmessage = (e) => (e.data.error ? reject(new Error(e.data.error)) : resolve(e.data.ok), w.terminate());
      w.onerror = (e) => reject(new Error(e.message));
      w.postMessage(args);
    });
  },
};
window.ready = true;
