// Step 5: the results — summary figures, the populations × populations heatmap (a cell filters
// the table), the table of my overlapping rows (search, sort, filter, pages served by the engine
// so 100k rows never reach this thread at once) and the CSV exports.
import { $, h, num, pct, download, stem, announce, callout } from './dom.js';
import { confirmDiscard, fileNumber } from './exchange.js';
import { SHAPES, shapeWords, countsOnly } from './plan.js';

/**
 * How the analyst looks at the results: the table's filters, sort, page and columns.
 * @typedef {object} View
 * @property {string} search
 * @property {'' | 'high' | 'likely' | 'possible'} confidence
 * @property {string} shape a co-selling shape, or '' for all
 * @property {[number, number] | null} cell a cell of the heatmap: my population, the partner's
 * @property {{column: number, dir: 'asc' | 'desc'} | null} sort
 * @property {number} page
 * @property {number} pageSize
 * @property {Set<number> | null} visible the columns shown (`null` until the results are first drawn)
 * @property {'excel' | 'crm'} csvFor who the CSV exports are for: Excel (UTF-8 with a byte-order mark) or a CRM import
 */

/** The view of results not yet looked at. @returns {View} */
function initialView() {
  return { search: '', confidence: '', shape: '', cell: null, sort: null, page: 0, pageSize: 100, visible: null, csvFor: 'excel' };
}

const view = initialView();
/** @type {object | null} the report the results were drawn for */
let builtFor = null;
let seq = 0;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let searchTimer;

export function resetResultsView() {
  Object.assign(view, initialView());
  builtFor = null;
}

/** Draws the results again (the shapes changed with the rule table), keeping the view. */
export function redrawResults() {
  builtFor = null;
}

const cap = (s) => (s ? s[0].toUpperCase() + s.slice(1) : s);
const SHARE = { counts: 'counts', overlaps: 'overlaps', fields: 'overlaps + fields' };

/**
 * The table's columns (`idx` in the engine's index space: my columns, then the overlap columns),
 * in display order: my company name first, then what the overlap says, then my other columns.
 */
function columnsOf(r, nameColumn) {
  const hN = r.headers.length;
  const mine = r.headers.map((label, idx) => ({ idx, label, kind: 'text', mine: true }));
  const overlap = [
    { idx: hN, label: "Partner's populations", kind: 'pops' },
    { idx: hN + 1, label: 'Matched on', kind: 'kinds' },
    { idx: hN + 2, label: 'Confidence', kind: 'conf' },
    { idx: hN + 3 + r.partnerFields.length, label: 'Co-selling shape', kind: 'shape' },
    ...r.partnerFields.map((f, k) => ({ idx: hN + 3 + k, label: `Partner: ${f}`, kind: 'field' })),
  ];
  const first = mine.filter((c) => c.idx === nameColumn);
  return [...first, ...overlap, ...mine.filter((c) => c.idx !== nameColumn)];
}

function nameColumnOf(ctx) {
  return (ctx.S.loaded?.summary.mapping ?? []).find((m) => m.field === 'name')?.column ?? -1;
}

function defaultVisible(ctx, r) {
  const mapping = ctx.S.loaded?.summary.mapping ?? [];
  const mine = new Set(mapping.map((m) => m.column));
  /** @type {Set<number>} */
  const vis = new Set();
  const cols = columnsOf(r, nameColumnOf(ctx));
  for (const c of cols) if (!c.mine || mine.size === 0 || mine.has(c.idx)) vis.add(c.idx);
  return vis;
}

