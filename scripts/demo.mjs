#!/usr/bin/env node
// `npm run demo`: see Attribution Lens working on realistic news pages, no network needed.
//
// Builds the extension if .output/chrome-mv3 is missing, serves the fixture pages
// (tests/fixtures/pages) under their real URLs (www.cbc.ca, www.theglobeandmail.com, ...) from a
// local server, and starts Chromium with the extension loaded:
//   - with a display (DISPLAY / WAYLAND_DISPLAY, or macOS / Windows): a normal browser window with
//     the CBC and Globe and Mail articles in tabs; stays open until you close it or press Ctrl+C;
//   - without one: headless, saves screenshots of each page to demo-out/ and exits.
// Environment: CHROMIUM_PATH (browser binary), EXTENSION_PATH (unpacked extension folder),
// DEMO_HEADLESS=1 (force the screenshot mode).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  findChromium,
  launchWithExtension,
  resolveExtensionPath,
  waitForScan,
} from '../tests/e2e/lib/browser.mjs';
import { loadFixtures, REPO_ROOT, startFixtureServer } from '../tests/e2e/lib/server.mjs';

const DEMO_PAGES = ['cbc-apt31', 'globe-mss-2018'];
const OUT_DIR = join(REPO_ROOT, 'demo-out');

function log(msg = '') {
  console.log(msg);
}

function ensureBuilt() {
  const ext = resolveExtensionPath();
  if (existsSync(join(ext, 'manifest.json'))) return ext;
  if (process.env.EXTENSION_PATH) {
    console.error(`demo: no manifest.json in EXTENSION_PATH=${process.env.EXTENSION_PATH}`);
    process.exit(1);
  }
  log('demo: no build found, running `npx wxt build` …');
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  const r = spawnSync(npx, ['wxt', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(join(ext, 'manifest.json'))) {
    console.error('demo: the build failed (see above); fix it or run `npm run build` yourself.');
    process.exit(1);
  }
  return ext;
}

function hasDisplay() {
  if (process.env.DEMO_HEADLESS) return false;
  if (process.platform === 'darwin' || process.platform === 'win32') return true;
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

const ext = ensureBuilt();
const executablePath = findChromium();
if (!executablePath) {
  console.error(
    'demo: no Chromium/Chrome found. Install Chromium (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH.',
  );
  process.exit(1);
}

const fixtures = loadFixtures();
const pages = DEMO_PAGES.map((name) => fixtures.find((f) => f.name === name)).filter(Boolean);
const headed = hasDisplay();
const server = await startFixtureServer();

let browser;
let shuttingDown = false;
async function shutdown(code = 0) {
  if (shuttingDown) return;
  shuttingDown = true;
  await browser?.close().catch(() => {});
  await server.close().catch(() => {});
  process.exit(code);
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

try {
  browser = await launchWithExtension({
    port: server.port,
    headless: !headed,
    extensionPath: ext,
    executablePath,
    // In the window, other sites stay reachable so you can try the extension elsewhere too.
    blockOtherHosts: !headed,
    viewport: headed ? null : { width: 1280, height: 900 },
    handleSignals: false, // shutdown() below closes the browser and removes its profile
  });
} catch (err) {
  console.error(`demo: could not start ${executablePath}: ${err.message}`);
  if (/load-extension|extension/i.test(String(err.message)))
    console.error('Branded Google Chrome 137+ ignores --load-extension; use Chromium (CHROMIUM_PATH).');
  await shutdown(1);
}

log(`Attribution Lens ${browser.extensionId} loaded from ${relative(REPO_ROOT, ext) || ext}`);
log(`Browser: ${executablePath}${headed ? '' : ' (headless: no display found)'}`);
log(`Fixture pages served by 127.0.0.1:${server.port} as ${server.hosts.join(', ')}`);
log('');

if (headed) {
  const { context } = browser;
  let first = context.pages()[0] ?? null;
  for (const fx of pages) {
    const page = first ?? (await context.newPage());
    first = null;
    await page.goto(fx.spec.url).catch((err) => log(`  could not open ${fx.spec.url}: ${err.message}`));
    log(`  tab: ${fx.spec.url}`);
  }
  await context.pages()[0]?.bringToFront();
  log('');
  log('Things to try:');
  log('  • Hover a highlighted name (APT31, CSE, Ministry of State Security …): a card shows who it is,');
  log('    its aliases, its sponsor and which governments attributed what to it, with sources.');
  log('  • Tab to a highlight with the keyboard: the card opens on focus too.');
  log('  • Click the Attribution Lens toolbar icon (pin it from the puzzle-piece menu) for the');
  log("    page's entities, your notes and the per-site on/off switch.");
  log('  • Select a sentence in the article to annotate it.');
  log('  • Switch tabs: the Globe and Mail (2018, APT10 / MSS) page is in the second tab.');
  log(`  • Other fixture pages: ${fixtures.map((f) => f.spec.url).join('\n      ')}`);
  log('');
  log('Close the browser window or press Ctrl+C to quit.');
  browser.context.on('close', () => shutdown(0));
  // Keep the process alive until then.
  setInterval(() => {}, 1 << 30);
} else {
  mkdirSync(OUT_DIR, { recursive: true });
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  const saved = [];
  for (const fx of pages) {
    await page.goto(fx.spec.url);
    const scan = await waitForScan(page, { timeout: 10_000 });
    const marks = await page.evaluate(() => document.querySelectorAll('attrib-mark').length);
    const full = join(OUT_DIR, `${fx.name}.png`);
    await page.screenshot({ path: full, fullPage: true });
    saved.push(full);
    log(
      `${fx.name}: ${marks} highlights, ${Math.round(scan.markTime - scan.domContentLoaded)} ms after DOMContentLoaded` +
        (scan.via === 'mark' ? '' : ' (no scan-done mark seen)'),
    );
    // Hover the first highlight in the article body to show the card.
    const mark = page.locator('article attrib-mark').first();
    if (await mark.count()) {
      await mark.scrollIntoViewIfNeeded();
      await mark.hover();
      await page.waitForTimeout(800);
      const hover = join(OUT_DIR, `${fx.name}-hover.png`);
      await page.screenshot({ path: hover });
      saved.push(hover);
    }
  }
  log('');
  log('No display found, so the demo ran headless. Screenshots:');
  for (const p of saved) log(`  ${p}`);
  log('');
  log('Run it on a machine with a display (or with DISPLAY set) to get a browser window instead.');
  await shutdown(0);
}
