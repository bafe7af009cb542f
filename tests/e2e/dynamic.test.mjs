// Browser test: pages that change after load. highlights.test.mjs compares their highlights with
// the fixture JSON (final state, and each SPA step); this file checks what that cannot:
//   - the page text equals the same page's text where the extension does not run
//     (www.example.org, served from the same file): rewrites of highlighted text nodes must not
//     leave duplicated or lost text behind;
//   - the nodes the page rewrote in place carry the right highlights;
//   - after an SPA navigation no highlight of the previous article is left;
//   - how soon after each change the extension's scan pass finished (printed).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  collectConsoleErrors,
  launchWithExtension,
  pageNow,
  waitForScan,
  waitForSettle,
} from './lib/browser.mjs';
import { readBodyText, readMarks, textDifference } from './lib/checks.mjs';
import { loadFixtures, startFixtureServer } from './lib/server.mjs';

const fixtures = Object.fromEntries(loadFixtures().map((fx) => [fx.name, fx]));
const DYNAMIC = fixtures['dynamic-late-content'];
const SPA = fixtures['spa-pushstate'];
const offUrl = (spec) =>
  Object.keys(spec.routes ?? {}).find((u) => new URL(u).hostname === 'www.example.org');

let server;
let browser;
before(async () => {
  server = await startFixtureServer();
  browser = await launchWithExtension({ port: server.port, headless: !process.env.HEADED });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Marks under a selector, as "text [entity]" strings (compact assertion messages). */
const marksIn = (page, selector) =>
  page.evaluate(
    (selector) =>
      [...document.querySelectorAll(`${selector} attrib-mark`)].map(
        (m) => `${m.textContent} [${m.dataset.attribEntity}]`,
      ),
    selector,
  );

/** Page time of the first scan-done mark after `since`, or null. */
const firstPassAfter = (page, since) =>
  page.evaluate(
    (since) =>
      performance.getEntriesByName('attrib-lens:scan-done').find((e) => e.startTime > since)?.startTime ??
      null,
    since,
  );

test('dynamic-late-content: late and rewritten content', { timeout: 60_000 }, async (t) => {
  assert.ok(DYNAMIC, 'fixture dynamic-late-content missing');
  const { spec } = DYNAMIC;

  // Reference: the same document where the extension does not run.
  const ref = await browser.context.newPage();
  await ref.goto(offUrl(spec), { waitUntil: 'load' });
  await ref.waitForSelector(spec.settle.waitFor, { state: 'attached' });
  await ref.waitForTimeout(300);
  const refText = await readBodyText(ref);
  assert.equal((await readMarks(ref)).length, 0, 'the extension ran on www.example.org (not a default site)');
  await ref.close();

  const page = await browser.context.newPage();
  const errors = collectConsoleErrors(page);
  try {
    await page.goto(spec.url, { waitUntil: 'load' });
    await waitForScan(page);
    const settled = await waitForSettle(page, spec.settle);
    const times = await page.evaluate(() => ({
      render1: performance.getEntriesByName('fixture:render1')[0]?.startTime ?? null,
      done: performance.getEntriesByName('fixture:done')[0]?.startTime ?? null,
    }));
    const afterRender = times.render1 === null ? null : await firstPassAfter(page, times.render1);
    const afterUpdate = times.done === null ? null : await firstPassAfter(page, times.done);
    const ms = (a, b) => (a === null || b === null ? 'none' : `${Math.round(a - b)} ms`);
    console.log(
      `dynamic-late-content: scan pass ${ms(afterRender, times.render1)} after the first render, ${ms(afterUpdate, times.done)} after the update (${settled.passes} passes in all)`,
    );

    await t.test('text equals the page without the extension (no duplicated or lost text)', async () => {
      const diff = textDifference(refText, await readBodyText(page));
      assert.equal(diff, null, diff ?? '');
    });
    await t.test('paragraph whose highlighted text node was rewritten in place (nodeValue)', async () => {
      assert.deepEqual(await marksIn(page, 'p[data-p="1"]'), [
        'Midnight Blizzard [apt29]',
        'APT29 [apt29]',
        'Cozy Bear [apt29]',
      ]);
    });
    await t.test('topic pill whose whole text node was a highlight, rewritten in place', async () => {
      assert.deepEqual(await marksIn(page, '#topic-pill'), ['Midnight Blizzard [apt29]']);
    });
    await t.test('span rewritten inside a paragraph with cyber context (ambiguous name)', async () => {
      assert.deepEqual(await marksIn(page, 'p[data-p="4"]'), ['Dark Halo [apt29]']);
    });
    await t.test('replaced paragraph is highlighted, the removed one left nothing behind', async () => {
      assert.deepEqual(await marksIn(page, 'p[data-p="3b"]'), [
        'Nobelium [apt29]',
        'Forest Blizzard [apt28]',
        'Fancy Bear [apt28]',
      ]);
      assert.equal(await page.evaluate(() => document.querySelectorAll('p[data-p="3"]').length), 0);
    });
    await t.test('paragraph appended as several text nodes', async () => {
      assert.deepEqual(await marksIn(page, 'p[data-p="5"]'), [
        'Cybersecurity and Infrastructure Security Agency [us-cisa]',
      ]);
    });
    await t.test('no console errors or page errors', () => assert.deepEqual(errors, []));
  } finally {
    await page.close();
  }
});

test('spa-pushstate: article swapped by history.pushState, then Back', { timeout: 60_000 }, async (t) => {
  assert.ok(SPA, 'fixture spa-pushstate missing');
  const { spec } = SPA;
  const [toSecond, back] = spec.steps;

  // Reference texts of the three states where the extension does not run.
  const ref = await browser.context.newPage();
  await ref.goto(offUrl(spec), { waitUntil: 'load' });
  const refTexts = [await readBodyText(ref)];
  await ref.click(toSecond.click);
  await ref.waitForSelector(toSecond.waitFor, { state: 'attached' });
  refTexts.push(await readBodyText(ref));
  await ref.goBack({ waitUntil: 'commit' });
  await ref.waitForSelector(back.waitFor, { state: 'attached' });
  refTexts.push(await readBodyText(ref));
  await ref.close();

  // Entities that occur only in the first article (not in the second, nor in the static parts).
  const second = new Set(toSecond.mentions.map((m) => m.entity));
  const firstOnly = [...new Set(spec.mentions.map((m) => m.entity))].filter((e) => !second.has(e));
  assert.ok(firstOnly.length > 0, 'fixture: the first article needs entities of its own');

  const page = await browser.context.newPage();
  const errors = collectConsoleErrors(page);
  try {
    await page.goto(spec.url, { waitUntil: 'load' });
    await waitForScan(page);
    await t.test('first article: text equals the page without the extension', async () => {
      const diff = textDifference(refTexts[0], await readBodyText(page));
      assert.equal(diff, null, diff ?? '');
    });
    const firstArticleMarks = await marksIn(page, '#story');

    let since = await pageNow(page);
    await page.click(toSecond.click);
    let s = await waitForSettle(page, { waitFor: toSecond.waitFor, sinceTime: since });
    console.log(
      `spa-pushstate: scan pass ${s.newPass ? `${Math.round(s.lastPassAt - since)} ms` : 'NONE'} after clicking Next story`,
    );
    await t.test('second article: no highlight of the first article is left', async () => {
      const stale = (await readMarks(page)).filter((m) => firstOnly.includes(m.entity));
      assert.deepEqual(stale, []);
    });
    await t.test('second article: highlighted, text equals the page without the extension', async () => {
      assert.ok((await marksIn(page, '#story')).length > 0, 'no highlight in the new article');
      const diff = textDifference(refTexts[1], await readBodyText(page));
      assert.equal(diff, null, diff ?? '');
    });

    since = await pageNow(page);
    await page.goBack({ waitUntil: 'commit' });
    s = await waitForSettle(page, { waitFor: back.waitFor, sinceTime: since });
    console.log(
      `spa-pushstate: scan pass ${s.newPass ? `${Math.round(s.lastPassAt - since)} ms` : 'NONE'} after going back`,
    );
    await t.test('back to the first article: same highlights as on load, same text', async () => {
      assert.deepEqual(await marksIn(page, '#story'), firstArticleMarks);
      const diff = textDifference(refTexts[2], await readBodyText(page));
      assert.equal(diff, null, diff ?? '');
    });
    await t.test('no console errors or page errors', () => assert.deepEqual(errors, []));
  } finally {
    await page.close();
  }
});
