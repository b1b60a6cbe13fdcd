// A dedicated worker running the exchange, so the page stays responsive with large exports. The
// package's pool starts its own workers from here (nested workers).
import { OverlapError } from 'overlap';
import { match, type Inputs } from './match';

let abort: AbortController | null = null;

self.onmessage = async (e: MessageEvent<{ type: 'run'; inputs: Inputs } | { type: 'cancel' }>) => {
  if (e.data.type === 'cancel') return abort?.abort();
  abort = new AbortController();
  try {
    const outcome = await match(e.data.inputs, (progress) => self.postMessage({ type: 'progress', progress }), abort.signal);
    self.postMessage({ type: 'done', outcome });
  } catch (err) {
    const code = err instanceof OverlapError ? err.code : (err as Error).name;
    self.postMessage({ type: 'error', message: (err as Error).message, code });
  }
};
