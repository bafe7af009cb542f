#!/usr/bin/env node
// `npm run bench`: highlights a generated ~2 MB news page (bench/page.mjs) in real Chromium and compares
//   treewalk   a bare TreeWalker(SHOW_TEXT) pass reading every text node (the floor)
//   ours       new PageHighlighter(document, dictionary) + await start() (automaton compile included)
//   markjs     mark.js 8.11.1 with the same aliases: one combined RegExp, and array mode (capped at 60 s)
//   extension  the built extension (.output/chrome-mv3) on the same page served as www.cbc.ca
// Each repetition loads the page afresh; times are performance.now() in the page, medians of BENCH_RUNS.
// Besides the timed runs: instrumented runs of ours (a MessageChannel heartbeat and a Chromium trace,
// which gives every main-thread task's duration and CPU time), one V8-profiled run, a step-by-step
// breakdown (Matcher.fromDictionary, buildTextIndex, findMentions, wrapMentions) and traced mark.js runs.
//
// longest_task_ms = the largest of: the longtask observer (tasks ≥ 50 ms, from start() to the next
// rendered frame, median of the timed runs), the longest main-thread task in the trace and the
// MessageChannel heartbeat's largest gap (medians of the instrumented runs). The heartbeat is left
// out when it was starved for the whole pass (a highlighter yielding with scheduler.yield() does
// that to ordinary tasks): its gap is then the pass, not a task.
//
// Prints a table and detail lines, writes bench/out/results.json and prints LAST the one JSON line
// of ../shared/DESIGN.md ("npm run bench"); the line before it holds extra figures as JSON.
//
//   CHROMIUM_PATH=path   browser binary (default /usr/bin/chromium)
//   MISP_THREAT_ACTOR=f  MISP galaxy threat-actor.json (default /work/shared/reference/misp-galaxy/…)
//   BENCH_RUNS=n         repetitions per contender (default 5)
//   --skip-extension     do not load the built extension
//   --skip-markjs-array  do not run mark.js array mode (the slow one; up to 60 s)
import { spawnSync } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { availableParallelism, loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS, launchWithExtension } from '../tests/e2e/lib/browser.mjs';
import { buildBundles, OUT_DIR, REPO_ROOT } from './build-bundle.mjs';
import { generatePage } from './page.mjs';

const startedAt = Date.now();
const loadAtStart = loadavg()[0];
const cores = availableParallelism();
const argv = new Set(process.argv.slice(2));
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 5) || 5);
const INSTRUMENTED_RUNS = 3;
const BREAKDOWN_RUNS = 3;
const MARKJS_CAP_MS = 60_000;
/** mark.js array mode is repeated only while its runs fit in this budget (it is not capped then). */
const MARKJS_ARRAY_BUDGET_MS = 60_000;
const EXTENSION_LOADS = 5;
const EXTENSION_STABLE_MS = 1_000;
const EXTENSION_TIMEOUT_MS = 30_000;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const MISP_PATH = process.env.MISP_THREAT_ACTOR ?? '/work/shared/reference/misp-galaxy/threat-actor.json';
const EXTENSION_DIR = join(REPO_ROOT, '.output/chrome-mv3');
const BENCH_PATH = '/news/bench-2mb';
const CHROME_ARGS = ['--headless=new', ...CHROMIUM_FLAGS];

const log = (line = '') => console.log(line);
const round1 = (n) => Math.round(n * 10) / 10;
const round2 = (n) => Math.round(n * 100) / 100;
function median(values) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
const fmt = (n) => (Number.isFinite(n) ? n.toFixed(1) : '—');
const list = (values) => values.map((v) => fmt(v)).join(', ');

// ---------------------------------------------------------------------------------------------
// 1. Bundles, dictionary, page
const bundles = await buildBundles();
const { buildBenchDictionary } = await import(pathToFileURL(bundles.dictionaryFile).href);
const dict = buildBenchDictionary(MISP_PATH);
const dictionary = dict.dictionary;
const aliases = [...new Set(dictionary.map((entry) => entry.text))];
// The page's long tail of names is every MISP name (not only those the KB lacks), so the page does
// not change as the built-in KB grows.
const mispNames = dict.allMispNames;

const generated = generatePage({ mispNames });
const pageFile = join(OUT_DIR, 'page.html');
const pageBytes = Buffer.from(generated.html, 'utf8');
writeFileSync(pageFile, pageBytes);
const pageRel = relative(REPO_ROOT, pageFile);

