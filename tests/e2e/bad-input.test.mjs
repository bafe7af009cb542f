// Browser test: hostile and extreme pages, generated here and served on a default site
// (www.darkreading.com) by the fixture server (server.addPage). For each page: no page error, no
// console error, the page stays responsive, and the highlights are right where they can be checked.
//
// Responsiveness: every page starts a 10 ms setInterval heartbeat in its <head>; the longest gap
// between beats in the first 3 s after the load event is printed and must stay under 200 ms. When
// it does not, the same page is measured on www.example.org (the extension does not run there)
// to tell the page's own cost from the extension's.
//
// CPU: the ticking page (a clock rewriting text nodes every 50 ms for 5 s) is measured with CDP
// Performance.getMetrics over 5 s on the default host (extension on) and on www.example.org
// (extension off); the extension may add at most 25% of one core of script time.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { collectConsoleErrors, launchWithExtension, waitForScan, waitForSettle } from './lib/browser.mjs';
import { checkMarkStructure, diffMentions, readMarks } from './lib/checks.mjs';
import { fixtureHosts, startFixtureServer } from './lib/server.mjs';

const ON = 'http://www.darkreading.com/bad-input';
const OFF = 'http://www.example.org/bad-input';
const HEARTBEAT_WINDOW_MS = 3000;
const MAX_GAP_MS = 200;
const TICK_SECONDS = 5;
const MAX_CPU_SHARE = 0.25;

/**
 * First thing in every generated page: a 10 ms heartbeat that records when it ran, and a Long
 * Tasks observer (a long gap made of one long task is a blocking task; a long gap without one is
 * a run of short tasks that kept the page's timers waiting).
 */
const HEARTBEAT = `<script>
(function () {
  var beats = (window.__heartbeat = [performance.now()]);
  setInterval(function () { beats.push(performance.now()); }, 10);
  var tasks = (window.__longTasks = []);
  try {
    new PerformanceObserver(function (list) {
      list.getEntries().forEach(function (e) { tasks.push([e.startTime, e.duration]); });
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) {}
})();
</script>`;

const page = (title, body, { head = '', lang = 'en' } = {}) =>
  `<!doctype html>\n<html lang="${lang}"><head><meta charset="utf-8"><title>${title}</title>${HEARTBEAT}${head}</head>\n<body>\n${body}\n</body></html>\n`;

const M = (text, entity) => ({ text, entity });

// --- page generators -------------------------------------------------------------------------

/**
 * 20,000 paragraphs of 5 text nodes each (100,000 text nodes); every 500th names two groups. The
 * paragraphs come in sections of 500 with `content-visibility: auto` (as long feeds do), so the
 * page's own first layout stays short and the heartbeat measures the extension's work.
 */
function manyTextNodes() {
  const parts = [];
  const mentions = [];
  for (let i = 0; i < 20_000; i++) {
    if (i % 500 === 0) parts.push(i ? '</section><section>' : '<section>');
    if (i % 500 === 0) {
      parts.push(`<p>Report ${i}: APT28 and <i>Volt</i> Typhoon were <b>named</b> again.</p>`);
      mentions.push(M('APT28', 'apt28'), M('Volt Typhoon', 'volt-typhoon'));
    } else parts.push(`<p>Lorem ipsum <i>dolor</i> sit <b>amet</b> consectetur ${i}.</p>`);
  }
  parts.push('</section>');
  return {
    html: page('100k text nodes', `<article id="feed">${parts.join('')}</article>`, {
      head: '<style>#feed section{content-visibility:auto;contain-intrinsic-size:auto 12000px}</style>',
    }),
    mentions,
    // The page must really hold that many text nodes.
    probe: () => {
      const w = document.createTreeWalker(document.getElementById('feed'), NodeFilter.SHOW_TEXT);
      let n = 0;
      while (w.nextNode()) n++;
      return { textNodes: n };
    },
  };
}

/**
 * 3,000 nested <div>s built by script (the HTML parser stops nesting at 512), a name at the
 * bottom. The divs are `display: contents`: Chromium's renderer itself crashes laying out ~3,000
 * nested block boxes (checked without any extension; 2,500 still works), and the extension walks
 * the DOM, not the boxes, so the DOM depth is what is tested.
 */
