import type { Dictionary } from '../match/dictionary';
import { Matcher, type Mention } from '../match/matcher';
import { discardPiecesOf, unwrapAll, wrapMentions } from './highlighter';
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

/** How long new content may wait before it is scanned: batches React's bursts of mutations. */
const MUTATION_BATCH_MS = 120;
/** Work per task before giving the page the main thread back (one frame is ~16 ms). */
const SLICE_MS = 8;
/** Wrapping is checked against the clock every this many mentions. */
const WRAP_BATCH = 32;

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
  private readonly matcher: Matcher;
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

  constructor(
    private readonly doc: Document,
    dictionary: Dictionary,
    private readonly options: PageHighlighterOptions = {},
  ) {
    this.matcher = Matcher.fromDictionary(dictionary);
    this.kinds = new Map(dictionary.map((entry) => [entry.entityId, entry.kind]));
    this.scheduler = options.scheduler ?? taskScheduler();
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

  private async scan(root: Node, generation: number): Promise<number> {
    if (!root.isConnected || isInsideSkipped(root)) return 0;
    const live = () => generation === this.generation;
    const index: TextIndex = { segments: [], nodes: [] };
    const session = this.matcher.startSession();
    const mutationsAtStart = this.pageMutations;
    const walker = new TextWalker(root, { skipMarks: true });
    let deadline = performance.now() + SLICE_MS;
    const pause = () => performance.now() > deadline;
    // Walk and scan in the same pass: each text node is fed to the automaton as it is reached.
    while (walker.collect(index, (segment) => session.add(segment), pause)) {
      await this.scheduler.yield();
      if (!live()) return 0;
      deadline = performance.now() + SLICE_MS;
    }
    const mentions = session.finish(walker.blocksWithSkippedMarks());
    let created = 0;
    // Wrap from the last mention backwards (offsets before a split stay valid), a batch at a time.
    let end = mentions.length;
    while (end > 0) {
      if (performance.now() > deadline) {
        await this.scheduler.yield();
        if (!live()) return created;
        deadline = performance.now() + SLICE_MS;
      }
      const begin = Math.max(0, end - WRAP_BATCH);
      created += this.wrap(index, mentions.slice(begin, end), this.pageMutations !== mutationsAtStart);
      end = begin;
    }
    this.report();
    return created;
  }

  /**
   * Wraps with the observer disconnected: our splits and marks are not new content. Records the
   * page queued before are taken first and still handled.
   */
  private wrap(index: TextIndex, mentions: Mention[], verify: boolean): number {
    const observer = this.observer;
    const pending = observer?.takeRecords() ?? [];
    if (pending.length > 0) this.pageMutations++;
    observer?.disconnect();
    try {
      const marks = wrapMentions(index, mentions, (id) => this.kinds.get(id), {
        verify: verify || pending.length > 0,
      });
      for (const mark of marks) {
        const id = mark.getAttribute(ENTITY_ATTRIBUTE);
        if (id) this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
      }
      return marks.length;
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
