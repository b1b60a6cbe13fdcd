// Step 4: the message timeline. Each message is a file the analyst downloads and sends, or a
// file the partner sent and the analyst loads. Quick mode has its own, shorter timeline.
import { $, h, bytes as fmtBytes, dropZone, callout, download } from './dom.js';
import { MESSAGE_ACCEPT, EMAIL_LIMIT, NUMBER } from './wire.js';

let uid = 0;

/** A drop zone + file picker for the partner's message. */
function loader(label, hint, onFile, enabled) {
  const id = `msg-file-${++uid}`;
  const zone = h(
    `label.drop.small${enabled ? '' : '.disabled'}`,
    { for: id },
    h('input.visually-hidden', { type: 'file', id, accept: MESSAGE_ACCEPT, disabled: !enabled, 'data-loader': '' }),
    h('span.drop-title', label),
    hint ? h('span.drop-hint', hint) : null,
  );
  if (enabled) dropZone(zone, onFile);
  return zone;
}

function item({ n, title, dir, status, body }) {
  return h(
    `li.msg.${status}`,
    { 'data-n': String(n) },
    h('span.msg-n', { 'aria-hidden': 'true' }, status === 'done' ? '✓' : String(n)),
    h(
      'div.msg-body',
      h('h2.msg-title', title, dir ? h('span.dir', dir === 'out' ? ' · you → partner' : ' · partner → you') : null, h('span.visually-hidden', ` (${statusText(status)})`)),
      body,
    ),
  );
}

const statusText = (s) => ({ done: 'done', next: 'your next step', wait: 'later', optional: 'optional', skip: 'not needed' })[s] ?? s;

/** How many files the exchange has: 3, or 4 when the partner's columns follow. */
function fileCount(ctx) {
  const { S } = ctx;
  const s = S.session;
  if (s?.messages.some((m) => m.kind === 'fields')) return 4;
  return 3;
}

/** "file 2 of 3" for a message kind. */
export function fileNumber(ctx, kind) {
  const n = NUMBER[kind];
  return kind === 'fields' ? 'file 4 (the shared columns)' : `file ${n} of ${fileCount(ctx)}`;
}

/** The page's own address, for the partner. */
const pageUrl = () => `${location.origin}${location.pathname}`;

/** What the partner does with the file just made: a ready-to-send note. */
export function handoffText(ctx, kind, name) {
  const url = pageUrl();
  const { S } = ctx;
  const lines = {
    offer: [
      'Hello,',
      '',
      'I would like us to find the accounts we have in common, without either of us sending the other our CRM. Attached is file 1 of 3 for that (' + name + '). It holds no account names or websites: they are scrambled with a secret that stays on my computer.',
      '',
      'What to do (about 5 minutes):',
      `1. Open ${url} in Chrome, Edge, Firefox or Safari. Everything runs in your browser: nothing is uploaded.`,
      '2. Choose "Answer a partner’s offer" and drop the attached file.',
      '3. Drop your own CRM export (accounts or companies as CSV, with their website or domain).',
      '4. Choose what you share with me (you can share less than I do), then create file 2 and send it back to me.',
      '',
      'Thank you!',
    ],
    reply: [
      'Hello,',
      '',
      `Attached is file 2 of 3 (${name}), my answer to your file 1.`,
      '',
      `Open ${url} in the browser where you started, drop the attached file on the page (or Resume the session and load it under Exchange). You will see your results, and the page makes file 3 of 3: please send it back to me so that I see mine.`,
      '',
      'Thank you!',
    ],
    confirm: [
      'Hello,',
      '',
      `Attached is file 3 of 3 (${name}).`,
      '',
      `Open ${url} in the browser where you answered, drop the attached file on the page (or Resume the session and load it under Exchange) to see your results.` +
        (S.settings.sharing !== 'counts' && S.session?.partner?.sharing === 'fields' ? ' The page then makes one more file with the columns you share: please send it to me.' : ''),
      '',
      'Thank you!',
    ],
    quick1: [
      'Hello,',
      '',
      `As agreed, attached is my list (${name}) for finding the accounts we have in common, in quick mode.`,
      '',
      `1. Open ${url} in Chrome, Edge, Firefox or Safari. Everything runs in your browser: nothing is uploaded.`,
      '2. Choose "Answer a partner’s offer" and drop the attached file.',
      '3. Drop your own CRM export (accounts or companies as CSV, with their website or domain).',
      '4. Type the secret we agreed on by phone (never send it by email), then create your answer and send it back to me.',
    ],
    quick2: [
      'Hello,',
      '',
      `Attached is my answer (${name}) to your quick-mode list.`,
      '',
      `Open ${url} in the browser where you started, drop the attached file on the page (or Resume the session), and type our secret again to see your results.`,
    ],
    fields: [
      'Hello,',
      '',
      `Attached is the last file (${name}): the columns I share for the accounts we have in common.`,
      '',
      `Open ${url} in the browser where you started, drop the attached file on the page (or Resume the session and load it under Exchange). Your results then show my columns.`,
    ],
  };
  return (lines[kind] ?? []).join('\n');
}

