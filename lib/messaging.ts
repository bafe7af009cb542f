import { z } from 'zod';
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
}

export const ErrorCode = z.enum(['bad-request', 'not-found', 'internal']);
export type ErrorCode = z.infer<typeof ErrorCode>;

export type Reply<T> = { ok: true; data: T } | { ok: false; error: { code: ErrorCode; message: string } };

/** Messages the background (or popup) sends to a content script. */
export const ContentRequest = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('setHighlighting'), enabled: z.boolean() }),
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

/** Describes a Zod failure by its first bad path, for error replies and import messages. */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.length ? issue.path.join('.') : '(root)';
  return `${path}: ${issue.message}`;
}
