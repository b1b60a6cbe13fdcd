// Times quick mode's key derivation (quickStart on a one-row file: Argon2id, HKDF, one HMAC) in
// a module worker, as the page's engine runs it. bench/kdf.mjs serves and reads this.
const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
window.result = new Promise((resolve, reject) => {
  worker.onmessage = (e) => resolve(e.data);
  worker.onerror = (e) => reject(new Error(e.message));
});
