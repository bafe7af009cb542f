import type { TextSegment } from '../match/matcher';

/** The custom element every entity highlight is (DESIGN contract). */
export const MARK_TAG = 'attrib-mark';
/** Attribute carrying the entity id on a highlight. */
export const ENTITY_ATTRIBUTE = 'data-attrib-entity';
/** Attribute marking the extension's own UI hosts, which are never scanned. */
export const OWN_UI_ATTRIBUTE = 'data-attrib-lens-ui';

/** Elements whose text is never read or changed (DESIGN contract), upper-case tag names. */
const SKIPPED_TAGS = new Set([
  'SCRIPT',
  'STYLE',
  'NOSCRIPT',
  'TEXTAREA',
  'INPUT',
  'SELECT',
  'OPTION',
  'CODE',
  'PRE',
  'SVG',
  'MATH',
  'TEMPLATE',
  'IFRAME',
  'OBJECT',
  'CANVAS',
  'HEAD',
  'TITLE',
]);

/** Inline elements a name may run across; any other element ends a block. */
const INLINE_TAGS = new Set([
  'A',
  'ABBR',
  'ACRONYM',
  'B',
  'BDI',
  'BDO',
  'BIG',
  'CITE',
  'DATA',
  'DEL',
  'DFN',
  'EM',
  'FONT',
  'I',
  'INS',
  'KBD',
  'LABEL',
  'MARK',
  'Q',
  'S',
  'SAMP',
  'SMALL',
  'SPAN',
  'STRIKE',
  'STRONG',
  'SUB',
  'SUP',
  'TIME',
  'TT',
  'U',
  'VAR',
  'ATTRIB-MARK',
  'ATTRIB-NOTE',
]);

/** True when nothing inside `element` may be touched. */
export function isSkippedElement(element: Element): boolean {
  // HTML tag names are upper case; svg and math (foreign elements) keep their lower case.
  const tag = element.tagName;
  if (SKIPPED_TAGS.has(tag) || tag === 'svg' || tag === 'math') return true;
  // Most elements carry no attribute at all: skip the two lookups for them.
  if (!element.hasAttributes()) return false;
  return element.hasAttribute(OWN_UI_ATTRIBUTE) || isEditableRoot(element);
}

/** An element made editable by its own attribute; its descendants are reached only through it. */
function isEditableRoot(element: Element): boolean {
  const value = element.getAttribute('contenteditable');
  return value !== null && value.toLowerCase() !== 'false';
}

/** True for inline elements a name may run across (and our own highlights). */
export function isInlineElement(element: Element): boolean {
  return INLINE_TAGS.has(element.tagName);
}

/** The nearest ancestor that is not an inline element: the block a node's text belongs to. */
export function blockParentOf(node: Node): Element | null {
  let element = node.parentElement;
  while (element && INLINE_TAGS.has(element.tagName)) element = element.parentElement;
  return element;
}

/** True when `node` sits inside something we must not touch (checked for roots of rescans). */
export function isInsideSkipped(node: Node): boolean {
  for (let element = node.parentElement; element; element = element.parentElement) {
    if (isSkippedElement(element)) return true;
  }
  return false;
}

/** Page text as segments over text nodes (no copy into one string) plus the nodes themselves. */
export interface TextIndex {
  readonly segments: TextSegment[];
  readonly nodes: Text[];
}

/**
 * Walks the text under `root` in document order, resumable across tasks: every text node outside
 * skipped elements, numbered into blocks so names never cross a paragraph, list item or cell. Text
 * inside existing highlights is left out when `skipMarks` is set (incremental rescans).
 */
export class TextWalker {
  private readonly walker: TreeWalker;
  private readonly skipMarks: boolean;
  private block = 0;
  private offset = 0;
  private lastBlockParent: Element | null = null;
  /** Cache: the block parent of the last text node's parent (consecutive nodes often share it). */
  private lastParent: Element | null = null;
  private lastParentBlock: Element | null = null;
  /** The node to look at when collect() resumes, or null when the walk is over. */
  private pending: Node | null | undefined;
  /** Block number of each block element seen (to place skipped marks in their block). */
  private readonly blockOfParent = new Map<Element | null, number>();
  /** Existing highlights the walk skipped (incremental rescans). */
  private readonly skippedMarks: Element[] = [];
  constructor(root: Node, options: { skipMarks?: boolean } = {}) {
    const doc = root.ownerDocument ?? (root as Document);
    // No acceptNode filter: a JS callback per node cost 5× the bare walk (bench/); skipped
    // subtrees are jumped over by hand instead.
    this.walker = doc.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    this.skipMarks = options.skipMarks === true;
  }