function figures(r) {
  const rows = r.unit === 'rows';
  return h(
    'div',
    h(
      'dl.figures.big',
      h('div', h('dt', 'Your accounts'), h('dd#fig-my-rows', num(r.myRows)), h('dd.sub', 'rows in your file')),
      rows
        ? h('div.accent', h('dt', 'Overlapping accounts'), h('dd#fig-overlap', num(r.matchedRows)), h('dd.sub#fig-pct', `${pct(r.matchedRows, r.myRows)} of your rows`))
        : h('div.accent', h('dt', 'Overlapping accounts'), h('dd#fig-overlap', '—'), h('dd.sub', 'your partner shares counts only')),
      h('div', h('dt', "Your partner's list"), h('dd#fig-partner', num(r.partnerSetSize)), h('dd.sub', 'websites, domains and names')),
      h('div', h('dt', 'Found in both lists'), h('dd#fig-shared', num(r.matchedElements)), h('dd.sub', 'websites, domains and names')),
    ),
    h(
      'p.note#totals-note',
      'Your partner sees different totals: each side counts its own rows. One company can be one row in your CRM and two in your partner’s (or have two websites), so “overlapping accounts” differ between the two pages while the matches behind them are the same.',
    ),
    h(
      'details.tech',
      h('summary', 'Technical details'),
      h('p', `Your file gave ${num(r.myElements)} distinct keys (registrable domains, DUNS, LinkedIn pages, company name + country); your partner's list has ${num(r.partnerSetSize)}; ${num(r.matchedElements)} are in both (the intersection). A row overlaps when any of its keys is in the intersection.`),
    ),
  );
}

function sharingLine(r) {
  if (!r.mySharing) {
    return h('p.sharing-line', h('span.badge.weak', 'quick mode'), ' Both of you see which accounts overlap and each other’s populations for them.');
  }
  return h(
    'p.sharing-line',
    'You shared ',
    h('strong', SHARE[r.mySharing] ?? r.mySharing),
    '. Your partner shared ',
    h('strong', SHARE[r.partnerSharing] ?? r.partnerSharing),
    r.partnerFields.length ? ` (${r.partnerFields.join(', ')})` : '',
    '.',
  );
}

/**
 * Whether white text reads better than dark text on a heatmap cell (the CSS mixes the accent
 * #3645c4 into #f1f3f9 by heat × 88%, in sRGB). Cell numbers are large bold text (WCAG: 3:1);
 * the switch point keeps both sides above that.
 */
function needsLightText(heat) {
  const m = heat * 0.88;
  const mix = [
    [0x36, 0xf1],
    [0x45, 0xf3],
    [0xc4, 0xf9],
  ].map(([a, b]) => (m * a + (1 - m) * b) / 255);
  const lin = mix.map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  const L = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
  return L < 0.22;
}

function heatmap(ctx, r, onCell) {
  const max = Math.max(1, ...r.matrix.flat());
  const unitWord = r.unit === 'rows' ? 'rows' : 'matches';
  const table = h(
    'table.heatmap',
    h('caption', 'Your populations (rows) × your partner’s populations (columns)'),
    h(
      'thead',
      h(
        'tr',
        h('td.corner', { 'aria-hidden': 'true' }, ''),
        r.partnerPopulations.map((p) => h('th', { scope: 'col' }, h('span.pop', p.name), h('span.size', `${num(p.size)} in list`))),
      ),
    ),
    h(
      'tbody',
      r.myPopulations.map((p, i) =>
        h(
          'tr',
          h('th', { scope: 'row' }, h('span.pop', p.name), h('span.size', `${num(p.size)} in list`)),
          r.partnerPopulations.map((q, j) => {
            const v = r.matrix[i][j];
            const label = `${p.name} × ${q.name}: ${num(v)} ${unitWord}`;
            const inner = r.cellFilter
              ? h(
                  'button.cell',
                  {
                    type: 'button',
                    'aria-pressed': String(!!(view.cell && view.cell[0] === i && view.cell[1] === j)),
                    'aria-label': `${label}. Show them in the table.`,
                    'data-cell': `${i},${j}`,
                    onclick: () => onCell(i, j),
                  },
                  num(v),
                )
              : h('span.cell', { 'aria-label': label }, num(v));
            const td = h('td', inner);
            const shape = (r.shapeCells ?? []).find((c) => c.mine === p.role && c.theirs === q.role);
            if (shape) {
              td.dataset.shape = shapeWords(shape.shape, shape.lead);
              inner.setAttribute('aria-label', `${inner.getAttribute('aria-label')} ${shapeWords(shape.shape, shape.lead)}.`);
            }
            const heat = v / max;
            td.style.setProperty('--heat', heat.toFixed(3));
            if (needsLightText(heat)) td.classList.add('dark');
            if (v === 0) td.classList.add('zero');
            return td;
          }),
        ),
      ),
    ),
  );
  return table;
}

