// Launch Chromium with the built extension loaded, plus page helpers for the e2e tests and demo.
//
// See /work/shared/TOOLCHAIN.md: headless Chromium loads unpacked extensions with
// --load-extension + --disable-extensions-except; --host-resolver-rules sends the fixture hosts
// (www.cbc.ca, ...) to the local fixture server while keeping the real Host header and URL, so the
// extension's match patterns (*://*.cbc.ca/*) apply exactly as on the real site.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { fixtureHosts, REPO_ROOT } from './server.mjs';

export const DEFAULT_EXTENSION_PATH = '.output/chrome-mv3';
export const SCAN_DONE_MARK = 'attrib-lens:scan-done';

/** Flags for a quiet, reproducible Chromium in CI containers (TOOLCHAIN.md), headless or not. */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Absolute path of the extension folder: EXTENSION_PATH env, else the given/default path, relative to the repo root. */
export function resolveExtensionPath(extensionPath) {
  const p = extensionPath ?? process.env.EXTENSION_PATH ?? DEFAULT_EXTENSION_PATH;
  return isAbsolute(p) ? p : resolve(REPO_ROOT, p);
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  return null;
}

/** CHROMIUM_PATH, else /usr/bin/chromium, else a Chromium/Chrome found on PATH or in the usual app folders. */
export function findChromium() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome']) {
    const p = onPath(name);
    if (p) return p;
  }
  const known = [
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
  ];
  for (const p of known) if (existsSync(p)) return p;
  return null;
}

/**
 * The id Chromium gives an unpacked extension: from the manifest "key" if present, else from
 * the folder's absolute path. Used only when no service worker shows up to read it from.
 */
export function computeExtensionId(absPath) {
  let bytes;
  try {
    const manifest = JSON.parse(readFileSync(join(absPath, 'manifest.json'), 'utf8'));
    if (manifest.key) bytes = Buffer.from(manifest.key, 'base64');
  } catch {}
  if (!bytes) bytes = Buffer.from(realpathSync(absPath), 'utf8');
  const hex = createHash('sha256').update(bytes).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + Number.parseInt(c, 16))).join('');
}

/**
 * @param {{ port: number, headless?: boolean, extensionPath?: string, hosts?: string[],
 *           blockOtherHosts?: boolean, executablePath?: string, viewport?: {width:number,height:number}|null,
 *           serviceWorkerTimeout?: number, handleSignals?: boolean }} opts
 * handleSignals=false: the caller handles Ctrl+C itself (and must call close()); Playwright then
 * still kills the browser when the process exits.
 */
export async function launchWithExtension({
  port,
  headless = true,
  extensionPath,
  hosts = fixtureHosts(),
  blockOtherHosts = true,
  executablePath = findChromium(),
  viewport = { width: 1280, height: 900 },
  serviceWorkerTimeout = 10_000,
  handleSignals = true,
} = {}) {
  if (!port) throw new Error('launchWithExtension: port of the fixture server is required');
  if (!executablePath)
    throw new Error('No Chromium found: set CHROMIUM_PATH or install chromium (apt-get install chromium)');
  const ext = resolveExtensionPath(extensionPath);
  if (!existsSync(join(ext, 'manifest.json')))
    throw new Error(`No extension at ${ext} (manifest.json missing): run npm run build first`);

  const rules = hosts.map((h) => `MAP ${h} 127.0.0.1:${port}`);
  // Tests never need the real network: anything else resolves to nothing.
  if (blockOtherHosts) rules.push('MAP * ~NOTFOUND', 'EXCLUDE 127.0.0.1', 'EXCLUDE localhost');

  const args = [
    ...(headless ? ['--headless=new'] : []),
    `--load-extension=${ext}`,
    `--disable-extensions-except=${ext}`,
    ...CHROMIUM_FLAGS,
    `--host-resolver-rules=${rules.join(', ')}`,
  ];
  const userDataDir = mkdtempSync(join(tmpdir(), 'attrib-lens-profile-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless,
      args,
      // Playwright passes --disable-extensions by default, which would switch ours off.
      ignoreDefaultArgs: ['--disable-extensions'],
      // HSTS-preloaded fixture hosts (www.bbc.com) are upgraded to https; the fixture server then
      // answers with a self-signed certificate.
      ignoreHTTPSErrors: true,
      viewport,
      handleSIGINT: handleSignals,
      handleSIGTERM: handleSignals,
      handleSIGHUP: handleSignals,
    });
  } catch (err) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw err;
  }

  const isOurs = (sw) => sw.url().startsWith('chrome-extension://');
  let serviceWorker = context.serviceWorkers().find(isOurs) ?? null;
  if (!serviceWorker) {
    serviceWorker = await context
      .waitForEvent('serviceworker', { predicate: isOurs, timeout: serviceWorkerTimeout })
      .catch(() => null);
  }
  const extensionId = serviceWorker ? new URL(serviceWorker.url()).host : computeExtensionId(ext);

  let closed = false;
  return {
    context,
    extensionId,
    serviceWorker,
    extensionPath: ext,
    userDataDir,
    async close() {
      if (closed) return;
      closed = true;
      await context.close().catch(() => {});
      // Chromium may still be flushing the profile for a moment after close.
      try {
        rmSync(userDataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
      } catch {}
    },
  };
}

