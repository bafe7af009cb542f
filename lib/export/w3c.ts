import { z } from 'zod';
import { Annotation, type AttributionClaim } from '../annotations/schema';
import type { EntityKind } from '../kb/schema';
import { claimPartName, type ExportContext, type ExportProgress, progressCounter } from './context';
import { collectionUuid, importedAnnotationId } from './ids';
import { AnnotationImportError, parseJsonOrThrow, throwFirstIssue } from './import-error';
import { sortForExport } from './order';
import { SelectorInput, selectorsFromW3c, selectorsToW3c, type W3cSelector } from './w3c-selectors';

/**
 * W3C Web Annotation JSON-LD (https://www.w3.org/TR/annotation-model/, vocabulary
 * https://www.w3.org/TR/annotation-vocab/) export and import.
 *
 * Mapping choices (the model leaves them open):
 * - note → `TextualBody`, `format: text/markdown`, `purpose: commenting`;
 * - each tag → `TextualBody`, `purpose: tagging` (the model's own tagging pattern);
 * - each linked entity → `SpecificResource`, `purpose: identifying`, whose `source` is the entity's
 *   IRI `https://attribution-lens.invalid/entity/<id>` (`.invalid`: an identifier that is never
 *   fetched, RFC 2606), with `al:name`, `al:kind` and `al:sponsor` for readers without our KB. We
 *   chose `identifying` because the link says *who* the passage is about; a SpecificResource
 *   because the entity is a resource with an id, not text;
 * - the attribution claim → one `TextualBody`, `purpose: classifying`, whose `value` is a
 *   readable sentence for any W3C client and whose `al:claim` extension property holds the
 *   structured claim (attributor, actor, sponsor: entity ids or text; confidence wording; evidence)
 *   that we read back on import;
 * - page title, site and published date → `al:pageTitle`, `al:site`, `al:publishedDate` on the
 *   target (the model has no page-metadata properties).
 * `al:` is declared in the `@context` as {@link AL_NAMESPACE}.
 */

/** The Web Annotation JSON-LD context. */
export const ANNO_CONTEXT = 'http://www.w3.org/ns/anno.jsonld';
/** Our extension namespace, bound to the `al:` prefix in exported `@context`s. */
export const AL_NAMESPACE = 'https://attribution-lens.invalid/ns#';
/** Entities are identified by this prefix plus their id (`…/entity/apt31`). */
export const ENTITY_IRI_PREFIX = 'https://attribution-lens.invalid/entity/';

/** A note, tag or claim body. */
export interface W3cTextualBody {
  type: 'TextualBody';
  value: string;
  format?: 'text/markdown' | 'text/plain';
  purpose: 'commenting' | 'tagging' | 'classifying';
  'al:claim'?: AttributionClaim;
}

/** A linked-entity body. */
export interface W3cEntityBody {
  type: 'SpecificResource';
  purpose: 'identifying';
  source: string;
  'al:name'?: string;
  'al:kind'?: EntityKind;
  'al:sponsor'?: string;
}

/** Any body we write. */
export type W3cBody = W3cTextualBody | W3cEntityBody;

/** The annotation's target: the page and the passage in it. */
export interface W3cTarget {
  source: string;
  selector: W3cSelector[];
  'al:pageTitle'?: string;
  'al:site': string;
  'al:publishedDate'?: string;
}

/** One exported annotation. */
export interface W3cAnnotation {
  id: string;
  type: 'Annotation';
  motivation: 'commenting' | 'classifying' | 'identifying' | 'tagging' | 'highlighting';
  created: string;
  modified: string;
  creator?: { type: 'Person'; name: string; id?: string };
  generator: { type: 'Software'; name: string };
  body: W3cBody[];
  target: W3cTarget;
}

/** The exported document: one collection with a single page holding every annotation. */
export interface W3cAnnotationCollection {
  '@context': [typeof ANNO_CONTEXT, { al: typeof AL_NAMESPACE }];
  id: string;
  type: 'AnnotationCollection';
  label: string;
  total: number;
  first: { id: string; type: 'AnnotationPage'; startIndex: 0; items: W3cAnnotation[] };
}

