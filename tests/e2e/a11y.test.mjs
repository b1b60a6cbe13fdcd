// Accessibility on every step of an exchange: every control has a name, headings nest (one h1
// per step), ids are unique, text meets WCAG AA contrast on its background, and the results work
// from the keyboard (a heatmap cell filters, a column header sorts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseSharing, createFirst, crmPair, downloadOutgoing, loadMessage, pageTests, startWith, toResults } from './page.mjs';

const pages = pageTests('a11y');
const data = crmPair({ fixtures: true });


/** Runs in the page: what an accessibility review would flag on what is visible now. */
function audit() {
  const problems = [];
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length) && getComputedStyle(el).visibility !== 'hidden';
  const text = (el) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
  const describe = (el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''}`;
  const nameOf = (el) => {
    if (el.getAttribute('aria-label')) return el.getAttribute('aria-label');
    const by = el.getAttribute('aria-labelledby');
    if (by) return by.split(' ').map((id) => text(document.getElementById(id))).join(' ');
    if (el.labels?.length) return [...el.labels].map(text).join(' ');
    if (el.tagName === 'BUTTON' || el.tagName === 'SUMMARY' || el.tagName === 'A') return text(el);
    return el.getAttribute('title') ?? '';
  };
  // 1. names
  for (const el of document.querySelectorAll('input, select, textarea, button, summary, a[href]')) {
    if (el.type === 'hidden') continue;
    // visually hidden file inputs are named by the drop zone label that wraps them
    const shown = visible(el) || el.classList.contains('visually-hidden');
    if (!shown || el.closest('[hidden]')) continue;
    if (!nameOf(el).trim()) problems.push(`no accessible name: ${describe(el)}`);
  }
  // 2. headings
  const hs = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].filter((x) => visible(x) && !x.closest('dialog:not([open])'));
  const h1 = hs.filter((x) => x.tagName === 'H1');
  if (h1.length !== 1) problems.push(`${h1.length} visible h1`);
  let level = 0;
  for (const x of hs) {
    const l = Number(x.tagName[1]);
    if (l > level + 1) problems.push(`heading skips a level: ${x.tagName} "${text(x)}" after h${level}`);
    level = l;
  }
  // 3. ids
  const ids = new Map();
  for (const el of document.querySelectorAll('[id]')) ids.set(el.id, (ids.get(el.id) ?? 0) + 1);
  for (const [id, n] of ids) if (n > 1) problems.push(`id used ${n} times: ${id}`);
  // 4. contrast of visible text
  const parse = (c) => {
    let m = /^rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)$/.exec(c);
    if (m) return [Number(m[1]) / 255, Number(m[2]) / 255, Number(m[3]) / 255, m[4] === undefined ? 1 : Number(m[4])];
    m = /^color\(srgb ([\d.e-]+) ([\d.e-]+) ([\d.e-]+)(?: \/ ([\d.]+))?\)$/.exec(c);
    if (m) return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])];
    return null;
  };
  const lum = ([r, g, b]) => {
    const f = (c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0.5) return c;
    }
    return [1, 1, 1, 1];
  };
  const faded = (el) => {
    for (let e = el; e; e = e.parentElement) if (Number(getComputedStyle(e).opacity) < 1) return true;
    return false;
  };
  for (const el of document.querySelectorAll('body *')) {
    if (!visible(el) || el.closest('[hidden], dialog:not([open]), .visually-hidden')) continue;
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    // WCAG exempts disabled controls (faded here by opacity) and placeholder-free inert text.
    if (faded(el) || el.closest('button:disabled, [aria-disabled=true]')) continue;
    const s = getComputedStyle(el);
    const fg = parse(s.color);
    if (!fg) continue;
    const bg = background(el);
    const mixed = fg.slice(0, 3).map((c, i) => c * fg[3] + bg[i] * (1 - fg[3]));
    const [a, b] = [lum(mixed), lum(bg)];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(s.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) problems.push(`contrast ${ratio.toFixed(2)} for "${text(el).slice(0, 30)}" (${describe(el)})`);
  }
  return problems;
}

async function check(page, where) {
  const problems = await page.evaluate(audit);
  assert.deepEqual(problems, [], `${where}: ${problems.join('; ')}`);
}

test('every step passes the accessibility checks, and the results work from the keyboard', async () => {
  const dir = pages.dir();
  const A = await pages.open('A');
  const B = await pages.open('B');
  const pa = A.page;
  await check(pa, 'start (empty)');
  await startWith(pa, { csv: data.a });
  await check(pa, 'start');
  await pa.click('#start-next');
  await check(pa, 'columns');
  await pa.click('#columns-next');
  await pa.check('input[name=sharing][value=fields]');
  await pa.check('#fields-list input[value="Account Owner"]');
  await pa.click('details.advanced summary');
  await check(pa, 'sharing');
  await pa.click('#sharing-next');
  await check(pa, 'exchange (before the offer)');
  const offer = await createFirst(pa, dir);
  await check(pa, 'exchange (offer made)');
  await pa.click('#privacy-open');
  await check(pa, 'privacy dialog');
  await pa.keyboard.press('Escape');

  await startWith(B.page, { role: 'B', csv: data.b, offer });
  await check(B.page, 'start (B, offer loaded)');
  await chooseSharing(B.page, { sharing: 'overlaps' });
  const reply = await createFirst(B.page, dir);
  await loadMessage(pa, reply, 2);
  await downloadOutgoing(pa, dir);
  await check(pa, 'exchange (reply loaded)');
  await toResults(pa);
  await pa.waitForSelector('#matches tbody tr');
  await check(pa, 'results');

  // Keyboard: a heatmap cell filters the table, a header sorts it.
  await pa.focus('button.cell[data-cell="0,0"]');
  await pa.keyboard.press('Enter');
  await pa.waitForSelector('button.cell[data-cell="0,0"][aria-pressed=true]');
  await pa.waitForSelector('.filter-chip');
  await pa.keyboard.press('Space');
  await pa.waitForSelector('.filter-chip', { state: 'detached' });
  await pa.focus('#matches thead button.sort >> nth=0');
  await pa.keyboard.press('Enter');
  await pa.waitForSelector('#matches thead th[aria-sort=ascending]');
  assert.equal(await pa.evaluate(() => document.activeElement?.classList.contains('sort')), true, 'focus stays on the header');
  await check(pa, 'results (sorted)');

  // The Plan step: its cards, ranked list, rule table and sharing section.
  await pa.click('#steps button[data-step=plan]');
  await pa.waitForSelector('#plan-card .plan-entries');
  await check(pa, 'plan');

  await pages.done(A, B);
});
