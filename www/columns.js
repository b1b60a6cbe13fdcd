// Step 2: the recognised columns (editable, with confidence), the population rules from the
// type/stage column, counts per population, and the rows with notices (downloadable).
import { $, h, num, pct, download, stem, callout } from './dom.js';
import { explain } from './errors.js';

const FIELDS = [
  ['website', 'Website', 'Registrable domain of the URL'],
  ['domain', 'Domain', 'A domain column'],
  ['email', 'Email', 'Domain of contact emails (free-mail ignored)'],
  ['duns', 'DUNS number', 'D-U-N-S identifier'],
  ['linkedin', 'LinkedIn page', 'Company page'],
  ['name', 'Company name', 'With the country: a weaker fallback'],
  ['country', 'Country', 'Completes the company name'],
  ['city', 'City', 'Names match only where the cities agree (or one is blank)'],
  ['region', 'State / region', 'Recognised and cleaned; not used for matching'],
  ['postal', 'Postal code', 'Recognised and cleaned; not used for matching'],
  ['population', 'Type / stage', 'Sorts rows into populations'],
];

const ISSUE_SUMMARY = {
  no_key: (n) => `${n} row${n === '1' ? '' : 's'} with nothing to match on`,
  empty: (n) => `${n} empty row${n === '1' ? '' : 's'}`,
  unreadable: (n) => `${n} unreadable row${n === '1' ? '' : 's'}`,
  outside_populations: (n) => `${n} row${n === '1' ? '' : 's'} in no population`,
  duplicate: (n) => `${n} row${n === '1' ? '' : 's'} with the same website or name as another (counted once)`,
  warning: (n) => `${n} warning${n === '1' ? '' : 's'}`,
};

const ISSUE_KINDS = {
  no_key: 'Nothing to match on',
  empty: 'Empty row',
  unreadable: 'Unreadable row',
  outside_populations: 'In no population',
  duplicate: 'Duplicate, folded',
  warning: 'Warning',
};

/** Letters and digits, lower case: how the reader compares population values. */
export function compact(v) {
  let out = '';
  for (const c of String(v)) if (/[\p{Alphabetic}\p{Nd}\p{Nl}\p{No}]/u.test(c)) out += c.toLowerCase();
  return out;
}

/** The population rules the analyst set, or undefined to keep the reader's defaults. */
export function populationRules(S) {
  const e = S.popEdit;
  if (!e || !e.edited) return undefined;
  const rules = [];
  const role = (name) => (e.roles?.[name] ? { role: e.roles[name] } : {});
  for (const name of e.names) {
    const open = e.open?.find((r) => r.name === name);
    if (open) rules.push({ ...open, ...role(name) });
    else if (name === e.rest) rules.push({ name, rest: true, ...role(name) });
    else {
      const values = e.values.filter((v) => e.assign[v.key] === name).map((v) => v.value);
      if (values.length) rules.push({ name, column: e.column, values, ...role(name) });
    }
  }
  return rules.length ? rules : [{ name: 'All accounts', all: true }];
}

/** The editable model of the rules in effect, from what the reader did. */
function editModel(loaded) {
  const rules = loaded.rules;
  const pv = loaded.populationValues;
  if (!pv || rules.some((r) => r.all)) return null;
  const names = rules.map((r) => r.name);
  const rest = rules.find((r) => r.rest)?.name ?? '';
  const values = pv.values.map((v) => ({ value: v.value, rows: v.rows, key: compact(v.value) }));
  const assign = {};
  for (const v of values) {
    const r = rules.find((r) => r.values?.some((x) => compact(x) === v.key));
    assign[v.key] = r ? r.name : rest;
  }
  // Open-deal populations (from a deal stage column) and the roles are kept as they are.
  const open = rules.filter((r) => r.open);
  const roles = Object.fromEntries(rules.filter((r) => r.role).map((r) => [r.name, r.role]));
  return { column: pv.header, names, rest, values, more: pv.more, assign, edited: false, open, roles };
}

function mappingOf(S) {
  return S.loaded?.summary.mapping ?? S.preview?.mapping ?? [];
}

function setColumn(ctx, field, value) {
  const { S } = ctx;
  S.reading.columns[field] = value;
  if (field === 'population') S.popEdit = null;
  ctx.readFile({ replace: true });
}

