import type { Annotation } from '../annotations/schema';
import type { EntityRef } from '../kb/facts';
import type { EntityKind, Source } from '../kb/schema';

/**
 * What every exporter knows about one entity an annotation links to (or names in its claim).
 * Filled from the knowledge base by `buildExportContext` (build-export-context.ts); tests build it
 * by hand with {@link createExportContext}.
 */
export interface ExportEntity {
  id: string;
  name: string;
  kind: EntityKind;
  country?: string;
  /** The knowledge base's one-paragraph summary (STIX `description`). */
  summary?: string;
  /** Other names, built-in, imported and the user's (STIX `aliases`). */
  aliases: readonly string[];
  /**
   * Who is said to run it: the target of the first `sponsoredBy`, `operatedBy` or `frontFor` link on
   * its sponsor chain (APT31 → Hubei State Security Department). Absent when the KB names none.
   */
  sponsor?: EntityRef;
  /** Official statements about the entity (indictments, advisories), listed at the end of sections. */
  sources: readonly Source[];
}

/** Who made the annotations, when the user has set a name (W3C `creator`, STIX `created_by_ref`). */
export interface ExportCreator {
  name: string;
  /** An IRI for the person (e.g. `mailto:` or a profile URL); optional. */
  id?: string;
}

/** Everything an exporter needs besides the annotations. Pure data: no DB handle. */
export interface ExportContext {
  /** Entities by id; ids an annotation mentions that are missing here are exported as bare ids. */
  entities: ReadonlyMap<string, ExportEntity>;
  creator?: ExportCreator;
}

/** Builds an {@link ExportContext} from a list of entities (later duplicates win). */
export function createExportContext(
  entities: Iterable<ExportEntity> = [],
  creator?: ExportCreator,
): ExportContext {
  const byId = new Map<string, ExportEntity>();
  for (const entity of entities) byId.set(entity.id, entity);
  return creator ? { entities: byId, creator } : { entities: byId };
}

/** Called with the items done so far and the total, at least every {@link PROGRESS_EVERY} items. */
export type ExportProgress = (done: number, total: number) => void;

/** Largest number of items an exporter handles between two progress calls. */
export const PROGRESS_EVERY = 500;

/**
 * A counter that calls `onProgress` at 0, every {@link PROGRESS_EVERY} steps and at `total`.
 * Returns the function to call once per item.
 */
export function progressCounter(total: number, onProgress?: ExportProgress): () => void {
  if (!onProgress) return () => {};
  let done = 0;
  onProgress(0, total);
  return () => {
    done++;
    if (done % PROGRESS_EVERY === 0 || done === total) onProgress(done, total);
  };
}

/**
 * A claim side (attributor, actor or sponsor) as text: the entity's name when the value is a known
 * entity id, else the value as the user typed it.
 */
export function claimPartName(value: string | undefined, context: ExportContext): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return context.entities.get(value)?.name ?? value;
}

/** The ids an annotation refers to: linked entities first, then the claim's sides, without repeats. */
export function referencedIds(annotation: Annotation): string[] {
  const ids = new Set(annotation.entityIds);
  const claim = annotation.claim;
  for (const side of [claim?.attributor, claim?.actor, claim?.sponsor]) if (side) ids.add(side);
  return [...ids];
}
