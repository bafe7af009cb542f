// In-page harness for `npm run bench`, bundled as an IIFE by bench/build-bundle.mjs and injected as
// an init script. Every measurement starts from a timer task (as page work would), is timed with
// performance.now() and resolves with plain JSON.

import { wrapMentions } from '../lib/dom/highlighter.ts';
import { PageHighlighter } from '../lib/dom/page-highlighter.ts';
import { buildTextIndex } from '../lib/dom/text-index.ts';
import { compileAutomaton, StreamScanner } from '../lib/match/automaton.ts';
import type { Dictionary } from '../lib/match/dictionary.ts';
import { spellingVariants } from '../lib/match/dictionary.ts';
import { foldText } from '../lib/match/fold.ts';
import { Matcher } from '../lib/match/matcher.ts';

interface MarkInstance {
  mark(keywords: string[], options: Record<string, unknown>): void;
  markRegExp(regexp: RegExp, options: Record<string, unknown>): void;
}
type MarkConstructor = new (context: Element) => MarkInstance;

/** Runs `work` in its own timer task, so it is a page task like any other (long-task reporting). */
function inTask<T>(work: () => Promise<T> | T): Promise<T> {
  return new Promise((resolve, reject) => {
    setTimeout(() => {
      Promise.resolve().then(work).then(resolve, reject);
    }, 0);
  });
}

/** Records long tasks (Chrome reports only those ≥ 50 ms) that overlap [from, to]. */
function watchLongTasks(): {
  finish(windows: [number, number][]): Promise<{ max: number; count: number }[]>;
} {
  const entries: PerformanceEntry[] = [];
  let observer: PerformanceObserver | undefined;
  try {
    observer = new PerformanceObserver((list) => entries.push(...list.getEntries()));
    observer.observe({ type: 'longtask', buffered: true });
  } catch {
    observer = undefined;
  }
  return {
    async finish(windows) {
      // Entries are delivered after their task ends: give the observer a task to run in.
      await new Promise((resolve) => setTimeout(resolve, 30));
      if (observer) {
        entries.push(...observer.takeRecords());
        observer.disconnect();
      }
      return windows.map(([from, to]) => {
        let max = 0;
        let count = 0;
        for (const entry of entries) {
          if (entry.startTime + entry.duration < from || entry.startTime > to) continue;
          count++;
          max = Math.max(max, entry.duration);
        }
        return { max, count };
      });
    },
  };
}

/**
 * A MessageChannel ping-pong: one message is always in flight, so the largest interval between two
 * heartbeats is the longest time the main thread could not run a task (what a click would wait).
 */
function startHeartbeat(): { stop(): Promise<{ maxGap: number; beats: number }> } {
  const channel = new MessageChannel();
  let last = performance.now();
  let maxGap = 0;
  let beats = 0;
  let running = true;
  let finish: ((value: { maxGap: number; beats: number }) => void) | undefined;
  channel.port1.onmessage = () => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
    beats++;
    if (running) channel.port2.postMessage(0);
    else {
      channel.port1.close();
      finish?.({ maxGap, beats });
    }
  };
  channel.port2.postMessage(0);
  return {
    stop() {
      return new Promise((resolve) => {
        finish = resolve;
        running = false;
      });
    },
  };
}

function countMarks(selector: string): number {
  return document.querySelectorAll(selector).length;
}

/**
 * Resolves with the time of the first animation frame in which the document holds a highlight: the
 * frame that paints the first marks (polled from requestAnimationFrame, one cheap query per frame).
 */
function firstMarkFrame(selector: string, limitMs = 30_000): Promise<number | null> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const poll = () => {
      const now = performance.now();
      if (document.querySelector(selector)) resolve(now);
      else if (now - t0 > limitMs) resolve(null);
      else requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
  });
}

/** Resolves after the next frame has been rendered (style, layout and paint of pending DOM changes). */
function afterNextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

interface MarkjsResult {
  ms: number;
  paintedMs: number;
  marks: number;
  marksInDom: number;
  longTaskMax: number;
}