function deepNesting() {
  const script = `<script>
(function () {
  var host = document.getElementById('deep'), el = host;
  for (var i = 0; i < 3000; i++) { var d = document.createElement('div'); el.appendChild(d); el = d; }
  var p = document.createElement('p');
  p.textContent = 'Investigators blamed Sandworm, also known as APT44, for the outage.';
  el.appendChild(p);
})();
</script>`;
  return {
    html: page(
      'Deep nesting',
      `<h1>Volt Typhoon at the top</h1><div id="deep"></div>${script}<p>GRU Unit 74455 at the end.</p>`,
      { head: '<style>#deep div{display:contents}</style>' },
    ),
    mentions: [
      M('Volt Typhoon', 'volt-typhoon'),
      M('Sandworm', 'sandworm'),
      M('APT44', 'sandworm'),
      M('GRU Unit 74455', 'ru-gru-74455'),
    ],
    probe: () => {
      const marks = [...document.querySelectorAll('#deep attrib-mark')];
      const depth = (el) => {
        let d = 0;
        for (let e = el; e && e.id !== 'deep'; e = e.parentElement) d++;
        return d;
      };
      return { deepMarks: marks.length, depthOfFirst: marks.length ? depth(marks[0]) : 0 };
    },
  };
}

/** Deterministic ~1 MB of words with a name every ~10 KB; runs in Node and in the page. */
function makeBigText(size) {
  const words = [
    'the',
    'report',
    'said',
    'that',
    'network',
    'traffic',
    'was',
    'routed',
    'through',
    'servers',
    'in',
    'several',
    'countries',
    'and',
    'analysts',
    'found',
    'no',
    'evidence',
    'of',
    'data',
    'loss',
  ];
  const names = [
    ['APT29', 'apt29'],
    ['Midnight Blizzard', 'apt29'],
    ['Lazarus', 'lazarus'],
    ['Charming Kitten', 'apt35'],
    ['GRU Unit 26165', 'ru-gru-26165'],
    ['Volt Typhoon', 'volt-typhoon'],
  ];
  let text = '';
  let seed = 7;
  let next = 10_000;
  const mentions = [];
  while (text.length < size) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    text += `${words[seed % words.length]} `;
    if (text.length >= next) {
      const [name, entity] = names[mentions.length % names.length];
      text += `${name} `;
      mentions.push({ text: name, entity });
      next += 10_000;
    }
  }
  return { text, mentions };
}

function oneMegabyteTextNode() {
  const size = 1_048_576;
  const { mentions } = makeBigText(size);
  const script = `<script>
(function () {
  var made = (${makeBigText.toString()})(${size});
  var p = document.getElementById('big');
  p.appendChild(document.createTextNode(made.text));
  window.__bigText = made.text;
})();
</script>`;
  return {
    // Below the fold with `content-visibility: auto`: Chromium does not lay the 1 MB paragraph out
    // (its own first layout of it takes ~250 ms here), so the heartbeat measures the extension.
    html: page(
      'One 1 MB text node',
      `<h1>Wire dump</h1><div style="height:3000px"></div><p id="big"></p>${script}`,
      {
        head: '<style>#big{content-visibility:auto;contain-intrinsic-size:auto 50000px}</style>',
      },
    ),
    mentions,
    probe: () => {
      const p = document.getElementById('big');
      return {
        length: window.__bigText.length,
        textIntact: p.textContent === window.__bigText,
        childNodes: p.childNodes.length,
      };
    },
  };
}

