import { cutsWord, matchQuoteInChunks } from '../annotations/match-quote';
import type {
  RangeSelector,
  Selectors,
  TextPositionSelector,
  TextQuoteSelector,
} from '../annotations/schema';
import { MARK_TAG, type TextIndex, TextWalker } from './text-index';
import { taskScheduler } from './yield-to-page';

/**
 * Turns a selection into selectors and selectors back into a Range (W3C Web Annotation selectors,
 * as Hypothesis anchors them). Text coordinates are the concatenation of every text node the
 * {@link TextWalker} visits under the root (scripts, form fields and our UI left out); entity marks
 * and note highlights are transparent, so highlighting never moves an annotation.
 */

/** The custom element of note highlights (see note-highlighter.ts). */
export const NOTE_TAG = 'attrib-note';
/** Characters of context stored on each side of a quote. */
export const CONTEXT_LENGTH = 32;
/** Longest quote the annotation schema accepts (`TextQuoteSelector.exact`). */
export const MAX_QUOTE_LENGTH = 20_000;
/** Work per task while collecting text before giving the page the thread back. */
const SLICE_MS = 8;
/** Collecting and matching restart when the page changed meanwhile; this many tries. */
const MAX_ATTEMPTS = 3;

const DOCUMENT_POSITION_FOLLOWING = 4;
const DOCUMENT_POSITION_CONTAINED_BY = 16;

/** How an annotation was found again: verified position, exact quote, or approximate quote. */
export type AnchorMethod = 'position' | 'quote' | 'fuzzy';

/** A re-anchored annotation. */
export interface Anchored {
  range: Range;
  method: AnchorMethod;
}

/** Options for {@link anchor}. */
export interface AnchorOptions {
  /** Gives the main thread back between slices; defaults to a task (`scheduler.yield` or MessageChannel). */
  yieldFn?: () => Promise<void>;
  /** Aborting rejects the promise with the signal's reason. */
  signal?: AbortSignal;
}

/** Our own wrappers, transparent for paths: they come and go without the page changing. */
function isOwnWrapper(node: Node): boolean {
  if (node.nodeType !== 1) return false;
  const tag = (node as Element).tagName;
  return tag === 'ATTRIB-MARK' || tag === 'ATTRIB-NOTE' || tag === MARK_TAG || tag === NOTE_TAG;
}

/**
 * The flat text of a root with the way back from offsets to text nodes. Offsets are those of
 * {@link TextWalker} with marks included.
 */
export class FlatText {
  /** The concatenated text. */
  readonly text: string;
  private readonly starts: number[];
  /** Node → number, built on first use: anchoring itself never needs it (65k nodes ≈ 20 ms). */
  private positionMap: Map<Node, number> | undefined;

