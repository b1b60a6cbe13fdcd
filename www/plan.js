// Step 6: the joint account plan (docs/CO-SELLING.md). The overlapping accounts ranked by joint
// potential with the reasons, the suggested 12 (star and unstar), each planned account editable
// (shape, who leads / supports / closes, owners, next step, forecast, notes), the rule table that
// gives the shapes (editable per cell: re-ranks), CSV exports, a print view, and the plan sent to
// the partner as a message that names no account (and the partner's plan, shown under my own
// account names). The plan is kept on the session, so it survives a reload.
import { $, h, num, download, announce, callout, dropZone, stem } from './dom.js';
import { messageName, peek } from './wire.js';
import { explain } from './errors.js';
import { redrawResults } from './results.js';

/** @import { PlanEntry } from './pkg/index.js' */

/** The shapes, best first, in a partnership manager's words. */
export const SHAPES = /** @type {const} */ ([
  ['joint-pursuit', 'Joint pursuit', 'both have a relationship: pursue it together'],
  ['customer-expansion', 'Customer expansion', 'one side is already a customer: co-sell alongside'],
  ['source-to-source', 'Source to source', 'one side has the deal and brings the other in'],
  ['shared-customer', 'Shared customer', 'a reference or integration story, not a deal'],
  ['shared-target', 'Shared target', 'co-marketing, not a deal'],
  ['unclassified', 'Unclassified', 'a population with the role “other”'],
]);
/** @type {Record<string, string>} */
export const SHAPE_NAME = Object.fromEntries(SHAPES.map(([k, n]) => [k, n]));
const DEALS = ['joint-pursuit', 'customer-expansion', 'source-to-source'];
const ROLES = /** @type {const} */ ([
  ['customer', 'Customer'],
  ['opportunity', 'Open opportunity'],
  ['prospect', 'Prospect'],
  ['other', 'Other'],
]);
const SIDES = /** @type {const} */ ([
  ['us', 'We'],
  ['partner', 'Partner'],
  ['both', 'Both'],
]);
/** @type {Record<string, string>} */
const SIDE_NAME = { us: 'We', partner: 'Partner', both: 'Both' };
const flip = (s) => (s === 'us' ? 'partner' : s === 'partner' ? 'us' : s);
const MAX_SENT = 100;

/** A shape with who leads, in words: "Customer expansion, we lead". */
export function shapeWords(shape, lead) {
  const n = SHAPE_NAME[shape] ?? shape ?? '';
  if (shape === 'customer-expansion' || shape === 'source-to-source') return `${n}, ${lead === 'us' ? 'we lead' : lead === 'partner' ? 'partner leads' : 'both lead'}`;
  return n;
}

/**
 * The plan kept with the session.
 * @typedef {object} PlanState
 * @property {string[]} rules rule-table edits (`customer×customer=joint-pursuit`)
 * @property {boolean} likely suggest name + city matches too
 * @property {PlanEntry[] | null} entries the plan (`null` until first suggested)
 * @property {boolean} edited whether the user changed the suggestion (then new rules do not replace it)
 * @property {number} revision the last revision sent or received
 * @property {boolean} adopted the plan is the partner's, edited: the next one sent is `changes`
 * @property {any} received the partner's last plan (status, revision, entries, labels, file name)
 * @property {{status: string, revision: number, name: string, at: number}[]} sent
 */

/** @returns {PlanState} */
const newPlan = () => ({ rules: [], likely: false, entries: null, edited: false, revision: 0, adopted: false, received: null, sent: [] });

/** @type {PlanState | null} the plan when there is no saved session (quick mode, second partner) */
let loose = null;

/** The plan of the session under way (created on first use). @returns {PlanState} */
export function planOf(S) {
  if (S.session) return (S.session.plan ??= loose ?? newPlan());
  return (loose ??= newPlan());
}

/** Forgets the plan of a session that is no longer shown. */
export function resetPlan() {
  loose = null;
  model.for = null;
  model.key = '';
}

/** What the engine ranked, for the report and rules it was ranked for. */
const model = {
  /** @type {object | null} */
  for: null,
  key: '',
  /** @type {any[]} */
  ranked: [],
  /** @type {Map<number, any>} */
  byRow: new Map(),
  /** @type {any} */
  suggested: null,
  /** @type {any[]} */
  cells: [],
  /** @type {any[]} the standard table's cells */
  standard: [],
  /** @type {string[]} */
  warnings: [],
  /** @type {Promise<void> | null} */
  pending: null,
  shown: 25,
  filter: 'deals',
  /** @type {any} */
  error: null,
};