/** RTL Arabic and Hebrew, CJK and Thai text with Latin names inside. */
function rtlAndCjk() {
  const body = `
<article>
<p dir="rtl" lang="ar">قالت الحكومة الألمانية إن مجموعة APT28 التابعة للاستخبارات العسكرية الروسية GRU تقف وراء الهجوم.</p>
<p dir="rtl" lang="ar">ووصفت مايكروسوفت المجموعة باسم \u200fForest Blizzard\u200f، وتعرف أيضاً باسم Fancy Bear.</p>
<p dir="rtl" lang="ar">الوحدة Unit 74455 المعروفة باسم Sandworm مسؤولة عن انقطاع الكهرباء في أوكرانيا.</p>
<p dir="rtl" lang="he">לפי ה-FBI, קבוצת Lazarus Group גנבה מטבעות קריפטו בשווי 1.5 מיליארד דולר.</p>
<p dir="rtl" lang="he">חוקרים מקשרים את <bdi>Charming Kitten</bdi> למשמרות המהפכה (IRGC).</p>
<p lang="zh">据报道，APT31组织针对多国议员发动网络攻击，美国司法部称其受中国国家安全部（MSS）指挥。</p>
<p lang="zh">美国网络安全机构警告，Volt Typhoon（伏特台风）长期潜伏在关键基础设施中。</p>
<p lang="ja">ロシアのAPT29（Midnight Blizzard）がマイクロソフトの幹部のメールに侵入した。</p>
<p lang="ko">북한 해킹조직 Kimsuky는 Reconnaissance General Bureau 산하로 알려져 있다.</p>
<p lang="th">กลุ่มแฮกเกอร์APT41โจมตีหน่วยงานรัฐ</p>
</article>`;
  return {
    html: page('RTL and CJK', body, { lang: 'mul' }),
    mentions: [
      M('APT28', 'apt28'),
      M('GRU', 'ru-gru'),
      M('Forest Blizzard', 'apt28'),
      M('Fancy Bear', 'apt28'),
      M('Unit 74455', 'ru-gru-74455'),
      M('Sandworm', 'sandworm'),
      M('FBI', 'us-fbi'),
      M('Lazarus Group', 'lazarus'),
      M('Charming Kitten', 'apt35'),
      M('IRGC', 'ir-irgc'),
      M('APT31', 'apt31'),
      M('国家安全部', 'cn-mss'),
      M('MSS', 'cn-mss'),
      M('Volt Typhoon', 'volt-typhoon'),
      // The KB knows the Chinese name too; CJK neighbours are not word characters.
      M('伏特台风', 'volt-typhoon'),
      M('APT29', 'apt29'),
      M('Midnight Blizzard', 'apt29'),
      M('Kimsuky', 'kimsuky'),
      M('Reconnaissance General Bureau', 'kp-rgb'),
      M('APT41', 'apt41'),
    ],
  };
}

/**
 * Once highlights appear, the page churns 20 times, 50 ms apart: every parent of a mark is
 * removed and re-inserted in place, one paragraph moves to the sidebar and back, one paragraph's
 * innerHTML is reset to its original markup (dropping our marks), and finally a paragraph is
 * wrapped in a new <div>. The final DOM holds the same text in the same order.
 */
function removeAndReadd() {
  const body = `
<article id="story">
<h1>Remove and re-add: APT28 in the headline</h1>
<p id="p1">Fancy Bear hackers reused a flaw that Microsoft calls <a href="/fb">Forest Blizzard</a> territory.</p>
<p id="p2">The FBI and NSA said Midnight Blizzard read the emails for weeks.</p>
<p id="p3">Sandworm hackers cut power in <em>western</em> Ukraine.</p>
<p id="p4">Kimsuky phishing emails impersonated journalists.</p>
</article>
<aside id="side"></aside>
<script>
(function () {
  var original = document.getElementById('p3').innerHTML;
  var story = document.getElementById('story'), side = document.getElementById('side');
  function churn(k) {
    var parents = new Set();
    story.querySelectorAll('attrib-mark').forEach(function (m) { parents.add(m.parentElement); });
    parents.forEach(function (el) {
      var parent = el.parentNode, next = el.nextSibling;
      el.remove();
      parent.insertBefore(el, next);
    });
    var p4 = document.getElementById('p4');
    if (k % 2 === 0) side.appendChild(p4); else story.appendChild(p4);
    document.getElementById('p3').innerHTML = original;
    if (k === 19) {
      var p2 = document.getElementById('p2'), wrap = document.createElement('div');
      wrap.className = 'wrapper';
      p2.parentNode.insertBefore(wrap, p2);
      wrap.appendChild(p2);
      document.documentElement.setAttribute('data-fixture-state', 'done');
      performance.mark('fixture:done');
    } else setTimeout(function () { churn(k + 1); }, 50);
  }
  var t0 = performance.now();
  (function wait() {
    if (document.querySelector('attrib-mark') || performance.now() - t0 > 3000) churn(0);
    else setTimeout(wait, 20);
  })();
})();
</script>`;
  return {
    html: page('Remove and re-add', body),
    settle: { waitFor: 'html[data-fixture-state=done]', sinceMark: 'fixture:done' },
    mentions: [
      M('APT28', 'apt28'),
      M('Fancy Bear', 'apt28'),
      M('Forest Blizzard', 'apt28'),
      M('FBI', 'us-fbi'),
      M('NSA', 'us-nsa'),
      M('Midnight Blizzard', 'apt29'),
      M('Sandworm', 'sandworm'),
      M('Kimsuky', 'kimsuky'),
    ],
    probe: () => ({
      text: document.getElementById('story').textContent.replace(/\s+/g, ' ').trim(),
    }),
    expectProbe: {
      text: 'Remove and re-add: APT28 in the headline Fancy Bear hackers reused a flaw that Microsoft calls Forest Blizzard territory. The FBI and NSA said Midnight Blizzard read the emails for weeks. Sandworm hackers cut power in western Ukraine. Kimsuky phishing emails impersonated journalists.',
    },
  };
}

