import { validate as isUuid, parse as parseUuid, v5 as uuidv5 } from 'uuid';

/**
 * UUIDv5 namespace for the STIX ids of knowledge-base entities (`intrusion-set--…`, `identity--…`,
 * `campaign--…`), reports, relationships and the user identity. Never change it: MISP and OpenCTI
 * merge repeated exports only because the same entity always gets the same id.
 */
export const STIX_ID_NAMESPACE = '3ec54f0d-170a-468d-a72e-7927071c974d';

/**
 * UUIDv5 namespace for imported annotations whose source id is not a UUID (Hypothesis ids such as
 * `Pm7y3tJVEe6r4u9J8x1Ydg`): the same source id always maps to the same annotation id, so importing
 * the same file twice updates instead of duplicating. Never change it.
 */
export const IMPORT_ID_NAMESPACE = 'd79a172b-1faf-4e34-99af-7d10fdd0a763';

/** UUIDv5 namespace for export collection ids derived from their content. */
export const COLLECTION_ID_NAMESPACE = 'b732f442-bd3c-4e50-916c-cb3520d598cb';

/** The namespace as bytes, parsed once: uuid parses a string namespace on every call. */
const STIX_NAMESPACE_BYTES = parseUuid(STIX_ID_NAMESPACE);

/** UUIDv5 of `name` under {@link STIX_ID_NAMESPACE}, lower case. */
export function stixUuid(name: string): string {
  return uuidv5(name, STIX_NAMESPACE_BYTES);
}

/**
 * The annotation id for an imported source id: the UUID itself (lower-cased) when it is one, else
 * UUIDv5 of `<source>:<id>` under {@link IMPORT_ID_NAMESPACE}.
 */
export function importedAnnotationId(sourceId: string, source: string): string {
  const bare = sourceId.replace(/^urn:uuid:/i, '');
  return isUuid(bare) ? bare.toLowerCase() : uuidv5(`${source}:${sourceId}`, IMPORT_ID_NAMESPACE);
}

/**
 * A content-derived UUID for an export of these annotations: the same annotations at the same
 * versions give the same id, so an export stays a pure function of its input.
 */
export function collectionUuid(
  kind: string,
  annotations: readonly { id: string; updatedAt: string }[],
): string {
  const parts: string[] = [kind];
  for (const annotation of annotations) parts.push(annotation.id, annotation.updatedAt);
  return uuidv5(parts.join('\n'), COLLECTION_ID_NAMESPACE);
}