let saveTimer;
function save(ctx) {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => ctx.saveSession?.(), 250);
}

/** Ranks the report's accounts under the plan's rules (once per report and rules). */
export function syncPlan(ctx) {
  const { S } = ctx;
  const r = S.report;
  if (!r || r.unit !== 'rows') return null;
  const p = planOf(S);
  const key = JSON.stringify([p.rules, p.likely]);
  if (model.for === r && model.key === key) return null;
  if (model.pending) return model.pending;
  // The engine shaped the report's rows under the standard table: redraw the results only when
  // the rules differ (or changed).
  const redraw = p.rules.length > 0 || model.for === r;
  model.pending = (async () => {
    try {
      const res = await ctx.engine.run('rank', { rules: p.rules, likely: p.likely });
      model.for = r;
      model.key = key;
      model.ranked = res.ranked;
      model.byRow = new Map(res.ranked.map((x) => [x.row, x]));
      model.suggested = res.suggested;
      model.cells = res.shapeCells;
      model.standard = res.standardCells;
      model.error = null;
      r.shapeCounts = res.shapeCounts;
      r.shapeCells = res.shapeCells;
      if (!p.entries || !p.edited) {
        const first = !p.entries;
        p.entries = res.suggested.entries;
        if (!first) announce(`The suggested plan was ranked again: ${res.suggested.entries.length} accounts.`);
        save(ctx);
      }
      model.warnings = await ctx.engine.run('planWarnings', { n: p.entries?.length ?? 0 });
    } catch (e) {
      model.error = explain(e);
    } finally {
      model.pending = null;
    }
    if (redraw) redrawResults();
    ctx.render();
  })();
  return model.pending;
}

/** The default duties of a shape led by `lead` (docs/CO-SELLING.md). */
function duties(shape, lead) {
  if ((shape === 'customer-expansion' || shape === 'source-to-source') && (lead === 'us' || lead === 'partner')) return { lead, support: flip(lead), close: flip(lead) };
  return { lead: 'both', support: 'both', close: 'both' };
}

/** @returns {PlanEntry} */
function entryOf(x) {
  return { row: x.row, shape: x.shape, ...duties(x.shape, x.lead), myOwner: x.myOwner ?? '', partnerOwner: x.partnerOwner ?? '', nextStep: '', nextStepOwner: '', nextStepDate: '', forecastDate: '', notes: '' };
}

async function setEntries(ctx, entries, said) {
  const p = planOf(ctx.S);
  p.entries = entries;
  p.edited = true;
  try {
    model.warnings = await ctx.engine.run('planWarnings', { n: entries.length });
  } catch {}
  save(ctx);
  ctx.render();
  if (said) announce(said);
}

function star(ctx, x) {
  const p = planOf(ctx.S);
  const entries = p.entries ?? [];
  const i = entries.findIndex((e) => e.row === x.row);
  if (i >= 0) setEntries(ctx, entries.filter((_, k) => k !== i), `${x.name || 'The account'} removed from the plan: ${entries.length - 1} accounts.`);
  else setEntries(ctx, [...entries, entryOf(x)], `${x.name || 'The account'} added to the plan: ${entries.length + 1} accounts.`);
}

// ---- rendering ----

export function renderPlan(ctx) {
  const { S } = ctx;
  const root = $('#plan');
  const r = S.report;
  if (!r) {
    root.replaceChildren(h('p', 'No results yet: the plan is made from them once your partner’s message is loaded.'));
    return;
  }
  if (r.unit !== 'rows') {
    root.replaceChildren(countsOnly(r));
    return;
  }
  const pending = syncPlan(ctx);
  if (pending || !model.for) {
    root.replaceChildren(model.error ? callout('error', model.error.title, model.error.body, model.error.detail) : h('p.muted', 'Ranking your overlapping accounts…'));
    return;
  }
  const p = planOf(S);
  // Keep the focus and the scroll when a star re-renders the step.
  const focusId = document.activeElement?.id;
  root.replaceChildren(
    intro(ctx, r, p),
    p.received ? receivedSection(ctx, p) : '',
    planSection(ctx, p),
    shareSection(ctx, r, p),
    rankedSection(ctx, p),
    rulesSection(ctx, p),
    printTable(ctx, p),
  );
  if (focusId) document.getElementById(focusId)?.focus({ preventScroll: true });
}

