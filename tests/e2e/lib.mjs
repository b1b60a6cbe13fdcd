// Shared by the page and package tests (and the benchmarks): the static server, Debian's Chromium
// through playwright-core, and a record of every request a page makes.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const fixtures = join(root, 'tests/fixtures');
export const artifacts = join(root, 'tests/e2e/artifacts');
mkdirSync(artifacts, { recursive: true });

/** Serves the page (scripts/serve.mjs, in this process) on a free port; resolves to { url, close }. */
export function startServer() {
  return serve();
}

/** Launches Debian's Chromium headless, with a fresh profile and no background networking. */
export async function launch() {
  // playwright-core gives every launch a fresh, empty profile of its own.
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

/** Records every request a context makes, to prove nothing leaves the page's origin. */
export function recordRequests(context) {
  const urls = [];
  context.on('request', (r) => urls.push(r.url()));
  return urls;
}

/** Requests that went anywhere but the page's own origin (blob: and data: are local). */
export function offOrigin(urls, origin) {
  return urls.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:'));
}

/** Clicks `selector` and saves the download it triggers; resolves to the saved path. */
export async function download(page, selector, dir) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const path = join(dir, dl.suggestedFilename());
  await dl.saveAs(path);
  return path;
}
