// Small DOM helpers for the page: element building (no innerHTML with data: cell values are only
// ever set as text), number formatting, downloads and announcements for screen readers.

/**
 * h('button.primary#go', { type: 'button', onclick }, 'Go') → element.
 * Properties starting with `on` are listeners; `aria-*`, `data-*`, `for` and `role` are attributes;
 * others are properties. Children: strings, nodes, arrays, or null/false (skipped).
 */
export function h(tag, props, ...children) {
  const m = /^([a-z0-9-]+)((?:[.#][\w-]+)*)$/i.exec(tag);
  const el = document.createElement(m ? m[1] : tag);
  if (m && m[2]) {
    for (const part of m[2].match(/[.#][\w-]+/g) ?? []) {
      if (part[0] === '.') el.classList.add(part.slice(1));
      else el.id = part.slice(1);
    }
  }
  if (props && (typeof props !== 'object' || props instanceof Node || Array.isArray(props))) {
    children.unshift(props);
    props = null;
  }
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k.startsWith('aria-') || k.startsWith('data-') || k === 'for' || k === 'role' || k === 'scope' || k === 'colspan')
      el.setAttribute(k, v === true ? 'true' : String(v));
    else el[k] = v;
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

const nf = new Intl.NumberFormat('en-US');
/** 12,345 */
export const num = (n) => (n === null || n === undefined ? '–' : nf.format(n));
/** 27.0 % of `of` */
export const pct = (n, of) => (of > 0 ? `${((100 * n) / of).toFixed(1)}%` : '–');
/** 1.2 MB */
export function bytes(n) {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10240 ? 1 : 0)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}
/** "5 minutes ago" */
export function ago(t) {
  const s = Math.round((Date.now() - t) / 1000);
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} minute${m === 1 ? '' : 's'} ago`;
  const hr = Math.round(m / 60);
  if (hr < 24) return `${hr} hour${hr === 1 ? '' : 's'} ago`;
  return new Date(t).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
}

/** Saves bytes as a file through the browser's download (a local blob: URL, never a request). */
export function download(data, name, type = 'application/octet-stream') {
  const url = URL.createObjectURL(data instanceof Blob ? data : new Blob([data], { type }));
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

let liveTimer = null;
/** Says `text` to screen readers (a polite live region). */
export function announce(text) {
  const live = document.getElementById('live');
  if (!live) return;
  clearTimeout(liveTimer);
  live.textContent = '';
  liveTimer = setTimeout(() => (live.textContent = text), 60);
}

/** A file name without its extension, safe to reuse in a new file name. */
export function stem(name) {
  return (name || 'export').replace(/\.[^.]*$/, '').replace(/[^\p{L}\p{N}._-]+/gu, '-').slice(0, 60) || 'export';
}

/**
 * Makes `zone` accept a dropped file (the zone also labels a file input for click and keyboard).
 * @param {HTMLElement} zone
 * @param {(file: File) => void} onFile
 */
export function dropZone(zone, onFile) {
  let depth = 0;
  zone.addEventListener('dragenter', (e) => {
    e.preventDefault();
    depth++;
    zone.classList.add('over');
  });
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
  });
  zone.addEventListener('dragleave', () => {
    if (--depth <= 0) {
      depth = 0;
      zone.classList.remove('over');
    }
  });
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    depth = 0;
    zone.classList.remove('over');
    const f = e.dataTransfer?.files[0];
    if (f) onFile(f);
  });
  const input = zone.querySelector('input[type=file]');
  if (!(input instanceof HTMLInputElement)) return;
  input.addEventListener('change', () => {
    const f = input.files?.[0];
    input.value = '';
    if (f) onFile(f);
  });
}

/** An error or warning box: a heading sentence, what to do, and the technical detail. */
export function callout(kind, title, body, detail) {
  return h(
    `div.callout.${kind}`,
    { role: kind === 'error' ? 'alert' : null },
    h('p.callout-title', title),
    body ? h('p', body) : null,
    detail ? h('p.detail', detail) : null,
  );
}