function handoff(ctx, kind, name) {
  const text = handoffText(ctx, kind, name);
  if (!text) return null;
  const subject = kind === 'offer' || kind === 'quick1' ? 'Finding the accounts we share' : kind === 'quick2' ? 'overlap: my answer' : `overlap: ${fileNumber(ctx, kind)}`;
  const box = h('textarea.handoff-text#handoff-text', { readOnly: true, rows: Math.min(16, text.split('\n').reduce((n, l) => n + Math.max(1, Math.ceil(l.length / 80)), 1)), 'aria-labelledby': 'h-handoff', value: text });
  const copied = h('span.muted#handoff-copied', { 'aria-live': 'polite' });
  return h(
    'div.handoff',
    h('h3.h4#h-handoff', 'What to tell your partner'),
    h('p.note', 'Ready to send with the file: what it is and what your partner does with it.'),
    box,
    h(
      'div.row',
      h(
        'button.secondary.small#copy-handoff',
        {
          type: 'button',
          onclick: async () => {
            try {
              await navigator.clipboard.writeText(text);
            } catch {
              box.select();
              document.execCommand?.('copy');
            }
            copied.textContent = ' Copied.';
          },
        },
        'Copy the message',
      ),
      h('a.button.secondary.small#mail-handoff', { href: `mailto:?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(text)}` }, 'Write an email'),
      copied,
      h('span.muted', ' (attach the file yourself: a page cannot attach it for you)'),
    ),
  );
}

export function sizeWarning(size) {
  if (size <= EMAIL_LIMIT) return null;
  return callout(
    'warning',
    `This file is ${fmtBytes(size)}: too large for many email services (they refuse attachments over 20–25 MB).`,
    'Share it through a shared drive or a file transfer service your companies use (OneDrive, Google Drive, Box, Dropbox) and send your partner the link.',
  );
}

function sentBlock(m, isCurrentOutgoing, ctx) {
  if (!m) return null;
  return h(
    'div.sent',
    h('p', h('code.file', m.name), h('span.muted', ` · ${fmtBytes(m.size)}`)),
    isCurrentOutgoing
      ? h(
          'div',
          h(
            'div.row',
            h('button.primary#download-outgoing', { type: 'button', onclick: ctx.downloadOutgoing }, ctx.S.session.outgoing.downloaded ? 'Download again' : `Download ${fileNumber(ctx, m.kind)}`),
            h('span.muted', ' Send this file to your partner by email, chat or a shared drive.'),
          ),
          sizeWarning(m.size),
          handoff(ctx, m.kind, m.name),
        )
      : null,
  );
}

function receivedBlock(m) {
  return m ? h('p', 'Loaded ', h('code.file', m.name), h('span.muted', ` · ${fmtBytes(m.size)}`)) : null;
}

