#!/usr/bin/env node
// `npm run test:e2e`: run the browser tests (tests/e2e/*.test.mjs) with node's built-in test
// runner, one file at a time, against the built extension.
//
//   EXTENSION_PATH=dir   test another unpacked extension folder (default .output/chrome-mv3)
//   CHROMIUM_PATH=path   browser binary (default /usr/bin/chromium, else chromium/chrome on PATH)
//   HEADED=1             show the browser window (needs a display)
//   SCAN_TIMEOUT_MS=n    how long to wait for the scan-done mark per page (default 10000)
// Extra arguments are passed to `node --test`, e.g. `npm run test:e2e -- --test-name-pattern=cbc`.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { findChromium, resolveExtensionPath } from './lib/browser.mjs';
import { REPO_ROOT } from './lib/server.mjs';

const ext = resolveExtensionPath();
if (!existsSync(join(ext, 'manifest.json'))) {
  console.error(
    `e2e: no built extension at ${ext.startsWith(REPO_ROOT) ? relative(REPO_ROOT, ext) : ext}/manifest.json — run npm run build first.`,
  );
  process.exit(1);
}
const chromiumPath = findChromium();
if (!chromiumPath || !existsSync(chromiumPath)) {
  console.error(
    'e2e: no Chromium found — install it (apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium/Chrome binary.',
  );
  process.exit(1);
}

const dir = join(REPO_ROOT, 'tests/e2e');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.test.mjs'))
  .sort()
  .map((f) => join(dir, f));
if (!files.length) {
  console.error(`e2e: no *.test.mjs files in ${dir}`);
  process.exit(1);
}

// Node 20.20 supports --test-concurrency (files run one at a time with 1); the spec reporter
// prints the assertion messages (mention diffs) in full.
const args = ['--test', '--test-concurrency=1', '--test-reporter=spec', ...process.argv.slice(2), ...files];
const child = spawn(process.execPath, args, {
  cwd: REPO_ROOT,
  stdio: 'inherit',
  env: { ...process.env, EXTENSION_PATH: ext, CHROMIUM_PATH: chromiumPath },
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => {
  if (signal) {
    console.error(`e2e: test runner killed by ${signal}`);
    process.exit(1);
  }
  process.exit(code ?? 1);
});
