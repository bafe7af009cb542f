// In-page inspections used by the e2e tests (each takes a Playwright Page or Frame).

/** attrib-mark elements in document order, as { text, entity }. */
export async function readMarks(frame) {
  return frame.evaluate(() =>
    [...document.querySelectorAll('attrib-mark')].map((el) => ({
      text: el.textContent,
      entity: el.dataset.attribEntity ?? null,
    })),
  );
}

const show = (m) => `${JSON.stringify(m.text)} [${m.entity}]`;

/**
 * Compare expected and actual mention lists (order matters) with an LCS alignment.
 * @returns {{ equal: boolean, missing: any[], unexpected: any[], report: string }}
 */
export function diffMentions(expected, actual) {
  const key = (m) => `${m.entity}\u0000${m.text}`;
  const a = expected.map(key);
  const b = actual.map(key);
  const n = a.length;
  const m = b.length;
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const lines = [];
  const missing = [];
  const unexpected = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      lines.push(`    #${i} ${show(expected[i])}`);
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) {
      lines.push(`  + unexpected ${show(actual[j])} (actual #${j})`);
      unexpected.push({ ...actual[j], index: j });
      j++;
    } else {
      lines.push(`  - missing    ${show(expected[i])} (expected #${i})`);
      missing.push({ ...expected[i], index: i });
      i++;
    }
  }
  const equal = missing.length === 0 && unexpected.length === 0;
  // Keep the report short: changed lines with one line of context around them.
  const keep = new Set();
  lines.forEach((l, k) => {
    if (!l.startsWith('    #')) for (let d = -1; d <= 1; d++) keep.add(k + d);
  });
  const out = [];
  let gap = false;
  lines.forEach((l, k) => {
    if (keep.has(k)) {
      out.push(l);
      gap = false;
    } else if (!gap) {
      out.push('    …');
      gap = true;
    }
  });
  const report = equal
    ? `all ${n} mentions as expected`
    : `expected ${n} mentions, got ${m}: ${missing.length} missing, ${unexpected.length} unexpected\n${out.join('\n')}`;
  return { equal, missing, unexpected, report };
}

/**
 * Structural sanity of the marks: no nested marks, every mark has an entity id, no empty mark.
 * @returns {Promise<string[]>} problems
 */
export async function checkMarkStructure(frame) {
  return frame.evaluate(() => {
    const problems = [];
    for (const el of document.querySelectorAll('attrib-mark')) {
      const id = el.dataset.attribEntity;
      if (!id) problems.push(`attrib-mark without data-attrib-entity: ${JSON.stringify(el.textContent)}`);
      if (!el.textContent) problems.push(`empty attrib-mark [${id}]`);
      if (el.parentElement?.closest('attrib-mark'))
        problems.push(`attrib-mark nested in another attrib-mark: ${JSON.stringify(el.textContent)} [${id}]`);
    }
    return problems;
  });
}

/**
 * Forbidden elements (script, style, textarea, ...): no attrib-mark inside any of them, and each
 * one's outerHTML is byte-identical to the same element parsed from the raw page HTML
 * (fetch(location.href) + DOMParser). Element i of a selector in the live page is compared with
 * element i in the parsed copy; if the counts differ (the extension added such elements) the
 * lists are aligned in order and only the original elements must all be found unchanged.
 * @returns {Promise<{ problems: string[], notes: string[], counts: Record<string, number> }>}
 */
export async function checkForbidden(frame, selectors) {
  return frame.evaluate(async (selectors) => {
    const problems = [];
    const notes = [];
    const counts = {};
    const clip = (s) => (s.length > 300 ? `${s.slice(0, 300)}…` : s);
    const all = selectors.join(',');
    for (const mark of document.querySelectorAll('attrib-mark')) {
      const inside = mark.parentElement?.closest(all);
      if (inside)
        problems.push(
          `attrib-mark ${JSON.stringify(mark.textContent)} inside forbidden <${inside.localName}>: ${clip(inside.outerHTML)}`,
        );
    }
    const res = await fetch(location.href, { cache: 'no-store' });
    const raw = await res.text();
    const doc = new DOMParser().parseFromString(raw, 'text/html');
    for (const sel of selectors) {
      const live = [...document.querySelectorAll(sel)];
      const orig = [...doc.querySelectorAll(sel)];
      counts[sel] = orig.length;
      if (live.length === orig.length) {
        orig.forEach((o, i) => {
          if (live[i].outerHTML !== o.outerHTML)
            problems.push(
              `${sel} #${i} changed:\n      original: ${clip(o.outerHTML)}\n      now:      ${clip(live[i].outerHTML)}`,
            );
        });
        continue;
      }
      let j = 0;
      const extra = [];
      for (const el of live) {
        if (j < orig.length && el.outerHTML === orig[j].outerHTML) j++;
        else extra.push(el);
      }
      if (j < orig.length) {
        problems.push(
          `${sel}: ${orig.length} in the page source, ${live.length} live; source element #${j} not found unchanged:\n      original: ${clip(orig[j].outerHTML)}`,
        );
      } else {
        notes.push(
          `${sel}: ${extra.length} element(s) added to the page (originals unchanged): ${extra.map((e) => clip(e.outerHTML)).join(' | ')}`,
        );
      }
    }
    return { problems, notes, counts };
  }, selectors);
}