function privateTimeline(ctx) {
  const { S } = ctx;
  const s = S.session;
  const isA = S.role === 'A';
  const msg = (kind) => s?.messages.find((m) => m.kind === kind) ?? null;
  const out = s?.outgoing?.kind;
  const expected = ctx.expectedKind();
  const load = (kind, label, hint) => loader(label, hint, ctx.receiveMessage, !S.busy && expected === kind);
  const mySharing = S.settings.sharing;
  const partner = s?.partner ?? (isA ? null : S.offer?.info.announcement);
  /** A message I make: sent (and downloadable), or the button that makes it. */
  const made = (n, kind, title, what, label) =>
    item({
      n,
      title,
      dir: 'out',
      status: msg(kind) ? 'done' : 'next',
      body: msg(kind)
        ? sentBlock(msg(kind), out === kind, ctx)
        : h('div', h('p', what), h('button.primary#create-first', { type: 'button', onclick: ctx.createFirst, disabled: S.busy || !S.loaded }, label)),
    });
  /** A message from my partner: loaded, or where to drop it. */
  const received = (n, kind, title, label, hint) =>
    item({
      n,
      title,
      dir: 'in',
      status: msg(kind) ? 'done' : expected === kind ? 'next' : 'wait',
      body: msg(kind) ? receivedBlock(msg(kind)) : load(kind, label, hint),
    });
  const items = [];

  // 1 offer
  if (isA) {
    items.push(made(1, 'offer', 'File 1 of 3 — to your partner', 'This file lets your partner compare its accounts with yours. It holds no account names or websites: each account is scrambled with a secret that stays in this browser. Making it takes a few seconds per ten thousand accounts.', 'Create file 1'));
  } else {
    items.push(item({ n: 1, title: 'File 1 of 3 — from your partner', dir: 'in', status: 'done', body: receivedBlock(msg('offer') ?? { name: S.offer?.name, size: S.offer?.bytes.length }) }));
  }

  // 2 reply
  if (isA) {
    items.push(received(2, 'reply', 'File 2 of 3 — from your partner', 'Drop file 2 here, or choose it', 'The …-2-reply.overlap file your partner sends back.'));
  } else {
    items.push(made(2, 'reply', 'File 2 of 3 — to your partner', 'Your answer to file 1: your accounts, scrambled with a secret that stays in this browser, and your partner’s, scrambled once more with it. No account name or website leaves this browser.', 'Create file 2'));
  }

  // 3 confirm
  if (isA) {
    items.push(
      item({
        n: 3,
        title: 'File 3 of 3 — to your partner',
        dir: 'out',
        status: msg('confirm') ? 'done' : 'wait',
        body: msg('confirm')
          ? sentBlock(msg('confirm'), out === 'confirm', ctx)
          : h('p.muted', 'Made when you load file 2: it lets your partner see its own results.'),
      }),
    );
  } else {
    items.push(received(3, 'confirm', 'File 3 of 3 — from your partner', 'Drop file 3 here, or choose it', 'The …-3-confirm.overlap file your partner sends after your file 2.'));
  }

  // 4 fields (optional)
  if (isA) {
    const comes = partner?.sharing === 'fields' && mySharing !== 'counts';
    const status = msg('fields') ? 'done' : expected === 'fields' ? 'optional' : comes === false && partner ? 'skip' : 'wait';
    items.push(
      item({
        n: 4,
        title: 'File 4 — from your partner (optional: its shared columns)',
        dir: 'in',
        status,
        body: msg('fields')
          ? receivedBlock(msg('fields'))
          : expected === 'fields'
            ? h('div', h('p', `Your partner shares ${partner.fields.join(', ')} for overlapping accounts. Load its fields file when it arrives; your results are ready already.`), load('fields', 'Drop file 4 here, or choose it', 'The …-4-fields.overlap file.'))
            : h('p.muted', partner ? 'Not needed: your partner shares no fields with you (or you share only counts, so it cannot know which accounts overlap).' : 'Only if your partner shares columns: it sends them after your file 3.'),
      }),
    );
  } else {
    const sends = mySharing === 'fields' && partner?.sharing !== 'counts';
    items.push(
      item({
        n: 4,
        title: 'File 4 — to your partner (optional: the columns you share)',
        dir: 'out',
        status: msg('fields') ? 'done' : sends ? 'wait' : 'skip',
        body: msg('fields')
          ? sentBlock(msg('fields'), out === 'fields', ctx)
          : h('p.muted', sends ? `Made when you load file 3: your ${S.settings.fields.join(', ')} for overlapping accounts only.` : mySharing === 'fields' ? 'Not possible: your partner shares only counts, so you cannot know which of your accounts overlap.' : 'Not needed: you share no columns.'),
      }),
    );
  }
  items.push(
    h(
      'li.msg-details',
      h(
        'details.tech',
        h('summary', 'Technical details'),
        h(
          'p',
          'The files are the messages of a private set intersection: file 1 is the offer, 2 the reply, 3 the confirm, 4 the optional fields. Each key (domain, DUNS, LinkedIn page, company name) is hashed to a 32-byte point of ristretto255 and blinded with a secret scalar of this session (ECDH); the partner cannot test guessed domains against the points. The session state, with its secret, is saved in this browser’s IndexedDB until you discard it.',
        ),
        h('p', h('a', { href: 'docs/protocol.html' }, 'The protocol'), ' · ', h('a', { href: 'docs/threat-model.html' }, 'What each side learns (threat model)')),
      ),
    ),
  );
  return items;
}

