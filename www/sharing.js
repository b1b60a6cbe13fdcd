// Step 3: what the partner may learn. Sharing levels, the columns to share (fields), the guards
// against a dishonest partner, and the choice of quick mode (marked weaker).
import { $, $$, h, callout } from './dom.js';
import { lockNote } from './start.js';

export const cap = (t) => (t ? t[0].toUpperCase() + t.slice(1) : t);

export const sharingName = (s) => ({ counts: 'counts', overlaps: 'overlaps', fields: 'overlaps + fields' })[s] ?? s ?? 'unknown';
export const sharingMeaning = (s) =>
  ({
    counts: 'you will see how many accounts overlap per pair of populations, not which.',
    overlaps: 'you will see which of your accounts overlap, with its populations for each.',
    fields: 'you will see which of your accounts overlap, its populations, and the columns it chose (sent only if you share at least overlaps).',
  })[s] ?? '';


/** What I see when my partner shares `theirs` and I share `own`. */
function iSee(theirs, own) {
  if (theirs === 'counts') return 'How many accounts overlap, per pair of populations — not which';
  if (theirs === 'overlaps') return 'Which of your accounts overlap, with its populations';
  return own === 'counts'
    ? 'Which of your accounts overlap, with its populations (not its columns: you share only counts)'
    : 'Which of your accounts overlap, its populations and the columns it picks';
}

/** What my partner sees when I share `own` and it shares `theirs`. */
function partnerSees(own, theirs, myFields) {
  if (own === 'counts') return 'How many accounts overlap, per pair of populations — not which';
  if (own === 'overlaps') return 'Which of its accounts overlap, with your populations';
  return theirs === 'counts'
    ? 'Which of its accounts overlap, with your populations (not your columns: it shares only counts)'
    : `Which of its accounts overlap, your populations and ${myFields}`;
}

/**
 * Before the first file is sent: the partner chooses too (it may share less), and what each
 * combination gives both sides, for the level chosen here.
 */
function combos(S) {
  const mine = S.settings.sharing;
  const myFields = S.settings.fields.length ? `your ${S.settings.fields.join(', ')}` : 'the columns you pick';
  const rows = ['counts', 'overlaps', 'fields'].map((p) =>
    h(
      'tr',
      h('th', { scope: 'row' }, cap(sharingName(p))),
      h('td', iSee(p, mine)),
      h('td', partnerSees(mine, p, myFields)),
    ),
  );
  return h(
    'div.callout.info.combos',
    h('p.callout-title', 'Your partner chooses too, and may share less than you.'),
    h('p', `You share ${sharingName(mine)}. When your partner answers, it picks its own level; here is what each of you then sees:`),
    h(
      'div.table-scroll',
      h(
        'table.combos-table#combos-table',
        h('caption', `With your choice (${sharingName(mine)})`),
        h('thead', h('tr', h('th', { scope: 'col' }, 'If your partner shares'), h('th', { scope: 'col' }, 'You see'), h('th', { scope: 'col' }, 'Your partner sees'))),
        h('tbody', rows),
      ),
    ),
  );
}

/** The owner and deal-stage columns of my export (what "Co-sell planning" shares). */
export function cosellFields(S) {
  const m = S.loaded?.summary.mapping ?? [];
  return ['owner', 'deal-stage'].map((f) => m.find((x) => x.field === f)?.header).filter((x) => !!x);
}

/** The export "Co-sell planning" last picked its columns from. */
let cosellFrom = null;

/** A sharing choice: a level, or `cosell` (overlaps plus the owner and deal-stage columns). */
export function chooseSharingLevel(S, value) {
  S.settings.cosell = value === 'cosell';
  cosellFrom = S.loaded;
  if (value !== 'cosell') {
    S.settings.sharing = value;
    return;
  }
  const fields = cosellFields(S);
  S.settings.sharing = fields.length ? 'fields' : 'overlaps';
  S.settings.fields = fields;
}

/** What the first partner's choice means for a plan (the second partner reads it before choosing). */
function offerOutcome(a) {
  const f = a?.fields ?? [];
  const cosell = a?.sharing === 'fields' && f.some((x) => /owner/i.test(x)) && f.some((x) => /stage/i.test(x));
  const plan =
    a?.sharing === 'counts'
      ? ' Counts only: together you can size the opportunity, not plan named accounts.'
      : ' A named joint plan needs you to share at least overlaps too (“Co-sell planning” shares your owner and deal stage as well).';
  return {
    title: cosell ? `Your partner chose co-sell planning: overlaps plus its owner and deal stage (${f.join(', ')}).` : `Your partner shares ${sharingName(a?.sharing)}${f.length ? ` (${f.join(', ')})` : ''}.`,
    body: `${cap(sharingMeaning(a?.sharing))}${plan}`,
  };
}

