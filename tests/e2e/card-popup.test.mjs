// Hover card, popup and the per-site switch, in real Chromium with the built extension.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  collectConsoleErrors,
  launchWithExtension,
  readClosedShadowHtml,
  waitForScan,
} from './lib/browser.mjs';
import { REPO_ROOT, startFixtureServer } from './lib/server.mjs';
import { closedShadowBox } from './lib/shadow.mjs';

const CBC = 'http://www.cbc.ca/news/politics/china-hackers-apt31-canada-1.7155000';
const GLOBE =
  'http://www.theglobeandmail.com/politics/article-canada-joins-us-uk-in-calling-out-china-for-state-sponsored/';
const ARTIFACTS = join(REPO_ROOT, 'tests/e2e/artifacts');
const CARD_HOST = 'attrib-lens-ui';

let server;
let browser;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startFixtureServer();
  browser = await launchWithExtension({ port: server.port });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function waitForCard(page, entityId, mustContain, timeout = 3000) {
  const start = Date.now();
  let html = null;
  while (Date.now() - start < timeout) {
    html = await readClosedShadowHtml(page, CARD_HOST);
    if (html?.includes(`data-entity="${entityId}"`) && mustContain.every((text) => html.includes(text))) {
      return { html, ms: Date.now() - start };
    }
    await page.waitForTimeout(15);
  }
  assert.fail(
    `card for ${entityId} did not show ${JSON.stringify(mustContain)} within ${timeout} ms; last: ${html?.slice(0, 400)}`,
  );
}

async function tabIdOf(url) {
  return browser.serviceWorker.evaluate(
    async (pattern) => {
      const [tab] = await chrome.tabs.query({ url: pattern });
      return tab?.id;
    },
    `${new URL(url).origin}/*`,
  );
}

describe('hover card', () => {
  it('shows APT31 facts next to the mark on hover, closes on Esc, never covers the mark', async () => {
    const page = await browser.context.newPage();
    const errors = collectConsoleErrors(page);
    await page.goto(CBC);
    await waitForScan(page);
    const mark = page.locator('article attrib-mark[data-attrib-entity="apt31"]').first();
    await mark.scrollIntoViewIfNeeded();
    const hoverStart = Date.now();
    await mark.hover();
    const { html } = await waitForCard(page, 'apt31', [
      'Ministry of State Security',
      'Violet Typhoon',
      '2024-03-25',
    ]);
    const shownAfter = Date.now() - hoverStart;
    console.log(`hover-to-card apt31: ${shownAfter} ms`);
    assert.match(html, /Hubei State Security Department/);
    assert.match(html, /href="https:\/\/www\.justice\.gov\//);
    assert.match(html, /Open in popup/);

    const cardBox = await closedShadowBox(page, 'data-testid', 'attrib-card');
    const markBox = await mark.boundingBox();
    assert.ok(cardBox && markBox);
    const overlapsVertically = cardBox.top < markBox.y + markBox.height && cardBox.bottom > markBox.y;
    const overlapsHorizontally = cardBox.left < markBox.x + markBox.width && cardBox.right > markBox.x;
    assert.equal(overlapsVertically && overlapsHorizontally, false, 'card covers the mark');
    assert.ok(cardBox.left >= 0 && cardBox.right <= 1280, 'card is on screen horizontally');
    await page.screenshot({
      path: join(ARTIFACTS, 'card-apt31.png'),
      clip: {
        x: Math.max(0, Math.min(cardBox.left, markBox.x) - 20),
        y: Math.max(0, Math.min(cardBox.top, markBox.y) - 20),
        width: 560,
        height: Math.min(
          900,
          Math.max(cardBox.bottom, markBox.y + markBox.height) - Math.min(cardBox.top, markBox.y) + 40,
        ),
      },
    });

    await page.keyboard.press('Escape');
    await page.waitForTimeout(100);
    const closed = await readClosedShadowHtml(page, CARD_HOST);
    assert.ok(!closed?.includes('data-testid="attrib-card"'), 'Esc closes the card');
    assert.deepEqual(errors.list ?? errors, []);
    await page.close();
  });

  it('opens on keyboard focus and flips above a mark near the bottom edge', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 800, height: 600 });
    await page.goto(GLOBE);
    await waitForScan(page);
    const mark = page.locator('attrib-mark[data-attrib-entity="cn-mss"]').first();
    // Put the mark near the bottom of the viewport.
    await mark.evaluate((el) => {
      const rect = el.getBoundingClientRect();
      window.scrollBy(0, rect.top - (window.innerHeight - 40));
    });
    await mark.focus();
    await waitForCard(page, 'cn-mss', ['Ministry of State Security']);
    const cardBox = await closedShadowBox(page, 'data-testid', 'attrib-card');
    const markBox = await mark.boundingBox();
    assert.ok(
      cardBox.bottom <= markBox.y + 1,
      `card (${cardBox.top}-${cardBox.bottom}) sits above the mark at ${markBox.y}`,
    );
    assert.ok(cardBox.top >= 0, 'card stays on screen');
    await page.screenshot({ path: join(ARTIFACTS, 'card-mss-above.png') });
    await page.keyboard.press('Escape');
    await page.close();
  });
});

