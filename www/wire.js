// A read-only look at a message file's header (docs/PROTOCOL.md §3), to name files, route a
// dropped message to its saved session and tell the analyst what a partner's offer says before
// answering it. The package parses and checks every message strictly when it is used; this only
// reads what it can and never decides anything about the protocol.

/** @type {Record<number, string>} */
export const KINDS = { 1: 'offer', 2: 'reply', 3: 'confirm', 4: 'fields', 5: 'plan', 0x10: 'quick-v1', 0x11: 'quick' };
/** Who made a quick-mode list: the partner who started the session, or the one who answered. */
/** @type {Record<number, string>} */
const QUICK_ROLE = { 1: 'first', 2: 'second' };
/** @type {Record<string, number>} */
export const NUMBER = { offer: 1, reply: 2, confirm: 3, fields: 4, plan: 5 };
const SHARING = ['counts', 'overlaps', 'fields'];
const ROLES = ['other', 'customer', 'opportunity', 'prospect'];

const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** What a file that is not a message looks like, for a clear error. */
export function guessFileType(bytes) {
  if (bytes.length === 0) return 'an empty file';
  const starts = (sig) => sig.every((x, i) => bytes[i] === x);
  if (starts([0x89, 0x50, 0x4e, 0x47])) return 'a PNG image';
  if (starts([0xff, 0xd8, 0xff])) return 'a JPEG image';
  if (starts([0x25, 0x50, 0x44, 0x46])) return 'a PDF document';
  if (starts([0x50, 0x4b, 0x03, 0x04])) return 'a ZIP archive or an Excel/Word file';
  if (starts([0x4f, 0x56, 0x4c, 0x53])) return 'a saved session state, not a message';
  const sample = bytes.subarray(0, 4096);
  let text = 0;
  for (const b of sample) if (b === 9 || b === 10 || b === 13 || (b >= 32 && b !== 127)) text++;
  if (text / sample.length > 0.95) {
    const s = new TextDecoder().decode(sample);
    const firstLine = s.split(/\r?\n/, 1)[0];
    if (/[,;\t|]/.test(firstLine)) return 'a CSV or text export';
    return 'a text file';
  }
  return 'a binary file of another kind';
}

/**
 * What a message's header says (and, for offers, replies and quick-mode lists, the sender's
 * announcement).
 * @typedef {object} MessageInfo
 * @property {true} ok
 * @property {number} version
 * @property {string | null} kind
 * @property {number | null} number
 * @property {string} session
 * @property {string} normalization
 * @property {string | null} [role] a quick-mode list's maker: `first` or `second`
 * @property {any} [announcement] sharing, fields, populations, name keys, elements
 */
/**
 * A file that is not a message, and what it looks like.
 * @typedef {{ok: false, looksLike: string, kind?: undefined, number?: undefined, session?: undefined, role?: undefined, announcement?: undefined}} NotAMessage
 */

/**
 * Reads a message's header and, for offers and replies, the sender's announcement.
 * @param {Uint8Array} bytes
 * @returns {MessageInfo | NotAMessage}
 */
export function peek(bytes) {
  if (bytes.length < 4 || bytes[0] !== 0x4f || bytes[1] !== 0x56 || bytes[2] !== 0x4c || bytes[3] !== 0x50) {
    return { ok: false, looksLike: guessFileType(bytes) };
  }
  /** @type {MessageInfo} */
  const out = { ok: true, version: bytes[4] ?? 0, kind: KINDS[bytes[5]] ?? null, number: null, session: '', normalization: '' };
  out.number = out.kind === null ? null : (NUMBER[out.kind] ?? null);
  if (bytes.length < 55) return out;
  out.session = hex(bytes.subarray(6, 22));
  try {
    const r = reader(bytes, 54);
    out.normalization = r.str(r.u8());
    if (out.kind === 'offer' || out.kind === 'reply') {
      const sharing = SHARING[r.u8()] ?? 'unknown';
      const fields = [];
      for (let n = r.u8(); n > 0; n--) fields.push(r.str(r.u16()));
      const populations = [];
      for (let n = r.u8(); n > 0; n--) populations.push({ name: r.str(r.u8()), size: r.u32(), role: ROLES[r.u8()] ?? 'other' });
      const nameKeys = r.str(r.u8());
      r.skip(1 + 32); // minimum combination size; commitment (offer) or nonce (reply)
      let elements = null;
      if (out.kind === 'offer') elements = r.u32();
      else {
        const order = r.u8();
        const n = r.u32();
        r.skip(order === 0 ? n * 32 : n * 34);
        elements = r.u32();
      }
      out.announcement = { sharing, fields, populations, nameKeys, elements };
    } else if (out.kind === 'quick') {
      out.role = QUICK_ROLE[r.u8()] ?? null;
      r.skip(16);
      const populations = [];
      for (let n = r.u8(); n > 0; n--) populations.push({ name: r.str(r.u8()), size: r.u32(), role: ROLES[r.u8()] ?? 'other' });
      out.announcement = { sharing: null, fields: [], populations, elements: r.u32() };
    }
  } catch {
    // A short or odd message: the package will say exactly what is wrong with it.
  }
  return out;
}

function reader(bytes, at) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (n) => {
    if (at + n > bytes.length) throw new RangeError('truncated');
  };
  const dec = new TextDecoder('utf-8', { fatal: false });
  return {
    u8() {
      need(1);
      return bytes[at++];
    },
    u16() {
      need(2);
      const v = view.getUint16(at);
      at += 2;
      return v;
    },
    u32() {
      need(4);
      const v = view.getUint32(at);
      at += 4;
      return v;
    },
    str(n) {
      need(n);
      const s = dec.decode(bytes.subarray(at, at + n));
      at += n;
      return s;
    },
    skip(n) {
      need(n);
      at += n;
    },
  };
}

/**
 * Message files are named `….overlap`: a name of our own (`.msg` opens Outlook on Windows). The
 * pickers still take the `.msg` files of earlier versions.
 */
export const EXTENSION = '.overlap';
/** What the page's file pickers for messages accept. */
export const MESSAGE_ACCEPT = '.overlap,.msg,application/octet-stream';
/** Above this a file is too large for many email services (20–25 MB attachments). */
export const EMAIL_LIMIT = 20 * 1024 * 1024;

/** The file name of message `kind` of a session: overlap-<8 hex>-<n>-<kind>.overlap */
export function messageName(session, kind) {
  return `overlap-${session.slice(0, 8)}-${NUMBER[kind]}-${kind}${EXTENSION}`;
}

/** The file name of a quick-mode list: overlap-quick-<8 hex>-<n>-<list|answer>.overlap */
export function quickName(session, n) {
  return `overlap-quick-${session.slice(0, 8)}-${n}-${n === 1 ? 'list' : 'answer'}${EXTENSION}`;
}
