import { z } from 'zod';
import { Annotation } from './annotations/schema';
import { type EntityFacts, EntityRef } from './kb/facts';
import { EntityId } from './kb/schema';
import { Dictionary } from './match/dictionary';

/**
 * Typed messages between content scripts, extension pages and the background. Every message is
 * parsed with these schemas at the receiving end; a bad one gets a typed error, never a crash.
 */

const PageUrl = z.url({ protocol: /^(https?|file)$/ });

/** Requests the background answers. */
export const BackgroundRequest = z.discriminatedUnion('type', [
  /** Content script start-up: is this page's site on, and the match dictionary. */
  z.strictObject({ type: z.literal('getPageSetup'), url: PageUrl }),
  z.strictObject({ type: z.literal('getEntityFacts'), id: EntityId }),
  /** Content script → background after each scan: mention counts on the sender's tab. */
  z.strictObject({
    type: z.literal('reportPageEntities'),
    url: PageUrl,
    counts: z.record(EntityId, z.number().int().nonnegative()),
  }),
  z.strictObject({ type: z.literal('getTabEntities'), tabId: z.number().int().nonnegative() }),
  z.strictObject({ type: z.literal('setSiteEnabled'), host: z.string().min(1), enabled: z.boolean() }),
  /** From the hover card: show this entity in the popup. */
  z.strictObject({ type: z.literal('openInPopup'), id: EntityId }),
  /** From the options page after an import or a user edit: rebuild the match dictionary. */
  z.strictObject({ type: z.literal('kbChanged') }),
  /** Create or update an annotation (the page never touches the extension DB). */
  z.strictObject({ type: z.literal('saveAnnotation'), annotation: Annotation }),
  z.strictObject({ type: z.literal('deleteAnnotation'), id: z.uuid() }),
  z.strictObject({ type: z.literal('getPageAnnotations'), url: PageUrl }),
  z.strictObject({ type: z.literal('listTags') }),
  z.strictObject({
    type: z.literal('searchEntities'),
    query: z.string().max(200),
    limit: z.number().int().min(1).max(50).default(12),
  }),
  /** Content script → background: which of the page's annotations were found on the page. */
  z.strictObject({
    type: z.literal('reportAnchoring'),
    url: PageUrl,
    anchored: z.array(z.uuid()),
    orphaned: z.array(z.uuid()),
  }),
  z.strictObject({ type: z.literal('getTabNotes'), tabId: z.number().int().nonnegative() }),
]);
export type BackgroundRequest = z.infer<typeof BackgroundRequest>;

export const PageSetup = z.strictObject({ enabled: z.boolean(), host: z.string(), dictionary: Dictionary });
export type PageSetup = z.infer<typeof PageSetup>;

export const TabEntity = EntityRef.extend({ count: z.number().int().nonnegative() });
export type TabEntity = z.infer<typeof TabEntity>;

export const TabEntities = z.strictObject({
  url: z.string().nullable(),
  host: z.string().nullable(),
  enabled: z.boolean(),
  entities: z.array(TabEntity),
});
export type TabEntities = z.infer<typeof TabEntities>;

/** What each request type answers with. */
export interface BackgroundResponses {
  getPageSetup: PageSetup;
  getEntityFacts: EntityFacts;
  reportPageEntities: { stored: number };
  getTabEntities: TabEntities;
  setSiteEnabled: { host: string; enabled: boolean; tabsUpdated: number };
  openInPopup: { opened: 'popup' | 'tab' };
  kbChanged: { entities: number };
  saveAnnotation: { id: string; updatedAt: string };
  deleteAnnotation: { deleted: Annotation | null };
  getPageAnnotations: Annotation[];
  listTags: string[];
  searchEntities: EntityRef[];
  reportAnchoring: { stored: number };
  getTabNotes: TabNotes;
}

export const TabNotes = z.strictObject({
  url: z.string().nullable(),
  notes: z.array(Annotation),
  /** Ids of notes the page's content script could not place (shown under "Not found on this page"). */
  orphaned: z.array(z.string()),
  /** False until the content script has reported on the page. */
  checked: z.boolean(),
});
export type TabNotes = z.infer<typeof TabNotes>;

export const ErrorCode = z.enum(['bad-request', 'not-found', 'internal']);
export type ErrorCode = z.infer<typeof ErrorCode>;

export type Reply<T> = { ok: true; data: T } | { ok: false; error: { code: ErrorCode; message: string } };

/** Messages the background (or popup) sends to a content script. */
export const ContentRequest = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('setHighlighting'), enabled: z.boolean() }),
  /** Context menu or keyboard shortcut: annotate the current selection. */
  z.strictObject({ type: z.literal('openAnnotator') }),
  /** Popup: scroll to an annotation and flash it. */
  z.strictObject({ type: z.literal('focusNote'), id: z.uuid() }),
  /** Another view changed this page's notes: reload them. */
  z.strictObject({ type: z.literal('notesChanged') }),
]);
export type ContentRequest = z.infer<typeof ContentRequest>;

/** A request failed on the other side; carries the typed code. */
export class MessageError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MessageError';
  }
}

/** Reads a Reply, throwing MessageError for an error reply or an unexpected shape. */
export function unwrapReply<T>(reply: unknown): T {
  if (typeof reply !== 'object' || reply === null || !('ok' in reply)) {
    throw new MessageError('internal', 'no reply from the extension background');
  }
  const typed = reply as Reply<T>;
  if (typed.ok) return typed.data;
  throw new MessageError(typed.error.code, typed.error.message);
}