/**
 * Wait for the content script's first complete scan pass.
 * The content script calls performance.mark('attrib-lens:scan-done', { detail: { marks: N } })
 * after each pass. If no such mark appears within `timeout`, fall back to "the number of
 * attrib-mark elements unchanged for 500 ms".
 * Times are ms since navigation start (performance time origin).
 * @returns {Promise<{ markTime: number, lastMarkTime: number, domContentLoaded: number, marks: number|null,
 *                     passes: number, via: 'mark'|'stable-count' }>}
 */
export async function waitForScan(page, { timeout = 10_000, stableFor = 500, stableTimeout = 10_000 } = {}) {
  let via = 'mark';
  try {
    await page.waitForFunction((name) => performance.getEntriesByName(name).length > 0, SCAN_DONE_MARK, {
      timeout,
      polling: 20,
    });
  } catch (err) {
    if (err?.name !== 'TimeoutError') throw err;
    via = 'stable-count';
  }
  if (via === 'mark') {
    return page.evaluate((name) => {
      const entries = performance.getEntriesByName(name);
      const nav = performance.getEntriesByType('navigation')[0];
      const first = entries[0];
      const last = entries[entries.length - 1];
      return {
        markTime: first.startTime,
        lastMarkTime: last.startTime,
        domContentLoaded: nav ? nav.domContentLoadedEventEnd : 0,
        marks: typeof first.detail?.marks === 'number' ? first.detail.marks : null,
        passes: entries.length,
        via: 'mark',
      };
    }, SCAN_DONE_MARK);
  }
  return page.evaluate(
    ({ stableFor, stableTimeout }) =>
      new Promise((done) => {
        const t0 = performance.now();
        let count = document.querySelectorAll('attrib-mark').length;
        let changedAt = performance.now();
        const tick = () => {
          const n = document.querySelectorAll('attrib-mark').length;
          const now = performance.now();
          if (n !== count) {
            count = n;
            changedAt = now;
          }
          if (now - changedAt >= stableFor || now - t0 > stableTimeout) {
            const nav = performance.getEntriesByType('navigation')[0];
            done({
              markTime: changedAt,
              lastMarkTime: changedAt,
              domContentLoaded: nav ? nav.domContentLoadedEventEnd : 0,
              marks: count,
              passes: 0,
              via: 'stable-count',
            });
          } else setTimeout(tick, 50);
        };
        tick();
      }),
    { stableFor, stableTimeout },
  );
}

/**
 * Record console errors and uncaught page errors (all frames of the page). Call before goto.
 * @returns {string[]} live array of messages
 */
export function collectConsoleErrors(page) {
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const loc = msg.location();
    const where = loc?.url ? ` (${loc.url}${loc.lineNumber != null ? `:${loc.lineNumber}` : ''})` : '';
    errors.push(`console.error: ${msg.text()}${where}`);
  });
  page.on('pageerror', (err) => {
    errors.push(`pageerror: ${err?.stack || err?.message || String(err)}`);
  });
  page.on('crash', () => errors.push('page crashed'));
  return errors;
}

