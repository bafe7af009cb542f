import type { z } from 'zod';

/** Longest excerpt of a message we keep: a parser's snippet of a 50 MB file must not flood a UI. */
const MAX_REASON_LENGTH = 300;

/** Shortens a long error message (a JSON parser quoting a huge file) to a readable excerpt. */
export function clipReason(text: string): string {
  return text.length > MAX_REASON_LENGTH ? `${text.slice(0, MAX_REASON_LENGTH)}…` : text;
}

/**
 * The first issue of a Zod error as `path: message` (`(root)` when the whole value is wrong): the
 * one wording used by message replies, seed loading, KB imports, backups and annotation imports.
 */
export function describeFirstIssue(error: z.ZodError, pathPrefix: readonly PropertyKey[] = []): string {
  const issue = error.issues[0];
  if (!issue) return '(root): invalid';
  const path = [...pathPrefix, ...issue.path].map((key) => String(key)).join('.');
  return `${path || '(root)'}: ${clipReason(issue.message)}`;
}