/** What a counts-only result supports, and what it cannot: instead of an empty plan. */
export function countsOnly(r) {
  /** @type {{v: number, mine: string, theirs: string, shape: string} | null} */
  let best = null;
  for (const [i, mp] of r.myPopulations.entries()) {
    for (const [j, pp] of r.partnerPopulations.entries()) {
      const cell = (r.shapeCells ?? []).find((c) => c.mine === mp.role && c.theirs === pp.role);
      const v = r.matrix[i][j];
      if (cell && DEALS.includes(cell.shape) && v > 0 && (best === null || v > best.v)) best = { v, mine: mp.name, theirs: pp.name, shape: cell.shape };
    }
  }
  return h(
    'div.callout.info#counts-only',
    h('p.callout-title', 'Counts size the opportunity; they cannot make a named plan.'),
    h(
      'p',
      'With counts only, the matrix says how many accounts you share per pair of populations — enough to size the opportunity and decide whether a pilot is worth it',
      best ? ` (for example, ${num(best.v)} shared keys between your ${best.mine} and your partner’s ${best.theirs}: ${SHAPE_NAME[best.shape].toLowerCase()})` : '',
      '.',
    ),
    h('p', 'It cannot say which accounts they are, so no account can be ranked, planned or sent. For a joint account plan, both of you share at least overlaps in a new mapping: choose “Co-sell planning” in the Sharing step.'),
  );
}

function intro(ctx, r, p) {
  const n = p.entries?.length ?? 0;
  return h(
    'div.plan-intro',
    h(
      'p.lead',
      `${num(r.matchedRows)} overlapping accounts, ranked by joint potential. The plan suggests the best ${num(model.suggested?.entries.length ?? 0)} co-selling deals matched on a domain or an identifier${p.likely ? ' or a name and city' : ''}; star or unstar accounts to make it yours. A joint plan names 8 to 15 accounts.`,
    ),
    model.error ? callout('error', model.error.title, model.error.body, model.error.detail) : '',
    h(
      'div#plan-warnings',
      model.warnings.map((w) => callout(n > 15 ? 'warning' : 'info', w[0].toUpperCase() + w.slice(1) + '.')),
    ),
  );
}

const sel = (label, value, options, onchange, extra = {}) =>
  h(
    'select',
    { 'aria-label': label, onchange: (e) => onchange(e.target.value), ...extra },
    options.map(([v, t]) => h('option', { value: v, selected: v === value }, t)),
  );