  constructor(
    readonly root: Node,
    readonly index: TextIndex,
  ) {
    const { segments } = index;
    const texts = new Array<string>(segments.length);
    this.starts = new Array<number>(segments.length);
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i] as TextIndex['segments'][number];
      texts[i] = segment.text;
      this.starts[i] = segment.start;
    }
    this.text = texts.join('');
  }

  private get positions(): Map<Node, number> {
    if (!this.positionMap) {
      this.positionMap = new Map();
      const { nodes } = this.index;
      for (let i = 0; i < nodes.length; i++) this.positionMap.set(nodes[i] as Text, i);
    }
    return this.positionMap;
  }

  /** Collects the text of `root` in one synchronous pass. */
  static of(root: Node): FlatText {
    const index: TextIndex = { segments: [], nodes: [] };
    new TextWalker(root).collect(index);
    return new FlatText(root, index);
  }

  /**
   * Collects the text of `root` in slices of ~8 ms, awaiting `yieldFn` between them (checks
   * `signal` after each).
   */
  static async collect(root: Node, yieldFn: () => Promise<void>, signal?: AbortSignal): Promise<FlatText> {
    const index: TextIndex = { segments: [], nodes: [] };
    const walker = new TextWalker(root);
    let deadline = performance.now() + SLICE_MS;
    while (walker.collect(index, undefined, () => performance.now() > deadline)) {
      await yieldFn();
      signal?.throwIfAborted();
      deadline = performance.now() + SLICE_MS;
    }
    return new FlatText(root, index);
  }

  /** Flat offset of a DOM boundary point: characters of visited text before it. */
  offsetOf(container: Node, offset: number): number {
    const position = this.positions.get(container);
    if (position !== undefined) {
      const segment = this.index.segments[position];
      const length = segment?.text.length ?? 0;
      return (this.starts[position] ?? 0) + Math.min(Math.max(0, offset), length);
    }
    if (container.nodeType === 1 || container.nodeType === 9 || container.nodeType === 11) {
      const child = container.childNodes[offset];
      if (child) {
        return this.firstFrom(
          (node) =>
            node === child || (child.compareDocumentPosition(node) & DOCUMENT_POSITION_FOLLOWING) !== 0,
        );
      }
    }
    // After everything in `container` (or a text node we do not read, e.g. in a <script>).
    return this.firstFrom(
      (node) =>
        (container.compareDocumentPosition(node) &
          (DOCUMENT_POSITION_FOLLOWING | DOCUMENT_POSITION_CONTAINED_BY)) ===
        DOCUMENT_POSITION_FOLLOWING,
    );
  }

  /** Start offset of the first visited node satisfying a predicate monotonic in document order. */
  private firstFrom(isAtOrAfter: (node: Text) => boolean): number {
    const nodes = this.index.nodes;
    let low = 0;
    let high = nodes.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (isAtOrAfter(nodes[middle] as Text)) high = middle;
      else low = middle + 1;
    }
    return low < nodes.length ? (this.starts[low] ?? 0) : this.text.length;
  }

  /**
   * The text node and offset at a flat offset. An end offset on a node boundary stays at the end
   * of the earlier node (so a range never spills into the next block).
   */
  pointAt(offset: number, isEnd: boolean): { node: Text; offset: number; position: number } | null {
    const nodes = this.index.nodes;
    if (nodes.length === 0) return null;
    let low = 0;
    let high = nodes.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      const start = this.starts[middle] ?? 0;
      if (isEnd ? start < offset : start <= offset) low = middle;
      else high = middle - 1;
    }
    const node = nodes[low] as Text;
    const length = this.index.segments[low]?.text.length ?? 0;
    return { node, offset: Math.min(length, Math.max(0, offset - (this.starts[low] ?? 0))), position: low };
  }

  /** A Range over flat [start, end), or null when the text is empty. */
  toRange(start: number, end: number): Range | null {
    const from = this.pointAt(start, false);
    const to = this.pointAt(end, true);
    if (!from || !to) return null;
    const range = from.node.ownerDocument.createRange();
    // Start from the common ancestor's contents: setStart/setEnd then only compare nearby points
    // (happy-dom compares against the document start by walking the whole tree: 200 ms on 2 MB).
    range.selectNodeContents(commonAncestor(from.node, to.node));
    range.setStart(from.node, from.offset);
    range.setEnd(to.node, to.offset);
    return range;
  }

  /** True when the nodes holding flat [start, end) still hold the text they were read with. */
  unchanged(start: number, end: number): boolean {
    const from = this.pointAt(start, false);
    const to = this.pointAt(end, true);
    if (!from || !to) return false;
    for (let i = from.position; i <= to.position; i++) {
      const node = this.index.nodes[i];
      if (!node?.isConnected || node.data !== this.index.segments[i]?.text) return false;
      if (!this.root.contains(node)) return false;
    }
    return true;
  }
}

function commonAncestor(a: Node, b: Node): Node {
  const ancestors = new Set<Node>();
  for (let node: Node | null = a; node; node = node.parentNode) ancestors.add(node);
  for (let node: Node | null = b; node; node = node.parentNode) if (ancestors.has(node)) return node;
  return a.ownerDocument ?? a;
}

