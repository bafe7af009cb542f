// Turning highlighting off restores every static fixture page exactly: body.innerHTML after
// highlight + unhighlight equals the same HTML loaded where the extension does not run.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { launchWithExtension, waitForScan } from './lib/browser.mjs';
import { loadFixtures, startFixtureServer } from './lib/server.mjs';

// Pages with timed injections or extra routes (iframe, SPA) change by themselves; they have their
// own restore checks in dynamic.test.mjs.
const fixtures = loadFixtures().filter(({ spec }) => !spec.steps && !spec.settle && !spec.routes);
const PLAIN_URL = 'http://www.example.org/restore-check';

let server;
let browser;

before(async () => {
  server = await startFixtureServer();
  browser = await launchWithExtension({ port: server.port });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function tabIdOf(url) {
  return browser.serviceWorker.evaluate(async (pattern) => {
    const [tab] = await chrome.tabs.query({ url: pattern });
    return tab?.id;
  }, url.split('#')[0]);
}

describe('turning highlighting off restores the page', () => {
  for (const { name, htmlPath, spec } of fixtures) {
    it(`${name}: body.innerHTML after off equals the unhighlighted page`, async () => {
      const page = await browser.context.newPage();
      await page.goto(spec.url);
      const { marks } = await waitForScan(page);
      const tabId = await tabIdOf(page.url());
      assert.ok(tabId, 'found the tab');
      await browser.serviceWorker.evaluate(
        (id) => chrome.tabs.sendMessage(id, { type: 'setHighlighting', enabled: false }),
        tabId,
      );
      await page.waitForFunction(() => document.querySelectorAll('attrib-mark').length === 0);
      const restored = await page.evaluate(() => document.body.innerHTML);

      const plain = await browser.context.newPage();
      const html = readFileSync(htmlPath, 'utf8');
      await plain.route(PLAIN_URL, (route) =>
        route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
      );
      await plain.goto(PLAIN_URL);
      await plain.waitForTimeout(200);
      const published = await plain.evaluate(() => document.body.innerHTML);
      assert.equal(restored, published, `${name} (${marks ?? '?'} marks) is restored exactly`);
      await plain.close();
      await page.close();
    });
  }
});
