import type { Mention } from '../match/matcher';
import { ENTITY_ATTRIBUTE, MARK_TAG, type TextIndex } from './text-index';

/** Text nodes this module split off from page text nodes; merged back on unwrap. */
const splitOffNodes = new WeakSet<Text>();
/** For each page text node we split, the pieces split off it (to undo when the page rewrites it). */
const piecesOf = new WeakMap<Text, Set<Text>>();
/** For each split-off piece, the page's own text node it came from. */
const originOf = new WeakMap<Text, Text>();

/** Extra attribute with the entity kind, for colours. */
export const KIND_ATTRIBUTE = 'data-attrib-kind';

/** Position of a flat offset inside the index: node number and offset in that node. */
interface NodePoint {
  node: number;
  offset: number;
}

function locate(index: TextIndex, offset: number, preferEnd: boolean): NodePoint {
  const { segments } = index;
  let low = 0;
  let high = segments.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    const start = segments[middle]?.start ?? 0;
    // An end offset that falls exactly on a node boundary belongs to the earlier node.
    if (preferEnd ? start < offset : start <= offset) low = middle;
    else high = middle - 1;
  }
  return { node: low, offset: offset - (segments[low]?.start ?? 0) };
}

function splitText(node: Text, offset: number): Text {
  const tail = node.splitText(offset);
  splitOffNodes.add(tail);
  const origin = originOf.get(node) ?? node;
  originOf.set(tail, origin);
  let pieces = piecesOf.get(origin);
  if (!pieces) {
    pieces = new Set();
    piecesOf.set(origin, pieces);
  }
  pieces.add(tail);
  return tail;
}

/**
 * The page rewrote a text node we had split (React sets `nodeValue` on the node it created): the
 * pieces we split off now duplicate old text. Removes them, and marks left empty, so the page's
 * node alone holds the page's text. Returns true when something was removed.
 */
export function discardPiecesOf(node: Text): boolean {
  const origin = originOf.get(node) ?? node;
  const pieces = piecesOf.get(origin);
  let changed = false;
  for (const piece of pieces ?? []) {
    const parent = piece.parentNode;
    piece.remove();
    splitOffNodes.delete(piece);
    if (parent instanceof Element && parent.tagName === 'ATTRIB-MARK' && parent.childNodes.length === 0)
      parent.remove();
    changed = true;
  }
  pieces?.clear();
  // A mark around the rewritten node no longer names anything: its text is the page's new text.
  const mark = origin.parentElement?.closest('attrib-mark');
  if (mark) {
    unwrapMark(mark);
    changed = true;
  }
  return changed;
}

/** True when the text a mention covers is still what was indexed (the page may change meanwhile). */
function stillIndexed(index: TextIndex, from: NodePoint, to: NodePoint): boolean {
  const startNode = index.nodes[from.node];
  const endNode = index.nodes[to.node];
  const startText = index.segments[from.node]?.text;
  const endText = index.segments[to.node]?.text;
  if (!startNode || !endNode || startText === undefined || endText === undefined) return false;
  if (!startNode.isConnected || !endNode.isConnected) return false;
  const startEnd = from.node === to.node ? to.offset : startText.length;
  if (
    startNode.data.length < startEnd ||
    startNode.data.slice(from.offset, startEnd) !== startText.slice(from.offset, startEnd)
  ) {
    return false;
  }
  if (from.node === to.node) return true;
  // The mention starts in an earlier node, so this prefix is part of it: short to compare.
  return endNode.data.length >= to.offset && endNode.data.slice(0, to.offset) === endText.slice(0, to.offset);
}

/**
 * Moves `first`…`last` (siblings after lifting) into a new mark. Returns false when the mention
 * cannot be one element without restructuring the page (it cuts an inline element in half).
 */
function wrapRange(first: Node, last: Node, mention: Mention, kind: string | undefined): Element | null {
  let start: Node = first;
  let end: Node = last;
  // Lift each end out of inline elements it starts or ends, while the element is fully covered.
  const commonParent = commonAncestor(start, end);
  if (!commonParent) return null;
  while (start.parentNode && start.parentNode !== commonParent && start.previousSibling === null) {
    start = start.parentNode;
  }
  while (end.parentNode && end.parentNode !== commonParent && end.nextSibling === null) end = end.parentNode;
  if (start.parentNode !== commonParent || end.parentNode !== commonParent) return null;

  const doc = commonParent.ownerDocument ?? (commonParent as Document);
  const mark = doc.createElement(MARK_TAG);
  mark.setAttribute(ENTITY_ATTRIBUTE, mention.entityId);
  if (kind) mark.setAttribute(KIND_ATTRIBUTE, kind);
  mark.setAttribute('tabindex', '0');
  commonParent.insertBefore(mark, start);
  let node: Node | null = start;
  while (node) {
    const following: Node | null = node === end ? null : node.nextSibling;
    mark.appendChild(node);
    node = following;
  }
  return mark;
}

function commonAncestor(a: Node, b: Node): Node | null {
  if (a === b) return a.parentNode;
  const ancestors = new Set<Node>();
  for (let n: Node | null = a.parentNode; n; n = n.parentNode) ancestors.add(n);
  for (let n: Node | null = b.parentNode; n; n = n.parentNode) if (ancestors.has(n)) return n;
  return null;
}