  /** The node the walk stands at (the next to read), or null when the walk is over. */
  get frontier(): Node | null {
    return this.pending ?? null;
  }

  /**
   * The lowest block number that may still get text: every block below it is complete. The block
   * of the last text read stays open unless the walk stands at a node that starts another block.
   */
  get openBlock(): number {
    const next = this.pending;
    if (next === null) return Number.POSITIVE_INFINITY;
    if (next === undefined) return this.block;
    const element = next.nodeType === Node.ELEMENT_NODE ? (next as Element) : null;
    // A block element starts a new block; a skipped one (a <script> inside a paragraph) does not.
    if (element && !INLINE_TAGS.has(element.tagName) && !isSkippedElement(element)) return this.block + 1;
    // A text node or inline element continues the block only under the same block parent.
    const parentBlock = element ? blockParentOf(element) : blockParentOf(next);
    return parentBlock === this.lastBlockParent ? this.block : this.block + 1;
  }

  /**
   * Blocks that hold a highlight the walk skipped: a name is already there, which is context for
   * an ambiguous name found in the same block by a rescan.
   */
  blocksWithSkippedMarks(): Set<number> {
    const blocks = new Set<number>();
    for (const mark of this.skippedMarks) {
      const block = this.blockOfParent.get(blockParentOf(mark));
      if (block !== undefined) blocks.add(block);
    }
    return blocks;
  }

  /**
   * Appends text nodes to `index` (and hands each segment to `onSegment`) until the walk ends or
   * `shouldPause()` says so (checked every 64 nodes). Returns true while nodes remain.
   */
  collect(
    index: TextIndex,
    onSegment?: (segment: TextSegment) => void,
    shouldPause?: () => boolean,
  ): boolean {
    let node = this.pending === undefined ? this.walker.nextNode() : this.pending;
    let visited = 0;
    while (node) {
      if (node.nodeType === Node.ELEMENT_NODE) {
        const element = node as Element;
        if (isSkippedElement(element) || (this.skipMarks && element.tagName === 'ATTRIB-MARK')) {
          if (element.tagName === 'ATTRIB-MARK') this.skippedMarks.push(element);
          node = this.afterSubtree();
        } else {
          if (!INLINE_TAGS.has(element.tagName)) this.block++;
          node = this.walker.nextNode();
        }
      } else {
        this.addText(node as Text, index, onSegment);
        node = this.walker.nextNode();
      }
      if (shouldPause && ++visited % 64 === 0 && node && shouldPause()) {
        this.pending = node;
        return true;
      }
    }
    this.pending = null;
    return false;
  }

  private addText(text: Text, index: TextIndex, onSegment?: (segment: TextSegment) => void): void {
    const data = text.data;
    if (data.length === 0) return;
    const parent = text.parentElement;
    let blockParent: Element | null;
    if (parent === this.lastParent) blockParent = this.lastParentBlock;
    else {
      blockParent = blockParentOf(text);
      this.lastParent = parent;
      this.lastParentBlock = blockParent;
    }
    // Text after a nested block (`<div>a<p>b</p>c</div>`) starts a new block too.
    if (blockParent !== this.lastBlockParent) {
      this.block++;
      this.lastBlockParent = blockParent;
      this.blockOfParent.set(blockParent, this.block);
    }
    const segment = { text: data, start: this.offset, block: this.block };
    index.segments.push(segment);
    index.nodes.push(text);
    this.offset += data.length;
    onSegment?.(segment);
  }

  /** The first node after the current node's subtree (the walker never leaves its root). */
  private afterSubtree(): Node | null {
    for (;;) {
      const sibling = this.walker.nextSibling();
      if (sibling) return sibling;
      if (!this.walker.parentNode()) return null;
    }
  }
}

/** The whole text index of `root` in one synchronous pass (tests, small roots). */
export function buildTextIndex(root: Node, options: { skipMarks?: boolean } = {}): TextIndex {
  const index: TextIndex = { segments: [], nodes: [] };
  new TextWalker(root, options).collect(index);
  return index;
}
