// A pool worker in Node (worker_threads).
import { parentPort } from 'node:worker_threads';
import { serve } from './worker-core.js';

const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);
const handle = serve((msg, transfer) => port.postMessage(msg, /** @type {any} */ (transfer)));
port.on('message', handle);
