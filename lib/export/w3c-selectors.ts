import { z } from 'zod';
import type {
  RangeSelector,
  Selectors,
  TextPositionSelector,
  TextQuoteSelector,
} from '../annotations/schema';

/**
 * Selectors in and out of W3C Web Annotation JSON (https://www.w3.org/TR/annotation-model/#selectors).
 *
 * Our RangeSelector is Hypothesis's flat shape (`startContainer`/`startOffset`/`endContainer`/
 * `endOffset`). The W3C model's RangeSelector instead has `startSelector`/`endSelector`; we write
 * that conformant form — each end an XPathSelector refined by a zero-length TextPositionSelector
 * at the offset — and read both forms back.
 */

/** A W3C TextQuoteSelector. */
export interface W3cTextQuoteSelector {
  type: 'TextQuoteSelector';
  exact: string;
  prefix?: string;
  suffix?: string;
}

/** A W3C TextPositionSelector. */
export interface W3cTextPositionSelector {
  type: 'TextPositionSelector';
  start: number;
  end: number;
}

/** One end of a W3C RangeSelector: an element by XPath, then a character offset inside it. */
export interface W3cXPathPoint {
  type: 'XPathSelector';
  value: string;
  refinedBy: W3cTextPositionSelector;
}

/** A W3C RangeSelector as we write it. */
export interface W3cRangeSelector {
  type: 'RangeSelector';
  startSelector: W3cXPathPoint;
  endSelector: W3cXPathPoint;
}

/** Any selector we write. */
export type W3cSelector = W3cTextQuoteSelector | W3cTextPositionSelector | W3cRangeSelector;

/** Our selectors as a W3C selector list: quote, then position, then range (when present). */
export function selectorsToW3c(selectors: Selectors): W3cSelector[] {
  const list: W3cSelector[] = [quoteToW3c(selectors.quote)];
  if (selectors.position) {
    list.push({ type: 'TextPositionSelector', start: selectors.position.start, end: selectors.position.end });
  }
  if (selectors.range) list.push(rangeToW3c(selectors.range));
  return list;
}

function quoteToW3c(quote: TextQuoteSelector): W3cTextQuoteSelector {
  return { type: 'TextQuoteSelector', exact: quote.exact, prefix: quote.prefix, suffix: quote.suffix };
}

function point(container: string, offset: number): W3cXPathPoint {
  return {
    type: 'XPathSelector',
    value: container,
    refinedBy: { type: 'TextPositionSelector', start: offset, end: offset },
  };
}

function rangeToW3c(range: RangeSelector): W3cRangeSelector {
  return {
    type: 'RangeSelector',
    startSelector: point(range.startContainer, range.startOffset),
    endSelector: point(range.endContainer, range.endOffset),
  };
}

const Offset = z.number().int().nonnegative();

/** A selector as read from a file: only `type` is required; the fields are checked per type. */
export const SelectorInput = z.looseObject({ type: z.string() });

const QuoteInput = z.looseObject({
  type: z.literal('TextQuoteSelector'),
  exact: z.string().min(1),
  prefix: z.string().optional(),
  suffix: z.string().optional(),
});
const PositionInput = z.looseObject({ type: z.literal('TextPositionSelector'), start: Offset, end: Offset });
const FlatRangeInput = z.looseObject({
  type: z.literal('RangeSelector'),
  startContainer: z.string(),
  startOffset: Offset,
  endContainer: z.string(),
  endOffset: Offset,
});
const PointInput = z.looseObject({
  type: z.literal('XPathSelector'),
  value: z.string(),
  refinedBy: z.looseObject({ type: z.literal('TextPositionSelector'), start: Offset }).optional(),
});
const W3cRangeInput = z.looseObject({
  type: z.literal('RangeSelector'),
  startSelector: PointInput,
  endSelector: PointInput,
});

/** Longest context kept on each side of a quote (the Annotation schema's limit). */
const MAX_CONTEXT = 200;

/**
 * Reads a selector list (W3C or Hypothesis) into our selectors. Unknown selector types (PDF page,
 * EPUB, CSS, fragment) are ignored. Returns an error message naming the bad selector instead of
 * throwing, so that callers can add the item's path.
 */
export function selectorsFromW3c(list: readonly unknown[]): Selectors | { error: string } {
  let quote: TextQuoteSelector | undefined;
  let position: TextPositionSelector | undefined;
  let range: RangeSelector | undefined;
  for (const [index, raw] of list.entries()) {
    const typed = SelectorInput.safeParse(raw);
    if (!typed.success) return { error: `selector.${index}: a selector needs a "type"` };
    const fail = (error: z.ZodError) => {
      const issue = error.issues[0];
      const path = [index, ...(issue?.path ?? [])].map(String).join('.');
      return { error: `selector.${path}: ${issue?.message ?? 'invalid'}` };
    };
    if (typed.data.type === 'TextQuoteSelector' && !quote) {
      const parsed = QuoteInput.safeParse(raw);
      if (!parsed.success) return fail(parsed.error);
      quote = {
        type: 'TextQuoteSelector',
        exact: parsed.data.exact,
        prefix: (parsed.data.prefix ?? '').slice(-MAX_CONTEXT),
        suffix: (parsed.data.suffix ?? '').slice(0, MAX_CONTEXT),
      };
    } else if (typed.data.type === 'TextPositionSelector' && !position) {
      const parsed = PositionInput.safeParse(raw);
      if (!parsed.success) return fail(parsed.error);
      // A zero-length position cannot anchor anything; the quote still can.
      if (parsed.data.end > parsed.data.start) {
        position = { type: 'TextPositionSelector', start: parsed.data.start, end: parsed.data.end };
      }
    } else if (typed.data.type === 'RangeSelector' && !range) {
      const flat = FlatRangeInput.safeParse(raw);
      if (flat.success) {
        const { startContainer, startOffset, endContainer, endOffset } = flat.data;
        range = { type: 'RangeSelector', startContainer, startOffset, endContainer, endOffset };
        continue;
      }
      const w3c = W3cRangeInput.safeParse(raw);
      if (!w3c.success) return fail(flat.error);
      const { startSelector, endSelector } = w3c.data;
      range = {
        type: 'RangeSelector',
        startContainer: startSelector.value,
        startOffset: startSelector.refinedBy?.start ?? 0,
        endContainer: endSelector.value,
        endOffset: endSelector.refinedBy?.start ?? 0,
      };
    }
  }
  if (!quote)
    return { error: 'selector: no TextQuoteSelector (the quote is needed to find the passage again)' };
  return { quote, ...(position ? { position } : {}), ...(range ? { range } : {}) };
}
