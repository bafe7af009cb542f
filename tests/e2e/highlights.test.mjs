// Browser test: every fixture page in tests/fixtures/pages/*.json is loaded in Chromium with the
// built extension (.output/chrome-mv3, or EXTENSION_PATH) and its highlights are compared with
// the page's JSON. Run with `npm run test:e2e` (tests/e2e/run.mjs).
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { collectConsoleErrors, launchWithExtension, waitForScan } from './lib/browser.mjs';
import {
  checkForbidden,
  checkMarkStructure,
  checkNotHighlighted,
  checkTextUnchanged,
  diffMentions,
  readMarks,
} from './lib/checks.mjs';
import { loadFixtures, REPO_ROOT, startFixtureServer } from './lib/server.mjs';

const ARTIFACTS = join(REPO_ROOT, 'tests/e2e/artifacts');
const SCAN_TIMEOUT = Number(process.env.SCAN_TIMEOUT_MS || 10_000);
const DEFAULT_FORBIDDEN = [
  'script',
  'style',
  'noscript',
  'textarea',
  'input',
  'select',
  'option',
  'code',
  'pre',
  'svg',
  'math',
  '[contenteditable]',
];

const fixtures = loadFixtures();
/** @type {Awaited<ReturnType<typeof startFixtureServer>>} */
let server;
/** @type {Awaited<ReturnType<typeof launchWithExtension>>} */
let browser;
const timings = [];

before(async () => {
  server = await startFixtureServer();
  browser = await launchWithExtension({ port: server.port, headless: !process.env.HEADED });
  console.log(
    `extension ${browser.extensionId} from ${browser.extensionPath}` +
      (browser.serviceWorker ? '' : ' (no service worker seen: id computed from the path)'),
  );
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (timings.length) console.log(`time-to-last-highlight summary: ${timings.join(', ')}`);
});

/** Fail with just the message (no assertion object dump), pointing at the fixture JSON. */
function expect(ok, message, where) {
  if (ok) return;
  const err = new Error(message);
  err.stack = `${message}\n    at ${where}`;
  throw err;
}

async function saveArtifacts(page, name) {
  try {
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
    writeFileSync(join(ARTIFACTS, `${name}.html`), await page.content());
    return `screenshot and DOM saved to ${join(ARTIFACTS, name)}.{png,html}`;
  } catch (err) {
    return `could not save artifacts: ${err.message}`;
  }
}

for (const fx of fixtures) {
  const { spec } = fx;
  const forbidden = spec.forbidden ?? DEFAULT_FORBIDDEN;

  test(`${fx.name} (${spec.url})`, { timeout: 90_000 }, async (t) => {
    const where = `tests/fixtures/pages/${fx.name}.json`;
    for (const ext of ['png', 'html']) rmSync(join(ARTIFACTS, `${fx.name}.${ext}`), { force: true });
    const page = await browser.context.newPage();
    const errors = collectConsoleErrors(page);
    let failed = false;
    const sub = async (name, fn) => {
      await t.test(name, async () => {
        try {
          await fn();
        } catch (err) {
          failed = true;
          throw err;
        }
      });
    };
    try {
      const response = await page.goto(spec.url, { waitUntil: 'load' });
      expect(
        response?.status() === 200,
        `fixture server did not serve ${spec.url}: ${response?.status()}`,
        where,
      );

      const scan = await waitForScan(page, { timeout: SCAN_TIMEOUT });
      const ms = Math.round(scan.markTime - scan.domContentLoaded);
      const how =
        scan.via === 'mark'
          ? `scan-done mark, ${scan.passes} pass(es)`
          : `NO attrib-lens:scan-done mark within ${SCAN_TIMEOUT} ms; attrib-mark count stable`;
      console.log(`time-to-last-highlight ${fx.name}: ${ms} ms (${how})`);
      timings.push(`${fx.name} ${ms} ms`);
      // Let late errors (after the scan) surface before checking.
      await page.waitForTimeout(200);

      const actual = await readMarks(page);

      await sub('highlights are exactly the expected mentions, in document order', () => {
        const d = diffMentions(spec.mentions, actual);
        expect(d.equal, d.report, where);
        assert.deepEqual(actual, spec.mentions);
      });

      await sub('marks are well-formed (entity id, not empty, not nested)', async () => {
        const problems = await checkMarkStructure(page);
        expect(!problems.length, problems.join('\n'), where);
      });

      await sub(`forbidden elements untouched (${forbidden.join(' ')})`, async () => {
        const { problems, notes } = await checkForbidden(page, forbidden);
        for (const n of notes) t.diagnostic(n);
        expect(!problems.length, problems.join('\n'), where);
      });

      await sub('notHighlighted strings are not highlighted', async () => {
        const problems = await checkNotHighlighted(page, spec.notHighlighted ?? []);
        expect(!problems.length, problems.join('\n'), where);
      });

      await sub('page text unchanged by highlighting', async () => {
        const diff = await checkTextUnchanged(page);
        expect(diff === null, diff, where);
      });

      for (const fr of spec.frames ?? []) {
        await sub(`frame ${fr.url}: loaded, forbidden elements untouched, only allowed marks`, async () => {
          // Compare without the scheme: HSTS-preloaded hosts are upgraded from http to https.
          const noScheme = (u) => u.replace(/^https?:/, '');
          const frame = page.frames().find((f) => noScheme(f.url()) === noScheme(fr.url));
          expect(frame, `no frame with url ${fr.url}; frames: ${page.frames().map((f) => f.url())}`, where);
          const marks = await readMarks(frame);
          const allowed = new Set(fr.mentionsOptional ?? []);
          const bad = marks.filter((m) => !allowed.has(m.text));
          expect(!bad.length, `unexpected marks in the frame: ${JSON.stringify(bad)}`, where);
          const { problems } = await checkForbidden(frame, forbidden);
          expect(!problems.length, problems.join('\n'), where);
          t.diagnostic(`frame ${fr.url}: ${marks.length} mark(s)`);
        });
      }

      await sub('no console errors or page errors', () => {
        expect(!errors.length, errors.join('\n'), where);
      });
    } catch (err) {
      failed = true;
      throw err;
    } finally {
      if (failed) t.diagnostic(await saveArtifacts(page, fx.name));
      await page.close().catch(() => {});
    }
  });
}
