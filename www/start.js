// Step 1: start a mapping or answer an offer, the saved sessions, the CRM export and its first
// rows. The actions (choosing files, resuming) live in app.js; this only renders.
import { $, $$, h, num, bytes as fmtBytes, ago, callout } from './dom.js';
import { explain } from './errors.js';
import { sharingName, sharingMeaning } from './sharing.js';

/** The note on the early steps once a session has started (they are then read-only). */
export function lockNote(ctx) {
  const { S } = ctx;
  if (!S.session) return null;
  return h(
    'div.callout.info',
    h('p.callout-title', `Session ${S.session.session.slice(0, 8)} has started: its file, columns and sharing are fixed.`),
    h('p', 'To change them, discard the session and start again. To map with another partner, start a new mapping: this session stays saved.'),
    S.step === 'start' ? h('button.secondary.small', { type: 'button', 'data-always': '', onclick: ctx.startOver }, 'Start a new mapping') : null,
  );
}

/** A partner's later file dropped here: where it belongs (shown whatever the role chosen). */
function routedNotice(S) {
  const e = S.routed;
  if (!e) return null;
  return h(
    `div.callout.${e.action ? 'info' : 'warning'}#routed`,
    { tabindex: '-1', role: 'status' },
    h('p.callout-title', e.title),
    e.body ? h('p', e.body) : null,
    e.action ? h('button.primary.small#routed-resume', { type: 'button', 'data-always': '', onclick: e.action.run }, e.action.label) : null,
  );
}

function renderNotice(S) {
  const n = S.notice;
  return n ? callout(n.kind, n.title, n.body, n.detail) : null;
}

function savedList(ctx) {
  const { S } = ctx;
  const items = S.saved.filter((r) => r.id !== S.session?.id);
  if (!items.length) return null;
  const stepText = (r) => {
    if (r.method === 'quick') return r.step === 'done' ? 'quick mode · matched' : "quick mode · waiting for your partner's answer";
    if (r.role === 'A') return r.step === 'awaitReply' ? "waiting for your partner's file 2" : r.step === 'awaitFields' ? "results ready · your partner's columns may follow (file 4)" : 'finished';
    return r.step === 'awaitConfirm' ? "waiting for your partner's file 3" : 'finished';
  };
  return h(
    'section.card.saved',
    { 'aria-labelledby': 'h-saved' },
    h('h2.h3#h-saved', 'Sessions saved in this browser'),
    h(
      'ul.saved-list',
      items.map((r) =>
        h(
          'li',
          h(
            'div.saved-text',
            h('strong', r.role === 'A' ? 'You started' : 'You answered'),
            ` · ${r.fileName} · session `,
            h('code', r.session.slice(0, 8)),
            h('span.muted', ` · ${stepText(r)} · ${ago(r.updatedAt)}`),
          ),
          h(
            'div.saved-actions',
            h('button.primary.small', { type: 'button', 'data-always': '', onclick: () => ctx.resume(r.id), 'aria-label': `Resume session ${r.session.slice(0, 8)}` }, 'Resume'),
            h('button.secondary.small', { type: 'button', 'data-always': '', onclick: () => ctx.discardSaved(r.id), 'aria-label': `Discard session ${r.session.slice(0, 8)}` }, 'Discard'),
          ),
        ),
      ),
    ),
    h('p.note', "Saved mappings hold their secret and your file, in this browser only. Discard them when the mapping is done."),
  );
}

function renderOfferInfo(S) {
  const box = $('#offer-info');
  box.replaceChildren();
  if (S.offerError) {
    const e = S.offerError;
    box.append(
      h(
        'div.callout.error',
        { role: 'alert' },
        h('p.callout-title', e.title),
        e.body ? h('p', e.body) : null,
        e.action ? h('button.primary.small', { type: 'button', 'data-always': '', onclick: e.action.run }, e.action.label) : null,
      ),
    );
  }
  if (!S.offer) return;
  const a = S.offer.info.announcement;
  const quick = S.offer.info.kind === 'quick';
  box.append(
    h(
      'div.file-card',
      h('p.file-name', h('span.ok', { 'aria-hidden': 'true' }, '✓ '), S.offer.name, h('span.muted', ` · ${fmtBytes(S.offer.bytes.length)} · session ${S.offer.info.session.slice(0, 8)}`)),
      quick
        ? h('p', h('span.badge.weak', 'quick mode'), ' Your partner started a quick-mode session (weaker): you will need the secret you agreed on, and you answer with your own list.')
        : a
          ? h('p', 'Your partner shares ', h('strong', sharingName(a.sharing)), a.fields.length ? ` (${a.fields.join(', ')})` : '', `: ${sharingMeaning(a.sharing)}`)
          : null,
      a ? h('p.muted', `Its list: ${num(a.elements)} entries (websites, domains, IDs and names) in ${a.populations.map((p) => `${p.name} (${num(p.size)})`).join(', ')}.`) : null,
    ),
  );
  const mine = S.loaded?.summary.nameKeys;
  if (a?.nameKeys && mine && a.nameKeys !== mine) {
    box.append(
      callout(
        'warning',
        `Your partner matches company names differently (“${a.nameKeys}”; you use “${mine}”).`,
        'Names cannot match unless both use the same setting: choose it under Columns → Matching on company names. Domains and identifiers match either way.',
      ),
    );
  }
}

