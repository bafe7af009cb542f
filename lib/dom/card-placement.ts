/** A rectangle in viewport coordinates (the subset of DOMRect we use). */
export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface Placement {
  left: number;
  top: number;
  side: 'below' | 'above';
  /** Height the card must shrink to (scrolls inside) when neither side has room. */
  maxHeight: number;
}

const GAP = 6;
const MARGIN = 8;

/**
 * Where to put a card of `card` size next to `anchor` inside a `viewport`: below the anchor when it
 * fits, else above, else on the roomier side with the card shortened. Never overlaps the anchor and
 * never leaves the viewport horizontally.
 */
export function placeCard(
  anchor: Box,
  card: { width: number; height: number },
  viewport: { width: number; height: number },
): Placement {
  const width = Math.min(card.width, viewport.width - 2 * MARGIN);
  let left = anchor.left;
  if (left + width > viewport.width - MARGIN) left = viewport.width - MARGIN - width;
  left = Math.max(MARGIN, left);

  const anchorBottom = anchor.top + anchor.height;
  const roomBelow = viewport.height - anchorBottom - GAP - MARGIN;
  const roomAbove = anchor.top - GAP - MARGIN;
  if (card.height <= roomBelow || (card.height > roomAbove && roomBelow >= roomAbove)) {
    return { left, top: anchorBottom + GAP, side: 'below', maxHeight: Math.max(0, roomBelow) };
  }
  const height = Math.min(card.height, roomAbove);
  return { left, top: anchor.top - GAP - height, side: 'above', maxHeight: Math.max(0, roomAbove) };
}
