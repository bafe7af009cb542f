// Annotations in real Chromium: select → annotate → save → reload; server-side edits, removed
// passages (orphans), late-loading content, and hostile note Markdown.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { collectConsoleErrors, launchWithExtension, waitForScan } from './lib/browser.mjs';
import { FIXTURE_DIR, REPO_ROOT, startFixtureServer } from './lib/server.mjs';
import { closedShadowBox } from './lib/shadow.mjs';

const URL_CBC = 'http://www.cbc.ca/news/politics/china-hackers-apt31-canada-1.7155000';
const ORIGINAL = readFileSync(join(FIXTURE_DIR, 'cbc-apt31.html'), 'utf8');
const PASSAGE = 'confirmed that APT31 also targeted Canada';
const ARTIFACTS = join(REPO_ROOT, 'tests/e2e/artifacts');

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

async function clickInShadow(page, testId, timeout = 3000) {
  const start = Date.now();
  for (;;) {
    const box = await closedShadowBox(page, 'data-testid', testId);
    if (box) {
      await page.mouse.click((box.left + box.right) / 2, (box.top + box.bottom) / 2);
      return;
    }
    if (Date.now() - start > timeout) assert.fail(`no ${testId} in the extension UI`);
    await page.waitForTimeout(50);
  }
}

/** Selects `text` inside the article (first occurrence) and releases the mouse like a reader. */
async function selectText(page, text) {
  const rect = await page.evaluate((wanted) => {
    const walker = document.createTreeWalker(
      document.querySelector('article') ?? document.body,
      NodeFilter.SHOW_TEXT,
    );
    let flat = '';
    const nodes = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      nodes.push([n, flat.length]);
      flat += n.data;
    }
    const at = flat.indexOf(wanted);
    if (at < 0) return null;
    const point = (offset) => {
      for (let i = nodes.length - 1; i >= 0; i--)
        if (nodes[i][1] <= offset) return [nodes[i][0], offset - nodes[i][1]];
      return null;
    };
    const range = document.createRange();
    range.setStart(...point(at));
    range.setEnd(...point(at + wanted.length));
    range.startContainer.parentElement.scrollIntoView({ block: 'center' });
    const selection = getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    const r = range.getBoundingClientRect();
    return { x: r.right - 2, y: r.top + r.height / 2 };
  }, text);
  assert.ok(rect, `passage "${text}" is on the page`);
  await page.mouse.move(rect.x, rect.y);
  await page.mouse.up();
}

async function noteTexts(page) {
  return page.evaluate(() => {
    const byId = {};
    for (const el of document.querySelectorAll('attrib-note')) {
      const id = el.getAttribute('data-attrib-note');
      byId[id] = (byId[id] ?? '') + el.textContent;
    }
    return Object.values(byId);
  });
}

async function waitForNotes(page, count, timeout = 5000) {
  await page.waitForFunction(
    (n) => new Set([...document.querySelectorAll('attrib-note')].map((e) => e.dataset.attribNote)).size === n,
    count,
    {
      timeout,
    },
  );
}

async function tabNotes(page) {
  const tabId = await browser.serviceWorker.evaluate(async (url) => {
    const [tab] = await chrome.tabs.query({ url });
    return tab?.id;
  }, page.url());
  const popup = await browser.context.newPage();
  await popup.goto(`chrome-extension://${browser.extensionId}/popup.html?tab=${tabId}`);
  await popup.locator('[data-testid="entity-row"]').first().waitFor();
  return popup;
}