function mappingCard(ctx) {
  const { S } = ctx;
  const headers = S.loaded?.headers ?? S.preview?.headers ?? [];
  const mapping = mappingOf(S);
  const select = (field, current, label, extra = {}) =>
    h(
      'select',
      { 'aria-label': label, ...extra },
      h('option', { value: '', selected: current === '' }, '— not used —'),
      headers.map((x, i) => h('option', { value: x, selected: current === x, 'data-col': String(i) }, x)),
    );
  const conf = (choice, field) => {
    if (!choice) return S.reading.columns[field] === '' ? h('span.conf.set', 'off, set by you') : h('span.muted', '—');
    if (choice.basis === 'override') return h('span.conf.set', 'set by you');
    const c = Math.round(choice.confidence * 100);
    return h(
      `span.conf${c < 80 ? '.low' : ''}`,
      { title: `from ${choice.basis}` },
      h('span.meter', { 'aria-hidden': 'true' }, h('span.fill', { 'data-w': String(c) })),
      ` ${c}%`,
      c < 80 ? h('span.check', ' · check') : null,
      h('span.basis', `from ${choice.basis}`),
    );
  };
  const rows = [];
  for (const [field, label, hint] of FIELDS) {
    const choices = mapping.filter((m) => m.field === field);
    if (field === 'email') {
      const list = choices.length ? choices : [null];
      list.forEach((c, k) => {
        rows.push(
          h(
            'tr',
            h('th', { scope: 'row' }, k === 0 ? label : '', k === 0 ? h('span.hint', hint) : null),
            h(
              'td',
              select(field, c?.header ?? '', `${label} column${list.length > 1 ? ` ${k + 1}` : ''}`, {
                onchange: (e) => {
                  const cur = list.map((x) => x?.header ?? '');
                  cur[k] = e.target.value;
                  const set = [...new Set(cur.filter(Boolean))];
                  setColumn(ctx, 'email', set.length ? set : '');
                },
              }),
            ),
            h('td', conf(c, field)),
          ),
        );
      });
      if (choices.length) {
        const others = headers.filter((x) => !choices.some((c) => c.header === x));
        rows.push(
          h(
            'tr.add-row',
            h('th', { scope: 'row' }, h('span.visually-hidden', 'Another email column')),
            h(
              'td',
              { colspan: '2' },
              h(
                'select',
                {
                  'aria-label': 'Add another email column',
                  onchange: (e) => e.target.value && setColumn(ctx, 'email', [...choices.map((c) => c.header), e.target.value]),
                },
                h('option', { value: '' }, '+ add another email column'),
                others.map((x) => h('option', { value: x }, x)),
              ),
            ),
          ),
        );
      }
      continue;
    }
    const c = choices[0];
    rows.push(
      h(
        'tr',
        h('th', { scope: 'row' }, label, h('span.hint', hint)),
        h('td', select(field, c?.header ?? '', `${label} column`, { onchange: (e) => setColumn(ctx, field, e.target.value) })),
        h('td', conf(c, field)),
      ),
    );
  }
  const overrides = Object.keys(S.reading.columns).length > 0;
  const notes = S.loaded?.summary.notes ?? S.preview?.notes ?? [];
  const card = h(
    'div',
    h('h2.h3', 'Recognised columns'),
    h(
      'table.mapping',
      h('caption.visually-hidden', 'Which column of your file gives each kind of key'),
      h('colgroup', h('col.c1'), h('col.c2'), h('col.c3')),
      h('thead', h('tr', h('th', { scope: 'col' }, 'Used for'), h('th', { scope: 'col' }, 'Column in your file'), h('th', { scope: 'col' }, 'Confidence'))),
      h('tbody', rows),
    ),
    notes.length ? h('ul.notes', notes.map((n) => h('li', n))) : null,
    h(
      'div.form-row',
      h('label', { for: 'name-keys' }, 'Matching on company names'),
      h(
        'select#name-keys',
        {
          onchange: (e) => {
            S.reading.nameKeys = e.target.value;
            ctx.readFile({ replace: true });
          },
        },
        [
          ['paired', 'When one row has nothing else to match on (recommended)'],
          ['fallback', 'Only for rows without a website, domain or email'],
          ['always', 'Always (more matches, more wrong ones)'],
          ['never', 'Never'],
        ].map(([v, t]) => h('option', { value: v, selected: (S.reading.nameKeys ?? S.loaded?.summary.nameKeys ?? 'paired') === v }, t)),
      ),
      h('p.note', 'Name matches are marked “likely” when both rows’ cities agree, “possible” when one of them has no city. Both partners should use the same setting: names cannot match otherwise.'),
    ),
    overrides
      ? h(
          'p',
          h(
            'button.link',
            {
              type: 'button',
              onclick: () => {
                S.reading.columns = {};
                S.popEdit = null;
                ctx.readFile({ replace: true });
              },
            },
            'Reset to the recognised columns',
          ),
        )
      : null,
  );
  // widths of the confidence meters (CSSOM, allowed by the style policy)
  for (const f of card.querySelectorAll('.fill[data-w]')) f.style.width = `${f.dataset.w}%`;
  return card;
}