/**
 * None of the strings is highlighted: for every occurrence of a string in the page text, no
 * attrib-mark lies within it and no attrib-mark contains it. A string that does not occur on
 * the page is reported too (the fixture would be wrong).
 * @returns {Promise<string[]>} problems
 */
export async function checkNotHighlighted(frame, strings) {
  return frame.evaluate((strings) => {
    let text = '';
    const ranges = new Map();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const start = text.length;
      text += n.data;
      const mark = n.parentElement?.closest('attrib-mark');
      if (!mark) continue;
      const r = ranges.get(mark);
      if (r) r[1] = text.length;
      else ranges.set(mark, [start, text.length, mark]);
    }
    const marks = [...ranges.values()];
    const problems = [];
    for (const s of strings) {
      let found = 0;
      for (let at = text.indexOf(s); at !== -1; at = text.indexOf(s, at + 1)) {
        found++;
        const end = at + s.length;
        for (const [ms, me, el] of marks) {
          if ((ms >= at && me <= end) || (ms <= at && me >= end)) {
            const ctx = text.slice(Math.max(0, at - 30), end + 30).replace(/\s+/g, ' ');
            problems.push(
              `${JSON.stringify(s)} is highlighted as ${JSON.stringify(el.textContent)} [${el.dataset.attribEntity}] in "…${ctx}…"`,
            );
          }
        }
      }
      if (!found) problems.push(`fixture error: ${JSON.stringify(s)} does not occur on the page`);
    }
    return problems;
  }, strings);
}

/**
 * The page's text is unchanged by the extension: body text (all text nodes, noscript excluded,
 * the extension's closed-shadow UI contributes none) equals that of the page parsed from source.
 * @returns {Promise<string|null>} a description of the first difference, or null
 */
export async function checkTextUnchanged(frame) {
  return frame.evaluate(async () => {
    const flat = (root) => {
      let s = '';
      const walker = root.ownerDocument.createTreeWalker(
        root,
        NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT,
        {
          acceptNode: (n) =>
            n.nodeType === 1 && n.localName === 'noscript'
              ? NodeFilter.FILTER_REJECT
              : NodeFilter.FILTER_ACCEPT,
        },
      );
      for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.nodeType === 3) s += n.data;
      return s;
    };
    const raw = await (await fetch(location.href, { cache: 'no-store' })).text();
    const doc = new DOMParser().parseFromString(raw, 'text/html');
    const before = flat(doc.body);
    const after = flat(document.body);
    if (before === after) return null;
    let i = 0;
    while (i < before.length && before[i] === after[i]) i++;
    const ctx = (s) => JSON.stringify(s.slice(Math.max(0, i - 40), i + 40));
    return `page text differs from the source at char ${i} (source ${before.length} chars, live ${after.length}):\n      source: ${ctx(before)}\n      live:   ${ctx(after)}`;
  });
}

/**
 * The words that give a block cyber context (lib/match/matcher.ts CYBER_CONTEXT, documented in
 * README "Matching rules"). Used only to check that fixture traps sit in blocks WITHOUT context.
 */
export const CYBER_CONTEXT_SOURCE =
  '\\b(?:hack(?:s|ed|er|ers|ing)?|cyber\\w*|malware|ransomware|espionage|spyware|phishing|intrusions?|breach(?:es|ed)?|exploit(?:s|ed|ing)?|botnets?|backdoors?|threat actors?|APT\\s?-?\\d+|state-sponsored|zero-day|vulnerabilit(?:y|ies)|infosec)\\b';