function cellText(c, text) {
  if (c.kind === 'pops') return text ? text.split(';').map((p) => h('span.chip', p)) : '';
  if (c.kind === 'kinds') return text.split(';').join(', ');
  if (c.kind === 'conf') return h(`span.conf-badge.${text}`, cap(text));
  if (c.kind === 'shape') return text ? h('span.shape-badge', text) : '';
  return text;
}

export function renderResults(ctx) {
  const { S } = ctx;
  const root = $('#results');
  const r = S.report;
  if (!r) {
    builtFor = null;
    root.replaceChildren(h('p', 'No results yet: they appear once your partner’s message is loaded.'));
    return;
  }
  if (builtFor === r) {
    updateFooter(ctx);
    return;
  }
  builtFor = r;
  const visible = (view.visible ??= defaultVisible(ctx, r));
  const rowsUnit = r.unit === 'rows';
  const cols = columnsOf(r, nameColumnOf(ctx));

  const tableBox = h('div.table-area');
  const pager = h('div.pager');
  const status = h('p.table-status#table-status', { role: 'status' });
  const cellChip = h('div.cell-chip');

  const refresh = async () => {
    const my = ++seq;
    const q = {
      search: view.search,
      confidence: view.confidence,
      shape: view.shape,
      cell: view.cell,
      sort: view.sort,
      offset: view.page * view.pageSize,
      limit: view.pageSize,
    };
    let res;
    try {
      res = await ctx.engine.run('query', q);
    } catch {
      return;
    }
    if (my !== seq) return;
    view.page = Math.floor(res.offset / view.pageSize);
    drawTable(res);
  };

  const visibleCols = () => cols.filter((c) => visible.has(c.idx));

  const drawTable = (res) => {
    const vc = visibleCols();
    const head = h(
      'tr',
      vc.map((c) => {
        const sorted = view.sort?.column === c.idx ? view.sort?.dir : null;
        return h(
          'th',
          { scope: 'col', 'aria-sort': sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none', class: c.mine ? '' : 'overlap-col' },
          h(
            'button.sort',
            {
              type: 'button',
              'data-col': String(c.idx),
              onclick: () => {
                view.sort = !sorted ? { column: c.idx, dir: 'asc' } : sorted === 'asc' ? { column: c.idx, dir: 'desc' } : null;
                view.page = 0;
                refresh().then(() => tableBox.querySelector(`button.sort[data-col="${c.idx}"]`)?.focus());
              },
            },
            c.label,
            h('span.arrow', { 'aria-hidden': 'true' }, sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ' ↕'),
          ),
        );
      }),
    );
    const body = res.rows.map((x) => h('tr', { 'data-row': String(x.row) }, vc.map((c) => h(c.mine ? 'td' : 'td.overlap-col', cellText(c, x.texts[c.idx] ?? '')))));
    const table = h(
      'table.matches#matches',
      h('caption.visually-hidden', 'Your overlapping accounts'),
      h('thead', head),
      h('tbody', body.length ? body : h('tr', h('td.empty', { colspan: String(vc.length) }, 'No row matches these filters.'))),
    );
    tableBox.replaceChildren(h('div.table-scroll.matches-wrap', { tabindex: '0', role: 'region', 'aria-label': 'Your overlapping accounts (scrolls sideways)' }, table));
    const from = res.total ? res.offset + 1 : 0;
    const to = res.offset + res.rows.length;
    status.textContent = res.total === r.matchedRows ? `Rows ${num(from)}–${num(to)} of ${num(res.total)}` : `Rows ${num(from)}–${num(to)} of ${num(res.total)} matching (${num(r.matchedRows)} in all)`;
    drawExportButtons(res.total);
    const pages = Math.max(1, Math.ceil(res.total / view.pageSize));
    pager.replaceChildren(
      h('button.secondary.small#page-prev', { type: 'button', disabled: view.page === 0, onclick: () => ((view.page = Math.max(0, view.page - 1)), refresh()) }, '← Previous'),
      h('span.page-of', `Page ${num(view.page + 1)} of ${num(pages)}`),
      h('button.secondary.small#page-next', { type: 'button', disabled: view.page + 1 >= pages, onclick: () => ((view.page += 1), refresh()) }, 'Next →'),
      h(
        'label.page-size',
        'Rows per page ',
        h(
          'select#page-size',
          {
            onchange: (e) => {
              view.pageSize = Number(e.target.value);
              view.page = 0;
              refresh();
            },
          },
          [25, 100, 500].map((n) => h('option', { value: String(n), selected: view.pageSize === n }, String(n))),
        ),
      ),
    );
    drawCellChip();
  };

  const drawCellChip = () => {
    cellChip.replaceChildren();
    for (const b of root.querySelectorAll('button.cell')) {
      const [i, j] = b.dataset.cell.split(',').map(Number);
      b.setAttribute('aria-pressed', String(!!(view.cell && view.cell[0] === i && view.cell[1] === j)));
    }
    if (!view.cell) return;
    const [i, j] = view.cell;
    cellChip.append(
      h(
        'span.filter-chip',
        `Cell: your ${r.myPopulations[i].name} × partner's ${r.partnerPopulations[j].name}`,
        h(
          'button.icon#clear-cell',
          {
            type: 'button',
            'aria-label': 'Clear the cell filter',
            onclick: () => {
              view.cell = null;
              view.page = 0;
              refresh();
              $('#search')?.focus();
            },
          },
          '×',
        ),
      ),
    );
  };

  const onCell = (i, j) => {
    view.cell = view.cell && view.cell[0] === i && view.cell[1] === j ? null : [i, j];
    view.page = 0;
    refresh().then(() => {
      if (view.cell) announce(`Showing ${r.myPopulations[i].name} × ${r.partnerPopulations[j].name}. ${$('#table-status')?.textContent ?? ''}`);
    });
  };

  const toolbar = h(
    'div.toolbar',
    h(
      'div.search',
      h('label', { for: 'search' }, 'Search'),
      h('input#search', {
        type: 'search',
        placeholder: 'Name, domain, owner…',
        value: view.search,
        autocomplete: 'off',
        oninput: (e) => {
          clearTimeout(searchTimer);
          searchTimer = setTimeout(() => {
            view.search = e.target.value;
            view.page = 0;
            refresh();
          }, 150);
        },
      }),
    ),
    h(
      'div',
      h('label', { for: 'confidence' }, 'Confidence'),
      h(
        'select#confidence',
        {
          onchange: (e) => {
            view.confidence = e.target.value;
            view.page = 0;
            refresh();
          },
        },
        h('option', { value: '' }, `All (${num(r.matchedRows)})`),
        h('option', { value: 'high', selected: view.confidence === 'high' }, `High (${num(r.confidence?.high ?? 0)})`),
        h('option', { value: 'likely', selected: view.confidence === 'likely' }, `Likely — name and city (${num(r.confidence?.likely ?? 0)})`),
        h('option', { value: 'possible', selected: view.confidence === 'possible' }, `Possible — name only (${num(r.confidence?.possible ?? 0)})`),
      ),
    ),
    h(
      'div',
      h('label', { for: 'shape-filter' }, 'Co-selling shape'),
      h(
        'select#shape-filter',
        {
          onchange: (e) => {
            view.shape = e.target.value;
            view.page = 0;
            refresh();
          },
        },
        h('option', { value: '' }, `All (${num(r.matchedRows)})`),
        SHAPES.map(([k, n]) => h('option', { value: k, selected: view.shape === k }, `${n} (${num(r.shapeCounts?.[k] ?? 0)})`)),
      ),
    ),
    h(
      'details.columns-pick',
      h('summary', 'Columns'),
      h(
        'div.checks',
        h(
          'p',
          h(
            'button.link#show-all-columns',
            {
              type: 'button',
              onclick: () => {
                for (const c of cols) visible.add(c.idx);
                for (const cb of root.querySelectorAll('.columns-pick input')) cb.checked = true;
                refresh();
              },
            },
            'Show all',
          ),
        ),
        cols.map((c) =>
          h(
            'label.check',
            h('input', {
              type: 'checkbox',
              checked: visible.has(c.idx),
              onchange: (e) => {
                if (e.target.checked) visible.add(c.idx);
                else if (visible.size > 1) visible.delete(c.idx);
                else e.target.checked = true;
                refresh();
              },
            }),
            h('span', c.label),
          ),
        ),
      ),
    ),
  );

  const filtered = () => !!(view.search || view.confidence || view.cell);
  const flavourSuffix = () => (view.csvFor === 'crm' ? '-for-crm' : '');
  const exportCsv = async (shown) => {
    const q = shown ? { search: view.search, confidence: view.confidence, cell: view.cell, sort: view.sort } : undefined;
    const res = await ctx.engine.run('reportCsv', { view: q, for: view.csvFor });
    const name = `${exportStem(S)}-overlap${shown ? '-shown' : ''}${flavourSuffix()}.csv`;
    download(res.bytes, name, 'text/csv');
    announce(`${num(res.rows)} overlapping rows downloaded as CSV: ${name}.`);
  };
  const exportMatrix = async () => {
    const b = await ctx.engine.run('matrixCsv', { for: view.csvFor });
    download(b, `${exportStem(S)}-matrix${flavourSuffix()}.csv`, 'text/csv');
    announce('Matrix downloaded as CSV.');
  };
  const exportButtons = h('div.row.export-buttons');
  /** The export buttons, for the rows the table shows (`shown` of them). */
  const drawExportButtons = (shown) => {
    exportButtons.replaceChildren(
      ...[
      filtered() && rowsUnit
        ? h('button.primary#export-shown', { type: 'button', onclick: () => exportCsv(true) }, `Download the ${num(shown)} rows shown (CSV)`)
        : null,
      h(
        filtered() && rowsUnit ? 'button.secondary#export-csv' : 'button.primary#export-csv',
        { type: 'button', onclick: () => exportCsv(false), disabled: !rowsUnit },
        rowsUnit ? `Download all ${num(r.matchedRows)} overlapping rows (CSV)` : 'Download overlapping rows (CSV)',
      ),
      h('button.secondary#export-matrix', { type: 'button', onclick: exportMatrix }, 'Download the matrix (CSV)'),
      ].filter((x) => x !== null),
    );
  };
  drawExportButtons(r.matchedRows);

  const warnings = r.warnings.map((w) => callout('warning', 'Check this partner’s list', `${cap(w)}.`));
  if (S.session?.partner && r.partnerFields.length === 0 && r.mySharing && S.settings.sharing === 'fields' && r.partnerSharing === 'counts') {
    warnings.push(callout('info', 'Your fields were not sent.', 'Your partner shares only counts, so you cannot know which of your accounts overlap, and nothing was sent.'));
  }

  const matrixSection = h(
    'section.card',
    { 'aria-labelledby': 'h-matrix' },
    h('h2.h3#h-matrix', 'Overlap by population'),
    h(
      'p.note',
      rowsUnit
        ? r.cellFilter
          ? 'Each cell counts your overlapping rows in your population (row) and your partner’s population (column). Select a cell to list its rows below.'
          : 'Each cell counts your overlapping rows in your population (row) and your partner’s population (column).'
        : 'Your partner shares counts only: each cell counts matches (an account that matches on both its website and its name counts twice), and no account is named.',
    ),
    h('div.table-scroll', heatmap(ctx, r, onCell)),
    h('p.note', 'Under each count, its co-selling shape: from your population’s role and your partner’s, by the rule table of the Plan step.'),
  );

  const tableSection = rowsUnit
    ? h(
        'section.card',
        { 'aria-labelledby': 'h-table' },
        h('h2.h3#h-table', 'Your overlapping accounts'),
        r.matchedRows === 0
          ? h('p', 'None of your rows overlap with your partner’s list.')
          : h('div', toolbar, cellChip, status, tableBox, pager),
      )
    : h(
        'section.card',
        { 'aria-labelledby': 'h-table' },
        h('h2.h3#h-table', 'Your overlapping accounts'),
        h('p', 'Not shown: your partner chose to share counts only, so no account is named. Ask it to share overlaps if you both want the list.'),
        countsOnly(r),
      );

  const flavourChoice = h(
    'fieldset.choice.csv-for#csv-for',
    h('legend', 'Who opens the file?'),
    [
      ['excel', 'For Excel', 'UTF-8 with a byte-order mark, so that accents and non-Latin names (Débora, 株式会社) open correctly.'],
      ['crm', 'For a CRM import', 'No byte-order mark; phone numbers and signed numbers such as +46 70 123 45 67 stay as they are.'],
    ].map(([value, title, hint]) =>
      h(
        'label.card-radio',
        h('input', {
          type: 'radio',
          name: 'csv-for',
          value,
          checked: view.csvFor === value,
          onchange: () => {
            view.csvFor = /** @type {'excel' | 'crm'} */ (value);
          },
        }),
        h('span.title', title),
        h('span.hint', hint),
      ),
    ),
  );
  const exportSection = h(
    'section.card',
    { 'aria-labelledby': 'h-export-results' },
    h('h2.h3#h-export-results', 'Export'),
    flavourChoice,
    exportButtons,
    h(
      'p.note',
      'The CSV has your rows with all their columns plus overlap_partner_populations, overlap_matched_on and overlap_confidence',
      r.partnerFields.length ? ` and the partner's ${r.partnerFields.join(', ')}` : '',
      '. With a filter or a search above, you can download just the rows shown. A cell that a spreadsheet would run as a formula (starting with = + - @, a tab or a line break) gets a leading apostrophe, so that it is shown, not run; for a CRM import, cells that are only a phone number or a signed number are left as they are (',
      h('a', { href: 'docs/threat-model.html#partner-strings-csv-files-and-the-terminal' }, 'the rule'),
      ').',
    ),
  );

  const code = r.sessionCode
    ? h(
        'section.card.session-code',
        { 'aria-labelledby': 'h-code' },
        h('h2.h3#h-code', 'Check the session code with your partner'),
        h('p.code#session-code', r.sessionCode),
        h(
          'p',
          'Read this code to your partner by phone (or any way where you recognise each other): its page shows a code too, and the two must be the same. If they differ, someone other than your partner took part in this exchange — discard these results and start again.',
        ),
      )
    : null;

  root.replaceChildren(
    figures(r),
    sharingLine(r),
    rowsUnit && r.matchedRows > 0 ? h('p.to-plan', h('button.primary#to-plan', { type: 'button', onclick: () => ctx.go('plan') }, 'Make a joint account plan →'), h('span.muted', ' The accounts ranked by joint potential, the best 12 suggested.')) : '',
    code ?? '',
    ...warnings,
    h('div#results-todo'),
    matrixSection,
    tableSection,
    exportSection,
    h('div#results-done'),
  );
  updateFooter(ctx);
  if (rowsUnit && r.matchedRows > 0) refresh();
}

function exportStem(S) {
  const sid = S.session?.session?.slice(0, 8);
  return `${stem(S.file?.name)}${sid ? `-${sid}` : '-quick'}`;
}

/** What is left to do (top), and the end of the session (bottom). */
function updateFooter(ctx) {
  const { S } = ctx;
  const todo = $('#results-todo');
  const end = $('#results-done');
  if (!todo || !end) return;
  todo.replaceChildren();
  end.replaceChildren();
  const s = S.session;
  if (!s) return;
  const out = s.outgoing;
  if (out && !out.downloaded && (out.kind === 'confirm' || out.kind === 'fields')) {
    todo.append(
      h(
        'div.callout.info',
        h('p.callout-title', `Your partner is waiting for ${fileNumber(ctx, out.kind)}.`),
        h('div.row', h('button.primary.small', { type: 'button', onclick: ctx.downloadOutgoing }, `Download ${fileNumber(ctx, out.kind)}`), h('span.muted', ` ${out.name}`)),
      ),
    );
  }
  if (s.step === 'awaitFields') {
    todo.append(
      h(
        'div.callout.info',
        h('p.callout-title', "Your partner's fields may follow."),
        h('p', `It shares ${s.partner?.fields?.join(', ') || 'some columns'} for overlapping accounts. Load its file 4 under Exchange when it arrives.`),
        h('button.secondary.small', { type: 'button', onclick: () => ctx.go('exchange') }, 'Go to the exchange'),
      ),
    );
  }
  end.append(
    h(
      'div.callout.done',
      h('p.callout-title', s.step === 'done' ? 'This mapping is complete.' : 'When the mapping is complete'),
      h('p', 'The mapping saved in this browser holds its secret, your file and the files you exchanged. Export what you need, then discard it.'),
      h('button.secondary.small#discard-end', { type: 'button', onclick: confirmDiscard(ctx) }, 'Discard session'),
    ),
  );
}