function planSection(ctx, p) {
  const entries = p.entries ?? [];
  const edit = (e, field, value) => {
    e[field] = value;
    p.edited = true;
    save(ctx);
    refreshPrint(ctx, p);
  };
  const cards = entries.map((e, k) => {
    const x = model.byRow.get(e.row) ?? {};
    const id = `plan-${e.row}`;
    const text = (field, label, type = 'text') =>
      h(
        'label.plan-field',
        { class: `plan-field f-${field}` },
        h('span', label),
        h(type === 'area' ? 'textarea' : 'input', {
          id: `${id}-${field}`,
          type: type === 'area' ? undefined : type,
          value: e[field] ?? '',
          maxLength: 1000,
          rows: type === 'area' ? 1 : undefined,
          'data-field': field,
          oninput: (ev) => edit(e, field, ev.target.value),
        }),
      );
    return h(
      'li.plan-entry',
      { 'data-row': String(e.row) },
      h(
        'div.plan-entry-head',
        h('span.plan-n', String(k + 1)),
        h('h3.h4.plan-name', x.name || `Row ${num(e.row + 1)}`, x.website ? h('span.muted.plan-site', ` ${x.website}`) : ''),
        h(`span.shape-badge.s-${e.shape ?? 'unclassified'}`, SHAPE_NAME[e.shape ?? ''] ?? ''),
        x.score !== undefined ? h('span.muted', ` score ${x.score}`) : '',
        h(
          'button.icon.star.on',
          { type: 'button', id: `${id}-unstar`, 'aria-pressed': 'true', 'aria-label': `Remove ${x.name || 'this account'} from the plan`, title: 'Remove from the plan', onclick: () => star(ctx, { ...x, row: e.row }) },
          '★',
        ),
      ),
      h(
        'div.plan-grid',
        h(
          'label.plan-field',
          h('span', 'Shape'),
          sel('Shape', e.shape, SHAPES.map(([v, t]) => [v, t]), (v) => {
            edit(e, 'shape', v);
            ctx.render();
          }, { id: `${id}-shape` }),
        ),
        ...[
          ['lead', 'Leads'],
          ['support', 'Supports'],
          ['close', 'Closes'],
        ].map(([f, t]) => h('label.plan-field', h('span', t), sel(`${t}: ${x.name ?? ''}`, e[f], SIDES, (v) => edit(e, f, v), { id: `${id}-${f}` }))),
        text('myOwner', 'Our owner'),
        text('partnerOwner', 'Partner’s owner'),
        text('nextStep', 'Next step'),
        text('nextStepOwner', 'Next step owner'),
        text('nextStepDate', 'Next step date', 'date'),
        text('forecastDate', 'Forecast close', 'date'),
        text('notes', 'Notes (use case, buying committee)', 'area'),
      ),
      x.reasons ? h('details.why', h('summary', 'Why it ranks here'), h('ul', x.reasons.map((w) => h('li', w)))) : '',
    );
  });
  return h(
    'section.card#plan-card',
    { 'aria-labelledby': 'h-plan-list' },
    h('h2.h3#h-plan-list', `Planned accounts · `, h('span#plan-count', `${num(entries.length)} account${entries.length === 1 ? '' : 's'}`)),
    h(
      'div.row.plan-tools',
      h(
        'label.check',
        h('input#plan-likely', {
          type: 'checkbox',
          checked: p.likely,
          onchange: (ev) => {
            p.likely = ev.target.checked;
            p.edited = false;
            save(ctx);
            ctx.render();
          },
        }),
        h('span', 'Include likely matches (name and city: verify before outreach)'),
      ),
      h(
        'button.secondary.small#plan-suggest',
        {
          type: 'button',
          onclick: () => {
            if (p.edited && !confirm('Replace your plan with the suggested one? Your edits are lost.')) return;
            p.entries = model.suggested.entries;
            p.edited = false;
            p.adopted = false;
            setEntries(ctx, p.entries, 'The suggested plan is back.').then(() => (p.edited = false));
          },
        },
        'Suggest again',
      ),
    ),
    entries.length ? h('ol.plan-entries', cards) : h('p', 'No account in the plan yet: star accounts in the ranked list below.'),
    h(
      'div.row.plan-actions',
      h('button.primary#plan-csv-excel', { type: 'button', onclick: () => exportCsv(ctx, 'excel') }, 'Download the plan for Excel (CSV)'),
      h('button.secondary#plan-csv-crm', { type: 'button', onclick: () => exportCsv(ctx, 'crm') }, 'For a CRM import (CSV)'),
      h('button.secondary#print-plan', { type: 'button', onclick: () => window.print() }, 'Print the plan'),
    ),
    h('p.note', 'The CSV has each account’s name and website, shape, who leads, supports and closes, both owners, the next step, dates, notes, score and why. Cells starting with = + - @ get a leading apostrophe, so a spreadsheet shows them instead of running them.'),
  );
}

async function exportCsv(ctx, flavour) {
  const { S } = ctx;
  const p = planOf(S);
  try {
    const b = await ctx.engine.run('planCsv', { entries: p.entries ?? [], rules: p.rules, for: flavour });
    const sid = S.session?.session?.slice(0, 8);
    download(b, `${stem(S.file?.name)}${sid ? `-${sid}` : ''}-plan${flavour === 'crm' ? '-crm' : ''}.csv`, 'text/csv');
    announce('The plan was downloaded as CSV.');
  } catch (e) {
    model.error = explain(e);
    ctx.render();
  }
}

// ---- the ranked list ----