/** Options of {@link exportW3c} and {@link buildW3cCollection}. */
export interface W3cExportOptions {
  /** Collection label (default "Attribution Lens annotations"). */
  label?: string;
  /** Pretty-print with this indent (default 0: one line, half the size of an indented file). */
  space?: number;
  /** Called at least every 500 annotations. */
  onProgress?: ExportProgress;
}

/** The readable sentence of a claim body ("Attributor: …; actor: …; …"). */
function claimSentence(claim: AttributionClaim, context: ExportContext): string {
  const parts: string[] = [];
  const attributor = claimPartName(claim.attributor, context);
  const actor = claimPartName(claim.actor, context);
  const sponsor = claimPartName(claim.sponsor, context);
  if (attributor) parts.push(`attributor: ${attributor}`);
  if (actor) parts.push(`actor: ${actor}`);
  if (sponsor) parts.push(`sponsor: ${sponsor}`);
  if (claim.confidence) parts.push(`confidence: “${claim.confidence}”`);
  if (claim.evidence) parts.push(`evidence: ${claim.evidence}`);
  return parts.length > 0 ? `Attribution claim — ${parts.join('; ')}` : 'Attribution claim';
}

function bodiesOf(annotation: Annotation, context: ExportContext): W3cBody[] {
  const bodies: W3cBody[] = [];
  if (annotation.note !== '') {
    bodies.push({
      type: 'TextualBody',
      value: annotation.note,
      format: 'text/markdown',
      purpose: 'commenting',
    });
  }
  for (const tag of annotation.tags) bodies.push({ type: 'TextualBody', value: tag, purpose: 'tagging' });
  for (const id of annotation.entityIds) {
    const entity = context.entities.get(id);
    bodies.push({
      type: 'SpecificResource',
      purpose: 'identifying',
      source: `${ENTITY_IRI_PREFIX}${id}`,
      ...(entity ? { 'al:name': entity.name, 'al:kind': entity.kind } : {}),
      ...(entity?.sponsor ? { 'al:sponsor': entity.sponsor.name } : {}),
    });
  }
  if (annotation.claim) {
    bodies.push({
      type: 'TextualBody',
      value: claimSentence(annotation.claim, context),
      format: 'text/plain',
      purpose: 'classifying',
      'al:claim': annotation.claim,
    });
  }
  return bodies;
}

function motivationOf(annotation: Annotation): W3cAnnotation['motivation'] {
  if (annotation.note !== '') return 'commenting';
  if (annotation.claim) return 'classifying';
  if (annotation.entityIds.length > 0) return 'identifying';
  if (annotation.tags.length > 0) return 'tagging';
  return 'highlighting';
}

/** One annotation in W3C form. */
export function annotationToW3c(annotation: Annotation, context: ExportContext): W3cAnnotation {
  const creator = context.creator;
  return {
    id: `urn:uuid:${annotation.id}`,
    type: 'Annotation',
    motivation: motivationOf(annotation),
    created: annotation.createdAt,
    modified: annotation.updatedAt,
    ...(creator
      ? {
          creator: { type: 'Person' as const, name: creator.name, ...(creator.id ? { id: creator.id } : {}) },
        }
      : {}),
    generator: { type: 'Software', name: 'Attribution Lens' },
    body: bodiesOf(annotation, context),
    target: {
      source: annotation.pageUrl,
      selector: selectorsToW3c(annotation.selectors),
      ...(annotation.pageTitle ? { 'al:pageTitle': annotation.pageTitle } : {}),
      'al:site': annotation.site,
      ...(annotation.publishedDate ? { 'al:publishedDate': annotation.publishedDate } : {}),
    },
  };
}

/**
 * The annotations as an `AnnotationCollection` object (one embedded `AnnotationPage`), in export
 * order. Its id is derived from the annotations' ids and versions, so the same input gives the
 * same output.
 */
