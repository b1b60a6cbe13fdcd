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

/** The panel: the next message's contents, what stays, and the network record. */
export function privacyPanel(c) {
  const m = messageContents(c);
  const fieldsShared = c.mode !== 'quick' && c.settings?.sharing === 'fields';
  const stays = [
    fieldsShared
      ? `Your CSV file and every cell in it, except ${c.settings.fields?.length ? c.settings.fields.join(', ') : 'the columns you share'} of your overlapping accounts.`
      : 'Your CSV file and every cell in it.',
    c.mode === 'quick'
      ? 'The shared secret: it is kept only while this tab is open and never saved.'
      : "The session's secret key. It is saved in this browser (IndexedDB) with the session so you can resume; “Discard session” deletes it.",
    'No plain or unkeyed hash of any key is ever sent: a partner cannot test guessed domains against the private protocol’s messages.',
  ];
  return h(
    'div.privacy',
    h('h3', m.title, ' contains'),
    h('ul', m.items.map((t) => h('li', t))),
    m.caveat ? h('p.callout.warning', m.caveat) : null,
    h('h3', 'Stays in this browser'),
    h('ul', stays.map((t) => h('li', t))),
    h('h3', 'Network'),
    h(
      'p',
      "Nothing is uploaded. The page's Content-Security-Policy forbids connections to any other origin, and once loaded it works with the network cut. You move the files yourself (email, chat, a shared drive)",
      c.mode === 'quick'
        ? ': anyone who intercepts your list and also holds the secret can test guesses against it, so never send the secret the same way.'
        : fieldsShared
          ? '; anyone who intercepts them learns at most what your partner learns, including the values of the fields you share.'
          : '; anyone who intercepts them learns at most what your partner learns.',
    ),
    h('p.network', { 'data-network': '' }, networkText()),
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
