// "What leaves your browser": exactly what the next message file holds (docs/PROTOCOL.md §3),
// what stays here, and the page's own network record. Every sentence must stay true: read
// docs/PROTOCOL.md and docs/THREAT-MODEL.md before changing one.
import { h, num } from './dom.js';

const SHARE_TEXT = {
  counts: 'counts',
  overlaps: 'overlaps',
  fields: 'overlaps + fields',
};

function popSentence(pops, exact) {
  if (!pops?.length) return 'Your population names and their sizes (keys in each).';
  return `Your population names and their sizes in keys${exact ? '' : ' (about)'}: ${pops.map((p) => `${p.name} ${num(p.elements ?? p.size)}`).join(', ')}.`;
}

const header = 'A header: the format version, the message kind, the session id (random), a hash of the messages before it, the version of the normalization rules, and a checksum.';

/**
 * The contents of the next message I send.
 * @param {object} c  { mode, kind, keyCount, populations, exact, settings, partnerSharing, partnerCount }
 *   `exact`: the counts come from the message itself (else from the file: about as many)
 */
export function messageContents(c) {
  const { kind, keyCount, populations, settings, exact } = c;
  const count = keyCount !== undefined ? `${exact ? '' : 'About '}${num(keyCount)}` : 'Your';
  const sharing = settings?.sharing ?? 'counts';
  const fields = sharing === 'fields' ? settings.fields ?? [] : [];
  const items = [];
  if (kind === 'quick') {
    items.push(
      'A header: the format version, the message kind, the session id (random, chosen by the partner who starts), the normalization version and a checksum; whether you started the session or answer it.',
      'A check value of the key (16 bytes), so a list made with a different secret is refused instead of matching nothing.',
      popSentence(populations, exact),
      `${count} keyed hashes: HMAC-SHA256 of each distinct key under a key derived from the shared secret and the session id (Argon2id), with the populations it belongs to, sorted.`,
      'An authentication code over the whole list, so that no one without the secret can drop, add or relabel accounts on the way.',
    );
    return {
      title: 'Your quick-mode list',
      items,
      caveat:
        'Weaker: your partner knows the secret, so it can hash any domain it guesses and see whether it is in your list, and in which of your populations.',
    };
  }
  items.push(header);
  if (kind === 'offer' || kind === 'reply') {
    items.push(
      `Your sharing level (${SHARE_TEXT[sharing]})${fields.length ? `, the names of the columns you will share (${fields.join(', ')})` : ''} and how you match company names${c.nameKeys ? ` (${c.nameKeys})` : ''}.`,
      popSentence(populations, exact),
    );
  }
  if (kind === 'reply') {
    items.push(
      sharing === 'counts'
        ? `Your partner's ${c.partnerCount !== undefined ? num(c.partnerCount) : ''} blinded keys, blinded again with your secret and sorted, each with its own population bits — so it can count the overlap per population pair but not tell which of its keys matched.`
        : `Your partner's ${c.partnerCount !== undefined ? num(c.partnerCount) : ''} blinded keys, blinded again with your secret, in its order — so it learns which of its keys you also hold.`,
    );
  }
  if (kind === 'offer') {
    items.push(
      `${count} blinded keys: for each distinct key (a domain, DUNS, LinkedIn page, or company name + country — a name counts once or twice) a 32-byte point computed with a secret that never leaves this browser, with the populations it belongs to (a combination of populations held by fewer than 5 accounts is merged into a larger one). Sorted, so their order says nothing.`,
      'A fingerprint of a random number, opened in message 3, so that both of you can compare a session code.',
    );
  }
  if (kind === 'reply') {
    items.push(
      `${count} short codes (12 bytes), one for each of your distinct keys, made with a secret that never leaves this browser, with the populations it belongs to: your partner can only recognise the codes of keys it holds itself. Sorted, so their order says nothing.`,
    );
  }
  if (kind === 'confirm') {
    items.push(
      sharing === 'counts'
        ? "Only counts: for each account you both hold, the pair of populations (your partner's, yours) — not which of its keys matched."
        : "Which of your partner's keys you also hold (one bit each), each with an 8-byte proof that you hold it and your populations for it.",
      'The random number behind the fingerprint of message 1, for the session code.',
    );
  }
  if (kind === 'confirm' || kind === 'fields') {
    if (fields.length && c.partnerSharing && c.partnerSharing !== 'counts') {
      items.push(`Sealed: the values of ${fields.join(', ')} of your overlapping accounts only — never of the others — each readable only by a partner that holds that account.`);
    } else if (kind === 'confirm') {
      items.push('No column values: you share no fields.');
    }
  }
  const names = { offer: 'Your offer (message 1)', reply: 'Your reply (message 2)', confirm: 'Your confirm (message 3)', fields: 'Your fields (message 4)' };
  return { title: names[kind] ?? 'Your next message', items, caveat: null };
}

