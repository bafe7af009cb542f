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
]);

/** True when nothing inside `element` may be touched. */
export function isSkippedElement(element: Element): boolean {
  return (
    SKIPPED_TAGS.has(element.tagName.toUpperCase()) ||
    element.hasAttribute(OWN_UI_ATTRIBUTE) ||
    isEditableRoot(element)
  );
}

/** An element made editable by its own attribute; its descendants are reached only through it. */
function isEditableRoot(element: Element): boolean {
  const value = element.getAttribute('contenteditable');
  return value !== null && value.toLowerCase() !== 'false';
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
 * One pass over the text under `root`: every text node outside skipped elements, in document
 * order, numbered into blocks so names never cross a paragraph, list item or cell. Text inside
 * existing highlights is left out when `skipMarks` is set (incremental rescans).
 */
export function buildTextIndex(root: Node, options: { skipMarks?: boolean } = {}): TextIndex {
  const segments: TextSegment[] = [];
  const nodes: Text[] = [];
  const doc = root.ownerDocument ?? (root as Document);
  let block = 0;
  let offset = 0;
  let lastBlockParent: Element | null = null;
  const walker = doc.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      if (node.nodeType !== Node.ELEMENT_NODE) return NodeFilter.FILTER_ACCEPT;
      const element = node as Element;
      if (isSkippedElement(element)) return NodeFilter.FILTER_REJECT;
      if (options.skipMarks && element.tagName === 'ATTRIB-MARK') return NodeFilter.FILTER_REJECT;
      return NodeFilter.FILTER_ACCEPT;
    },
  });
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeType === Node.ELEMENT_NODE) {
      if (!INLINE_TAGS.has((node as Element).tagName)) block++;
      continue;
    }
    const text = node as Text;
    const data = text.data;
    if (data.length === 0) continue;
    // Text after a nested block (`<div>a<p>b</p>c</div>`) starts a new block too.
    let blockParent = text.parentElement;
    while (blockParent && INLINE_TAGS.has(blockParent.tagName)) blockParent = blockParent.parentElement;
    if (blockParent !== lastBlockParent) {
      block++;
      lastBlockParent = blockParent;
    }
    segments.push({ text: data, start: offset, block });
    nodes.push(text);
    offset += data.length;
  }
  return { segments, nodes };
}
