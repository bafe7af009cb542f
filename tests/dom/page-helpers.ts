import { expect } from 'vitest';
import { FlatText } from '@/lib/dom/anchoring';
import { wrapMentions } from '@/lib/dom/highlighter';
import { buildTextIndex } from '@/lib/dom/text-index';
import type { Matcher } from '@/lib/match/matcher';

/** Highlights every mention under `root` synchronously (what PageHighlighter does, in one go). */
export function highlightEntities(root: Element, matcher: Matcher): Element[] {
  const index = buildTextIndex(root, { skipMarks: true });
  return wrapMentions(index, matcher.findMentions(index.segments));
}

/** A range over the first occurrence of `text` in the page text under `root`. */
export function rangeOf(root: Element, text: string): Range {
  const flat = FlatText.of(root);
  const start = flat.text.indexOf(text);
  expect(start, `"${text}" is on the page`).toBeGreaterThanOrEqual(0);
  const range = flat.toRange(start, start + text.length);
  if (!range) throw new Error('no range');
  return range;
}
