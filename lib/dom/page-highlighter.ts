import type { Dictionary } from '../match/dictionary';
import { Matcher, type Mention } from '../match/matcher';
import { discardPiecesOf, unwrapAll, wrapMentionsInOrder } from './highlighter';
import { isNoteMutation } from './note-highlighter';
import {
  blockParentOf,
  ENTITY_ATTRIBUTE,
  isInlineElement,
  isInsideSkipped,
  MARK_TAG,
  OWN_UI_ATTRIBUTE,
  type TextIndex,
  TextWalker,
} from './text-index';
import { type Scheduler, taskScheduler } from './yield-to-page';

/** Performance mark set after every complete scan pass; browser tests and the bench wait on it. */
export const SCAN_DONE_MARK = 'attrib-lens:scan-done';
/** Performance mark set when the matcher is compiled (a start-up phase). */
const COMPILED_MARK = 'attrib-lens:compiled';

/** How long new content may wait before it is scanned: batches React's bursts of mutations. */
const MUTATION_BATCH_MS = 120;
/** Work per task before giving the page the main thread back (one frame is ~16 ms). */
const SLICE_MS = 8;
/**
 * Marks made before the browser must render a frame. Each mention splits page text, and Chromium
 * pays ≈25 µs of layout per split in the next frame (12k splits: 290–330 ms in one frame, bench/);
 * 600 kept the frames after a slice at 26–46 ms on the 2 MB bench page (1,000: 35–55 ms).
 */
export const MARKS_PER_FRAME = 600;

export interface PageHighlighterOptions {
  /** Called after each scan with mention counts per entity over the whole document. */
  onScanned?: (counts: Record<string, number>) => void;
  /** How to give the main thread back between slices (tests may run synchronously). */
  scheduler?: Scheduler;
}

/**
 * Highlights a document: a full scan at start, then incremental scans of added or changed text
 * (MutationObserver, batched), ignoring its own mutations. All work is cut into slices of ~8 ms so
 * the page never stalls. `stop()` removes every highlight and restores the original DOM.
 */
export class PageHighlighter {
  /** Compiled by prepare() or the first scan. */
  private matcher: Promise<Matcher> | undefined;
  private readonly kinds: Map<string, string>;
  private readonly scheduler: Scheduler;
  private observer: MutationObserver | undefined;
  private pendingRoots = new Set<Node>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  /** Incremented by stop(): work started under an older generation gives up. */
  private generation = 0;
  /** Scans run one after another. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Counts mutation records from the page (not ours): a scan verifies text only if this moved. */
  private pageMutations = 0;
  private readonly counts = new Map<string, number>();
  /** Set when marks may have left the document: the next count reads the DOM. */
  private countsStale = false;

  private readonly dictionary: Dictionary;

  constructor(
    private readonly doc: Document,
    dictionary: Dictionary,
    private readonly options: PageHighlighterOptions = {},
  ) {
    this.dictionary = dictionary;
    this.kinds = new Map(dictionary.map((entry) => [entry.entityId, entry.kind]));
    this.scheduler = options.scheduler ?? taskScheduler();
  }

