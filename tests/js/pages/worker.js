// A dedicated module worker running the exchange with the package's pool (nested workers).
import { exchange } from './exchange.js';

self.onmessage = async (e) => {
  try {
    self.postMessage({ ok: await exchange(e.data) });
  } catch (err) {
    self.postMessage({ error: `${err.name}: ${err.message}` });
  }
};
