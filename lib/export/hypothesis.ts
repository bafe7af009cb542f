import { z } from 'zod';
import { canonicalPageUrl } from '../annotations/canonical-url';
import { normalizeTag } from '../annotations/draft';
import { Annotation } from '../annotations/schema';
import { importedAnnotationId } from './ids';
import { AnnotationImportError, parseJsonOrThrow, throwFirstIssue } from './import-error';
import { checkUniqueIds } from './w3c';
import { SelectorInput, selectorsFromW3c } from './w3c-selectors';

/**
 * Import of Hypothesis (https://web.hypothes.is) annotations, in the three shapes Hypothesis
 * produces: the client's "Export annotations" JSON (`{export_date, export_userid, client_version,
 * annotations: […]}`), the API search response (`{total, rows: […]}`), or a bare array of
 * annotations. Each annotation has `uri`, `text` (Markdown), `tags`, `created`, `updated`,
 * `document.title` (a list of strings in the API, accepted as a string too) and
 * `target: [{source, selector: [TextQuoteSelector, TextPositionSelector, RangeSelector]}]`.
 */

const IsoDateTime = z.iso.datetime({ offset: true });

const HypothesisAnnotation = z.looseObject({
  id: z.string().min(1),
  uri: z.string().min(1),
  text: z.string().default(''),
  tags: z.array(z.string()).default([]),
  created: IsoDateTime,
  updated: IsoDateTime.optional(),
  document: z.looseObject({ title: z.union([z.string(), z.array(z.string())]).optional() }).optional(),
  target: z
    .array(z.looseObject({ source: z.string().optional(), selector: z.array(SelectorInput).optional() }))
    .default([]),
  /** Present on replies: the ids of the annotations replied to. */
  references: z.array(z.string()).optional(),
});

const HypothesisFile = z.union([
  z.array(z.unknown()).transform((items) => ({ items, path: [] as string[] })),
  z.looseObject({ rows: z.array(z.unknown()) }).transform((file) => ({ items: file.rows, path: ['rows'] })),
  z
    .looseObject({ annotations: z.array(z.unknown()) })
    .transform((file) => ({ items: file.annotations, path: ['annotations'] })),
]);

/** Why an item of the file was left out (kept apart from errors: such items are normal). */
export interface HypothesisSkip {
  /** Index of the item in the file's list. */
  index: number;
  id: string;
  reason: string;
}

/** Options of {@link importHypothesis}. */
export interface HypothesisImportOptions {
  /** Told about each page note, reply or non-web annotation that is left out. */
  onSkip?: (skip: HypothesisSkip) => void;
}

function iso(value: string): string {
  return new Date(value).toISOString();
}

function firstTitle(title: string | string[] | undefined): string {
  const text = (Array.isArray(title) ? title[0] : title) ?? '';
  return text.replace(/\s+/g, ' ').trim().slice(0, 500);
}

/**
 * Reads a Hypothesis JSON export (text or parsed) into Annotations with all the selectors the file
 * has. Hypothesis ids (22-character base64url) map to UUIDv5 ids, so importing the same file twice
 * gives the same annotations. Page notes (no selectors), replies and annotations on non-web
 * documents (PDF `urn:x-pdf:` URIs) are skipped and reported to `onSkip`. Tags are stored the way
 * the editor stores them (trimmed, lower-case, spaces as hyphens). Throws an
 * {@link AnnotationImportError} naming the first bad path for a file of the wrong shape.
 */
export function importHypothesis(json: unknown, options: HypothesisImportOptions = {}): Annotation[] {
  const value = typeof json === 'string' ? parseJsonOrThrow(json, 'Hypothesis file') : json;
  const file = HypothesisFile.safeParse(value);
  if (!file.success) {
    throw new AnnotationImportError(
      'Hypothesis file: expected a list of annotations, {rows: […]} or {annotations: […]}',
    );
  }
  const { items, path } = file.data;
  const annotations: Annotation[] = [];
  for (const [index, raw] of items.entries()) {
    const parsed = HypothesisAnnotation.safeParse(raw);
    if (!parsed.success) throwFirstIssue('Hypothesis file', parsed.error, [...path, index]);
    const item = parsed.data;
    const skip = (reason: string) => options.onSkip?.({ index, id: item.id, reason });
    if (item.references && item.references.length > 0) {
      skip('a reply');
      continue;
    }
    const target = item.target.find((t) => t.selector && t.selector.length > 0);
    if (!target?.selector) {
      skip('a page note (no selected passage)');
      continue;
    }
    let pageUrl: string;
    try {
      pageUrl = canonicalPageUrl(item.uri);
    } catch {
      pageUrl = '';
    }
    if (!/^https?:\/\//.test(pageUrl)) {
      skip(`not a web page (${item.uri.slice(0, 80)})`);
      continue;
    }
    const selectors = selectorsFromW3c(target.selector);
    if ('error' in selectors) {
      throw new AnnotationImportError(
        `Hypothesis file: ${[...path, index, 'target', item.target.indexOf(target)].join('.')}.${selectors.error}`,
      );
    }
    const tags = [...new Set(item.tags.map(normalizeTag).filter((tag) => tag !== ''))].map((tag) =>
      tag.slice(0, 80),
    );
    const candidate = {
      id: importedAnnotationId(item.id, 'hypothesis'),
      pageUrl,
      pageTitle: firstTitle(item.document?.title),
      site: new URL(pageUrl).hostname,
      selectors,
      note: item.text,
      tags,
      entityIds: [],
      createdAt: iso(item.created),
      updatedAt: iso(item.updated ?? item.created),
    };
    const annotation = Annotation.safeParse(candidate);
    if (!annotation.success) throwFirstIssue('Hypothesis file', annotation.error, [...path, index]);
    annotations.push(annotation.data);
  }
  checkUniqueIds(annotations, 'Hypothesis file');
  return annotations;
}