function rankedSection(ctx, p) {
  const planned = new Set((p.entries ?? []).map((e) => e.row));
  const list = model.ranked.filter((x) => (model.filter === 'deals' ? DEALS.includes(x.shape) : model.filter === '' || x.shape === model.filter));
  const shown = list.slice(0, model.shown);
  const counts = {};
  for (const x of model.ranked) counts[x.shape] = (counts[x.shape] ?? 0) + 1;
  const deals = DEALS.reduce((n, s) => n + (counts[s] ?? 0), 0);
  return h(
    'section.card#ranked-card',
    { 'aria-labelledby': 'h-ranked' },
    h('h2.h3#h-ranked', 'All overlapping accounts, ranked'),
    h(
      'div.toolbar',
      h(
        'div',
        h('label', { for: 'ranked-shape' }, 'Shape'),
        sel(
          'Shape',
          model.filter,
          [['deals', `Co-selling deals (${num(deals)})`], ['', `All (${num(model.ranked.length)})`], ...SHAPES.map(([k, n]) => [k, `${n} (${num(counts[k] ?? 0)})`])],
          (v) => {
            model.filter = v;
            model.shown = 25;
            ctx.render();
          },
          { id: 'ranked-shape' },
        ),
      ),
    ),
    h(
      'div.table-scroll',
      h(
        'table.ranked#ranked',
        h('caption.visually-hidden', 'Overlapping accounts ranked by joint potential'),
        h(
          'thead',
          h('tr', ['In plan', '#', 'Account', 'Shape', 'Score', 'Match', 'Why'].map((t) => h('th', { scope: 'col' }, t))),
        ),
        h(
          'tbody',
          shown.map((x) =>
            h(
              'tr',
              { 'data-row': String(x.row) },
              h(
                'td',
                h(
                  `button.icon.star${planned.has(x.row) ? '.on' : ''}`,
                  {
                    type: 'button',
                    id: `star-${x.row}`,
                    'aria-pressed': String(planned.has(x.row)),
                    'aria-label': `${planned.has(x.row) ? 'Remove' : 'Add'} ${x.name || 'this account'} ${planned.has(x.row) ? 'from' : 'to'} the plan`,
                    onclick: () => star(ctx, x),
                  },
                  planned.has(x.row) ? '★' : '☆',
                ),
              ),
              h('td.num', num(model.ranked.indexOf(x) + 1)),
              h('td', h('strong', x.name), x.website ? h('span.muted.small-line', x.website) : ''),
              h('td', h(`span.shape-badge.s-${x.shape}`, shapeWords(x.shape, x.lead))),
              h('td.num', String(x.score)),
              h('td', h(`span.conf-badge.${x.confidence}`, x.confidence === 'high' ? 'High' : x.confidence === 'likely' ? 'Likely: verify' : 'Possible: verify')),
              h('td.why', x.reasons.slice(1).join(' · ')),
            ),
          ),
        ),
      ),
    ),
    list.length > model.shown
      ? h(
          'p',
          h(
            'button.secondary.small#ranked-more',
            {
              type: 'button',
              onclick: () => {
                model.shown += 25;
                ctx.render();
              },
            },
            `Show 25 more (${num(list.length - model.shown)} left)`,
          ),
        )
      : '',
  );
}

// ---- the rule table ----

