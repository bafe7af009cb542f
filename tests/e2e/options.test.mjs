// The options page in real Chromium: knowledge-base search, MISP import, notes import, export,
// backup and restore.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { collectConsoleErrors, launchWithExtension } from './lib/browser.mjs';
import { REPO_ROOT, startFixtureServer } from './lib/server.mjs';

const ARTIFACTS = join(REPO_ROOT, 'tests/e2e/artifacts');
let server;
let browser;
let page;
let errors;

before(async () => {
  server = await startFixtureServer();
  browser = await launchWithExtension({ port: server.port });
  page = await browser.context.newPage();
  errors = collectConsoleErrors(page);
  await page.goto(`chrome-extension://${browser.extensionId}/options.html#kb`);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function downloadText(action) {
  const [download] = await Promise.all([page.waitForEvent('download'), action()]);
  return { name: download.suggestedFilename(), text: readFileSync(await download.path(), 'utf8') };
}

describe('options page', () => {
  it('finds an entity by any vendor alias and shows its record', async () => {
    await page.fill('[data-testid="kb-search"]', 'Zirconium');
    await page.locator('[data-testid="kb-result"][data-entity="apt31"]').click();
    const facts = page.locator('[data-testid="entity-facts"][data-entity="apt31"]');
    await facts.waitFor();
    assert.match(await facts.textContent(), /Violet Typhoon/);
    await page.screenshot({ path: join(ARTIFACTS, 'options-kb.png'), fullPage: false });
  });

  it('imports a MISP galaxy file with progress and a summary, then refuses a broken file changing nothing', async () => {
    await page.click('[data-testid="tab-import"]');
    await page.setInputFiles(
      '[data-testid="import-file"]',
      join(REPO_ROOT, 'tests/fixtures/kb/misp-threat-actor.json'),
    );
    const row = page.locator('[data-testid="import-result"]').first();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="import-result"]')?.dataset.status === 'done',
    );
    assert.match(await row.textContent(), /added, \d+ merged into known entities/);
    await page.setInputFiles('[data-testid="import-file"]', {
      name: 'broken.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"values": [{"value": 42}'),
    });
    await page.waitForFunction(
      () => document.querySelector('[data-testid="import-result"]')?.dataset.status === 'failed',
    );
    assert.match(await row.textContent(), /nothing changed: broken\.json is not valid JSON/);
  });

  it('imports Hypothesis notes, exports them as Markdown and STIX, backs up and restores idempotently', async () => {
    await page.click('[data-testid="tab-export"]');
    await page.setInputFiles(
      '[data-testid="import-notes-file"]',
      join(REPO_ROOT, 'tests/fixtures/export/hypothesis-export.json'),
    );
    const status = page.locator('[data-testid="export-status"]');
    await page.waitForFunction(() =>
      /Imported/.test(document.querySelector('[data-testid="export-status"]')?.textContent ?? ''),
    );
    const imported = Number((await status.textContent()).match(/(\d+) added/)?.[1]);
    assert.ok(imported > 0, await status.textContent());

    const markdown = await downloadText(() => page.click('[data-testid="export-download"]'));
    assert.match(markdown.name, /\.md$/);
    assert.match(markdown.text, /^# Attribution Lens notes/m);
    assert.match(markdown.text, /^> /m);

    await page.click('[data-testid="format-stix"]');
    const stix = JSON.parse((await downloadText(() => page.click('[data-testid="export-download"]'))).text);
    assert.equal(stix.type, 'bundle');
    assert.ok(stix.objects.some((o) => o.type === 'note'));

    const backup = await downloadText(() => page.click('[data-testid="backup-download"]'));
    const parsed = JSON.parse(backup.text);
    assert.equal(parsed.format, 'attribution-lens-backup');
    assert.equal(parsed.data.annotations.length, imported);

    await page.setInputFiles('[data-testid="restore-file"]', {
      name: backup.name,
      mimeType: 'application/json',
      buffer: Buffer.from(backup.text),
    });
    await page.waitForFunction(() =>
      /Restored/.test(document.querySelector('[data-testid="export-status"]')?.textContent ?? ''),
    );
    assert.match(await status.textContent(), new RegExp(`Notes: 0 added, 0 updated, ${imported} unchanged`));

    await page.setInputFiles('[data-testid="restore-file"]', {
      name: 'cut.json',
      mimeType: 'application/json',
      buffer: Buffer.from(backup.text.slice(0, 200)),
    });
    await page.waitForFunction(() =>
      /Nothing changed/.test(document.querySelector('[data-testid="export-status"]')?.textContent ?? ''),
    );
    await page.screenshot({ path: join(ARTIFACTS, 'options-export.png') });
    assert.deepEqual(errors, []);
  });

  it('anchors an imported Hypothesis note on the page it was made on', async () => {
    await page.click('[data-testid="tab-export"]');
    await page.setInputFiles(
      '[data-testid="import-notes-file"]',
      join(REPO_ROOT, 'tests/fixtures/export/hypothesis-cbc-fixture.json'),
    );
    await page.waitForFunction(() =>
      /hypothesis-cbc-fixture\.json.*1 added/.test(
        document.querySelector('[data-testid="export-status"]')?.textContent ?? '',
      ),
    );
    const article = await browser.context.newPage();
    await article.goto('http://www.cbc.ca/news/politics/china-hackers-apt31-canada-1.7155000');
    await article.waitForFunction(() => document.querySelectorAll('attrib-note').length > 0, null, {
      timeout: 8000,
    });
    const text = await article.evaluate(() =>
      [...document.querySelectorAll('attrib-note')].map((e) => e.textContent).join(''),
    );
    assert.equal(text, 'The sanctions are on Wuhan Xiaoruizhi Science and Technology');
    await article.close();
  });

  it('lists all notes newest first with search', async () => {
    await page.click('[data-testid="tab-notes"]');
    const rows = page.locator('[data-testid="all-notes-row"]');
    await rows.first().waitFor();
    const count = await rows.count();
    assert.ok(count > 0);
    await page.fill('[data-testid="notes-search"]', 'zzzz-no-such-text');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="all-notes-row"]').length === 0);
  });
});
