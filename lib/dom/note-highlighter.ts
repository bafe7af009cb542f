import { FlatText, NOTE_TAG } from './anchoring';
import { isInlineElement, isInsideSkipped, isSkippedElement } from './text-index';

/**
 * Note highlights: the only module that changes the page for annotations. Every piece of text a
 * range covers is wrapped in `<attrib-note data-attrib-note="ID" tabindex="0">`; the page's text
 * never changes, and unwrapping merges back the text nodes split here so `innerHTML` is restored.
 * Coexists with entity highlights (`<attrib-mark>`) in either order: both are transparent to the
 * text coordinates of anchoring.ts.
 */

/** Attribute carrying the annotation id on a note highlight. */
export const NOTE_ATTRIBUTE = 'data-attrib-note';

/** Text nodes this module split off; merged back on unwrap. */
const splitOffNodes = new WeakSet<Text>();
/** For each split-off piece, the node it was first split from (the page's own node). */
const originOf = new WeakMap<Text, Text>();
/** Text nodes this module created by splitting (kept after merging, to recognise old records). */
const createdNodes = new WeakSet<Text>();
/** Data of each text node as this module last changed it (split or merge), for {@link isNoteMutation}. */
const dataWeLeft = new WeakMap<Text, string>();

function splitText(node: Text, offset: number): Text {
  const tail = node.splitText(offset);
  splitOffNodes.add(tail);
  createdNodes.add(tail);
  originOf.set(tail, originOf.get(node) ?? node);
  dataWeLeft.set(node, node.data);
  dataWeLeft.set(tail, tail.data);
  return tail;
}

function isNoteElement(node: Node): boolean {
  return node.nodeType === 1 && (node as Element).tagName === NOTE_TAG.toUpperCase();
}

/**
 * True for a mutation record caused by note highlighting itself: a split or merge of a text node
 * whose data is still what we left, or only note elements and our own pieces added or removed.
 * Observers of the page (the entity highlighter, re-anchoring) must skip these: splitting a text
 * node is a `characterData` change, and the entity highlighter takes that for the page rewriting
 * its text and drops the pieces it split from that node, deleting page text.
 */
export function isNoteMutation(record: MutationRecord): boolean {
  if (record.type === 'characterData') {
    const target = record.target as Text;
    return dataWeLeft.get(target) === target.data;
  }
  if (record.type !== 'childList') return false;
  if (isNoteElement(record.target)) return true;
  const changed = [...record.addedNodes, ...record.removedNodes];
  return changed.length > 0 && changed.every((node) => isNoteElement(node) || createdNodes.has(node as Text));
}

/**
 * A whole text node of only whitespace next to a block boundary (between paragraphs, list items,
 * table rows) is invisible; wrapping it would put an inline element where only blocks belong.
 */
function isLayoutWhitespace(node: Text): boolean {
  if (node.data.trim().length > 0) return false;
  const isInlineNeighbour = (sibling: ChildNode | null) =>
    sibling !== null &&
    (sibling.nodeType === 3 ||
      // Inline elements (and images): whitespace between them is visible and gets highlighted.
      (sibling.nodeType === 1 &&
        (isInlineElement(sibling as Element) || (sibling as Element).tagName === 'IMG')));
  return !isInlineNeighbour(node.previousSibling) || !isInlineNeighbour(node.nextSibling);
}

/**
 * Wraps every text-node piece of `range` in `<attrib-note data-attrib-note="ID" tabindex="0">`,
 * across inline elements, entity marks and blocks (one element per piece). Text in skipped
 * elements (scripts, form fields, our UI) and whitespace between blocks is left alone. Returns the
 * new elements in document order.
 */
export function highlightNote(range: Range, annotationId: string): HTMLElement[] {
  if (range.collapsed) return [];
  let root: Node | null = range.commonAncestorContainer;
  if (root.nodeType !== 1 && root.nodeType !== 9 && root.nodeType !== 11) root = root.parentNode;
  if (!root) return [];
  if (root.nodeType === 1 && (isSkippedElement(root as Element) || isInsideSkipped(root))) return [];

  const flat = FlatText.of(root);
  const start = flat.offsetOf(range.startContainer, range.startOffset);
  const end = flat.offsetOf(range.endContainer, range.endOffset);
  if (end <= start) return [];
  const pieces: { node: Text; from: number; to: number }[] = [];
  const { nodes, segments } = flat.index;
  for (let i = 0; i < nodes.length; i++) {
    const segment = segments[i];
    const node = nodes[i];
    if (!segment || !node) continue;
    const segmentEnd = segment.start + segment.text.length;
    if (segmentEnd <= start) continue;
    if (segment.start >= end) break;
    const from = Math.max(0, start - segment.start);
    const to = Math.min(segment.text.length, end - segment.start);
    if (from === 0 && to === segment.text.length && isLayoutWhitespace(node)) continue;
    pieces.push({ node, from, to });
  }

  const doc = root.ownerDocument ?? (root as Document);
  const created: HTMLElement[] = [];
  for (const { node, from, to } of pieces) {
    // Split the end first so `from` stays valid in the same node.
    if (to < node.data.length) splitText(node, to);
    const piece = from > 0 ? splitText(node, from) : node;
    const wrapper = doc.createElement(NOTE_TAG);
    wrapper.setAttribute(NOTE_ATTRIBUTE, annotationId);
    wrapper.setAttribute('tabindex', '0');
    piece.parentNode?.insertBefore(wrapper, piece);
    wrapper.appendChild(piece);
    created.push(wrapper);
  }
  return created;
}

/** The note highlights of one annotation under `root`, in document order. */
export function noteHighlightsOf(root: ParentNode, annotationId: string): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(NOTE_TAG)].filter(
    (element) => element.getAttribute(NOTE_ATTRIBUTE) === annotationId,
  );
}

/**
 * Removes the note highlights of `annotationId` (all notes when omitted) under `root`, merging the
 * text nodes this module split, so the DOM is what it was before. Returns how many were removed.
 */
export function removeNoteHighlights(root: ParentNode, annotationId?: string): number {
  const elements =
    annotationId === undefined
      ? [...root.querySelectorAll<HTMLElement>(NOTE_TAG)]
      : noteHighlightsOf(root, annotationId);
  for (const element of elements) unwrap(element);
  return elements.length;
}

function unwrap(element: Element): void {
  const parent = element.parentNode;
  if (!parent) return;
  const moved = [...element.childNodes];
  for (const child of moved) parent.insertBefore(child, element);
  const after = element.nextSibling;
  element.remove();
  for (const child of moved) mergeBack(child);
  if (after) mergeBack(after);
}

/**
 * Merges a piece split off here into the text node before it when that is where it came from. If
 * the page rewrote that node meanwhile (a framework setting `nodeValue` on the node it owns), the
 * node holds the page's whole new text and the piece is stale: it is dropped instead.
 */
function mergeBack(node: Node): void {
  if (node.nodeType !== 3) return;
  const text = node as Text;
  if (!splitOffNodes.has(text) || !text.parentNode) return;
  const previous = text.previousSibling;
  if (previous?.nodeType !== 3) return;
  const origin = originOf.get(text);
  const previousText = previous as Text;
  if (previousText !== origin && originOf.get(previousText) !== origin) return;
  if (dataWeLeft.get(previousText) === previousText.data) {
    previousText.appendData(text.data);
    dataWeLeft.set(previousText, previousText.data);
  }
  text.remove();
  splitOffNodes.delete(text);
}