function rulesSection(ctx, p) {
  const choices = [
    ['joint-pursuit/both', 'Joint pursuit'],
    ['customer-expansion/us', 'Customer expansion, we lead'],
    ['customer-expansion/partner', 'Customer expansion, partner leads'],
    ['source-to-source/us', 'Source to source, we lead'],
    ['source-to-source/partner', 'Source to source, partner leads'],
    ['shared-customer/both', 'Shared customer'],
    ['shared-target/both', 'Shared target'],
    ['unclassified/both', 'Unclassified'],
  ];
  const cellValue = (c) => (c ? `${c.shape}/${DEALS.includes(c.shape) && c.shape !== 'joint-pursuit' ? c.lead : 'both'}` : '');
  const change = (mine, theirs, v) => {
    const [shape, lead] = v.split('/');
    const pair = `${mine}×${theirs}=`;
    // An edit back to the standard cell is no edit.
    const standard = cellValue(model.standard.find((x) => x.mine === mine && x.theirs === theirs)) === v;
    p.rules = [...p.rules.filter((x) => !x.startsWith(pair)), ...(standard ? [] : [`${pair}${shape}${lead === 'both' ? '' : `/${lead}`}`])];
    save(ctx);
    ctx.render();
    announce('Rule changed: the accounts are ranked again.');
  };
  return h(
    'section.card#rules-card',
    { 'aria-labelledby': 'h-rules' },
    h('h2.h3#h-rules', 'Rule table'),
    h(
      'p.note',
      'Each overlapping account gets its shape from your population’s role and your partner’s (set the roles of your populations in the Columns step). Change a cell to rank the accounts again; an account in several populations takes the best shape.',
    ),
    h(
      'div.table-scroll',
      h(
        'table.rules#rules',
        h('caption.visually-hidden', 'Shape by your role (rows) and your partner’s role (columns)'),
        h('thead', h('tr', h('th', { scope: 'col' }, 'Yours \\ partner’s'), ROLES.map(([, t]) => h('th', { scope: 'col' }, t)))),
        h(
          'tbody',
          ROLES.map(([mine, mt]) =>
            h(
              'tr',
              h('th', { scope: 'row' }, mt),
              ROLES.map(([theirs, tt]) => {
                const c = model.cells.find((x) => x.mine === mine && x.theirs === theirs);
                const v = cellValue(c);
                const edited = p.rules.some((x) => x.startsWith(`${mine}×${theirs}=`));
                return h(edited ? 'td.edited' : 'td', sel(`Your ${mt.toLowerCase()} × partner’s ${tt.toLowerCase()}`, v, choices, (nv) => change(mine, theirs, nv), { 'data-cell': `${mine}×${theirs}` }));
              }),
            ),
          ),
        ),
      ),
    ),
    p.rules.length
      ? h(
          'p',
          h(
            'button.link#rules-reset',
            {
              type: 'button',
              onclick: () => {
                p.rules = [];
                save(ctx);
                ctx.render();
              },
            },
            'Back to the standard table',
          ),
        )
      : '',
  );
}

// ---- the print view ----

function printRows(p) {
  return (p.entries ?? []).map((e, k) => {
    const x = model.byRow.get(e.row) ?? {};
    return h(
      'tr',
      h('td', String(k + 1)),
      h('td', h('strong', x.name ?? ''), x.website ? h('div.small-line', x.website) : ''),
      h('td', shapeWords(e.shape, e.lead)),
      h('td', `${SIDE_NAME[e.lead ?? 'both']} / ${SIDE_NAME[e.support ?? 'both']} / ${SIDE_NAME[e.close ?? 'both']}`),
      h('td', e.myOwner ?? '', h('div.small-line', e.partnerOwner ?? '')),
      h('td', e.nextStep ?? '', e.nextStepOwner || e.nextStepDate ? h('div.small-line', [e.nextStepOwner, e.nextStepDate].filter(Boolean).join(' · ')) : ''),
      h('td', e.forecastDate ?? ''),
      h('td', e.notes ?? ''),
    );
  });
}

