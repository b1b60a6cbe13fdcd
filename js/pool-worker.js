// A pool worker in browsers (a module worker; also started from inside another worker).
import { serve } from './worker-core.js';

const handle = serve((msg, transfer) => self.postMessage(msg, { transfer: transfer ?? [] }));
self.onmessage = (e) => handle(e.data);