log(
  dict.mispPath
    ? `dictionary: ${dictionary.length} alias entries (${dict.builtinEntries} built-in KB + ${dict.mispEntries} MISP-only from ${dict.mispPath}, ${dict.mispEntities} synthetic misp-* actors); mark.js gets ${aliases.length} distinct alias texts`
    : `dictionary: ${dictionary.length} alias entries — BUILT-IN KB ONLY: ${MISP_PATH} is absent, so this is not the realistic ~2,400-name size`,
);

// ---------------------------------------------------------------------------------------------
// 2. Local server (also answers as www.cbc.ca for the extension run)
const server = createServer((request, response) => {
  const path = (request.url ?? '/').split('?')[0];
  if (path === '/page.html' || path === BENCH_PATH) {
    response.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': pageBytes.length,
      'cache-control': 'no-store',
    });
    response.end(pageBytes);
    return;
  }
  response.writeHead(404, { 'content-type': 'text/plain' });
  response.end('not found');
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = server.address().port;
const pageUrl = `http://127.0.0.1:${port}/page.html`;

// ---------------------------------------------------------------------------------------------
// 3. In-browser contenders
const results = {
  date: new Date().toISOString(),
  node: process.version,
  chromium: null,
  markjsVersion: bundles.markVersion,
  runs: RUNS,
  page: {
    file: pageRel,
    bytes: pageBytes.length,
    ...generated.stats,
  },
  dictionary: {
    entries: dictionary.length,
    builtin: dict.builtinEntries,
    misp: dict.mispEntries,
    mispEntities: dict.mispEntities,
    mispPath: dict.mispPath,
    distinctAliasTexts: aliases.length,
  },
};

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROME_ARGS });
results.chromium = browser.version();
const context = await browser.newContext();
await context.addInitScript({ content: `${bundles.markSource}\n;\n${bundles.pageSource}` });

/** A fresh page per contender; each repetition navigates again, so it starts from the unhighlighted DOM. */
async function repeat(name, runs, body) {
  const page = await context.newPage();
  const out = [];
  try {
    for (let i = 0; i < runs; i++) {
      await page.goto(pageUrl, { waitUntil: 'load' });
      await page.evaluate(() => window.__attribLensBench.settle());
      out.push(await body(page, i));
    }
  } finally {
    await page.close().catch(() => {});
  }
  process.stderr.write(`  ${name}: ${out.length} run(s) done\n`);
  return out;
}

/**
 * Main-thread tasks of the page between the console.timeStamp() marks the harness sets
 * (attrib-bench:start / done / painted): the longest task, busy time, and what the browser spent on
 * style, layout and paint (the cost of our DOM changes) and on GC.
 */