export function buildW3cCollection(
  annotations: readonly Annotation[],
  context: ExportContext,
  options: W3cExportOptions = {},
): W3cAnnotationCollection {
  const sorted = sortForExport(annotations);
  const tick = progressCounter(sorted.length, options.onProgress);
  const items: W3cAnnotation[] = [];
  for (const annotation of sorted) {
    items.push(annotationToW3c(annotation, context));
    tick();
  }
  const id = `urn:uuid:${collectionUuid('w3c', sorted)}`;
  return {
    '@context': [ANNO_CONTEXT, { al: AL_NAMESPACE }],
    id,
    type: 'AnnotationCollection',
    label: options.label ?? 'Attribution Lens annotations',
    total: items.length,
    first: { id: `${id}#page-1`, type: 'AnnotationPage', startIndex: 0, items },
  };
}

/** The annotations as W3C Web Annotation JSON-LD text (see {@link buildW3cCollection}). */
export function exportW3c(
  annotations: readonly Annotation[],
  context: ExportContext,
  options: W3cExportOptions = {},
): string {
  return JSON.stringify(buildW3cCollection(annotations, context, options), null, options.space);
}

// ---- import -------------------------------------------------------------------------------

const StringOrList = z.union([z.string(), z.array(z.string())]);
const IsoDateTime = z.iso.datetime({ offset: true });

const BodyInput = z.union([
  z.string(),
  z.looseObject({
    type: StringOrList.optional(),
    purpose: StringOrList.optional(),
    value: z.string().optional(),
    format: z.string().optional(),
    source: z.union([z.string(), z.looseObject({ id: z.string() })]).optional(),
    'al:claim': z.unknown().optional(),
  }),
]);

const TargetInput = z.union([
  z.string(),
  z.looseObject({
    source: z.union([z.string(), z.looseObject({ id: z.string() })]),
    selector: z.union([SelectorInput, z.array(SelectorInput)]).optional(),
    'al:pageTitle': z.string().optional(),
    'al:site': z.string().optional(),
    'al:publishedDate': z.string().optional(),
  }),
]);

const W3cAnnotationInput = z.looseObject({
  id: z.string().min(1).optional(),
  type: StringOrList.refine((type) => (Array.isArray(type) ? type : [type]).includes('Annotation'), {
    message: 'type must be "Annotation"',
  }),
  created: IsoDateTime.optional(),
  modified: IsoDateTime.optional(),
  bodyValue: z.string().optional(),
  body: z.union([BodyInput, z.array(BodyInput)]).optional(),
  target: z.union([TargetInput, z.array(TargetInput).min(1)]),
});
type W3cAnnotationInput = z.infer<typeof W3cAnnotationInput>;

const W3cPageInput = z.looseObject({
  type: z.literal('AnnotationPage').optional(),
  items: z.array(z.unknown()),
  next: z.unknown().optional(),
});

const W3cCollectionInput = z.looseObject({
  type: StringOrList.refine((type) => (Array.isArray(type) ? type : [type]).includes('AnnotationCollection')),
  first: z.union([z.string(), W3cPageInput]).optional(),
});

function listOf<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function hasPurpose(body: { purpose?: string | string[] | undefined }, purpose: string): boolean {
  return listOf(body.purpose).includes(purpose);
}

function siteOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

/**
 * The items of a W3C document with the path prefix of each: a collection (one embedded page), a
 * page, an array of annotations or one annotation.
 */
function itemsOf(json: unknown): { items: unknown[]; path: string } {
  if (Array.isArray(json)) return { items: json, path: '' };
  const collection = W3cCollectionInput.safeParse(json);
  if (collection.success) {
    const first = collection.data.first;
    if (first === undefined) return { items: [], path: 'first.items' };
    if (typeof first === 'string' || first.next !== undefined) {
      throw new AnnotationImportError(
        'W3C collection: its annotations are split over pages that are not in the file; export them as one file',
      );
    }
    return { items: first.items, path: 'first.items' };
  }
  const page = W3cPageInput.safeParse(json);
  if (page.success && page.data.type === 'AnnotationPage') return { items: page.data.items, path: 'items' };
  return { items: [json], path: '' };
}