/** Step 1: saved sessions, the role, the partner's offer (B), the export and its first rows. */
export function renderStart(ctx) {
  const { S } = ctx;
  const sec = $('#step-start');
  $('#saved').replaceChildren(...[renderNotice(S), routedNotice(S), lockNote(ctx), savedList(ctx), !S.storeOk ? callout('warning', 'This browser does not let the page save sessions.', 'You can still map, but keep this tab open until the exchange is done.') : null].filter(Boolean));
  for (const r of $$('input[name=role]', sec)) r.checked = r.value === S.role;
  $('#offer-block').hidden = S.role !== 'B';
  renderOfferInfo(S);
  // the file
  const info = $('#file-info');
  info.replaceChildren();
  if (S.file) {
    const p = S.preview;
    info.append(
      h(
        'div.file-card',
        h(
          'p.file-name',
          S.loaded ? h('span.ok', { 'aria-hidden': 'true' }, '✓ ') : null,
          S.file.name,
          h('span.muted', ` · ${fmtBytes(S.file.size)}${p ? ` · ${p.encoding} · ${p.delimiter}-separated · ${p.headers.length} columns` : ''}`),
        ),
        S.loaded
          ? h(
              'p',
              `${num(S.loaded.rowCount)} accounts (rows)`,
              S.loaded.summary.badRows ? `, ${num(S.loaded.summary.badRows)} without a website, domain, ID or name to match on` : '',
              ` · populations: ${S.loaded.summary.populations.map((x) => `${x.name} (${num(x.rows)})`).join(', ')}`,
            )
          : null,
      ),
    );
  }
  if (S.loadError) {
    const e = explain(S.loadError, { file: S.file?.name });
    if (!e.cancelled) info.append(callout('error', e.title, e.body, e.detail));
    else info.append(callout('info', `Reading ${S.file?.name ?? 'the file'} was cancelled.`, 'Drop the file again, or choose another.'));
    if (S.preview && !e.cancelled) {
      info.append(h('p', h('button.secondary.small', { type: 'button', onclick: () => ctx.go('columns') }, 'Choose the columns yourself')));
    }
  }
  renderPreviewTable(S);
  const next = $('#start-next');
  const needOffer = S.role === 'B' && !S.offer && !S.session;
  next.disabled = !S.loaded || needOffer || S.busy;
  next.textContent = needOffer && S.loaded ? "Load your partner's file 1 to continue" : 'Continue to columns';
}

function renderPreviewTable(S) {
  const box = $('#preview');
  box.replaceChildren();
  const p = S.preview;
  if (!p || !p.headers.length) return;
  const mapped = new Map();
  for (const m of (S.loaded?.summary.mapping ?? p.mapping)) mapped.set(m.column, (mapped.get(m.column) ? `${mapped.get(m.column)}, ` : '') + (FIELD_SHORT[m.field] ?? String(m.field).replace(/_/g, ' ')));
  const rows = p.rows.slice(0, 8);
  box.append(
    h(
      'div.table-scroll',
      { tabindex: '0', role: 'region', 'aria-labelledby': 'preview-caption' },
      h(
        'table.preview',
        h('caption#preview-caption', `First ${rows.length} rows of ${S.file.name}`),
        h('thead', h('tr', p.headers.map((x, i) => h('th', { scope: 'col' }, h('span.th-name', x), mapped.has(i) ? h('span.tag', mapped.get(i)) : null)))),
        h('tbody', rows.map((r) => h('tr', p.headers.map((_, i) => h('td', r[i] ?? ''))))),
      ),
    ),
  );
}

const FIELD_SHORT = { website: 'website', domain: 'domain', email: 'email', name: 'name', country: 'country', duns: 'DUNS', linkedin: 'LinkedIn', population: 'population' };