describe('annotations', () => {
  it('select → annotate → save → reload: the highlight and note come back', async () => {
    const page = await browser.context.newPage();
    const errors = collectConsoleErrors(page);
    await page.goto(URL_CBC);
    await waitForScan(page);
    await selectText(page, PASSAGE);
    await clickInShadow(page, 'annotate-button');
    await page.waitForTimeout(150);
    await page.keyboard.type('CSE only says "almost certain" here, weaker than the U.S. wording.');
    await page.keyboard.press('Tab');
    await page.keyboard.type('cse-wording');
    await page.keyboard.press('Enter');
    await page.screenshot({ path: join(ARTIFACTS, 'annotation-editor.png') });
    await page.keyboard.press('Control+Enter');
    await waitForNotes(page, 1);
    assert.deepEqual(await noteTexts(page), [PASSAGE]);

    await page.reload();
    await waitForScan(page);
    await waitForNotes(page, 1);
    assert.deepEqual(await noteTexts(page), [PASSAGE], 'note anchored again after reload');
    // Entity highlights inside the note still work.
    assert.equal(
      (await page
        .locator(
          'attrib-note attrib-mark[data-attrib-entity="apt31"], attrib-mark[data-attrib-entity="apt31"] attrib-note',
        )
        .count()) > 0,
      true,
    );

    const popup = await tabNotes(page);
    await popup.locator('[data-testid="note-row"]').first().waitFor();
    const row = await popup.locator('[data-testid="note-row"]').first().textContent();
    assert.match(row, /almost certain/);
    assert.match(row, /#cse-wording/);
    await popup.screenshot({ path: join(ARTIFACTS, 'popup-notes.png'), fullPage: true });
    await popup.close();
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('stays anchored when the article is edited server-side', async () => {
    const page = await browser.context.newPage();
    const edited = ORIGINAL.replace('confirmed that APT31', 'on Tuesday confirmed that APT31').replace(
      '<p>',
      '<p>Editor’s note: this story has been updated with comment from CSE.</p><p>',
    );
    await page.route(URL_CBC, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: edited }),
    );
    await page.goto(URL_CBC);
    await waitForNotes(page, 1);
    assert.deepEqual(await noteTexts(page), [PASSAGE]);
    await page.close();
  });

  it('lists a note whose passage was removed under "Not found on this page", never deleting it', async () => {
    const page = await browser.context.newPage();
    const removed = ORIGINAL.replace(
      /<p[^>]*>[^<]*The Communications Security Establishment \(CSE\)[\s\S]*?<\/p>/,
      '',
    );
    assert.notEqual(removed, ORIGINAL, 'the fixture paragraph was removed');
    await page.route(URL_CBC, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: removed }),
    );
    await page.goto(URL_CBC);
    await waitForScan(page);
    await page.waitForTimeout(800);
    assert.equal(await page.locator('attrib-note').count(), 0);
    const popup = await tabNotes(page);
    await popup.locator('[data-testid="orphan-row"]').first().waitFor();
    assert.match(
      await popup.locator('[data-testid="orphan-row"]').first().textContent(),
      /APT31 also targeted Canada/,
    );
    await popup.screenshot({ path: join(ARTIFACTS, 'popup-orphan.png'), fullPage: true });
    await popup.close();
    await page.close();
  });

  it('anchors a note once late-loading content brings its passage', async () => {
    const page = await browser.context.newPage();
    const match = ORIGINAL.match(
      /<p[^>]*>[^<]*The Communications Security Establishment \(CSE\)[\s\S]*?<\/p>/,
    );
    assert.ok(match);
    const late = ORIGINAL.replace(match[0], '<div id="late-slot"></div>').replace(
      '</body>',
      `<script>setTimeout(() => { document.getElementById('late-slot').outerHTML = ${JSON.stringify(match[0])}; }, 1500);</script></body>`,
    );
    await page.route(URL_CBC, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: late }),
    );
    await page.goto(URL_CBC);
    await waitForScan(page);
    assert.equal(await page.locator('attrib-note').count(), 0, 'not there before the content arrives');
    await waitForNotes(page, 1, 6000);
    assert.deepEqual(await noteTexts(page), [PASSAGE]);
    await page.close();
  });

  it('renders hostile note Markdown inert in the popup and the editor preview', async () => {
    const page = await browser.context.newPage();
    let dialogs = 0;
    page.on('dialog', (dialog) => {
      dialogs++;
      void dialog.dismiss();
    });
    await page.goto(URL_CBC);
    await waitForScan(page);
    await selectText(page, 'Five Eyes is an intelligence sharing network');
    await clickInShadow(page, 'annotate-button');
    await page.waitForTimeout(150);
    await page.keyboard.type(
      '<img src=x onerror=alert(1)> [click me](javascript:alert(2)) <script>alert(3)</script>',
    );
    await page.keyboard.press('Control+Enter');
    await waitForNotes(page, 2);

    const popup = await tabNotes(page);
    popup.on('dialog', (dialog) => {
      dialogs++;
      void dialog.dismiss();
    });
    await popup.locator('[data-testid="note-body"]').first().waitFor();
    const bodies = await popup.$$eval('[data-testid="note-body"]', (els) => els.map((el) => el.innerHTML));
    const hostile = bodies.find((html) => html.includes('click me'));
    assert.ok(hostile, 'the hostile note is listed');
    assert.doesNotMatch(hostile, /<img|onerror|javascript:|<script/i);
    await popup.click('[data-testid="note-row"] >> text=click me').catch(() => undefined);
    await popup.waitForTimeout(300);
    assert.equal(dialogs, 0, 'no script ran');
    await popup.close();
    await page.close();
  });
});