function analyzeTrace(trace) {
  const events = trace.traceEvents ?? trace;
  const stamp = (label) =>
    events.find((e) => e.name === 'TimeStamp' && e.args?.data?.message === `attrib-bench:${label}`);
  const start = stamp('start');
  const done = stamp('done');
  const painted = stamp('painted');
  if (!start || !done || !painted) return { error: 'timestamps missing from the trace' };
  const main = events.filter((e) => e.ph === 'X' && e.pid === start.pid && e.tid === start.tid);
  // Top-level tasks: RunTask events not nested in another one.
  const runTasks = main
    .filter((e) => e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask')
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const tasks = [];
  let end = Number.NEGATIVE_INFINITY;
  for (const task of runTasks) {
    if (task.ts >= end) {
      tasks.push(task);
      end = task.ts + task.dur;
    }
  }
  const overlapping = (from, to) => tasks.filter((t) => t.ts + t.dur > from && t.ts < to);
  const ms = (us) => us / 1000;
  const RENDER = new Set([
    'UpdateLayoutTree',
    'Layout',
    'PrePaint',
    'Paint',
    'Layerize',
    'Commit',
    'UpdateLayer',
  ]);
  const GC = new Set(['MinorGC', 'MajorGC']);
  const sumIn = (task, names) =>
    main
      .filter((e) => names.has(e.name) && e.ts >= task.ts && e.ts + e.dur <= task.ts + task.dur)
      .reduce((sum, e) => sum + e.dur, 0);
  // tdur is the thread's CPU time: what the task cost, whatever else the machine was doing.
  const cpu = (e) => e.tdur ?? e.dur;
  const describe = (task) => {
    const render = sumIn(task, RENDER);
    return {
      at: round1(ms(task.ts - start.ts)),
      ms: round1(ms(task.dur)),
      cpuMs: round1(ms(cpu(task))),
      renderMs: round1(ms(render)),
      gcMs: round1(ms(sumIn(task, GC))),
      kind: render > task.dur / 2 ? 'render' : 'script',
    };
  };
  const all = overlapping(start.ts, painted.ts);
  const js = overlapping(start.ts, done.ts);
  const byName = {};
  for (const e of main) {
    if (e.ts < start.ts || e.ts > painted.ts || !(RENDER.has(e.name) || GC.has(e.name))) continue;
    byName[e.name] = round1((byName[e.name] ?? 0) + ms(cpu(e)));
  }
  const longest = (list) => list.reduce((best, t) => (best === null || t.dur > best.dur ? t : best), null);
  const described = all.map(describe);
  const top = [...described].sort((a, b) => b.ms - a.ms).slice(0, 3);
  const maxOf = (kind) => described.filter((t) => t.kind === kind).reduce((max, t) => Math.max(max, t.ms), 0);
  return {
    windowMs: round1(ms(painted.ts - start.ts)),
    doneMs: round1(ms(done.ts - start.ts)),
    tasks: all.length,
    busyMs: round1(ms(all.reduce((sum, t) => sum + t.dur, 0))),
    cpuMs: round1(ms(all.reduce((sum, t) => sum + cpu(t), 0))),
    cpuBeforeDoneMs: round1(ms(js.reduce((sum, t) => sum + cpu(t), 0))),
    maxTaskMs: all.length ? round1(ms(longest(all).dur)) : 0,
    maxTaskBeforeDoneMs: js.length ? round1(ms(longest(js).dur)) : 0,
    tasksOver16ms: all.filter((t) => t.dur > 16_000).length,
    maxScriptTaskMs: maxOf('script'),
    maxRenderTaskMs: maxOf('render'),
    maxTaskCpuMs: described.reduce((max, t) => Math.max(max, t.cpuMs), 0),
    top,
    byName,
  };
}

/** Self time per function (name + bundle line) from a V8 CPU profile, largest first. */
function summarizeProfile(raw, count) {
  const byId = new Map(raw.nodes.map((node) => [node.id, node]));
  const self = new Map();
  let total = 0;
  raw.samples.forEach((id, i) => {
    const dt = raw.timeDeltas[i] ?? 0;
    total += dt;
    const frame = byId.get(id)?.callFrame;
    const name = frame
      ? `${frame.functionName || '(anonymous)'}${frame.url ? `:${frame.lineNumber + 1}` : ''}`
      : '?';
    self.set(name, (self.get(name) ?? 0) + dt);
  });
  return [...self]
    .filter(([name]) => name !== '(idle)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, us]) => ({ name, ms: round1(us / 1000), share: round2(us / total) }));
}

const CAPPED = Symbol('capped');
/** Runs one mark.js mode in a fresh page; a run that has not called `done` after 60 s is abandoned. */
async function markjsRun(mode) {
  const page = await context.newPage();
  await page.goto(pageUrl, { waitUntil: 'load' });
  await page.evaluate(() => window.__attribLensBench.settle());
  const evaluation = page.evaluate(({ mode, aliases }) => window.__attribLensBench[mode](aliases), {
    mode,
    aliases,
  });
  evaluation.catch(() => {});
  let timer;
  const cap = new Promise((resolve) => {
    timer = setTimeout(() => resolve(CAPPED), MARKJS_CAP_MS);
  });
  const outcome = await Promise.race([evaluation, cap]);
  clearTimeout(timer);
  // A page whose main thread is still busy may not close promptly: do not wait on it forever.
  await Promise.race([
    page.close({ runBeforeUnload: false }).catch(() => {}),
    new Promise((r) => setTimeout(r, 10_000)),
  ]);
  return outcome === CAPPED
    ? { capped: true, ms: MARKJS_CAP_MS, marks: null }
    : { capped: false, ...outcome };
}

log(
  `page: ${pageRel}, ${(pageBytes.length / 1e6).toFixed(2)} MB; chromium ${results.chromium}; ${RUNS} runs each`,
);

const treewalkRuns = await repeat('treewalk', RUNS, (page) =>
  page.evaluate(() => window.__attribLensBench.treewalk()),
);
const textNodes = treewalkRuns[0].nodes;
const textChars = treewalkRuns[0].chars;

let oursRuns;
try {
  oursRuns = await repeat('ours', RUNS, (page) =>
    page.evaluate((d) => window.__attribLensBench.ours(d), dictionary),
  );
} catch (error) {
  console.error(
    `bench: our highlighter failed in the page: ${error instanceof Error ? error.message : error}`,
  );
  await browser.close();
  server.close();
  process.exit(1);
}
// Instrumented runs (not timed for the table): a MessageChannel heartbeat in the page and a Chromium
// trace (toplevel + devtools.timeline) that gives every main-thread task's real duration.
const instrumentedRuns = await repeat('ours instrumented', INSTRUMENTED_RUNS, async (page) => {
  let tracing = false;
  try {
    await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline'] });
    tracing = true;
  } catch {}
  const run = await page.evaluate((d) => window.__attribLensBench.ours(d, { instrument: true }), dictionary);
  let trace = null;
  if (tracing) {
    try {
      trace = analyzeTrace(JSON.parse((await browser.stopTracing()).toString()));
    } catch (error) {
      trace = { error: String(error) };
    }
  }
  return { ...run, trace };
});
// One run under the V8 sampling profiler: self time per function of the whole pass (our code is
// bundled unminified, so names are the source names).
let profile = null;
try {
  [profile] = await repeat('ours profiled', 1, async (page) => {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    const run = await page.evaluate((d) => window.__attribLensBench.ours(d), dictionary);
    const { profile: raw } = await cdp.send('Profiler.stop');
    await cdp.detach().catch(() => {});
    return { ms: run.ms, paintedMs: run.paintedMs, top: summarizeProfile(raw, 14) };
  });
} catch (error) {
  profile = { error: String(error) };
}
let breakdownRuns = [];
try {
  breakdownRuns = await repeat('breakdown', BREAKDOWN_RUNS, (page) =>
    page.evaluate((d) => window.__attribLensBench.breakdown(d), dictionary),
  );
} catch (error) {
  console.error(
    `bench: breakdown failed (lib internals changed?): ${error instanceof Error ? error.message : error}`,
  );
}

const regexpRuns = [];
for (let i = 0; i < RUNS; i++) {
  const run = await markjsRun('markjsRegExp');
  regexpRuns.push(run);
  if (run.capped) break;
}
process.stderr.write(`  markjs regexp: ${regexpRuns.length} run(s) done\n`);
// The same instrumented twice (trace), to compare main-thread CPU time with ours under equal tracing.
const markjsInstrumented = await repeat('markjs regexp instrumented', 2, async (page) => {
  await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline'] });
  const run = await page.evaluate((a) => window.__attribLensBench.markjsRegExp(a, true), aliases);
  let trace;
  try {
    trace = analyzeTrace(JSON.parse((await browser.stopTracing()).toString()));
  } catch (error) {
    trace = { error: String(error) };
  }
  return { ...run, trace };
}).catch((error) => [{ error: String(error) }]);

const arrayRuns = [];
if (!argv.has('--skip-markjs-array')) {
  let spent = 0;
  for (let i = 0; i < RUNS; i++) {
    const run = await markjsRun('markjsArray');
    arrayRuns.push(run);
    spent += run.ms;
    if (run.capped || spent + run.ms > MARKJS_ARRAY_BUDGET_MS) break;
  }
  process.stderr.write(`  markjs array: ${arrayRuns.length} run(s) done\n`);
}
await browser.close();

// ---------------------------------------------------------------------------------------------
// 4. The real extension on the same page, served as http://www.cbc.ca/news/bench-2mb
async function benchExtension() {
  if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) {
    log('extension: .output/chrome-mv3/manifest.json missing — running npx wxt build');
    const built = spawnSync('npx', ['wxt', 'build'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (built.status !== 0 || !existsSync(join(EXTENSION_DIR, 'manifest.json'))) {
      return { error: 'npx wxt build failed; extension not measured' };
    }
  }
  const builtAt = statSync(join(EXTENSION_DIR, 'manifest.json')).mtime.toISOString();
  let launched;
  try {
    launched = await launchWithExtension({
      port,
      hosts: ['www.cbc.ca'],
      extensionPath: EXTENSION_DIR,
      executablePath: CHROMIUM,
    });
    const extContext = launched.context;
    // Time of the first animation frame with a highlight in the document (the frame that paints it).
    await extContext.addInitScript(() => {
      const poll = (now) => {
        if (document.querySelector('attrib-mark')) performance.mark('bench:first-mark', { startTime: now });
        else requestAnimationFrame(poll);
      };
      requestAnimationFrame(poll);
    });
    return { builtAt, ...(await measureLoads(extContext, BENCH_PATH)) };
  } catch (error) {
    return { error: `extension run failed: ${error instanceof Error ? error.message : error}` };
  } finally {
    await launched?.close();
  }
}

/** One uncounted warm-up load (first-run work in the background: seeding, dictionary), then fresh loads. */
async function measureLoads(extContext, path) {
  const loads = [];
  for (let i = 0; i <= EXTENSION_LOADS; i++) {
    const page = await extContext.newPage();
    await page.goto(`http://www.cbc.ca${path}`, { waitUntil: 'domcontentloaded' });
    const load = await page.evaluate(
      ({ stableMs, timeoutMs }) =>
        new Promise((resolve) => {
          const t0 = performance.now();
          let count = 0;
          let changedAt = t0;
          const tick = () => {
            const entries = performance.getEntriesByName('attrib-lens:scan-done');
            const now = performance.now();
            if (entries.length !== count) {
              count = entries.length;
              changedAt = now;
            }
            const timedOut = now - t0 > timeoutMs;
            if ((count > 0 && now - changedAt >= stableMs) || timedOut) {
              const nav = performance.getEntriesByType('navigation')[0];
              const last = entries[entries.length - 1];
              resolve({
                timedOut: count === 0,
                passes: count,
                domContentLoaded: nav ? nav.domContentLoadedEventEnd : null,
                lastScanDone: last ? last.startTime : null,
                ms: last && nav ? last.startTime - nav.domContentLoadedEventEnd : null,
                phasesMs: Object.fromEntries(
                  ['start', 'setup', 'compiled'].map((phase) => {
                    const mark = performance.getEntriesByName(`attrib-lens:${phase}`)[0];
                    return [
                      phase,
                      mark && nav ? Math.round(mark.startTime - nav.domContentLoadedEventEnd) : null,
                    ];
                  }),
                ),
                firstPaintMs: (() => {
                  const paint = performance.getEntriesByName('first-contentful-paint')[0];
                  return paint && nav ? paint.startTime - nav.domContentLoadedEventEnd : null;
                })(),
                firstMarkMs: (() => {
                  const first = performance.getEntriesByName('bench:first-mark')[0];
                  return first && nav ? first.startTime - nav.domContentLoadedEventEnd : null;
                })(),
                marksDetail: last?.detail?.marks ?? null,
                marksInDom: document.querySelectorAll('attrib-mark').length,
              });
            } else setTimeout(tick, 50);
          };
          tick();
        }),
      { stableMs: EXTENSION_STABLE_MS, timeoutMs: EXTENSION_TIMEOUT_MS },
    );
    await page.close();
    loads.push(load);
  }
  const [warmup, ...counted] = loads;
  const ok = counted.filter((load) => !load.timedOut && load.ms !== null);
  return {
    warmup,
    loads: counted,
    ms: ok.length ? median(ok.map((load) => load.ms)) : null,
    firstMarkMs: median(ok.map((load) => load.firstMarkMs).filter((v) => v != null)),
    firstPaintMs: median(ok.map((load) => load.firstPaintMs).filter((v) => v != null)),
    error: ok.length
      ? undefined
      : 'no attrib-lens:scan-done mark within 30 s (extension not highlighting this page?)',
  };
}
const extension = argv.has('--skip-extension')
  ? { error: 'skipped (--skip-extension)' }
  : await benchExtension();
server.close();

// ---------------------------------------------------------------------------------------------
// 5. Figures
const treewalkMs = median(treewalkRuns.map((r) => r.ms));
const oursMs = median(oursRuns.map((r) => r.ms));
const oursPaintedMs = median(oursRuns.map((r) => r.paintedMs));
const oursMarks = oursRuns[0].created;
// Long tasks from start() to the first frame rendered after it (that frame lays out the wrapped page).
const longTaskMs = median(oursRuns.map((r) => r.longTaskMax));
const jsLongTaskMs = median(oursRuns.map((r) => r.jsLongTaskMax));
const heartbeatGapMs = median(instrumentedRuns.map((r) => r.heartbeatMaxGap ?? 0));
const traces = instrumentedRuns.map((r) => r.trace).filter((t) => t && !t.error);
const tracedMaxTaskMs = traces.length ? median(traces.map((t) => t.maxTaskMs)) : null;
const tracedScriptMs = traces.length ? median(traces.map((t) => t.maxScriptTaskMs)) : null;
const tracedRenderMs = traces.length ? median(traces.map((t) => t.maxRenderTaskMs)) : null;
// A heartbeat that never ran during the pass (gap ≈ the whole pass) was starved, not blocked by one
// task: scheduler.yield() continuations, for one, run ahead of ordinary tasks. Then it says nothing
// about task length and only the observer and the trace count.
const heartbeatStarved =
  instrumentedRuns.filter((r) => (r.heartbeatMaxGap ?? 0) >= 0.9 * r.ms).length * 2 > instrumentedRuns.length;
const longestTaskMs = Math.max(longTaskMs, tracedMaxTaskMs ?? 0, heartbeatStarved ? 0 : heartbeatGapMs);

const summarize = (runs) => {
  const done = runs.filter((r) => !r.capped);
  const capped = runs.some((r) => r.capped);
  return {
    ms: capped ? MARKJS_CAP_MS : done.length ? median(done.map((r) => r.ms)) : null,
    paintedMs: capped ? null : done.length ? median(done.map((r) => r.paintedMs)) : null,
    longTaskMs: capped ? null : done.length ? median(done.map((r) => r.longTaskMax)) : null,
    capped,
    runs: runs.map((r) => (r.capped ? null : r.ms)),
    marks: done[0]?.marks ?? null,
  };
};
const markRegExp = summarize(regexpRuns);
const markArray = arrayRuns.length ? summarize(arrayRuns) : null;
const modes = [
  { name: 'regexp', ...markRegExp },
  ...(markArray ? [{ name: 'array', ...markArray }] : []),
].filter((mode) => mode.ms !== null);
const fastest = modes.reduce((best, mode) => (best === null || mode.ms < best.ms ? mode : best), null);
const markjsMs = fastest ? fastest.ms : Number.NaN;
const breakdown = {};
if (breakdownRuns.length) {
  for (const key of Object.keys(breakdownRuns[0])) breakdown[key] = median(breakdownRuns.map((r) => r[key]));
}

const sizeMb = (pageBytes.length / 1e6).toFixed(1);
const pageLabel = `${pageRel} (${sizeMb} MB, ${textNodes} text nodes)`;

// ---------------------------------------------------------------------------------------------
// 6. Report
const rows = [
  ['contender', 'median ms', 'to next frame', 'runs (ms)', 'marks'],
  ['treewalk', fmt(treewalkMs), '—', list(treewalkRuns.map((r) => r.ms)), '—'],
  ['ours', fmt(oursMs), fmt(oursPaintedMs), list(oursRuns.map((r) => r.ms)), String(oursMarks)],
  [
    'markjs regexp',
    `${fmt(markRegExp.ms)}${markRegExp.capped ? ' (capped ≥)' : ''}`,
    fmt(markRegExp.paintedMs ?? Number.NaN),
    markRegExp.runs.map((v) => (v === null ? 'capped' : fmt(v))).join(', '),
    String(markRegExp.marks ?? '—'),
  ],
  markArray
    ? [
        'markjs array',
        `${fmt(markArray.ms)}${markArray.capped ? ' (capped ≥)' : ''}`,
        fmt(markArray.paintedMs ?? Number.NaN),
        markArray.runs.map((v) => (v === null ? 'capped at 60 s' : fmt(v))).join(', '),
        String(markArray.marks ?? '—'),
      ]
    : ['markjs array', 'skipped', '', '', ''],
  extension.ms != null
    ? [
        'extension (built-in KB)',
        fmt(extension.ms),
        '—',
        list(extension.loads.map((l) => l.ms ?? Number.NaN)),
        String(extension.loads[0]?.marksInDom ?? '—'),
      ]
    : ['extension', '—', '', extension.error ?? '', ''],
];
const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => row[col].length)));
log();
for (const [i, row] of rows.entries()) {
  log(row.map((cell, col) => (col === row.length - 1 ? cell : cell.padEnd(widths[col]))).join('  '));
  if (i === 0) log(widths.map((w) => '-'.repeat(w)).join('  '));
}
log(
  '("to next frame": until the first frame after the contender finished is rendered — style + layout of the marked page)',
);
log();
log(
  `page: ${textNodes} text nodes, ${textChars} text chars, ${pageBytes.length} bytes, ${generated.stats.articles} articles, ${generated.stats.paragraphs} paragraphs, ~${generated.stats.namesPlaced} names placed`,
);
log(
  `marks: ours ${oursMarks} (in DOM ${oursRuns[0].marksInDom}), mark.js regexp ${markRegExp.marks ?? '—'}, mark.js array ${markArray ? (markArray.marks ?? 'capped') : 'skipped'}` +
    (extension.ms != null ? `, extension ${extension.loads[0]?.marksInDom} (built-in KB only)` : ''),
);
log(
  `markjs detail: regexp ${fmt(markRegExp.ms)} ms${markRegExp.capped ? ' (capped)' : ''} [${markRegExp.runs.length} run(s)], ` +
    (markArray
      ? `array ${markArray.capped ? `≥ ${MARKJS_CAP_MS} ms (capped after 60 s, not repeated)` : `${fmt(markArray.ms)} ms [${markArray.runs.length} run(s)]`}`
      : 'array skipped') +
    `; markjs_ms = ${fastest ? fastest.name : '—'} mode; longest task regexp mode ${fmt(markRegExp.longTaskMs ?? Number.NaN)} ms`,
);
log(
  `ours: new PageHighlighter (Matcher.fromDictionary) ${fmt(median(oursRuns.map((r) => r.constructorMs)))} ms of ${fmt(oursMs)} ms; ` +
    `scan-done marks per run ${oursRuns.map((r) => r.scanDoneMarks).join('/')}`,
);
log(
  `longest task (ours, start → next frame): longtask observer ${fmt(longTaskMs)} ms (median of per-run max; before start() resolved ${fmt(jsLongTaskMs)} ms; 0 = none ≥ 50 ms); ` +
    `trace max task ${tracedMaxTaskMs === null ? '— (no trace)' : `${fmt(tracedMaxTaskMs)} ms (longest script task ${fmt(tracedScriptMs)} ms, longest render task ${fmt(tracedRenderMs)} ms)`}; ` +
    `MessageChannel heartbeat max gap ${fmt(heartbeatGapMs)} ms` +
    (heartbeatStarved
      ? ' (≈ the whole pass: ordinary tasks were starved, e.g. by scheduler.yield continuations — not counted as a task)'
      : '') +
    ` → longest_task_ms ${fmt(longestTaskMs)} (the largest of these)`,
);
for (const [i, t] of traces.entries()) {
  log(
    `  trace ${i + 1}: start→done ${fmt(t.doneMs)} ms, →next frame ${fmt(t.windowMs)} ms, ${t.tasks} tasks (${t.tasksOver16ms} > 16 ms), busy ${fmt(t.busyMs)} ms, ` +
      `main-thread CPU ${fmt(t.cpuMs)} ms (${fmt(t.cpuBeforeDoneMs)} before done); max task ${fmt(t.maxTaskMs)} ms (CPU ${fmt(t.maxTaskCpuMs)}); ` +
      `top: ${t.top.map((x) => `${x.ms} ms ${x.kind} @${x.at} (CPU ${x.cpuMs}, render ${x.renderMs}, gc ${x.gcMs})`).join('; ')}; ` +
      `render/gc CPU: ${Object.entries(t.byName)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
  );
}
let cpuComparison = null;
const markjsTraces = markjsInstrumented.map((r) => r.trace).filter((t) => t && !t.error);
if (traces.length && markjsTraces.length) {
  const oursCpu = median(traces.map((t) => t.cpuBeforeDoneMs));
  const oursCpuFrame = median(traces.map((t) => t.cpuMs));
  const markCpu = median(markjsTraces.map((t) => t.cpuBeforeDoneMs));
  const markCpuFrame = median(markjsTraces.map((t) => t.cpuMs));
  cpuComparison = { oursCpu, oursCpuFrame, markCpu, markCpuFrame };
  log(
    `main-thread CPU (traced, robust to other load): ours ${fmt(oursCpu)} ms to done, ${fmt(oursCpuFrame)} ms to next frame; ` +
      `mark.js regexp ${fmt(markCpu)} ms to done, ${fmt(markCpuFrame)} ms to next frame (max task ${fmt(median(markjsTraces.map((t) => t.maxTaskMs)))} ms); ` +
      `CPU ratio mark.js/ours ${(markCpu / oursCpu).toFixed(2)} to done, ${(markCpuFrame / oursCpuFrame).toFixed(2)} to next frame`,
  );
}
if (profile && !profile.error) {
  log(
    `ours profile (one run, ${fmt(profile.ms)} ms, V8 sampling, self time; "(program)" = browser work outside JS: DOM, style, layout): ` +
      profile.top.map((f) => `${f.name} ${f.ms}`).join(', '),
  );
} else if (profile?.error) log(`ours profile: failed (${profile.error})`);
if (breakdownRuns.length) {
  log(
    `ours breakdown (median of ${breakdownRuns.length}, each step synchronous): fromDictionary ${fmt(breakdown.fromDictionaryMs)} ms ` +
      `(variants+fold ${fmt(breakdown.variantsMs)}, compileAutomaton ${fmt(breakdown.compileAutomatonMs)}: ${breakdown.patterns} patterns, ${breakdown.states} states × ${breakdown.classes} classes = ${(breakdown.tableBytes / 1e6).toFixed(1)} MB table), ` +
      `buildTextIndex ${fmt(breakdown.buildTextIndexMs)} ms (${breakdown.segments} segments, ${breakdown.textChars} chars), ` +
      `raw automaton scan ${fmt(breakdown.rawScanMs)} ms (${breakdown.rawHits} raw hits), ` +
      `findMentions ${fmt(breakdown.findMentionsMs)} ms (session.add ${fmt(breakdown.sessionAddMs)} + finish ${fmt(breakdown.sessionFinishMs)}; ${breakdown.mentions} mentions), ` +
      `wrapMentions ${fmt(breakdown.wrapMentionsMs)} ms (${breakdown.marks} marks), sum ${fmt(breakdown.totalMs)} ms; then next frame ${fmt(breakdown.nextFrameMs)} ms`,
  );
}
if (extension.ms != null) {
  log(
    `extension: DOMContentLoaded → last attrib-lens:scan-done, median of ${extension.loads.length} fresh loads ${fmt(extension.ms)} ms ` +
      `(loads ${list(extension.loads.map((l) => l.ms ?? Number.NaN))}; phases after DOMContentLoaded ${extension.loads.map((l) => JSON.stringify({ ...l.phasesMs, firstPaint: l.firstPaintMs == null ? null : Math.round(l.firstPaintMs), firstHighlight: l.firstMarkMs == null ? null : Math.round(l.firstMarkMs) })).join(' ')}; warm-up load ${fmt(extension.warmup?.ms ?? Number.NaN)} ms; scan passes ${extension.loads.map((l) => l.passes).join('/')}); ` +
      `its dictionary is the built-in KB only (${dict.builtinEntries} entries, no MISP), build of ${extension.builtAt}`,
  );
} else log(`extension: ${extension.error}`);
const loadAtEnd = loadavg()[0];
log(
  `machine: ${cores} cores, 1-min load average ${loadAtStart.toFixed(1)} at start, ${loadAtEnd.toFixed(1)} at end` +
    (Math.max(loadAtStart, loadAtEnd) > cores * 0.75
      ? ' — WARNING: other processes were busy, timings are inflated and noisy; rerun on an idle machine'
      : ''),
);
if (!dict.mispPath)
  log(`NOTE: ${MISP_PATH} absent — benched with the built-in KB only (${dictionary.length} entries).`);

const contract = {
  page: pageLabel,
  dictionary: dictionary.length,
  ours_ms: round1(oursMs),
  markjs_ms: round1(markjsMs),
  treewalk_ms: round1(treewalkMs),
  ratio_vs_markjs: round2(markjsMs / oursMs),
  ratio_vs_treewalk: round2(oursMs / treewalkMs),
  longest_task_ms: round1(longestTaskMs),
};
const extras = {
  extension_ms: extension.ms != null ? round1(extension.ms) : null,
  extension_first_highlight_ms: Number.isFinite(extension.firstMarkMs) ? round1(extension.firstMarkMs) : null,
  extension_page_first_paint_ms: Number.isFinite(extension.firstPaintMs)
    ? round1(extension.firstPaintMs)
    : null,
  ours_first_highlight_ms: round1(median(oursRuns.map((r) => r.firstMarkMs).filter((v) => v != null))),
  markjs_regexp_ms: markRegExp.ms !== null ? round1(markRegExp.ms) : null,
  markjs_array_ms: markArray?.ms != null ? round1(markArray.ms) : null,
  markjs_capped: Boolean(markArray?.capped || markRegExp.capped),
  ours_to_next_frame_ms: round1(oursPaintedMs),
  markjs_regexp_to_next_frame_ms: markRegExp.paintedMs != null ? round1(markRegExp.paintedMs) : null,
  longtask_observer_ms: round1(longTaskMs),
  trace_max_task_ms: tracedMaxTaskMs,
  trace_max_script_task_ms: tracedScriptMs,
  trace_max_render_task_ms: tracedRenderMs,
  heartbeat_gap_ms: round1(heartbeatGapMs),
  heartbeat_starved: heartbeatStarved,
  marks: { ours: oursMarks, markjs_regexp: markRegExp.marks, markjs_array: markArray?.marks ?? null },
  text_nodes: textNodes,
  text_chars: textChars,
  load_average: [round1(loadAtStart), round1(loadAtEnd)],
  bench_seconds: round1((Date.now() - startedAt) / 1000),
};
Object.assign(results, {
  treewalk: { ms: treewalkMs, runs: treewalkRuns },
  ours: {
    ms: oursMs,
    paintedMs: oursPaintedMs,
    runs: oursRuns,
    instrumentedRuns,
    longTaskMs,
    jsLongTaskMs,
    tracedMaxTaskMs,
    heartbeatGapMs,
    longestTaskMs,
  },
  breakdown: { median: breakdown, runs: breakdownRuns },
  profile,
  markjs: {
    ms: markjsMs,
    fastestMode: fastest?.name ?? null,
    regexp: markRegExp,
    array: markArray,
    regexpInstrumented: markjsInstrumented,
  },
  cpuComparison,
  extension,
  extras,
  contract,
});
writeFileSync(join(OUT_DIR, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
log(`wrote ${relative(REPO_ROOT, join(OUT_DIR, 'results.json'))}; bench took ${extras.bench_seconds} s`);
log(JSON.stringify(extras));
log(JSON.stringify(contract));