/** Step 3: the exchange method (A), what I share, the fields to share, the guards. */
export function renderSharing(ctx) {
  const { S } = ctx;
  const sec = $('#step-sharing');
  const quickOffer = S.role === 'B' && S.offer?.info.kind === 'quick';
  const methodBox = $('#method');
  methodBox.hidden = S.role === 'B';
  for (const r of $$('input[name=method]', sec)) r.checked = r.value === S.method;
  const quick = S.method === 'quick';
  $('#sharing').hidden = quick;
  $('#quick-sharing-note').hidden = !quick;
  // Another export read since "Co-sell planning" was chosen: pick its owner and stage columns.
  if (S.settings.cosell && !S.session && S.loaded && cosellFrom !== S.loaded) chooseSharingLevel(S, 'cosell');
  for (const r of $$('input[name=sharing]', sec)) r.checked = r.value === (S.settings.cosell ? 'cosell' : S.settings.sharing);
  const hint = $('#cosell-hint');
  const none = $('#cosell-none') ?? hint.appendChild(h('span#cosell-none'));
  none.textContent = S.loaded && !cosellFields(S).length ? ' No owner or deal stage column was found in your file: this shares overlaps only.' : '';
  // partner's offer
  const note = $('#partner-offer-note');
  note.replaceChildren(lockNote(ctx) ?? '');
  if (S.role === 'B' && S.offer) {
    const a = S.offer.info.announcement;
    note.append(
      quickOffer
        ? callout('warning', 'Your partner used quick mode (weaker).', 'Both of you learn which accounts overlap and each other’s populations for them; your partner, who holds the secret, can also test guessed domains against your list.')
        : callout('info', offerOutcome(a).title, a ? offerOutcome(a).body : ''),
    );
  }
  $('#sharing-combos').replaceChildren(S.role === 'A' && !quick && !S.session ? combos(S) : '');
  // fields
  const pick = $('#fields-pick');
  pick.hidden = quick || S.settings.sharing !== 'fields';
  const list = $('#fields-list');
  const headers = S.loaded?.headers ?? [];
  list.replaceChildren(
    ...headers.map((name, i) =>
      h(
        'label.check',
        h('input', { type: 'checkbox', value: name, checked: S.settings.fields.includes(name), 'data-field': String(i), onchange: () => onFieldToggle(ctx) }),
        h('span', name),
      ),
    ),
  );
  $('#max-partner-set').value = S.settings.maxPartnerSet;
  $('#max-populations').value = S.settings.maxPopulations;
  $('#min-population').value = S.settings.minPopulation;
  const err = $('#sharing-error');
  err.replaceChildren();
  if (S.sharingError) err.append(callout('error', S.sharingError.title, S.sharingError.body));
}

function onFieldToggle(ctx) {
  const { S } = ctx;
  S.settings.fields = $$('#fields-list input:checked').map((x) => x.value);
  S.sharingError = null;
  if (S.settings.fields.length > 16) S.sharingError = { title: 'At most 16 columns can be shared.', body: 'Untick some.' };
  ctx.refreshPrivacy();
  const err = $('#sharing-error');
  err.replaceChildren(S.sharingError ? callout('error', S.sharingError.title, S.sharingError.body) : '');
}

/** Reads the guard inputs into the settings; the first problem, or null. */
export function validateSharing(S) {
  const s = S.settings;
  for (const [id, key, min] of /** @type {const} */ ([
    ['#max-partner-set', 'maxPartnerSet', 1],
    ['#max-populations', 'maxPopulations', 1],
    ['#min-population', 'minPopulation', 1],
  ])) {
    const v = Number($(id).value);
    if (!Number.isInteger(v) || v < min) return { title: 'The guard values must be whole numbers of at least 1.', body: 'Correct them under “Guards against a dishonest partner”.' };
    s[key] = v;
  }
  if (S.method === 'private' && s.sharing === 'fields') {
    if (!s.fields.length) return { title: 'Pick at least one column to share.', body: 'Or choose “Overlaps” to share no column values.' };
    if (s.fields.length > 16) return { title: 'At most 16 columns can be shared.', body: 'Untick some.' };
  }
  return null;
}
