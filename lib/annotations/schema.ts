import { z } from 'zod';
import { EntityId } from '../kb/schema';

/**
 * Annotation shapes (W3C Web Annotation selectors, as Hypothesis stores them). One Zod schema per
 * shape; DB rows, messages, exports and imports parse through these.
 */

/** The quoted text with up to ~32 characters of context on each side. */
export const TextQuoteSelector = z.strictObject({
  type: z.literal('TextQuoteSelector'),
  exact: z.string().min(1).max(20_000),
  prefix: z.string().max(200).default(''),
  suffix: z.string().max(200).default(''),
});
export type TextQuoteSelector = z.infer<typeof TextQuoteSelector>;

/** Offsets of the quote in the page's text (the text index's flat coordinates). */
export const TextPositionSelector = z
  .strictObject({
    type: z.literal('TextPositionSelector'),
    start: z.number().int().nonnegative(),
    end: z.number().int().nonnegative(),
  })
  .refine((selector) => selector.end > selector.start, { message: 'end must be after start' });
export type TextPositionSelector = z.infer<typeof TextPositionSelector>;

/** XPath-like container paths plus offsets, as Hypothesis's RangeSelector. */
export const RangeSelector = z.strictObject({
  type: z.literal('RangeSelector'),
  startContainer: z.string().max(2000),
  startOffset: z.number().int().nonnegative(),
  endContainer: z.string().max(2000),
  endOffset: z.number().int().nonnegative(),
});
export type RangeSelector = z.infer<typeof RangeSelector>;

export const Selectors = z.strictObject({
  quote: TextQuoteSelector,
  position: TextPositionSelector.optional(),
  range: RangeSelector.optional(),
});
export type Selectors = z.infer<typeof Selectors>;

export const EVIDENCE_KINDS = [
  'indictment',
  'sanctions',
  'joint-advisory',
  'official-statement',
  'vendor-report',
  'anonymous-officials',
] as const;
export const EvidenceKind = z.enum(EVIDENCE_KINDS);
export type EvidenceKind = z.infer<typeof EvidenceKind>;

/** "Who says who did it, how sure": each side an entity id when known, else free text. */
export const AttributionClaim = z.strictObject({
  attributor: z.string().max(200).optional(),
  actor: z.string().max(200).optional(),
  sponsor: z.string().max(200).optional(),
  /** The wording of confidence, e.g. "almost certain", "highly likely". */
  confidence: z.string().max(200).optional(),
  evidence: EvidenceKind.optional(),
});
export type AttributionClaim = z.infer<typeof AttributionClaim>;

const IsoDateTime = z.iso.datetime({ offset: true });

export const Annotation = z.strictObject({
  /** UUID v4. */
  id: z.uuid(),
  /** Canonical page URL: rel=canonical when present, tracking parameters and fragment dropped. */
  pageUrl: z.url({ protocol: /^https?$/ }),
  pageTitle: z.string().max(500).default(''),
  site: z.string().min(1).max(253),
  /** Published date when the page states it (JSON-LD / meta), YYYY-MM-DD. */
  publishedDate: z.iso.date().optional(),
  selectors: Selectors,
  /** Markdown; rendered only through the sanitizer. */
  note: z.string().max(100_000).default(''),
  tags: z.array(z.string().trim().min(1).max(80)).max(100).default([]),
  entityIds: z.array(EntityId).max(200).default([]),
  claim: AttributionClaim.optional(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Annotation = z.infer<typeof Annotation>;
export type AnnotationInput = z.input<typeof Annotation>;