/**
 * Fixture sanity for traps (strings that must not be highlighted BECAUSE their block gives no
 * reason to): every occurrence must sit in a block (nearest non-inline ancestor, as the matcher
 * cuts blocks) that holds no attrib-mark and, apart from the trap itself, no cyber vocabulary.
 * A trap that fails this would test nothing, so the fixture is reported as wrong.
 * @returns {Promise<string[]>} problems
 */
export async function checkTrapBlocks(frame, traps) {
  return frame.evaluate(
    ({ traps, source }) => {
      const INLINE = new Set(
        'A ABBR ACRONYM B BDI BDO BIG CITE DATA DEL DFN EM FONT I INS KBD LABEL MARK Q S SAMP SMALL SPAN STRIKE STRONG SUB SUP TIME TT U VAR ATTRIB-MARK'.split(
          ' ',
        ),
      );
      const cyber = new RegExp(source, 'i');
      const nodes = [];
      let text = '';
      // Only rendered page text: a trap string in a script's source is not a trap.
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
        acceptNode: (n) =>
          n.parentElement?.closest('script,style,noscript,template,textarea,title')
            ? NodeFilter.FILTER_REJECT
            : NodeFilter.FILTER_ACCEPT,
      });
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        nodes.push([text.length, n]);
        text += n.data;
      }
      if (!nodes.length) return [];
      const nodeAt = (offset) => {
        let lo = 0;
        let hi = nodes.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (nodes[mid][0] <= offset) lo = mid;
          else hi = mid - 1;
        }
        return nodes[lo][1];
      };
      const problems = [];
      for (const trap of traps) {
        for (let at = text.indexOf(trap); at !== -1; at = text.indexOf(trap, at + 1)) {
          let block = nodeAt(at).parentElement;
          while (block && INLINE.has(block.tagName)) block = block.parentElement;
          if (!block) continue;
          const rest = block.textContent.split(trap).join(' ');
          const m = rest.match(cyber);
          if (m)
            problems.push(
              `fixture error: trap ${JSON.stringify(trap)} is in a <${block.localName}> with cyber context (${JSON.stringify(m[0])})`,
            );
          const mark = block.querySelector('attrib-mark');
          if (mark)
            problems.push(
              `fixture error: trap ${JSON.stringify(trap)} is in a <${block.localName}> that also holds the highlight ${JSON.stringify(mark.textContent)} [${mark.dataset.attribEntity}]`,
            );
        }
      }
      return problems;
    },
    { traps, source: CYBER_CONTEXT_SOURCE },
  );
}

/**
 * Multiset comparison for precision/recall: a found mark is a true positive when an expected
 * mention with the same text and entity is still unmatched on the page.
 * @returns {{ expected: number, found: number, truePositives: number }}
 */
export function multisetMatch(expected, found) {
  const key = (m) => `${m.entity}\u0000${m.text}`;
  const left = new Map();
  for (const m of expected) left.set(key(m), (left.get(key(m)) ?? 0) + 1);
  let truePositives = 0;
  for (const m of found) {
    const n = left.get(key(m)) ?? 0;
    if (n > 0) {
      truePositives++;
      left.set(key(m), n - 1);
    }
  }
  return { expected: expected.length, found: found.length, truePositives };
}

/**
 * The rendered text of the page body: every text node outside script, style, noscript and
 * template, concatenated. Marks do not change it, so it must equal the same page's text in a
 * tab where the extension does not run (pages that build themselves by script included).
 */
export async function readBodyText(frame) {
  return frame.evaluate(() => {
    let s = '';
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
      acceptNode: (n) =>
        n.parentElement?.closest('script,style,noscript,template')
          ? NodeFilter.FILTER_REJECT
          : NodeFilter.FILTER_ACCEPT,
    });
    for (let n = walker.nextNode(); n; n = walker.nextNode()) s += n.data;
    return s;
  });
}

/** Where two texts first differ, with context, or null when equal. */
export function textDifference(expected, actual) {
  if (expected === actual) return null;
  let i = 0;
  while (i < expected.length && expected[i] === actual[i]) i++;
  const ctx = (s) => JSON.stringify(s.slice(Math.max(0, i - 50), i + 50));
  return `texts differ at char ${i} (expected ${expected.length} chars, got ${actual.length}):\n      expected: ${ctx(expected)}\n      actual:   ${ctx(actual)}`;
}
