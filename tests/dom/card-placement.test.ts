import { describe, expect, it } from 'vitest';
import { placeCard } from '@/lib/dom/card-placement';

const viewport = { width: 1000, height: 800 };
const card = { width: 360, height: 300 };
const overlaps = (a: { top: number; height: number }, top: number, height: number) =>
  top < a.top + a.height && top + height > a.top;

describe('placeCard', () => {
  it('puts the card below the mark when there is room', () => {
    const anchor = { left: 100, top: 100, width: 50, height: 20 };
    const p = placeCard(anchor, card, viewport);
    expect(p.side).toBe('below');
    expect(p.top).toBeGreaterThanOrEqual(120);
    expect(overlaps(anchor, p.top, card.height)).toBe(false);
  });

  it('flips above a mark near the bottom edge', () => {
    const anchor = { left: 100, top: 700, width: 50, height: 20 };
    const p = placeCard(anchor, card, viewport);
    expect(p.side).toBe('above');
    expect(p.top + card.height).toBeLessThanOrEqual(700);
    expect(p.top).toBeGreaterThanOrEqual(0);
  });

  it('stays inside the viewport near the right edge', () => {
    const p = placeCard({ left: 950, top: 100, width: 40, height: 20 }, card, viewport);
    expect(p.left + card.width).toBeLessThanOrEqual(viewport.width);
    expect(p.left).toBeGreaterThanOrEqual(0);
  });

  it('shrinks the card on the roomier side when neither side fits', () => {
    const anchor = { left: 10, top: 380, width: 40, height: 20 };
    const p = placeCard(anchor, { width: 360, height: 900 }, viewport);
    expect(p.maxHeight).toBeLessThan(900);
    const height = Math.min(900, p.maxHeight);
    expect(overlaps(anchor, p.top, height)).toBe(false);
    expect(p.top + height).toBeLessThanOrEqual(viewport.height);
  });
});
