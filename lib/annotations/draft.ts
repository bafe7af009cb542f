import { z } from 'zod';
import { EntityRef } from '../kb/facts';
import { AttributionClaim, Selectors } from './schema';

/** What the editor holds while the user types; kept in storage so nothing typed is lost. */
export const NoteDraft = z.strictObject({
  /** The annotation being edited (new notes get their id when the editor opens). */
  annotationId: z.uuid(),
  mode: z.enum(['create', 'edit']),
  selectors: Selectors,
  note: z.string().max(100_000),
  tags: z.array(z.string().max(80)).max(100),
  entities: z.array(EntityRef).max(200),
  claim: AttributionClaim,
  createdAt: z.string().optional(),
});
export type NoteDraft = z.infer<typeof NoteDraft>;

/** Storage key of a page's unsaved draft. */
export function draftKeyOf(pageUrl: string): string {
  return `draft:${pageUrl}`;
}

/** True when the draft has anything worth keeping. */
export function draftHasContent(draft: NoteDraft): boolean {
  const claim = draft.claim;
  return (
    draft.note.trim() !== '' ||
    draft.tags.length > 0 ||
    Object.values(claim).some((value) => typeof value === 'string' && value.trim() !== '')
  );
}

/** Tag text as stored: trimmed, inner whitespace collapsed, leading # dropped. */
export function normalizeTag(tag: string): string {
  return tag.trim().replace(/^#+/, '').replace(/\s+/g, '-').toLowerCase();
}

/** Confidence wordings from the ICD 203 and UK PHIA yardsticks, offered as suggestions. */
export const CONFIDENCE_SUGGESTIONS = [
  'almost certain',
  'almost certainly',
  'very likely',
  'highly likely',
  'likely',
  'probably',
  'realistic possibility',
  'roughly even chance',
  'unlikely',
  'highly unlikely',
  'very unlikely',
  'remote',
  'almost no chance',
  'high confidence',
  'moderate confidence',
  'low confidence',
] as const;