/** The shared secret: the field, Show, Suggest one, and what overlap thinks of it. */
function secretItem(ctx) {
  const { S } = ctx;
  const q = S.quick;
  const ok = !!q.check?.ok;
  const status = !q.secret
    ? h('p.note#quick-secret-status', { 'aria-live': 'polite' }, 'At least 12 characters, hard to guess: unrelated words or random characters. “Suggest one” gives six short words that are easy to read over the phone.')
    : ok
      ? h('p.note.ok-text#quick-secret-status', { 'aria-live': 'polite' }, `✓ Strong enough (about ${q.check.bits} bits by overlap's estimate).`)
      : h('p.note.warn-text#quick-secret-status', { 'aria-live': 'polite' }, q.check?.message ? `${q.check.message}.` : 'Checking…');
  return item({
    n: 1,
    title: 'Shared secret',
    dir: null,
    status: ok ? 'done' : 'next',
    body: h(
      'div',
      h('p', 'Agree on a secret with your partner by phone or in person — not through the channel you send the files by. Both of you enter the same one.'),
      h(
        'div.secret-row',
        h('label', { for: 'quick-secret' }, 'Secret'),
        h('input#quick-secret', {
          type: q.show ? 'text' : 'password',
          autocomplete: 'off',
          spellcheck: false,
          minLength: 12,
          value: q.secret,
          'aria-describedby': 'quick-secret-status',
          oninput: (e) => ctx.quickSecret(e.target.value),
        }),
        h(
          'button.secondary.small',
          {
            type: 'button',
            onclick: () => {
              q.show = !q.show;
              ctx.render();
            },
          },
          q.show ? 'Hide' : 'Show',
        ),
        h('button.link#quick-suggest', { type: 'button', disabled: S.busy, onclick: ctx.quickSuggest }, 'Suggest one'),
      ),
      status,
      h('p.note', 'The secret is never saved: it is kept only while this tab is open. Turning it into the key takes about half a second, on purpose: it makes guessing the secret from a list slow.'),
    ),
  });
}

function outBlock(ctx, name, bytes, id, kind) {
  return h(
    'div.sent',
    h('p', h('code.file', name), h('span.muted', ` · ${fmtBytes(bytes.length)}`)),
    h('div.row', h(`button.primary#${id}`, { type: 'button', onclick: () => download(bytes, name) }, 'Download'), h('span.muted', ' Send it to your partner.')),
    sizeWarning(bytes.length),
    handoff(ctx, kind, name),
  );
}

function quickTimeline(ctx) {
  const { S } = ctx;
  const q = S.quick;
  const ok = !!q.check?.ok;
  const items = [secretItem(ctx)];
  if (S.role === 'B') {
    // The second partner: the first partner's list came first; the answer is made for its session.
    const first = S.offer;
    items.push(
      item({
        n: 2,
        title: "Your partner's list",
        dir: 'in',
        status: 'done',
        body: h('div', receivedBlock({ name: first.name, size: first.bytes.length }), h('p.muted', 'Your answer is made for the session this list started, and checked against it first.')),
      }),
    );
    items.push(
      item({
        n: 3,
        title: 'Your answer',
        dir: 'out',
        status: q.answer ? 'done' : ok ? 'next' : 'wait',
        body: q.answer
          ? outBlock(ctx, q.answer.name, q.answer.bytes, 'download-quick', 'quick2')
          : h('button.primary#quick-answer', { type: 'button', disabled: !ok || S.busy, onclick: ctx.quickAnswer }, 'Check their list and create your answer'),
      }),
    );
    return items;
  }
  // The first partner: my list starts the session; the partner's answer must belong to it.
  const s = S.session;
  items.push(
    item({
      n: 2,
      title: 'Your list',
      dir: 'out',
      status: s ? 'done' : ok ? 'next' : 'wait',
      body: s?.outgoing
        ? outBlock(ctx, s.outgoing.name, s.outgoing.bytes, 'download-quick', 'quick1')
        : h('button.primary#quick-create', { type: 'button', disabled: !ok || S.busy, onclick: ctx.quickStart }, 'Create your list'),
    }),
  );
  items.push(
    item({
      n: 3,
      title: "Your partner's answer",
      dir: 'in',
      status: S.report ? 'done' : s ? (ok ? 'next' : 'wait') : 'wait',
      body: !s
        ? h('p.muted', 'Your partner answers your list with its own list for the same session.')
        : q.pending
          ? h(
              'div',
              receivedBlock({ name: q.pending.name, size: q.pending.bytes.length }),
              S.report ? null : h('button.primary#quick-match', { type: 'button', disabled: !ok || S.busy, onclick: () => ctx.quickFinish(null) }, 'Match it with your export'),
            )
          : loader('Drop your partner’s answer here, or choose it', 'Its quick-mode .overlap file.', (f) => ctx.quickFinish(f), ok && !S.busy),
    }),
  );
  return items;
}

