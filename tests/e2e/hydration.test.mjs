// A server-rendered React 19 page (tests/fixtures/ssr/) that hydrates the usual way (a deferred
// bundle, before DOMContentLoaded) and late (a bundle that hydrates 500 ms after it runs). The
// extension starts highlighting at DOMContentLoaded, so the usual page must hydrate cleanly; a late
// one may see our marks, make React fall back to client rendering (error #418), and still work
// and end up highlighted. These are the default news sites' case: many render with React.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { Article } from '../fixtures/ssr/article.mjs';
import { launchWithExtension, waitForScan } from './lib/browser.mjs';
import { REPO_ROOT, startFixtureServer } from './lib/server.mjs';

const PAGE_URL = 'http://www.cbc.ca/news/ssr-article';
const EXPECTED = [
  'APT31',
  'Ministry of State Security',
  'CSE',
  'MSS',
  'Fancy Bear',
  'APT31',
  'Zirconium',
  'Violet Typhoon',
];

let server;
let browser;

before(async () => {
  const bundle = await build({
    entryPoints: [join(REPO_ROOT, 'tests/fixtures/ssr/client.mjs')],
    bundle: true,
    minify: true,
    write: false,
    format: 'iife',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>SSR article</title>
<script defer src="/news/ssr-client.js"></script></head>
<body><header><nav><a href="/">CBC News</a></nav></header><main id="root">${renderToString(createElement(Article))}</main>
<footer>Footer</footer></body></html>`;
  server = await startFixtureServer({ pages: { [PAGE_URL]: html } });
  server.addPage('http://www.cbc.ca/news/ssr-client.js', bundle.outputFiles[0].contents, 'text/javascript');
  browser = await launchWithExtension({ port: server.port });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function open(query) {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${PAGE_URL}${query}`);
  return { page, errors };
}

const markTexts = (page) =>
  page.evaluate(() => [...document.querySelectorAll('attrib-mark')].map((mark) => mark.textContent));

describe('server-rendered React pages', () => {
  it('hydrate without errors when the bundle hydrates before DOMContentLoaded, and stay interactive', async () => {
    const { page, errors } = await open('');
    await waitForScan(page);
    assert.deepEqual(await markTexts(page), EXPECTED);
    await page.click('button');
    await page.waitForFunction(() => document.querySelector('button')?.textContent === 'Useful? 1');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('still work and end up highlighted when hydration comes after our marks', async () => {
    const { page, errors } = await open('?hydrate-after=500');
    await waitForScan(page);
    await page.waitForTimeout(1_500);
    await page.click('button');
    await page.waitForFunction(() => document.querySelector('button')?.textContent === 'Useful? 1');
    // React re-renders the root if hydration failed; our observer highlights the new nodes.
    await page.waitForFunction(
      (count) => document.querySelectorAll('attrib-mark').length === count,
      EXPECTED.length,
    );
    assert.deepEqual(await markTexts(page), EXPECTED);
    console.log(
      `late hydration: ${errors.length ? `React reported ${errors.length} recoverable error(s): ${errors[0].slice(0, 90)}` : 'no React errors'}`,
    );
    await page.close();
  });
});