/** One W3C annotation (already shape-checked) as our Annotation, or an error message. */
function annotationFromW3c(item: W3cAnnotationInput): Annotation | { error: string; path?: string } {
  const target = listOf(item.target).find((t) => typeof t !== 'string' && t.selector !== undefined);
  if (!target || typeof target === 'string') {
    return { error: 'no target with selectors (only passages of a page can be imported)', path: 'target' };
  }
  const selectors = selectorsFromW3c(listOf(target.selector));
  if ('error' in selectors) return { error: selectors.error, path: 'target' };
  const pageUrl = typeof target.source === 'string' ? target.source : target.source.id;

  const notes: string[] = item.bodyValue ? [item.bodyValue] : [];
  const tags: string[] = [];
  const entityIds: string[] = [];
  let claim: unknown;
  for (const body of listOf(item.body)) {
    if (typeof body === 'string') continue; // A body IRI: nothing we can keep.
    const source = typeof body.source === 'string' ? body.source : body.source?.id;
    if (hasPurpose(body, 'tagging') && body.value !== undefined) tags.push(body.value);
    else if (hasPurpose(body, 'classifying') && body['al:claim'] !== undefined) claim = body['al:claim'];
    else if (hasPurpose(body, 'identifying') && source?.startsWith(ENTITY_IRI_PREFIX)) {
      entityIds.push(source.slice(ENTITY_IRI_PREFIX.length));
    } else if (
      body.value !== undefined &&
      (body.purpose === undefined || hasPurpose(body, 'commenting') || hasPurpose(body, 'describing'))
    ) {
      notes.push(body.value);
    }
  }
  const created = item.created ?? item.modified;
  if (!created) return { error: 'needs "created" or "modified"', path: 'created' };
  const candidate = {
    id: importedAnnotationId(item.id ?? `${pageUrl}\n${created}\n${selectors.quote.exact}`, 'w3c'),
    pageUrl,
    pageTitle: target['al:pageTitle'] ?? '',
    site: target['al:site'] ?? siteOf(pageUrl),
    ...(target['al:publishedDate'] ? { publishedDate: target['al:publishedDate'] } : {}),
    selectors,
    note: notes.join('\n\n'),
    tags,
    entityIds,
    ...(claim === undefined ? {} : { claim }),
    createdAt: created,
    updatedAt: item.modified ?? created,
  };
  const parsed = Annotation.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { error: issue?.message ?? 'invalid', path: issue?.path.map(String).join('.') };
  }
  return parsed.data;
}

/** Throws when two annotations share an id (the file would overwrite itself on import). */
export function checkUniqueIds(annotations: readonly Annotation[], what: string): void {
  const seen = new Set<string>();
  for (const annotation of annotations) {
    if (seen.has(annotation.id))
      throw new AnnotationImportError(`${what}: duplicate annotation id ${annotation.id}`);
    seen.add(annotation.id);
  }
}

/**
 * Reads W3C Web Annotation JSON (text or parsed): our export, or any collection/page/array/single
 * annotation whose targets carry a TextQuoteSelector. Ids `urn:uuid:<uuid>` are kept; other ids
 * map to UUIDv5 (same file → same ids, so importing twice does not duplicate). Throws an
 * {@link AnnotationImportError} naming the first bad item path; returns nothing partial.
 */
export function importW3c(json: unknown): Annotation[] {
  const value = typeof json === 'string' ? parseJsonOrThrow(json, 'W3C annotation file') : json;
  const { items, path } = itemsOf(value);
  const annotations: Annotation[] = [];
  for (const [index, raw] of items.entries()) {
    const prefix = [...(path ? path.split('.') : []), String(index)];
    const item = W3cAnnotationInput.safeParse(raw);
    if (!item.success) throwFirstIssue('W3C annotation file', item.error, prefix);
    const annotation = annotationFromW3c(item.data);
    if ('error' in annotation) {
      const where = [...prefix, ...(annotation.path ? [annotation.path] : [])].join('.');
      throw new AnnotationImportError(`W3C annotation file: ${where}: ${annotation.error}`);
    }
    annotations.push(annotation);
  }
  checkUniqueIds(annotations, 'W3C annotation file');
  return annotations;
}