/**
 * A clock rewrites a text node every 50 ms for 5 s, next to a name; a status line whose single
 * text node holds a name is rewritten on every tick too (the extension's split of it is undone and
 * redone each time).
 */
function ticking() {
  const body = `
<header><p>Live: <span id="clock">00:00:00.000</span> — tracking Volt Typhoon</p></header>
<p id="status">Last refreshed 00:00:00.000 · Salt Typhoon tracker</p>
<article>
<h1>Live: Salt Typhoon telecom intrusions</h1>
<p>The FBI and CISA said the hackers, tied to the Ministry of State Security, were still inside some networks.</p>
</article>
<script>
(function () {
  var clock = document.getElementById('clock').firstChild;
  var status = document.getElementById('status').firstChild;
  var t0 = performance.now();
  var fmt = function (ms) { return new Date(Date.UTC(2024, 0, 1) + ms).toISOString().slice(11, 23); };
  var timer = setInterval(function () {
    var now = performance.now() - t0;
    clock.nodeValue = fmt(now);
    status.nodeValue = 'Last refreshed ' + fmt(now) + ' · Salt Typhoon tracker';
    window.__lastStatus = status.nodeValue;
    window.__lastClock = clock.nodeValue;
    if (now >= ${TICK_SECONDS * 1000}) {
      clearInterval(timer);
      document.documentElement.setAttribute('data-fixture-state', 'done');
      performance.mark('fixture:done');
    }
  }, 50);
})();
</script>`;
  return {
    html: page('Ticking clock', body),
    settle: { waitFor: 'html[data-fixture-state=done]', sinceMark: 'fixture:done' },
    mentions: [
      M('Volt Typhoon', 'volt-typhoon'),
      M('Salt Typhoon', 'salt-typhoon'),
      M('Salt Typhoon', 'salt-typhoon'),
      M('FBI', 'us-fbi'),
      M('CISA', 'us-cisa'),
      M('Ministry of State Security', 'cn-mss'),
    ],
    probe: () => ({
      clockIntact: document.getElementById('clock').textContent === window.__lastClock,
      statusIntact: document.getElementById('status').textContent === window.__lastStatus,
    }),
    expectProbe: { clockIntact: true, statusIntact: true },
  };
}

const PAGES = {
  'many-text-nodes': manyTextNodes(),
  'deep-nesting': deepNesting(),
  'one-megabyte-text-node': oneMegabyteTextNode(),
  'rtl-cjk': rtlAndCjk(),
  'remove-readd': removeAndReadd(),
  ticking: ticking(),
};

// --- harness ---------------------------------------------------------------------------------

let server;
let browser;
const figures = [];

