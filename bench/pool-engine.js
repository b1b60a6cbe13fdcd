// The engine in a dedicated worker, as the page runs it; the pool's workers are nested in it.
import { exchange } from './pool-exchange.js';

self.onmessage = async (e) => {
  try {
    self.postMessage({ ok: await exchange(e.data) });
  } catch (err) {
    self.postMessage({ error: `${err.name}: ${err.message}` });
  }
};
