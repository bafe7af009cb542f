import type { Dictionary } from '../match/dictionary';
import { Matcher } from '../match/matcher';
import { unwrapAll, wrapMentions } from './highlighter';
import { buildTextIndex, ENTITY_ATTRIBUTE, isInsideSkipped, MARK_TAG, OWN_UI_ATTRIBUTE } from './text-index';

/** Performance mark set after every complete scan pass; browser tests and the bench wait on it. */
export const SCAN_DONE_MARK = 'attrib-lens:scan-done';

/** How long new content may wait before it is scanned: batches React's bursts of mutations. */
const MUTATION_BATCH_MS = 120;

export interface PageHighlighterOptions {
  /** Called after each scan with mention counts per entity over the whole document. */
  onScanned?: (counts: Record<string, number>) => void;
}

/**
 * Highlights a document: a full scan at start, then incremental scans of added or changed text
 * (MutationObserver, batched), ignoring its own mutations. `stop()` removes every highlight and
 * restores the original DOM.
 */
export class PageHighlighter {
  private readonly matcher: Matcher;
  private readonly kinds: Map<string, string>;
  private observer: MutationObserver | undefined;
  private pendingRoots = new Set<Node>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private running = false;

  constructor(
    private readonly doc: Document,
    dictionary: Dictionary,
    private readonly options: PageHighlighterOptions = {},
  ) {
    this.matcher = Matcher.fromDictionary(dictionary);
    this.kinds = new Map(dictionary.map((entry) => [entry.entityId, entry.kind]));
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Scans the whole body and starts watching for new content. */
  start(): number {
    if (this.running) return 0;
    this.running = true;
    const created = this.scan(this.doc.body ?? this.doc.documentElement);
    this.observe();
    return created;
  }

  /** Stops watching and removes every highlight (the page DOM is restored). */
  stop(): number {
    this.running = false;
    this.observer?.disconnect();
    this.observer = undefined;
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.pendingRoots.clear();
    const removed = unwrapAll(this.doc);
    this.report();
    return removed;
  }

  /** Counts of highlighted mentions per entity in the document. */
  countMentions(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const mark of this.doc.querySelectorAll(MARK_TAG)) {
      const id = mark.getAttribute(ENTITY_ATTRIBUTE);
      if (id) counts[id] = (counts[id] ?? 0) + 1;
    }
    return counts;
  }

  private scan(root: Node): number {
    if (!root.isConnected || isInsideSkipped(root)) return 0;
    const index = buildTextIndex(root, { skipMarks: true });
    const mentions = this.matcher.findMentions(index.segments);
    const marks = wrapMentions(index, mentions, (id) => this.kinds.get(id));
    // Our own wrapping is not new content.
    this.observer?.takeRecords();
    this.report();
    return marks.length;
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
    const target = this.doc.body ?? this.doc.documentElement;
    this.observer = new MutationObserver((records) => this.collect(records));
    this.observer.observe(target, { childList: true, subtree: true, characterData: true });
  }

  private collect(records: MutationRecord[]): void {
    for (const record of records) {
      if (record.type === 'characterData') {
        const parent = record.target.parentNode;
        if (parent && !isOwn(parent)) this.pendingRoots.add(parent);
        continue;
      }
      for (const node of record.addedNodes) {
        if (isOwn(node)) continue;
        this.pendingRoots.add(node.nodeType === Node.TEXT_NODE && node.parentNode ? node.parentNode : node);
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
    for (const root of outermost) {
      // Text inside one of our marks changed: rescan its block (the mark may no longer fit).
      this.scan(root.nodeType === Node.TEXT_NODE ? (root.parentNode ?? root) : root);
    }
  }
}

/** True for our marks and UI hosts (and text inside marks), whose mutations are our own. */
function isOwn(node: Node): boolean {
  const element = node.nodeType === Node.ELEMENT_NODE ? (node as Element) : node.parentElement;
  if (!element) return false;
  return element.tagName === 'ATTRIB-MARK' || element.closest(`[${OWN_UI_ATTRIBUTE}]`) !== null;
}
