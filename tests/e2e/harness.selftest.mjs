// Self-test of the e2e harness itself, independent of the real extension:
//   node --test tests/e2e/harness.selftest.mjs
// Uses tests/e2e/fake-extension, a throwaway MV3 extension whose content script is a naive
// implementation of the fixture rules. The highlight suite must pass with it, and must fail in the
// expected, readable ways with a deliberately broken copy of it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  computeExtensionId,
  launchWithExtension,
  readClosedShadowHtml,
  waitForScan,
} from './lib/browser.mjs';
import { REPO_ROOT, startFixtureServer } from './lib/server.mjs';

const FAKE = join(REPO_ROOT, 'tests/e2e/fake-extension');
const SUITE = join(REPO_ROOT, 'tests/e2e/highlights.test.mjs');

function runSuite(extensionPath) {
  // A child `node --test` started from inside a test run would otherwise skip its files.
  // The fake extension knows only the entities of the first five fixture pages.
  const env = {
    ...process.env,
    EXTENSION_PATH: extensionPath,
    SCAN_TIMEOUT_MS: '2000',
    E2E_FIXTURES: 'broken-markup,cbc-apt31,globe-mss-2018,iframe-host,no-mentions',
  };
  delete env.NODE_TEST_CONTEXT;
  const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', SUITE], {
    cwd: REPO_ROOT,
    env,
    encoding: 'utf8',
    timeout: 180_000,
  });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
}

let server;
let tmp;
before(async () => {
  server = await startFixtureServer();
  tmp = mkdtempSync(join(tmpdir(), 'attrib-lens-selftest-'));
});
after(async () => {
  await server?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function get(host, path) {
  return new Promise((ok, fail) => {
    http
      .get({ host: '127.0.0.1', port: server.port, path, headers: { host } }, (res) => {
        res.resume();
        res.on('end', () => ok(res.statusCode));
      })
      .on('error', fail);
  });
}

test('fixture server routes by Host header and path, 404 otherwise', async () => {
  assert.equal(await get('www.cbc.ca', '/news/politics/china-hackers-apt31-canada-1.7155000'), 200);
  assert.equal(await get('www.cbc.ca:80', '/news/politics/china-hackers-apt31-canada-1.7155000?x=1'), 200);
  assert.equal(await get('www.bbc.com', '/news/embed-frame'), 200);
  assert.equal(await get('www.cbc.ca', '/news/politics/nope'), 404);
  assert.equal(await get('www.example.com', '/news/politics/china-hackers-apt31-canada-1.7155000'), 404);
});

test('launch: extension id from the service worker matches the computed id; closed shadow root readable', async () => {
  const b = await launchWithExtension({ port: server.port, extensionPath: FAKE });
  try {
    assert.ok(b.serviceWorker, 'service worker seen');
    assert.equal(b.extensionId, computeExtensionId(FAKE));
    const page = await b.context.newPage();
    await page.goto('http://www.cbc.ca/news/politics/china-hackers-apt31-canada-1.7155000');
    const scan = await waitForScan(page, { timeout: 5000 });
    assert.equal(scan.via, 'mark');
    assert.ok(scan.markTime > 0 && scan.domContentLoaded > 0);
    assert.equal(scan.marks, 40, 'detail.marks from the content script (isolated world) is visible');
    // Plain DOM access cannot see into the fake UI's closed shadow root; CDP can.
    assert.equal(await page.evaluate(() => document.querySelector('attrib-lens-ui').shadowRoot), null);
    const html = await readClosedShadowHtml(page, 'attrib-lens-ui');
    assert.match(html, /<div class="card">Attribution Lens: 40 highlights<\/div>/);
    assert.equal(await readClosedShadowHtml(page, 'no-such-host'), null);
    // Other hosts do not reach the network.
    const err = await page.goto('http://example.com/').catch((e) => e);
    assert.match(String(err), /ERR_NAME_NOT_RESOLVED/);
  } finally {
    await b.close();
  }
});

test('highlight suite passes with the fake extension', { timeout: 200_000 }, () => {
  const { code, out } = runSuite(FAKE);
  assert.equal(code, 0, out);
  assert.match(out, /time-to-last-highlight cbc-apt31: \d+ ms/);
});

test('highlight suite fails, readably, with a broken fake extension', { timeout: 200_000 }, () => {
  const bad = join(tmp, 'bad-extension');
  cpSync(FAKE, bad, { recursive: true });
  const file = join(bad, 'content.js');
  writeFileSync(file, readFileSync(file, 'utf8').replace('const BAD = false;', 'const BAD = true;'));
  const { code, out } = runSuite(bad);
  assert.notEqual(code, 0);
  for (const expected of [
    '- missing    "APT31" [apt31] (expected #0)', // the broken copy skips the first match
    'is highlighted as "Security" [bogus]', // and highlights a bare "Security"
    'inside forbidden <div>', // and puts a mark into the contenteditable div
    '[contenteditable] #0 changed:',
    'attrib-mark without data-attrib-entity',
    'console.error: fake extension: deliberate error',
    'NO attrib-lens:scan-done mark within 2000 ms', // no scan on the BBC page: fallback wait
  ])
    assert.ok(out.includes(expected), `output lacks ${JSON.stringify(expected)}:\n${out}`);
});
