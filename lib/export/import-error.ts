import type { z } from 'zod';
import { clipReason, describeFirstIssue } from '../describe-issue';

/**
 * An annotation file that cannot be imported: not JSON, not a format we read, or an item of the
 * wrong shape. The message names the problem and, for shape errors, the first bad path, e.g.
 * `first.items.3.target.selector: no TextQuoteSelector`. Nothing is imported when it is thrown.
 */
export class AnnotationImportError extends Error {
  override readonly name = 'AnnotationImportError';
}

/** Parses JSON text, or throws an {@link AnnotationImportError} saying it is not JSON and why. */
export function parseJsonOrThrow(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AnnotationImportError(`${what} is not valid JSON: ${clipReason(reason)}`);
  }
}

/** Throws an {@link AnnotationImportError} with the first issue of a Zod error as `what: path: message`. */
export function throwFirstIssue(
  what: string,
  error: z.ZodError,
  pathPrefix: readonly PropertyKey[] = [],
): never {
  throw new AnnotationImportError(`${what}: ${describeFirstIssue(error, pathPrefix)}`);
}