/**
 * Wraps each mention in `<attrib-mark data-attrib-entity>` whose textContent is exactly the
 * mention text. Returns the marks created, in document order.
 */
export function wrapMentions(
  index: TextIndex,
  mentions: readonly Mention[],
  kindOf: (entityId: string) => string | undefined = () => undefined,
  options: { verify?: boolean } = {},
): Element[] {
  return wrapMentionsInOrder(index, mentions, kindOf, options).marks;
}

/**
 * Wraps mentions from the top of the page down (what a reader sees first is highlighted first),
 * stopping early when `shouldStop(marksMadeSoFar)` says so. Mentions that share a text node are wrapped as one
 * run, from its last mention back, so offsets into a node stay valid while it is split; splitting
 * a node never moves text of another indexed node. Returns the marks made and how many mentions
 * were consumed (always whole runs; the rest can be passed again later with the same index).
 */
export function wrapMentionsInOrder(
  index: TextIndex,
  mentions: readonly Mention[],
  kindOf: (entityId: string) => string | undefined = () => undefined,
  options: { verify?: boolean; shouldStop?: (marksMade: number) => boolean } = {},
): { marks: Element[]; consumed: number } {
  // Verification costs a string compare per mention; skip it when the page cannot have changed.
  const verify = options.verify ?? true;
  const marks: Element[] = [];
  // Where each mention starts and ends in the index, located once (before any split).
  const ends: { from: NodePoint; to: NodePoint }[] = [];
  const pointsOf = (i: number) => {
    const mention = mentions[i] as Mention;
    ends[i] ??= { from: locate(index, mention.start, false), to: locate(index, mention.end, true) };
    return ends[i];
  };
  let runStart = 0;
  while (runStart < mentions.length) {
    // A run: consecutive mentions chained by a shared text node.
    let lastNode = pointsOf(runStart).to.node;
    let runEnd = runStart + 1;
    while (runEnd < mentions.length) {
      const next = pointsOf(runEnd);
      if (next.from.node > lastNode) break;
      lastNode = Math.max(lastNode, next.to.node);
      runEnd++;
    }
    const runMarks: Element[] = [];
    for (let i = runEnd - 1; i >= runStart; i--) {
      const { from, to } = pointsOf(i);
      const mark = wrapOne(index, mentions[i] as Mention, from, to, kindOf, verify);
      if (mark) runMarks.push(mark);
    }
    for (let i = runMarks.length - 1; i >= 0; i--) marks.push(runMarks[i] as Element);
    runStart = runEnd;
    if (options.shouldStop?.(marks.length)) break;
  }
  return { marks, consumed: runStart };
}

function wrapOne(
  index: TextIndex,
  mention: Mention,
  from: NodePoint,
  to: NodePoint,
  kindOf: (entityId: string) => string | undefined,
  verify: boolean,
): Element | null {
  const startNode = index.nodes[from.node];
  const endNode = index.nodes[to.node];
  if (!startNode || !endNode || !startNode.isConnected || !endNode.isConnected) return null;
  if (verify && !stillIndexed(index, from, to)) return null;
  // Split the end first: when both ends are in one node, its start offset stays valid.
  if (to.offset < endNode.data.length) splitText(endNode, to.offset);
  let first = startNode;
  if (from.offset > 0) {
    first = splitText(startNode, from.offset);
    if (startNode === endNode) return wrapRange(first, first, mention, kindOf(mention.entityId));
  }
  return wrapRange(first, endNode, mention, kindOf(mention.entityId));
}

/**
 * Removes every highlight under `root` and merges the text nodes this module split, so the DOM is
 * what it was before (the same nodes keep the same text; `innerHTML` is identical).
 */
export function unwrapAll(root: ParentNode): number {
  const marks = [...root.querySelectorAll(MARK_TAG)];
  for (const mark of marks) unwrapMark(mark);
  return marks.length;
}

/** Replaces one mark with its children and merges split text back. */
export function unwrapMark(mark: Element): void {
  const parent = mark.parentNode;
  if (!parent) return;
  const firstChild = mark.firstChild;
  const lastChild = mark.lastChild;
  while (mark.firstChild) parent.insertBefore(mark.firstChild, mark);
  const after = mark.nextSibling;
  parent.removeChild(mark);
  mergeSplitText(firstChild);
  if (lastChild) mergeSplitText(lastChild);
  if (after) mergeSplitText(after);
}

/** Merges `node` into the text node before it when this module split them apart. */
function mergeSplitText(node: Node | null): void {
  if (!node || node.nodeType !== Node.TEXT_NODE) return;
  const text = node as Text;
  const previous = text.previousSibling;
  if (splitOffNodes.has(text) && previous && previous.nodeType === Node.TEXT_NODE) {
    (previous as Text).appendData(text.data);
    text.remove();
    splitOffNodes.delete(text);
    const origin = originOf.get(text);
    if (origin) piecesOf.get(origin)?.delete(text);
  }
}
