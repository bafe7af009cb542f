// Browser test: every fixture page in tests/fixtures/pages/*.json is loaded in Chromium with the
// built extension (.output/chrome-mv3, or EXTENSION_PATH) and its highlights are compared with
// the page's JSON. Run with `npm run test:e2e` (tests/e2e/run.mjs).
//
// A fixture may describe more than its first state:
//   "settle": { "waitFor": "<selector>", "sinceMark": "<performance mark>" }
//       the page changes itself after load; compare once the selector exists and the extension
//       has finished a scan pass after the page's mark (see lib/browser.mjs waitForSettle).
//   "steps": [{ "name", "click": "<selector>" | "back": true, "url", "waitFor", "mentions",
//               "traps", "notHighlighted" }]
//       further states reached by clicking or going back (SPA navigation), each compared the same
//       way as the first.
// After all pages, one line sums up the corpus:
//   corpus precision=P recall=R (expected E, found F, true positives T)
// and the last test asserts P = R = 1.
//
// E2E_FIXTURES=name,name limits the run to those fixtures (the harness self-test uses it).
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  collectConsoleErrors,
  launchWithExtension,
  pageNow,
  waitForScan,
  waitForSettle,
} from './lib/browser.mjs';
import {
  checkForbidden,
  checkMarkStructure,
  checkNotHighlighted,
  checkTextUnchanged,
  checkTrapBlocks,
  diffMentions,
  multisetMatch,
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

const only = (process.env.E2E_FIXTURES ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const fixtures = loadFixtures().filter((fx) => !only.length || only.includes(fx.name));
/** @type {Awaited<ReturnType<typeof startFixtureServer>>} */
let server;
/** @type {Awaited<ReturnType<typeof launchWithExtension>>} */
let browser;
const timings = [];
/** Per page state: expected and found mentions, for the corpus precision/recall. */
const corpus = new Map();

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

const noScheme = (u) => u.replace(/^https?:/, '');

for (const fx of fixtures) {
  const { spec } = fx;
  const forbidden = spec.forbidden ?? DEFAULT_FORBIDDEN;
  const states = [
    { key: fx.name, label: null, ...spec },
    ...(spec.steps ?? []).map((step, i) => ({ key: `${fx.name}#${i + 1}`, label: step.name, ...step })),
  ];
  // Until a state is read, everything expected in it counts as missed.
  for (const s of states) corpus.set(s.key, { expected: s.mentions ?? [], found: [] });

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
      if (spec.settle) {
        const s = await waitForSettle(page, {
          waitFor: spec.settle.waitFor,
          sinceMark: spec.settle.sinceMark,
        });
        t.diagnostic(
          `settled: ${s.passes} scan pass(es); ${s.newPass ? `last pass ${Math.round(s.lastPassAt - s.sinceTime)} ms after the page's last change` : "NO scan pass after the page's last change"}`,
        );
      }
      // Let late errors (after the scan) surface before checking.
      await page.waitForTimeout(200);

      for (const [i, state] of states.entries()) {
        const prefix = state.label ? `[step ${i}: ${state.label}] ` : '';
        if (i > 0) {
          const sinceTime = await pageNow(page);
          if (state.click) await page.click(state.click);
          else if (state.back) await page.goBack({ waitUntil: 'commit' });
          else throw new Error(`${where}: step ${i} has neither "click" nor "back"`);
          const s = await waitForSettle(page, { waitFor: state.waitFor, sinceTime });
          t.diagnostic(
            `${prefix}${s.newPass ? `scan pass ${Math.round(s.lastPassAt - s.sinceTime)} ms after the action` : 'NO scan pass after the action'}`,
          );
          if (state.url)
            await sub(`${prefix}URL is ${state.url}`, () => {
              expect(noScheme(page.url()) === noScheme(state.url), `page URL is ${page.url()}`, where);
            });
        }

        const actual = await readMarks(page);
        corpus.get(state.key).found = actual;
        const expected = state.mentions ?? [];

        await sub(`${prefix}highlights are exactly the expected mentions, in document order`, () => {
          const d = diffMentions(expected, actual);
          expect(d.equal, d.report, where);
          assert.deepEqual(actual, expected);
        });

        await sub(`${prefix}marks are well-formed (entity id, not empty, not nested)`, async () => {
          const problems = await checkMarkStructure(page);
          expect(!problems.length, problems.join('\n'), where);
        });

        await sub(`${prefix}forbidden elements untouched (${forbidden.join(' ')})`, async () => {
          const { problems, notes } = await checkForbidden(page, forbidden);
          for (const n of notes) t.diagnostic(n);
          expect(!problems.length, problems.join('\n'), where);
        });

        await sub(`${prefix}notHighlighted strings are not highlighted`, async () => {
          const problems = await checkNotHighlighted(page, state.notHighlighted ?? []);
          expect(!problems.length, problems.join('\n'), where);
        });

        if (state.traps?.length)
          await sub(
            `${prefix}traps are not highlighted (${state.traps.length}), each in a block without context`,
            async () => {
              const problems = [
                ...(await checkNotHighlighted(page, state.traps)),
                ...(await checkTrapBlocks(page, state.traps)),
              ];
              expect(!problems.length, problems.join('\n'), where);
            },
          );

        // Pages that change themselves after load differ from their source by design; their
        // text is compared with a run without the extension in dynamic.test.mjs.
        if (!spec.settle && i === 0)
          await sub('page text unchanged by highlighting', async () => {
            const diff = await checkTextUnchanged(page);
            expect(diff === null, diff, where);
          });
      }

      for (const fr of spec.frames ?? []) {
        await sub(`frame ${fr.url}: loaded, forbidden elements untouched, only allowed marks`, async () => {
          // Compare without the scheme: HSTS-preloaded hosts are upgraded from http to https.
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

test('corpus precision and recall', () => {
  let expected = 0;
  let found = 0;
  let truePositives = 0;
  const worst = [];
  for (const [key, { expected: e, found: f }] of corpus) {
    const m = multisetMatch(e, f);
    expected += m.expected;
    found += m.found;
    truePositives += m.truePositives;
    if (m.truePositives < m.expected || m.truePositives < m.found)
      worst.push(`${key}: expected ${m.expected}, found ${m.found}, true positives ${m.truePositives}`);
  }
  const precision = found ? truePositives / found : 1;
  const recall = expected ? truePositives / expected : 1;
  const fmt = (x) => (Number.isInteger(x) ? String(x) : x.toFixed(4));
  console.log(
    `corpus precision=${fmt(precision)} recall=${fmt(recall)} (expected ${expected}, found ${found}, true positives ${truePositives}) over ${corpus.size} page state(s)`,
  );
  expect(
    precision === 1 && recall === 1,
    `precision ${fmt(precision)}, recall ${fmt(recall)}; pages below 1:\n  ${worst.join('\n  ')}`,
    'tests/fixtures/pages',
  );
});