describe('annotation editing', () => {
  it('keeps a draft closed with Esc, reopens a note by clicking it, flashes it from the popup, deletes with undo', async () => {
    const page = await browser.context.newPage();
    await page.goto(URL_CBC);
    await waitForScan(page);
    const passage = 'Chinese diplomats in Britain and the U.S. dismissed the allegations';
    await selectText(page, passage);
    await clickInShadow(page, 'annotate-button');
    await page.waitForTimeout(150);
    await page.keyboard.type('Draft that must survive Esc');
    await page.waitForTimeout(400);
    await page.keyboard.press('Escape');
    await page.waitForTimeout(150);
    // Reopen on the same passage: the draft is back.
    await selectText(page, passage);
    await clickInShadow(page, 'annotate-button');
    await page.waitForTimeout(200);
    await page.keyboard.press('Control+Enter');
    await page.waitForFunction(
      (quote) => [...document.querySelectorAll('attrib-note')].some((e) => quote.startsWith(e.textContent)),
      passage,
      { timeout: 5000 },
    );
    const noteId = await page.evaluate(
      (quote) =>
        [...document.querySelectorAll('attrib-note')].find((e) => quote.startsWith(e.textContent))?.dataset
          .attribNote,
      passage,
    );
    assert.ok(noteId);

    // The popup lists it with the draft's text; clicking the row flashes the passage.
    const popup = await tabNotes(page);
    const row = popup.locator(`[data-testid="note-row"][data-note="${noteId}"]`);
    await row.waitFor();
    assert.match(await row.textContent(), /Draft that must survive Esc/);
    await row.click();
    await page.waitForFunction(
      (id) =>
        document.querySelector(`attrib-note[data-attrib-note="${id}"]`)?.hasAttribute('data-attrib-flash'),
      noteId,
      {
        timeout: 3000,
      },
    );
    await popup.close();

    // Clicking the highlight opens the note in the editor, where it can be deleted and undone.
    await page.locator(`attrib-note[data-attrib-note="${noteId}"]`).first().click();
    await clickInShadow(page, 'delete-note');
    await page.waitForFunction(
      (id) => !document.querySelector(`attrib-note[data-attrib-note="${id}"]`),
      noteId,
      { timeout: 3000 },
    );
    await clickInShadow(page, 'toast-action');
    await page.waitForFunction(
      (id) => !!document.querySelector(`attrib-note[data-attrib-note="${id}"]`),
      noteId,
      { timeout: 5000 },
    );
    await page.close();
  });
});
