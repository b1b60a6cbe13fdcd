// Shared by the page tests: the static server, Debian's Chromium through playwright-core, and a
// record of every request the page makes.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const fixtures = join(root, 'tests/fixtures');
export const artifacts = join(root, 'tests/e2e/artifacts');
mkdirSync(artifacts, { recursive: true });

/** Starts scripts/serve.mjs on a free port; resolves to { url, close }. */
export function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'scripts/serve.mjs'), '--port', '0'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.on('error', reject);
    child.stdout.setEncoding('utf8');
    child.stdout.once('data', (line) => {
      const url = line.match(/http:\/\/\S+/)?.[0];
      if (!url) reject(new Error(`server said: ${line}`));
      resolve({ url, close: () => child.kill() });
    });
  });
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