  /**
   * Compiles the matcher (once) without touching the page. While the page is parsing, every yield
   * waits behind a parser task, so it compiles in one go (≈35 ms for the 2 MB bench dictionary);
   * otherwise a step per task.
   */
  prepare(): Promise<Matcher> {
    this.matcher ??= (
      this.doc.readyState === 'loading'
        ? Promise.resolve().then(() => Matcher.fromDictionary(this.dictionary))
        : Matcher.compileInSteps(this.dictionary, () => this.scheduler.yield())
    ).then((matcher) => {
      performance.mark(COMPILED_MARK);
      return matcher;
    });
    return this.matcher;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Starts watching for new content and highlights the whole body; resolves with the marks made. */
  start(): Promise<number> {
    if (this.running) return Promise.resolve(0);
    this.running = true;
    this.observe();
    return this.enqueue(this.doc.body ?? this.doc.documentElement);
  }

  /** Stops watching and removes every highlight (the page DOM is restored). */
  stop(): number {
    this.running = false;
    this.generation++;
    this.observer?.disconnect();
    this.observer = undefined;
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.pendingRoots.clear();
    const removed = unwrapAll(this.doc);
    this.counts.clear();
    this.countsStale = false;
    this.report();
    return removed;
  }

  /**
   * Counts of highlighted mentions per entity in the document. Kept up to date as marks are made;
   * recounted from the DOM only after marks were removed (a whole-document query per pass cost
   * 49 ms on the 2 MB bench page).
   */
  countMentions(): Record<string, number> {
    if (this.countsStale) {
      this.counts.clear();
      for (const mark of this.doc.querySelectorAll(MARK_TAG)) {
        const id = mark.getAttribute(ENTITY_ATTRIBUTE);
        if (id) this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
      }
      this.countsStale = false;
    }
    return Object.fromEntries(this.counts);
  }

  /** Resolves when every queued scan has finished (tests, benchmarks). */
  idle(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  private enqueue(root: Node): Promise<number> {
    const generation = this.generation;
    const run = this.queue.then(() => (generation === this.generation ? this.scan(root, generation) : 0));
    this.queue = run.catch(() => 0);
    return run;
  }

  /**
   * Walks and scans in slices; after each slice the mentions of the blocks already complete are
   * wrapped, top of the page first, so a reader sees highlights where they are reading long before
   * the end of a long page is scanned.
   */
  private async scan(root: Node, generation: number): Promise<number> {
    const matcher = await this.prepare();
    // A task of its own: the page has waited for the compile or for whatever queued this scan.
    await this.scheduler.yield();
    const live = () => generation === this.generation;
    if (!live() || !root.isConnected || isInsideSkipped(root)) return 0;
    const index: TextIndex = { segments: [], nodes: [] };
    const session = matcher.startSession();
    const mutationsAtStart = this.pageMutations;
    const walker = new TextWalker(root, { skipMarks: true });
    let sliceStart = performance.now();
    let deadline = sliceStart + SLICE_MS;
    let marksThisFrame = 0;
    const pause = () => performance.now() > deadline;
    // With mentions waiting to be wrapped, the walk gets half a slice: wrapping keeps pace with
    // reading (both cost about the same per page), so the top is highlighted while the rest is read.
    let walkDeadline = deadline;
    const pauseWalk = () => performance.now() > walkDeadline;
    let ready: Mention[] = [];
    let created = 0;
    let walking = true;
    for (;;) {
      if (walking) {
        // Walk and scan in the same pass: each text node is fed to the automaton as it is reached.
        walkDeadline = ready.length > 0 ? sliceStart + SLICE_MS / 2 : deadline;
        walking = walker.collect(index, (segment) => session.add(segment), pauseWalk);
        const context = walker.blocksWithSkippedMarks();
        // While walking, the block being read may still grow: drain the complete ones before it.
        const found = walking ? session.drain(walker.openBlock, context) : session.finish(context);
        if (found.length > 0) ready = ready.length > 0 ? ready.concat(found) : found;
      }
      // At least one run per slice (shouldStop is asked after each run): progress is guaranteed.
      if (ready.length > 0 && marksThisFrame < MARKS_PER_FRAME) {
        const verify = this.pageMutations !== mutationsAtStart;
        const before = marksThisFrame;
        const { made, consumed } = this.wrap(
          index,
          ready,
          verify,
          (madeNow) => pause() || before + madeNow >= MARKS_PER_FRAME,
        );
        marksThisFrame += made;
        created += made;
        ready = consumed === ready.length ? [] : ready.slice(consumed);
      }
      if (!walking && ready.length === 0) break;
      if (marksThisFrame >= MARKS_PER_FRAME) {
        await this.scheduler.frame();
        marksThisFrame = 0;
      } else await this.scheduler.yield();
      if (!live()) return created;
      sliceStart = performance.now();
      deadline = sliceStart + SLICE_MS;
    }
    this.report();
    return created;
  }

  /**
   * Wraps with the observer disconnected: our splits and marks are not new content. Records the
   * page queued before are taken first and still handled.
   */
  private wrap(
    index: TextIndex,
    mentions: Mention[],
    verify: boolean,
    shouldStop: (marksMade: number) => boolean,
  ): { made: number; consumed: number } {
    const observer = this.observer;
    const pending = observer?.takeRecords() ?? [];
    if (pending.length > 0) this.pageMutations++;
    observer?.disconnect();
    try {
      const { marks, consumed } = wrapMentionsInOrder(index, mentions, (id) => this.kinds.get(id), {
        verify: verify || pending.length > 0,
        shouldStop,
      });
      for (const mark of marks) {
        const id = mark.getAttribute(ENTITY_ATTRIBUTE);
        if (id) this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
      }
      return { made: marks.length, consumed };
    } finally {
      if (observer && this.observer === observer) this.startObserving(observer);
      if (pending.length > 0) this.collect(pending);
    }
  }

  private report(): void {
    const counts = this.countMentions();
    const marks = Object.values(counts).reduce((sum, n) => sum + n, 0);
    try {
      performance.mark(SCAN_DONE_MARK, { detail: { marks } });
    } catch {
      // performance.mark with detail is missing in very old engines; the mark is only a signal.
    }
    this.options.onScanned?.(counts);
  }

  private observe(): void {
    this.observer = new MutationObserver((records) => this.collect(records));
    this.startObserving(this.observer);
  }

  private startObserving(observer: MutationObserver): void {
    observer.observe(this.doc.body ?? this.doc.documentElement, {
      childList: true,
      subtree: true,
      characterData: true,
      // Needed to tell a split (old text starts with the new) from a rewrite by the page.
      characterDataOldValue: true,
    });
  }

  private collect(records: MutationRecord[]): void {
    if (!this.running) return;
    if (records.length > 0) this.pageMutations++;
    for (const record of records) {
      if (record.type === 'characterData') {
        // Note highlights split and merge text nodes too; those are not the page rewriting text.
        if (isNoteMutation(record)) continue;
        const text = record.target as Text;
        // The page rewrote a node we split: drop our pieces so its text is the page's again. A node
        // cut short (its old text starts with the new) was split, by us or a note highlight: keep.
        const truncated = record.oldValue?.startsWith(text.data) === true;
        if (!truncated && discardPiecesOf(text)) this.countsStale = true;
        // Rescan the whole block: an ambiguous name needs the paragraph around it as context.
        const block = blockParentOf(text);
        if (block && !isOwn(block)) this.pendingRoots.add(block);
        continue;
      }
      for (const node of record.removedNodes) {
        if (node instanceof Element && (node.tagName === 'ATTRIB-MARK' || node.querySelector(MARK_TAG))) {
          this.countsStale = true;
        }
      }
      for (const node of record.addedNodes) {
        if (isOwn(node)) continue;
        const inline = node.nodeType === Node.TEXT_NODE || (node instanceof Element && isInlineElement(node));
        this.pendingRoots.add(inline ? (blockParentOf(node) ?? node) : node);
      }
    }
    if (this.pendingRoots.size > 0 && this.flushTimer === undefined) {
      this.flushTimer = setTimeout(() => this.flush(), MUTATION_BATCH_MS);
    }
  }

  private flush(): void {
    this.flushTimer = undefined;
    if (!this.running) return;
    const roots = [...this.pendingRoots].filter((node) => node.isConnected);
    this.pendingRoots.clear();
    // Scan only outermost roots; a root inside another is covered by it.
    const outermost = roots.filter((node) => !roots.some((other) => other !== node && other.contains(node)));
    for (const root of outermost) void this.enqueue(root);
  }
}

/** True for our marks and UI hosts (and text inside marks), whose mutations are our own. */
function isOwn(node: Node): boolean {
  const element = node.nodeType === Node.ELEMENT_NODE ? (node as Element) : node.parentElement;
  if (!element) return false;
  return (
    element.tagName === 'ATTRIB-MARK' ||
    element.tagName === 'ATTRIB-NOTE' ||
    element.closest(`[${OWN_UI_ATTRIBUTE}]`) !== null
  );
}