before(async () => {
  server = await startFixtureServer();
  for (const [name, p] of Object.entries(PAGES)) {
    server.addPage(`${ON}/${name}.html`, p.html);
    server.addPage(`${OFF}/${name}.html`, p.html);
  }
  const hosts = [...new Set([...fixtureHosts(), 'www.darkreading.com', 'www.example.org'])];
  browser = await launchWithExtension({ port: server.port, hosts, headless: !process.env.HEADED });
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (figures.length) console.log(`bad-input summary: ${figures.join('; ')}`);
});

/**
 * Longest gap between heartbeats (ms) whose end falls in (load, load + window], counted from load;
 * the longest long task in that window; and the same two figures between DOMContentLoaded and load,
 * (the content script starts at document_start and may still be finishing then).
 */
async function longestGap(page, windowMs = HEARTBEAT_WINDOW_MS) {
  return page.evaluate((windowMs) => {
    const nav = performance.getEntriesByType('navigation')[0];
    const load = nav?.loadEventEnd || nav?.domContentLoadedEventEnd || 0;
    const dcl = nav?.domContentLoadedEventEnd || 0;
    const beats = window.__heartbeat ?? [];
    const tasks = window.__longTasks ?? [];
    const gapIn = (from, to) => {
      let max = 0;
      let at = 0;
      for (let i = 1; i < beats.length; i++) {
        if (beats[i] <= from || beats[i] > to) continue;
        const gap = beats[i] - Math.max(beats[i - 1], from);
        if (gap > max) {
          max = gap;
          at = Math.max(beats[i - 1], from) - from;
        }
      }
      return { max: Math.round(max), at: Math.round(at) };
    };
    const taskIn = (from, to) =>
      Math.round(Math.max(0, ...tasks.filter(([t, d]) => t + d > from && t < to).map(([, d]) => d)));
    const after = gapIn(load, load + windowMs);
    const startup = gapIn(dcl, load);
    return {
      maxGap: after.max,
      at: after.at,
      longTask: taskIn(load, load + windowMs),
      startupGap: startup.max,
      startupTask: taskIn(dcl, load),
      beats: beats.length,
      load: Math.round(load),
    };
  }, windowMs);
}

async function metrics(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const get = (name) => metrics.find((m) => m.name === name)?.value ?? 0;
  return { script: get('ScriptDuration'), task: get('TaskDuration'), layout: get('LayoutDuration') };
}

/** Loads `url`, waits until HEARTBEAT_WINDOW_MS after load, returns the page (caller closes it). */
async function openAndBeat(url, { cpuSeconds } = {}) {
  const p = await browser.context.newPage();
  const errors = collectConsoleErrors(p);
  const cdp = await p.context().newCDPSession(p);
  await cdp.send('Performance.enable');
  const response = await p.goto(url, { waitUntil: 'load', timeout: 60_000 });
  assert.equal(response?.status(), 200, `fixture server did not serve ${url}`);
  const m0 = await metrics(cdp);
  const t0 = Date.now();
  await p.waitForTimeout(HEARTBEAT_WINDOW_MS + 50);
  const gap = await longestGap(p);
  let cpu = null;
  if (cpuSeconds) {
    await p.waitForTimeout(Math.max(0, cpuSeconds * 1000 - (Date.now() - t0)));
    const m1 = await metrics(cdp);
    const seconds = (Date.now() - t0) / 1000;
    cpu = {
      seconds,
      scriptMs: (m1.script - m0.script) * 1000,
      taskMs: (m1.task - m0.task) * 1000,
      layoutMs: (m1.layout - m0.layout) * 1000,
    };
  }
  await cdp.detach().catch(() => {});
  return { page: p, errors, gap, cpu };
}

