// Sessions kept in this browser (IndexedDB), so an exchange survives a reload or a day's wait
// for the partner. A record holds: the role, where the exchange is, the party's state bytes (which
// include the session's secret scalar), the reading options and sharing settings, the CSV file
// itself (so resuming needs no new drop), the last message sent (to download again) and the
// message history. Nothing here leaves the browser; "Discard" deletes the record.

const DB = 'overlap';
const STORE = 'sessions';

let opening = null;

function open() {
  opening ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE, { keyPath: 'id' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => {
      opening = null;
      reject(req.error);
    };
    req.onblocked = () => reject(new Error('the saved sessions are locked by another tab'));
  });
  return opening;
}

function done(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function tx(mode, fn) {
  const db = await open();
  const t = db.transaction(STORE, mode);
  const complete = new Promise((resolve, reject) => {
    t.oncomplete = resolve;
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error ?? new Error('the transaction was aborted'));
  });
  const result = await fn(t.objectStore(STORE));
  await complete;
  return result;
}

/** Every saved session, most recently used first. */
export async function list() {
  const all = await tx('readonly', (s) => done(s.getAll()));
  return all.sort((a, b) => b.updatedAt - a.updatedAt);
}

export function get(id) {
  return tx('readonly', (s) => done(s.get(id)));
}

export function put(record) {
  return tx('readwrite', (s) => done(s.put({ ...record, updatedAt: Date.now() })));
}

export function remove(id) {
  return tx('readwrite', (s) => done(s.delete(id)));
}

/** Whether this browser lets the page keep sessions (private windows may not). */
export async function available() {
  try {
    await open();
    return true;
  } catch {
    return false;
  }
}