/** The quote with ~32 characters of context on each side, from flat offsets. */
export function quoteSelectorOf(flat: FlatText, start: number, end: number): TextQuoteSelector {
  return {
    type: 'TextQuoteSelector',
    exact: flat.text.slice(start, end),
    prefix: flat.text.slice(Math.max(0, start - CONTEXT_LENGTH), start),
    suffix: flat.text.slice(end, end + CONTEXT_LENGTH),
  };
}

/** Parent for paths: our wrappers are skipped as if they were not there. */
function pageParent(node: Node): Node | null {
  let parent = node.parentNode;
  while (parent && isOwnWrapper(parent)) parent = parent.parentNode;
  return parent;
}

/** Element children of `parent`, looking through our wrappers. */
function pageChildren(parent: Node): Element[] {
  const children: Element[] = [];
  for (const child of parent.childNodes) {
    if (child.nodeType !== 1) continue;
    if (isOwnWrapper(child)) children.push(...pageChildren(child));
    else children.push(child as Element);
  }
  return children;
}

/** `/article[1]/p[3]` from `root` (exclusive) to `element`; "" for the root itself. */
function pathOf(root: Node, element: Node): string {
  const steps: string[] = [];
  for (let node: Node | null = element; node && node !== root; node = pageParent(node)) {
    const parent = pageParent(node);
    if (!parent) throw new RangeError('The range is not inside the root');
    const tag = (node as Element).tagName;
    let position = 1;
    for (const sibling of pageChildren(parent)) {
      if (sibling === node) break;
      if (sibling.tagName === tag) position++;
    }
    steps.unshift(`${tag.toLowerCase()}[${position}]`);
  }
  return steps.length > 0 ? `/${steps.join('/')}` : '';
}

/** The element a path leads to from `root`, or null. */
function elementAt(root: Node, path: string): Node | null {
  let node: Node = root;
  for (const step of path.split('/').filter((part) => part.length > 0)) {
    const parsed = /^([^[\]]+)\[(\d+)\]$/.exec(step);
    if (!parsed) return null;
    const tag = (parsed[1] ?? '').toUpperCase();
    const position = Number(parsed[2]);
    const next: Element | undefined = pageChildren(node).filter((child) => child.tagName === tag)[
      position - 1
    ];
    if (!next) return null;
    node = next;
  }
  return node;
}

/** The page element a boundary's path names: the container, or its nearest page ancestor. */
function pathElement(root: Node, container: Node): Node {
  let node: Node | null = container;
  while (node && node !== root && (node.nodeType !== 1 || isOwnWrapper(node))) node = node.parentNode;
  return node ?? root;
}

/** Range selector: container paths relative to the root plus flat offsets inside them. */
export function rangeSelectorOf(flat: FlatText, range: Range): RangeSelector {
  const root = flat.root;
  const startElement = pathElement(root, range.startContainer);
  const endElement = pathElement(root, range.endContainer);
  const start = flat.offsetOf(range.startContainer, range.startOffset);
  const end = flat.offsetOf(range.endContainer, range.endOffset);
  return {
    type: 'RangeSelector',
    startContainer: pathOf(root, startElement),
    startOffset: Math.max(0, start - flat.offsetOf(startElement, 0)),
    endContainer: pathOf(root, endElement),
    endOffset: Math.max(0, end - flat.offsetOf(endElement, 0)),
  };
}

/**
 * Resolves a range selector against the current DOM, or null when a path no longer exists or an
 * offset falls outside its element's text. Not verified against the quote: callers must check.
 */