for (const [name, spec] of Object.entries(PAGES)) {
  test(`bad input: ${name}`, { timeout: 90_000 }, async (t) => {
    const url = `${ON}/${name}.html`;
    const {
      page: p,
      errors,
      gap,
      cpu,
    } = await openAndBeat(url, {
      cpuSeconds: name === 'ticking' ? TICK_SECONDS : 0,
    });
    try {
      const scan = await waitForScan(p, { timeout: 20_000 });
      if (spec.settle) await waitForSettle(p, spec.settle);
      else await waitForSettle(p, { quietMs: 400, newPassTimeout: 0 });
      await p.waitForTimeout(100);

      const line =
        `${name}: longest heartbeat gap ${gap.maxGap} ms in the 3 s after load (at +${gap.at} ms; longest task ${gap.longTask} ms); ` +
        `between DOMContentLoaded and load (content script start): gap ${gap.startupGap} ms, longest task ${gap.startupTask} ms; ` +
        `first scan done ${Math.round(scan.markTime - scan.domContentLoaded)} ms after DOMContentLoaded`;
      console.log(line);
      figures.push(`${name} gap ${gap.maxGap} ms`);

      await t.test('highlights are exactly the expected mentions', async () => {
        const actual = await readMarks(p);
        const d = diffMentions(spec.mentions, actual);
        assert.ok(d.equal, d.report);
      });
      await t.test('marks are well-formed', async () => {
        const problems = await checkMarkStructure(p);
        assert.deepEqual(problems, []);
      });
      if (spec.probe)
        await t.test('page state', async () => {
          const got = await p.evaluate(spec.probe);
          t.diagnostic(`${name} probe: ${JSON.stringify(got)}`);
          if (name === 'many-text-nodes')
            assert.ok(got.textNodes >= 100_000, `only ${got.textNodes} text nodes`);
          if (name === 'deep-nesting') {
            assert.equal(got.deepMarks, 2);
            assert.ok(got.depthOfFirst > 3000, `mark depth ${got.depthOfFirst}`);
          }
          if (name === 'one-megabyte-text-node') {
            assert.ok(got.length >= 1_048_576);
            assert.ok(got.textIntact, 'the 1 MB text changed');
          }
          if (spec.expectProbe) assert.deepEqual(got, spec.expectProbe);
        });
      await t.test('no console errors or page errors', () => {
        assert.deepEqual(errors, []);
      });
      await t.test(
        `page stays responsive: longest heartbeat gap < ${MAX_GAP_MS} ms in the first ${HEARTBEAT_WINDOW_MS / 1000} s after load`,
        async () => {
          if (gap.maxGap < MAX_GAP_MS) return;
          // One more try on a fresh tab (the machine may have been busy), and the same page where
          // the extension does not run, to tell the page's own cost from ours.
          const again = await openAndBeat(url);
          await again.page.close();
          const off = await openAndBeat(`${OFF}/${name}.html`);
          await off.page.close();
          const msg =
            `longest gap with the extension ${gap.maxGap} ms at +${gap.at} ms after load (longest task ${gap.longTask} ms), ` +
            `then ${again.gap.maxGap} ms at +${again.gap.at} ms on a second load (longest task ${again.gap.longTask} ms); ` +
            `the same page without the extension (www.example.org): ${off.gap.maxGap} ms at +${off.gap.at} ms`;
          console.log(`${name}: ${msg}`);
          assert.ok(Math.min(gap.maxGap, again.gap.maxGap) < MAX_GAP_MS, msg);
        },
      );
      if (cpu) {
        await t.test(`extension adds < ${MAX_CPU_SHARE * 100}% of one core on the ticking page`, async () => {
          const off = await openAndBeat(`${OFF}/${name}.html`, { cpuSeconds: TICK_SECONDS });
          await off.page.close();
          const share = (cpu.scriptMs - off.cpu.scriptMs) / (cpu.seconds * 1000);
          const taskShare = (cpu.taskMs - off.cpu.taskMs) / (cpu.seconds * 1000);
          const line2 =
            `ticking CPU over ${cpu.seconds.toFixed(1)} s: ScriptDuration ${cpu.scriptMs.toFixed(0)} ms with the extension (www.darkreading.com), ` +
            `${off.cpu.scriptMs.toFixed(0)} ms without (www.example.org) -> extension adds ${(share * 100).toFixed(1)}% of one core; ` +
            `TaskDuration ${cpu.taskMs.toFixed(0)} ms vs ${off.cpu.taskMs.toFixed(0)} ms (${(taskShare * 100).toFixed(1)}%)`;
          console.log(line2);
          figures.push(
            `ticking CPU +${(share * 100).toFixed(1)}% script, +${(taskShare * 100).toFixed(1)}% task`,
          );
          assert.ok(share < MAX_CPU_SHARE, line2);
        });
      }
    } finally {
      await p.close().catch(() => {});
    }
  });
}