function printTable(ctx, p) {
  const { S } = ctx;
  return h(
    'div.print-only#plan-print',
    h('h1.print-title', 'Joint account plan'),
    h('p.print-meta', `${num(p.entries?.length ?? 0)} accounts · ${new Date().toLocaleDateString(undefined, { day: 'numeric', month: 'long', year: 'numeric' })}${S.session ? ` · session ${S.session.session.slice(0, 8)}` : ''} · review it with your partner every two weeks`),
    h(
      'table.plan-print',
      h('thead', h('tr', ['#', 'Account', 'Shape', 'Leads / supports / closes', 'Our owner / partner’s', 'Next step', 'Forecast', 'Notes'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody#plan-print-body', printRows(p)),
    ),
  );
}

function refreshPrint(ctx, p) {
  $('#plan-print-body')?.replaceChildren(...printRows(p));
}

// ---- sending the plan, and the partner's ----

/** Whether the plan can travel: a finished private session where both sides shared at least overlaps. */
function sendable(S, r) {
  if (S.method !== 'private' || !S.session) return 'A plan can be sent as a file only after a private exchange. In quick mode, download it as CSV and agree it with your partner.';
  if (r.mySharing === 'counts' || r.partnerSharing === 'counts') return 'A named plan can travel only when both of you shared at least overlaps: one of you shared counts only, so your partner could not see the accounts of your plan.';
  if (S.session.step !== 'done') return 'Finish the exchange first (your partner’s last file), then send the plan.';
  return null;
}

function shareSection(ctx, r, p) {
  const { S } = ctx;
  const why = sendable(S, r);
  const changes = p.adopted;
  const n = p.entries?.length ?? 0;
  const zone = h(
    'label.drop.small#plan-drop',
    h('input.visually-hidden#plan-file', { type: 'file', accept: '.overlap,.msg,application/octet-stream', disabled: !!why }),
    h('span.drop-title', 'Drop your partner’s plan here, or ', h('span.u', 'choose it')),
    h('span.drop-hint', 'The plan file your partner sent you: it is shown under your own account names.'),
  );
  if (!why) dropZone(zone, (f) => receivePlan(ctx, f));
  return h(
    'section.card#share-plan',
    { 'aria-labelledby': 'h-share-plan' },
    h('h2.h3#h-share-plan', 'Share the plan with your partner'),
    why
      ? h('p#plan-not-sendable', why)
      : h(
          'div',
          h(
            'p',
            'The plan travels as one more file that names no account: each account is referred to by its place in this session’s list of shared accounts, and your partner’s page shows it under ',
            h('em', 'its own'),
            ' account names, with the sides seen from its view.',
          ),
          h(
            'div.callout.info#plan-travels',
            h('p.callout-title', 'What travels, as you wrote it'),
            h('p', 'For each account: its shape; who leads, supports and closes; our owner’s and the partner’s owner’s names; the next step, its owner and date; the forecast date; the notes. Never an account name, a website or any other column of your file.'),
          ),
          h(
            'div.row',
            h('button.primary#send-plan', { type: 'button', disabled: n === 0 || n > MAX_SENT, onclick: () => sendPlan(ctx, changes ? 'changes' : 'proposal') }, changes ? 'Download your changes for your partner' : 'Download the plan for your partner'),
            p.sent.length ? h('span.muted#plan-sent', ` Last sent: revision ${p.sent[p.sent.length - 1].revision} (${p.sent[p.sent.length - 1].status}), ${p.sent[p.sent.length - 1].name}`) : '',
          ),
          n > MAX_SENT ? h('p.note', `A plan sent to the partner names at most ${MAX_SENT} accounts.`) : '',
        ),
    h('div#plan-error'),
    zone,
  );
}

function planFileName(S, status, revision) {
  return messageName(S.session.session, 'plan').replace('-plan.', `-plan-r${revision}${status === 'accepted' ? '-accepted' : ''}.`);
}

async function sendPlan(ctx, status, entries, revision) {
  const { S } = ctx;
  const p = planOf(S);
  const rev = revision ?? p.revision + 1;
  try {
    if (!(await ctx.ensureParty())) throw new Error('the session could not be restored');
    const b = await ctx.engine.run('planMessage', { entries: entries ?? p.entries ?? [], status, revision: rev });
    const name = planFileName(S, status, rev);
    download(b, name);
    p.revision = Math.max(p.revision, rev);
    p.sent.push({ status, revision: rev, name, at: Date.now() });
    save(ctx);
    ctx.render();
    announce(`${name} downloaded. Send it to your partner.`);
  } catch (e) {
    showError(explain(e));
  }
}

function showError(problem) {
  $('#plan-error')?.replaceChildren(callout('error', problem.title, problem.body, problem.detail));
}

/** Loads the partner's plan (a message file, kind plan) into the plan step. */
export async function receivePlan(ctx, file) {
  const { S } = ctx;
  const data = new Uint8Array(await file.arrayBuffer());
  const info = peek(data);
  if (!info.ok || info.kind !== 'plan') {
    showError({ title: `${file.name} is not a plan`, body: info.ok ? `It is the ${info.kind ?? 'unknown message'} of a session. Load it under Exchange.` : `It looks like ${info.looksLike}.` });
    return;
  }
  if (S.session && info.session && info.session !== S.session.session) {
    showError({ title: `${file.name} is a plan of another session`, body: 'Open the session it belongs to (its files start with the same 8 characters) and load it there.' });
    return;
  }
  try {
    if (!(await ctx.ensureParty())) throw new Error('the session could not be restored');
    const got = await ctx.engine.run('readPlan', { message: data });
    const p = planOf(S);
    p.received = { status: got.status, revision: got.revision, entries: got.entries, labels: got.labels, warnings: got.warnings, name: file.name, at: Date.now() };
    p.revision = Math.max(p.revision, got.revision);
    save(ctx);
    if (S.step !== 'plan') ctx.go('plan');
    else ctx.render();
    announce(`Your partner’s plan loaded: ${got.entries.length} accounts, ${got.status}.`);
    $('#h-received')?.focus();
  } catch (e) {
    if (S.step !== 'plan') ctx.go('plan');
    showError(explain(e, { file: file.name, info }));
  }
}

function receivedSection(ctx, p) {
  const got = p.received;
  const status = { proposal: 'a proposal', accepted: 'accepted', changes: 'changes to your plan' }[got.status] ?? got.status;
  const rows = got.entries.map((e, k) =>
    h(
      'tr',
      { 'data-row': String(e.row) },
      h('td', h('strong.received-name', got.labels[k]?.name ?? ''), got.labels[k]?.website ? h('span.muted.small-line', got.labels[k].website) : ''),
      h('td', shapeWords(e.shape, e.lead)),
      h('td', `${SIDE_NAME[e.lead ?? 'both']} / ${SIDE_NAME[e.support ?? 'both']} / ${SIDE_NAME[e.close ?? 'both']}`),
      h('td', e.myOwner ?? ''),
      h('td', e.partnerOwner ?? ''),
      h('td', e.nextStep ?? '', e.nextStepOwner || e.nextStepDate ? h('span.muted.small-line', [e.nextStepOwner, e.nextStepDate].filter(Boolean).join(' · ')) : ''),
      h('td', e.forecastDate ?? ''),
      h('td', e.notes ?? ''),
    ),
  );
  const table = h(
    'div.table-scroll',
    h(
      'table.received-table#received-table',
      h('thead', h('tr', ['Account', 'Shape', 'Leads / supports / closes', 'Our owner', 'Partner’s owner', 'Next step', 'Forecast', 'Notes'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', rows),
    ),
  );
  // Once answered (or accepted by the partner), the partner's plan folds away under one line.
  const done = got.status === 'accepted' || got.answered;
  const line =
    got.status === 'accepted'
      ? 'Your partner accepted this revision: it is your joint plan. Review it together every two weeks.'
      : got.answered === 'accepted'
        ? 'You accepted it: it is your joint plan below. Review it together every two weeks.'
        : 'You are editing it below as your plan: send your changes when done.';
  return h(
    'section.card.received#plan-received',
    { 'aria-labelledby': 'h-received' },
    h('h2.h3#h-received', { tabindex: '-1' }, `Your partner’s plan: ${status}, revision ${got.revision} · ${num(got.entries.length)} accounts`),
    done ? h('p#received-line', line) : h('p.note', 'Shown under your own account names, with the sides from your view: “We” is your company. What your partner wrote is shown as text.'),
    got.warnings?.length ? h('ul.notes', got.warnings.map((w) => h('li', w))) : '',
    done ? h('details.received-details', h('summary', 'Show it'), table) : table,
    done
      ? ''
      : h(
          'div.row.received-actions',
          h('button.primary#accept-plan', { type: 'button', onclick: () => acceptPlan(ctx, p) }, 'Accept it'),
          h(
            'button.secondary#adopt-plan',
            {
              type: 'button',
              onclick: () => {
                p.entries = got.entries.map((e) => ({ ...e }));
                p.edited = true;
                p.adopted = true;
                got.answered = 'editing';
                setEntries(ctx, p.entries, 'Your partner’s plan is now yours to edit. Send your changes when done.').then(() => $('#h-plan-list')?.scrollIntoView());
              },
            },
            'Edit it and answer with changes',
          ),
        ),
  );
}

async function acceptPlan(ctx, p) {
  const got = p.received;
  p.entries = got.entries.map((e) => ({ ...e }));
  p.edited = true;
  p.adopted = false;
  got.answered = 'accepted';
  await sendPlan(ctx, 'accepted', got.entries, got.revision);
}

/** Wires the step's static parts (once). */
export function wirePlan(ctx) {
  // The received plan's names are this browser's own rows; nothing to wire yet but the print title.
  window.addEventListener('beforeprint', () => {
    if (ctx.S.step === 'plan') refreshPrint(ctx, planOf(ctx.S));
  });
}