/**
 * outerHTML-like serialization of the first CLOSED (or open) shadow root hosted by an element
 * with the given local name (e.g. 'attrib-lens-ui'; a selector like 'attrib-lens-ui#x' uses its
 * leading tag name). Searches the whole tree, including other shadow roots and same-process
 * iframes. Returns null if there is no such host or it has no shadow root.
 */
export async function readClosedShadowHtml(page, hostSelector) {
  const localName = String(hostSelector)
    .match(/^[a-zA-Z][\w-]*/)?.[0]
    ?.toLowerCase();
  if (!localName) throw new Error(`readClosedShadowHtml: need a tag name, got ${hostSelector}`);
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    let host = null;
    const stack = [root];
    while (stack.length && !host) {
      const node = stack.pop();
      if (node.localName === localName && node.shadowRoots?.length) {
        host = node;
        break;
      }
      const kids = [
        ...(node.children ?? []),
        ...(node.shadowRoots ?? []),
        ...(node.contentDocument ? [node.contentDocument] : []),
        ...(node.templateContent ? [node.templateContent] : []),
      ];
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
    }
    if (!host) return null;
    const shadow = host.shadowRoots[0];
    try {
      const { outerHTML } = await cdp.send('DOM.getOuterHTML', { nodeId: shadow.nodeId });
      if (outerHTML) return outerHTML;
    } catch {}
    // Fallback: serialize the shadow root's children one by one.
    const parts = [];
    for (const child of shadow.children ?? []) {
      const { outerHTML } = await cdp.send('DOM.getOuterHTML', { nodeId: child.nodeId });
      parts.push(outerHTML);
    }
    return parts.join('');
  } finally {
    await cdp.detach().catch(() => {});
  }
}

/** The page's current performance.now() (to pass as `sinceTime` to waitForSettle). */
export async function pageNow(page) {
  return page.evaluate(() => performance.now());
}

/**
 * Wait until the page has reached a state and the extension has caught up with it:
 *   1. `waitFor` (a CSS selector) is in the DOM, if given;
 *   2. a scan pass that finished after `sinceTime` (page time, e.g. pageNow() before a click, or
 *      the time of the page's own performance mark `sinceMark`) has been recorded, or
 *      `newPassTimeout` ms went by without one (the extension may rightly have nothing to scan,
 *      or wrongly ignore the change: the comparison after this tells);
 *   3. no further scan pass for `quietMs` (mutation batches are ~120 ms apart).
 * @returns {Promise<{ passes: number, newPass: boolean, lastPassAt: number|null, sinceTime: number }>}
 */
export async function waitForSettle(
  page,
  { waitFor, sinceTime, sinceMark, quietMs = 300, newPassTimeout = 2000, timeout = 10_000 } = {},
) {
  if (waitFor) await page.waitForSelector(waitFor, { state: 'attached', timeout });
  return page.evaluate(
    ({ name, sinceTime, sinceMark, quietMs, newPassTimeout }) =>
      new Promise((done) => {
        if (sinceMark) {
          const marks = performance.getEntriesByName(sinceMark);
          if (marks.length) sinceTime = marks[marks.length - 1].startTime;
        }
        if (sinceTime === undefined || sinceTime === null) sinceTime = performance.now();
        const start = performance.now();
        const entries = () => performance.getEntriesByName(name);
        let last = entries().length;
        let changedAt = performance.now();
        const tick = () => {
          const all = entries();
          const now = performance.now();
          if (all.length !== last) {
            last = all.length;
            changedAt = now;
          }
          const newer = all.filter((e) => e.startTime > sinceTime);
          const newPass = newer.length > 0;
          if ((newPass || now - start >= newPassTimeout) && now - changedAt >= quietMs)
            done({
              passes: all.length,
              newPass,
              lastPassAt: newPass ? newer[newer.length - 1].startTime : null,
              sinceTime,
            });
          else setTimeout(tick, 25);
        };
        tick();
      }),
    { name: SCAN_DONE_MARK, sinceTime, sinceMark, quietMs, newPassTimeout },
  );
}
