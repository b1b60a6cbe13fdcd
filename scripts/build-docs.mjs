#!/usr/bin/env node
// Renders the documents the page links to (docs/PROTOCOL.md, THREAT-MODEL.md, NORMALIZATION.md)
// to HTML under www/docs/, so that the page's links go to pages the page itself serves (no
// repository paths, nothing off the page's origin). Run by scripts/build-pkg (so by `make pkg`,
// `make demo` and `make test`); offline once `npm ci` has installed `marked`. The output is
// generated (gitignored).
//
//   node scripts/build-docs.mjs            writes www/docs/*.html
//
// Headings get GitHub's anchors (lowercase, punctuation dropped, spaces as hyphens), so links
// written for GitHub work here too; a raw `<a id="…"></a>` in the Markdown gives a stable anchor
// of its own (THREAT-MODEL.md's `counts`). Links between these documents become links between the
// pages; links to other repository files become plain text (the page does not serve them).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Marked } from 'marked';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Markdown file → page name, title. */
export const DOCS = [
  ['PROTOCOL.md', 'protocol.html', 'The overlap protocol'],
  ['THREAT-MODEL.md', 'threat-model.html', 'Threat model'],
  ['NORMALIZATION.md', 'normalization.html', 'Normalization'],
];
const PAGE_OF = new Map(DOCS.map(([md, html]) => [md, html]));

const escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** GitHub's heading anchor for `text` (the heading's plain text). */
export function slug(text) {
  return text
    .toLowerCase()
    .trim()
    .replace(/<[^>]*>/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Where a link of a document goes on the page, or null when the page does not serve it. */
function target(href) {
  if (/^(https?:|mailto:|#)/i.test(href)) return href;
  const [path, hash] = href.split('#');
  const base = path.split('/').pop() ?? '';
  const page = PAGE_OF.get(base);
  if (page) return `${page}${hash ? `#${hash}` : ''}`;
  return null;
}

/** One document as a page. */
export function render(markdown, title) {
  const seen = new Map();
  const marked = new Marked({ gfm: true });
  marked.use({
    renderer: {
      heading(t) {
        const inner = this.parser.parseInline(t.tokens);
        const base = slug(t.text.replace(/`/g, '')) || 'section';
        const n = seen.get(base) ?? 0;
        seen.set(base, n + 1);
        const id = n ? `${base}-${n}` : base;
        return `<h${t.depth} id="${escape(id)}"><a class="anchor" href="#${escape(id)}" aria-hidden="true">#</a>${inner}</h${t.depth}>\n`;
      },
      link(t) {
        const inner = this.parser.parseInline(t.tokens);
        const to = target(t.href);
        if (to === null) return inner;
        const external = /^https?:/i.test(to);
        return `<a href="${escape(to)}"${external ? ' rel="noopener noreferrer"' : ''}>${inner}</a>`;
      },
    },
  });
  const body = marked.parse(markdown);
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta http-equiv="Content-Security-Policy" content="default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'">
  <meta name="referrer" content="no-referrer">
  <title>${escape(title)} — overlap</title>
  <link rel="icon" href="../favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="../style.css">
</head>
<body class="doc-page">
  <header class="site"><div class="brand"><a class="name" href="../">overlap</a><span class="tagline">${escape(title)}</span></div></header>
  <main class="doc" id="main">
<p class="doc-back"><a href="../">← Back to the page</a> · <a href="protocol.html">Protocol</a> · <a href="threat-model.html">Threat model</a> · <a href="normalization.html">Normalization</a></p>
${body}
  </main>
</body>
</html>
`;
}

function main() {
  const out = join(root, 'www/docs');
  mkdirSync(out, { recursive: true });
  for (const [md, html, title] of DOCS) {
    writeFileSync(join(out, html), render(readFileSync(join(root, 'docs', md), 'utf8'), title));
  }
  console.log(`build-docs: ${DOCS.map(([, html]) => `www/docs/${html}`).join(', ')}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