describe('popup', () => {
  it('lists the page entities grouped by kind with counts and shows facts from the DB', async () => {
    const page = await browser.context.newPage();
    await page.goto(CBC);
    await waitForScan(page);
    const onPage = await page.evaluate(() => {
      const counts = {};
      for (const el of document.querySelectorAll('attrib-mark')) {
        counts[el.dataset.attribEntity] = (counts[el.dataset.attribEntity] ?? 0) + 1;
      }
      return counts;
    });
    const tabId = await tabIdOf(CBC);
    assert.ok(tabId, 'found the article tab');

    const popup = await browser.context.newPage();
    await popup.setViewportSize({ width: 400, height: 600 });
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html?tab=${tabId}`);
    await popup.locator('[data-testid="entity-row"]').first().waitFor();
    const rows = await popup.$$eval('[data-testid="entity-row"]', (els) =>
      els.map((el) => ({
        id: el.dataset.entity,
        kind: el.closest('section')?.dataset.kind,
        count: Number(el.querySelector('[data-testid="entity-count"]')?.textContent?.replace('×', '')),
      })),
    );
    assert.deepEqual(
      Object.fromEntries(rows.map((r) => [r.id, r.count])),
      onPage,
      'popup counts equal the marks on the page',
    );
    const kinds = [...new Set(rows.map((r) => r.kind))];
    assert.deepEqual(
      kinds,
      ['actor', 'agency', 'attributor', 'company'].filter((k) => kinds.includes(k)),
    );
    await popup.screenshot({ path: join(ARTIFACTS, 'popup-list.png'), fullPage: true });

    await popup.click('[data-testid="entity-row"][data-entity="apt31"]');
    const facts = popup.locator('[data-testid="entity-facts"][data-entity="apt31"]');
    await facts.waitFor();
    const text = await facts.textContent();
    assert.match(text, /Hubei State Security Department/);
    assert.match(text, /Violet Typhoon/);
    assert.match(text, /2024-03-25/);
    await popup.screenshot({ path: join(ARTIFACTS, 'popup-apt31.png'), fullPage: true });
    await popup.close();
    await page.close();
  });

  it('turns highlighting off for the site, restoring the page DOM exactly, and back on', async () => {
    const page = await browser.context.newPage();
    await page.goto(GLOBE);
    await waitForScan(page);
    const marksBefore = await page.locator('attrib-mark').count();
    assert.ok(marksBefore > 0);
    const tabId = await tabIdOf(GLOBE);
    const popup = await browser.context.newPage();
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html?tab=${tabId}`);
    const toggle = popup.locator('[data-testid="site-switch"]');
    await toggle.waitFor();
    assert.equal(await toggle.isChecked(), true);
    await toggle.click();
    await page.waitForFunction(() => document.querySelectorAll('attrib-mark').length === 0, null, {
      timeout: 3000,
    });
    const restored = await page.evaluate(() => document.body.innerHTML);
    await popup.locator('[data-testid="empty"]').waitFor();

    // The same page loaded while the site is off is the page as published.
    const plain = await browser.context.newPage();
    await plain.goto(GLOBE);
    await plain.waitForTimeout(800);
    assert.equal(await plain.locator('attrib-mark').count(), 0, 'site switch is remembered');
    assert.equal(
      restored,
      await plain.evaluate(() => document.body.innerHTML),
      'turning off restores the DOM',
    );
    await plain.close();

    await toggle.click();
    await page.waitForFunction((n) => document.querySelectorAll('attrib-mark').length === n, marksBefore, {
      timeout: 3000,
    });
    await popup.close();
    await page.close();
  });
});