function sessionBar(ctx) {
  const { S } = ctx;
  if (S.method === 'quick') {
    const weak = [h('span.badge.weak', 'quick mode'), ' Weaker than the private exchange: your partner, who holds the secret, can test guessed domains against your list.'];
    const s = S.session;
    if (!s) return h('div.session-bar', h('p', ...weak, S.role === 'A' ? ' Once your list exists, this browser keeps its session id (never the secret) until your partner answers.' : ' Nothing is saved in this browser.'));
    return h(
      'div.session-bar',
      h('p', ...weak, ' · session ', h('code', s.session.slice(0, 8)), ' · ', s.saved ? 'saved in this browser (the session id, not the secret)' : h('span.warn-text', 'not saved (this browser refused)')),
      h('button.secondary.small#discard', { type: 'button', onclick: confirmDiscard(ctx) }, 'Discard session'),
    );
  }
  const s = S.session;
  if (!s) return h('div.session-bar', h('p', S.role === 'A' ? 'You start this mapping: three files go back and forth, one at a time.' : 'You answer your partner’s file 1.', ' This mapping is saved in this browser when your first file is made, so you can close the tab and come back when your partner answers.'));
  return h(
    'div.session-bar',
    h(
      'p',
      h('strong', S.role === 'A' ? 'You started' : 'You answered'),
      ' · session ',
      h('code', s.session.slice(0, 8)),
      ' · ',
      S.file?.name ?? '',
      ' · ',
      s.saved ? 'saved in this browser' : h('span.warn-text', 'not saved (this browser refused)'),
    ),
    h('button.secondary.small#discard', { type: 'button', onclick: confirmDiscard(ctx) }, 'Discard session'),
  );
}

function confirmDiscard(ctx) {
  return (e) => {
    const btn = e.currentTarget;
    if (btn.dataset.confirm === '1') {
      ctx.discard();
      return;
    }
    btn.dataset.confirm = '1';
    btn.textContent = 'Click again to delete it';
    btn.classList.add('danger');
    setTimeout(() => {
      if (!btn.isConnected) return;
      btn.dataset.confirm = '';
      btn.textContent = 'Discard session';
      btn.classList.remove('danger');
    }, 4000);
  };
}

export { confirmDiscard };

export function renderExchange(ctx) {
  const { S } = ctx;
  $('#session-bar').replaceChildren(sessionBar(ctx));
  const list = $('#messages');
  list.replaceChildren(...(S.method === 'quick' ? quickTimeline(ctx) : privateTimeline(ctx)));
  const err = $('#exchange-error');
  err.replaceChildren();
  const e = S.exchangeError;
  if (e) {
    const box = callout(e.cancelled ? 'info' : 'error', e.title, e.body, e.detail);
    if (e.action) box.append(h('button.secondary.small', { type: 'button', onclick: e.action.run }, e.action.label));
    err.append(box);
  }
  if (S.report) {
    err.append(
      h(
        'div.callout.success',
        h('p.callout-title', 'Your results are ready.'),
        S.session?.outgoing && !S.session.outgoing.downloaded && S.session.outgoing.kind !== 'offer' && S.session.outgoing.kind !== 'reply'
          ? h('p', `Don't forget to download ${fileNumber(ctx, S.session.outgoing.kind)} for your partner.`)
          : null,
        h('button.primary#see-results', { type: 'button', onclick: () => ctx.go('results') }, 'See your results'),
      ),
    );
  }
}