function populationsCard(ctx) {
  const { S } = ctx;
  const loaded = S.loaded;
  if (!loaded) return h('div', h('h2.h3', 'Populations'), h('p.muted', 'Shown once the file is read.'));
  if (!S.popEdit || S.popEdit.sourceToken !== loaded) {
    const old = S.popEdit;
    S.popEdit = old?.edited ? old : editModel(loaded);
    // Populations added but not used yet survive a re-read of the same column.
    if (S.popEdit && old && !old.edited && old.column === S.popEdit.column) {
      for (const n of old.names) if (!S.popEdit.names.includes(n)) S.popEdit.names.push(n);
    }
    if (S.popEdit) S.popEdit.sourceToken = loaded;
  }
  const e = S.popEdit;
  const pops = loaded.summary.populations;
  const ROLES = [
    ['customer', 'customer'],
    ['opportunity', 'open opportunity'],
    ['prospect', 'prospect'],
    ['other', 'other'],
  ];
  // Each population's role (what it means in this CRM: the co-selling shapes follow from it).
  const role = (p) =>
    e
      ? h(
          'select.pop-role',
          {
            'aria-label': `Role of ${p.name}`,
            'data-pop': p.name,
            onchange: (ev) => {
              e.roles = { ...e.roles, [p.name]: ev.target.value };
              e.edited = true;
              ctx.readFile({ replace: true });
            },
          },
          ROLES.map(([v, t]) => h('option', { value: v, selected: p.role === v }, t)),
        )
      : h('span.pop-role', (ROLES.find(([v]) => v === p.role) ?? ['', p.role])[1]);
  const counts = h(
    'ul.pop-counts',
    { 'aria-label': 'Rows per population' },
    pops.map((p) => h('li', h('span.pop-name', p.name), h('span.pop-n', `${num(p.rows)} rows`), h('span.muted', ` · ${num(p.elements)} entries · role `), role(p))),
  );
  const outside = loaded.summary.outsidePopulations;
  if (!e) {
    return h(
      'div',
      h('h2.h3', 'Populations'),
      h('p', 'No type or stage column was found: every row is in one population. Choose a column under “Type / stage” to split your accounts into customers, opportunities and prospects.'),
      counts,
    );
  }
  const apply = () => {
    e.edited = true;
    ctx.readFile({ replace: true });
  };
  const options = (current, withNone) => [
    ...e.names.map((n) => h('option', { value: n, selected: current === n }, n === e.rest ? `${n} (and all other values)` : n)),
    withNone ? h('option', { value: '', selected: current === '' }, 'Left out') : null,
  ];
  const table = h(
    'table.values',
    h('caption.visually-hidden', `Population of each value of ${e.column}`),
    h('thead', h('tr', h('th', { scope: 'col' }, `Value of “${e.column}”`), h('th.num', { scope: 'col' }, 'Rows'), h('th', { scope: 'col' }, 'Population'))),
    h(
      'tbody',
      e.values.map((v) =>
        h(
          'tr',
          h('th', { scope: 'row' }, v.value === '' ? h('span.muted', '(empty)') : v.value),
          h('td.num', num(v.rows)),
          h(
            'td',
            h(
              'select',
              {
                'aria-label': `Population for ${v.value || 'empty values'}`,
                onchange: (ev) => {
                  e.assign[v.key] = ev.target.value;
                  apply();
                },
              },
              options(e.assign[v.key] ?? '', true),
            ),
          ),
        ),
      ),
      h(
        'tr.rest-row',
        h('th', { scope: 'row' }, 'All other values', e.more ? h('span.hint', `${num(e.more)} more values not listed`) : null),
        h('td.num', ''),
        h(
          'td',
          h(
            'select',
            {
              'aria-label': 'Population for all other values',
              onchange: (ev) => {
                const to = ev.target.value;
                // values that went to the old "rest" population keep going there
                for (const v of e.values) if (e.assign[v.key] === e.rest) e.assign[v.key] = to;
                e.rest = to;
                apply();
              },
            },
            options(e.rest, true),
          ),
        ),
      ),
    ),
  );
  const add = h(
    'form.add-pop',
    {
      onsubmit: (ev) => {
        ev.preventDefault();
        const input = ev.target.querySelector('input');
        const name = input.value.trim();
        if (!name || e.names.includes(name)) return;
        if (e.names.length >= 16) return;
        e.names.push(name);
        input.value = '';
        ctx.render();
        document.getElementById('add-pop-name')?.focus();
      },
    },
    h('label', { for: 'add-pop-name' }, 'New population'),
    h('input#add-pop-name', { type: 'text', maxLength: 60, placeholder: 'e.g. Partners', autocomplete: 'off' }),
    h('button.secondary.small', { type: 'submit' }, 'Add'),
  );
  return h(
    'div',
    h('h2.h3', 'Populations'),
    h('p', 'Each value of ', h('strong', e.column), ' puts a row in a population. Your partner sees the population names and sizes.'),
    h('div.table-scroll.values-wrap', table),
    add,
    e.edited
      ? h(
          'p',
          h(
            'button.link',
            {
              type: 'button',
              onclick: () => {
                S.popEdit = null;
                ctx.readFile({ replace: true });
              },
            },
            'Reset to the standard populations',
          ),
        )
      : null,
    h('h3.h4', 'Rows per population'),
    counts,
    outside ? h('p.note', `${num(outside)} rows are in no population and are left out.`) : null,
  );
}