/** Runs one mark.js pass in its own task; adds the time to the next rendered frame and long tasks. */
async function markjsTimed(
  pass: (t0: number) => Promise<{ ms: number; marks: number }>,
  instrument = false,
): Promise<MarkjsResult> {
  const stamp = (label: string) => {
    if (instrument) console.timeStamp(`attrib-bench:${label}`);
  };
  const longTasks = watchLongTasks();
  const run = await inTask(async () => {
    stamp('start');
    const t0 = performance.now();
    const result = await pass(t0);
    stamp('done');
    return { t0, ...result };
  });
  await afterNextFrame();
  const t2 = performance.now();
  stamp('painted');
  const tasks = await longTasks.finish([[run.t0, t2]]);
  return {
    ms: run.ms,
    paintedMs: t2 - run.t0,
    marks: run.marks,
    marksInDom: countMarks('mark.bench-markjs'),
    longTaskMax: tasks[0]?.max ?? 0,
  };
}

const bench = {
  /** The floor: one TreeWalker(SHOW_TEXT) pass reading every text node's data. */
  treewalk(): Promise<{ ms: number; nodes: number; chars: number }> {
    return inTask(() => {
      const t0 = performance.now();
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      let nodes = 0;
      let chars = 0;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        chars += (node as Text).data.length;
        nodes++;
      }
      return { ms: performance.now() - t0, nodes, chars };
    });
  },

  /**
   * Ours, end to end: matcher compile + scan + wrap of the whole page (`ms`, until start() resolves),
   * and until the next frame after it is rendered (`paintedMs`: the layout of the wrapped page).
   * Long tasks are read for [start, done] (`jsLongTaskMax`) and [start, painted] (`longTaskMax`).
   * With `instrument`, also a MessageChannel heartbeat and console.timeStamp() marks that delimit
   * the run in a Chromium trace.
   */
  async ours(
    dictionary: Dictionary,
    options: { instrument?: boolean } = {},
  ): Promise<{
    ms: number;
    paintedMs: number;
    constructorMs: number;
    created: number;
    marksInDom: number;
    longTaskMax: number;
    longTaskCount: number;
    jsLongTaskMax: number;
    firstMarkMs: number | null;
    heartbeatMaxGap: number | null;
    heartbeats: number | null;
    scanDoneMarks: number;
  }> {
    const stamp = (label: string) => {
      if (options.instrument) console.timeStamp(`attrib-bench:${label}`);
    };
    const longTasks = watchLongTasks();
    const heartbeat = options.instrument ? startHeartbeat() : undefined;
    performance.clearMarks('attrib-lens:scan-done');
    const firstMark = firstMarkFrame('attrib-mark');
    const run = await inTask(async () => {
      stamp('start');
      const t0 = performance.now();
      const highlighter = new PageHighlighter(document, dictionary);
      const tc = performance.now();
      const created = await highlighter.start();
      const t1 = performance.now();
      stamp('done');
      return { t0, tc, t1, created };
    });
    await afterNextFrame();
    const t2 = performance.now();
    stamp('painted');
    const firstMarkAt = await firstMark;
    const beat = heartbeat ? await heartbeat.stop() : undefined;
    const tasks = await longTasks.finish([
      [run.t0, run.t1],
      [run.t0, t2],
    ]);
    return {
      ms: run.t1 - run.t0,
      paintedMs: t2 - run.t0,
      constructorMs: run.tc - run.t0,
      created: run.created,
      marksInDom: countMarks('attrib-mark'),
      longTaskMax: tasks[1]?.max ?? 0,
      longTaskCount: tasks[1]?.count ?? 0,
      jsLongTaskMax: tasks[0]?.max ?? 0,
      firstMarkMs: firstMarkAt === null ? null : firstMarkAt - run.t0,
      heartbeatMaxGap: beat ? beat.maxGap : null,
      heartbeats: beat ? beat.beats : null,
      scanDoneMarks: performance.getEntriesByName('attrib-lens:scan-done').length,
    };
  },

  /** Where our time goes: the same pipeline step by step, each step synchronous. */
  breakdown(dictionary: Dictionary): Promise<Record<string, number>> {
    return inTask(async () => {
      const t0 = performance.now();
      // The pattern set Matcher.fromDictionary builds, compiled alone (automaton only).
      const patterns = new Set<string>();
      for (const entry of dictionary) for (const v of spellingVariants(entry.text)) patterns.add(foldText(v));
      const t1 = performance.now();
      const automaton = compileAutomaton([...patterns]);
      const t2 = performance.now();
      const matcher = Matcher.fromDictionary(dictionary);
      const t3 = performance.now();
      const index = buildTextIndex(document.body, { skipMarks: true });
      const t4 = performance.now();
      // Raw automaton scan with a counting sink: the floor of findMentions.
      const scanner = new StreamScanner(automaton);
      let rawHits = 0;
      const sink = () => {
        rawHits++;
      };
      let block = Number.NaN;
      for (const segment of index.segments) {
        if (segment.block !== block) {
          scanner.breakBlock();
          block = segment.block;
        }
        scanner.feed(segment.text, segment.start, sink);
      }
      const t5 = performance.now();
      // findMentions = session.add (scan + per-hit checks) for every segment, then session.finish (rules).
      const session = matcher.startSession();
      for (const segment of index.segments) session.add(segment);
      const t6 = performance.now();
      const mentions = session.finish();
      const t7 = performance.now();
      const kinds = new Map(dictionary.map((entry) => [entry.entityId, entry.kind]));
      const marks = wrapMentions(index, mentions, (id) => kinds.get(id));
      const t8 = performance.now();
      await afterNextFrame();
      const t9 = performance.now();
      let textChars = 0;
      for (const segment of index.segments) textChars += segment.text.length;
      return {
        variantsMs: t1 - t0,
        compileAutomatonMs: t2 - t1,
        fromDictionaryMs: t3 - t2,
        buildTextIndexMs: t4 - t3,
        rawScanMs: t5 - t4,
        sessionAddMs: t6 - t5,
        sessionFinishMs: t7 - t6,
        findMentionsMs: t7 - t5,
        wrapMentionsMs: t8 - t7,
        nextFrameMs: t9 - t8,
        totalMs: t8 - t2,
        patterns: automaton.patternCount,
        states: automaton.stateCount,
        classes: automaton.classCount,
        tableBytes: automaton.next.byteLength,
        segments: index.segments.length,
        textChars,
        rawHits,
        mentions: mentions.length,
        marks: marks.length,
      };
    });
  },

  /** mark.js 8.11.1, one combined case-sensitive RegExp of every alias (longest first). */
  markjsRegExp(aliases: string[], instrument = false): Promise<MarkjsResult> {
    const Mark = (window as unknown as { Mark: MarkConstructor }).Mark;
    return markjsTimed(
      (t0) =>
        new Promise((resolve) => {
          const escaped = [...aliases]
            .sort((a, b) => b.length - a.length)
            .map((alias) => alias.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
          const regexp = new RegExp(`\\b(?:${escaped.join('|')})\\b`, 'gm');
          new Mark(document.body).markRegExp(regexp, {
            className: 'bench-markjs',
            done(marks: number) {
              resolve({ ms: performance.now() - t0, marks });
            },
          });
        }),
      instrument,
    );
  },

  /** mark.js 8.11.1, array mode: one DOM pass per alias. */
  markjsArray(aliases: string[], instrument = false): Promise<MarkjsResult> {
    const Mark = (window as unknown as { Mark: MarkConstructor }).Mark;
    return markjsTimed(
      (t0) =>
        new Promise((resolve) => {
          new Mark(document.body).mark([...aliases], {
            className: 'bench-markjs',
            separateWordSearch: false,
            accuracy: 'exactly',
            caseSensitive: true,
            done(marks: number) {
              resolve({ ms: performance.now() - t0, marks });
            },
          });
        }),
      instrument,
    );
  },

  /** Waits until the initial layout and paint of the freshly loaded page are behind us. */
  settle(): Promise<void> {
    return new Promise((resolve) =>
      requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 50))),
    );
  },
};

declare global {
  interface Window {
    __attribLensBench: typeof bench;
  }
}

window.__attribLensBench = bench;