export function rangeSelectorToRange(root: Element, selector: RangeSelector): Range | null {
  const flat = FlatText.of(root);
  const startElement = elementAt(root, selector.startContainer);
  const endElement = elementAt(root, selector.endContainer);
  if (!startElement || !endElement) return null;
  const start = flat.offsetOf(startElement, 0) + selector.startOffset;
  const end = flat.offsetOf(endElement, 0) + selector.endOffset;
  const startLimit = flat.offsetOf(startElement, startElement.childNodes.length);
  const endLimit = flat.offsetOf(endElement, endElement.childNodes.length);
  if (start > startLimit || end > endLimit || end < start) return null;
  return flat.toRange(start, end);
}

/**
 * Selectors for `range` inside `root`: the quote with ~32 characters of prefix and suffix, its
 * position in the flat text of `root`, and XPath-like container paths plus offsets. Whitespace at
 * either end is left out (a triple-click takes the line break after a paragraph: layout, which
 * changes with the markup, not text). Throws a RangeError when the range holds no visited text
 * (collapsed, only whitespace, only inside a script or form field) or more than the 20,000
 * characters a quote may have.
 */
export function describeRange(root: Element, range: Range): Selectors {
  const flat = FlatText.of(root);
  let start = flat.offsetOf(range.startContainer, range.startOffset);
  let end = flat.offsetOf(range.endContainer, range.endOffset);
  const { text } = flat;
  while (start < end && /\s/.test(text[start] ?? '')) start++;
  while (end > start && /\s/.test(text[end - 1] ?? '')) end--;
  if (end <= start) throw new RangeError('The range holds no page text');
  if (end - start > MAX_QUOTE_LENGTH) throw new RangeError('The passage is too long to annotate');
  const trimmed = flat.toRange(start, end) ?? range;
  const position: TextPositionSelector = { type: 'TextPositionSelector', start, end };
  return {
    quote: quoteSelectorOf(flat, start, end),
    position,
    range: rangeSelectorOf(flat, trimmed),
  };
}

let defaultScheduler: ReturnType<typeof taskScheduler> | undefined;
function defaultYield(): Promise<void> {
  defaultScheduler ??= taskScheduler();
  return defaultScheduler.yield();
}

/**
 * Finds an annotation's passage again under `root`: the stored position if the text there is
 * still the exact quote (not cutting a word the quote did not cut); else the exact quote
 * (prefix/suffix pick among repeats, the old position breaks ties); else an approximate match
 * (searched in ≤ 64k-character steps with `yieldFn` between them), its ends put where the old
 * prefix and suffix are. Resolves null for an orphan. Collecting the text also yields every
 * ~8 ms; if the page changes the matched nodes meanwhile, it starts again (three tries, then
 * null: the caller re-anchors on the next mutation).
 */
export async function anchor(
  root: Element,
  selectors: Selectors,
  options: AnchorOptions = {},
): Promise<Anchored | null> {
  const { signal } = options;
  const yieldFn = options.yieldFn ?? defaultYield;
  const pause = async () => {
    await yieldFn();
    signal?.throwIfAborted();
  };
  signal?.throwIfAborted();
  const { exact, prefix, suffix } = selectors.quote;
  if (exact.length === 0) return null;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const flat = await FlatText.collect(root, yieldFn, signal);
    let found: { start: number; end: number; method: AnchorMethod } | null = null;
    const position = selectors.position;
    if (
      position &&
      flat.text.slice(position.start, position.end) === exact &&
      !cutsWord(flat.text, position.start, position.end, exact, { prefix, suffix })
    ) {
      found = { start: position.start, end: position.end, method: 'position' };
    } else {
      const match = await matchQuoteInChunks(
        flat.text,
        exact,
        { prefix, suffix, hint: position?.start },
        { yieldFn: pause },
      );
      if (match) {
        const method = flat.text.slice(match.start, match.end) === exact ? 'quote' : 'fuzzy';
        found = { start: match.start, end: match.end, method };
      }
    }
    if (!found) return null;
    if (!flat.unchanged(found.start, found.end)) continue;
    const range = flat.toRange(found.start, found.end);
    if (range) return { range, method: found.method };
  }
  return null;
}
