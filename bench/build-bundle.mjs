// Bundles the bench code with esbuild into bench/out/ (git-ignored):
//   page-bench.js    IIFE for the page: window.__attribLensBench (lib/dom + lib/match from source)
//   dictionary.mjs   Node ESM module that builds the bench dictionary from the built-in KB + MISP
// and returns mark.js 8.11.1 (dist/mark.min.js) for injection next to it.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = dirname(BENCH_DIR);
export const OUT_DIR = join(BENCH_DIR, 'out');

const common = {
  bundle: true,
  logLevel: 'warning',
  absWorkingDir: REPO_ROOT,
  tsconfig: join(REPO_ROOT, 'tsconfig.json'),
  // Keep names readable in profiles; the extension build is minified but that does not change V8's work.
  minify: false,
  sourcemap: false,
};

export async function buildBundles() {
  mkdirSync(OUT_DIR, { recursive: true });
  const pageFile = join(OUT_DIR, 'page-bench.js');
  const dictionaryFile = join(OUT_DIR, 'dictionary.mjs');
  await Promise.all([
    build({
      ...common,
      entryPoints: [join(BENCH_DIR, 'page-entry.ts')],
      outfile: pageFile,
      format: 'iife',
      platform: 'browser',
      target: 'chrome120',
    }),
    build({
      ...common,
      entryPoints: [join(BENCH_DIR, 'dictionary.ts')],
      outfile: dictionaryFile,
      format: 'esm',
      platform: 'node',
      target: 'node20',
    }),
  ]);
  const require = createRequire(import.meta.url);
  const markPackage = require.resolve('mark.js/package.json');
  const markVersion = JSON.parse(readFileSync(markPackage, 'utf8')).version;
  const markSource = readFileSync(join(dirname(markPackage), 'dist/mark.min.js'), 'utf8');
  return {
    pageFile,
    dictionaryFile,
    pageSource: readFileSync(pageFile, 'utf8'),
    markSource,
    markVersion,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await buildBundles();
  console.log(`built ${result.pageFile} and ${result.dictionaryFile} (mark.js ${result.markVersion})`);
}