/** The file, in plain words: which one it is and what it holds, without the protocol's terms. */
function plainContents(c) {
  const sharing = c.settings?.sharing ?? 'counts';
  const fields = sharing === 'fields' ? c.settings.fields ?? [] : [];
  const about = c.keyCount !== undefined ? `${c.exact ? '' : 'about '}${num(c.keyCount)}` : 'all';
  const scrambled = `Your accounts, scrambled: ${about} entries (websites, domains, IDs and company names${c.exact ? '; a company name can count twice, with and without its city, so this may be more than the Columns step counted' : ''}). Your partner cannot read them, nor test guessed websites against them.`;
  const pops = c.populations?.length ? `The names and sizes of your populations: ${c.populations.map((p) => p.name).join(', ')}.` : 'The names and sizes of your populations.';
  const level = `What you share: ${SHARE_TEXT[sharing]}${fields.length ? ` (${fields.join(', ')})` : ''}.`;
  switch (c.kind) {
    case 'quick':
      return { title: 'Your quick-mode list', items: [`Your accounts, as codes made with the secret you both know: ${about} entries.`, pops] };
    case 'offer':
      return { title: 'File 1 of 3 (to your partner)', items: [scrambled, pops, level] };
    case 'reply':
      return { title: 'File 2 of 3 (to your partner)', items: [scrambled, "Your partner's scrambled accounts, scrambled once more, so that it can tell which of them you also hold" + (sharing === 'counts' ? ' — only as counts per population.' : '.'), pops, level] };
    case 'confirm':
      return {
        title: 'File 3 of 3 (to your partner)',
        items: [
          sharing === 'counts' ? 'Only counts of the accounts you both hold, per pair of populations.' : "Which of your partner's accounts you also hold, with your populations for them.",
          fields.length && c.partnerSharing && c.partnerSharing !== 'counts' ? `Your ${fields.join(', ')} for those accounts only.` : 'No column of your file.',
        ],
      };
    case 'fields':
      return { title: 'File 4 (to your partner)', items: [`Your ${fields.join(', ') || 'shared columns'} for the accounts you both hold, and for no other.`] };
  }
  return { title: 'Your next file', items: [] };
}

/** The panel: the next file's contents in plain words (the exact contents folded), what stays, the network record. */
export function privacyPanel(c) {
  const m = messageContents(c);
  const plain = plainContents(c);
  const fieldsShared = c.mode !== 'quick' && c.settings?.sharing === 'fields';
  const stays = [
    fieldsShared
      ? `Your file and every cell in it, except ${c.settings.fields?.length ? c.settings.fields.join(', ') : 'the columns you share'} of your overlapping accounts.`
      : 'Your file and every cell in it.',
    c.mode === 'quick'
      ? 'The shared secret: it is kept only while this tab is open and never saved.'
      : 'The secret that scrambles your accounts. It is saved in this browser with the mapping so that you can come back to it; “Discard session” deletes it.',
  ];
  return h(
    'div.privacy',
    h('h3', plain.title, ' holds'),
    h('ul', plain.items.map((t) => h('li', t))),
    m.caveat ? h('p.callout.warning', m.caveat) : null,
    h('h3', 'Stays in this browser'),
    h('ul', stays.map((t) => h('li', t))),
    h('h3', 'Network'),
    h(
      'p',
      'Nothing is uploaded: the page cannot connect anywhere but its own address, and keeps working offline once loaded. You send the files yourself (email, chat, a shared drive)',
      c.mode === 'quick'
        ? ': anyone who intercepts your list and also holds the secret can test guesses against it, so never send the secret the same way.'
        : fieldsShared
          ? '; anyone who intercepts them learns at most what your partner learns, including the values of the columns you share.'
          : '; anyone who intercepts them learns at most what your partner learns.',
    ),
    h('p.network', { 'data-network': '' }, networkText()),
    h(
      'details.tech',
      h('summary', 'Exactly what the file holds (technical)'),
      h('p', h('strong', m.title), ' contains:'),
      h('ul', m.items.map((t) => h('li', t))),
      h(
        'p',
        c.mode === 'quick'
          ? 'No plain or unkeyed hash of any key is ever sent.'
          : "No plain or unkeyed hash of any key is ever sent: a partner cannot test guessed domains against the private protocol's messages. The session's secret scalar is saved in this browser's IndexedDB with the session.",
        " The page's Content-Security-Policy (sent by the server and repeated in a meta tag) forbids connections to any other origin.",
      ),
    ),
  );
}

// ---- the page's own record of its requests ----

const seen = new Set();
let blocked = 0;
let engineUrls = [];

function record(name) {
  seen.add(name);
}

if (typeof PerformanceObserver === 'function') {
  for (const e of performance.getEntriesByType('resource')) record(e.name);
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) record(e.name);
    refreshNetwork();
  }).observe({ type: 'resource', buffered: true });
}
document.addEventListener('securitypolicyviolation', () => {
  blocked++;
  refreshNetwork();
});

/** The engine worker's own requests (its modules and the .wasm), as it reports them. */
export function addEngineRequests(urls) {
  engineUrls = urls;
  refreshNetwork();
}

export function networkText() {
  const all = new Set([location.href, ...seen, ...engineUrls]);
  const origins = new Set();
  for (const u of all) {
    try {
      const o = new URL(u).origin;
      if (o !== 'null') origins.add(o);
    } catch {}
  }
  const others = [...origins].filter((o) => o !== location.origin);
  const s = `Requests since this page opened: ${all.size}, ${others.length === 0 ? `all to ${location.origin} (the page's own files)` : `to ${[...origins].join(', ')}`}.`;
  return blocked ? `${s} Blocked by the policy: ${blocked}.` : s;
}

function refreshNetwork() {
  for (const el of document.querySelectorAll('[data-network]')) el.textContent = networkText();
}