function issuesCard(ctx) {
  const { S } = ctx;
  const l = S.loaded;
  if (!l) return h('div');
  const by = l.issuesByKind;
  const skipped = (by.no_key ?? 0) + (by.empty ?? 0) + (by.unreadable ?? 0) + (by.outside_populations ?? 0);
  const parts = Object.entries(by).map(([k, n]) => (ISSUE_SUMMARY[k] ?? ((x) => `${x} ${k}`))(num(n)));
  const dl = () =>
    ctx.engine.run('issuesCsv').then((b) => download(b, `${stem(S.file.name)}-notices.csv`, 'text/csv'));
  return h(
    'div',
    h('h2.h3', 'Rows with notices'),
    l.issueCount === 0
      ? h('p', 'None: every row has something to match on.')
      : h(
          'div',
          h('p', `${parts.join(' · ')}. `, skipped ? `${num(skipped)} rows are not used.` : 'Every row is used.'),
          h(
            'div.table-scroll.issues-wrap',
            { tabindex: '0', role: 'region', 'aria-label': 'Rows with notices' },
            h(
              'table.issues',
              h('thead', h('tr', h('th.num', { scope: 'col' }, 'Line'), h('th', { scope: 'col' }, 'Notice'), h('th', { scope: 'col' }, 'Reason'))),
              h('tbody', l.issues.map((i) => h('tr', h('td.num', num(i.line)), h('td', ISSUE_KINDS[i.kind] ?? i.kind), h('td', i.reason)))),
            ),
          ),
          l.issueCount > l.issues.length ? h('p.note', `Showing the first ${num(l.issues.length)} of ${num(l.issueCount)}.`) : null,
          h('button.secondary', { type: 'button', onclick: dl, id: 'download-issues' }, `Download all ${num(l.issueCount)} notices (CSV)`),
        ),
  );
}

function summaryTiles(S) {
  const l = S.loaded;
  if (!l) return null;
  const s = l.summary;
  const k = s.elementsByKind;
  const kinds = [
    ['domain', 'domains'],
    ['duns', 'DUNS'],
    ['linkedin', 'LinkedIn'],
    ['name', 'names'],
  ]
    .filter(([x]) => k[x])
    .map(([x, t]) => `${num(k[x])} ${t}`)
    .join(', ');
  return h(
    'dl.figures',
    h('div', h('dt', 'Rows'), h('dd', num(s.rows))),
    h('div', h('dt', 'Used'), h('dd', num(s.usableRows)), h('dd.sub', pct(s.usableRows, s.rows))),
    h('div', h('dt', 'Entries to match on'), h('dd', num(s.elements)), h('dd.sub', kinds)),
    h('div', h('dt', 'Duplicates folded'), h('dd', num(s.duplicatesFolded))),
    h('div', h('dt', 'Not usable'), h('dd', num(s.badRows))),
  );
}

export function renderColumns(ctx) {
  const { S } = ctx;
  const err = $('#columns-error');
  err.replaceChildren();
  if (S.loadError) {
    const e = explain(S.loadError, { file: S.file?.name });
    err.append(callout(e.cancelled ? 'info' : 'error', e.cancelled ? 'Reading was cancelled.' : e.title, e.cancelled ? 'Change a choice below to read the file again.' : e.body, e.detail));
  }
  $('#columns-summary').replaceChildren(summaryTiles(S) ?? '');
  $('#mapping-card').replaceChildren(mappingCard(ctx));
  $('#populations-card').replaceChildren(populationsCard(ctx));
  $('#issues-card').replaceChildren(issuesCard(ctx));
  $('#issues-card').hidden = !S.loaded;
  $('#columns-next').disabled = !S.loaded || S.busy;
}
