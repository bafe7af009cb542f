import type { Annotation } from '../annotations/schema';
import type { AttributionLensDb } from '../db';
import { type EntityFacts, getEntitiesFacts } from '../kb/facts';
import { EntityId } from '../kb/schema';
import {
  createExportContext,
  type ExportContext,
  type ExportCreator,
  type ExportEntity,
  referencedIds,
} from './context';

/** Links whose target is "who runs it" (the sponsor shown next to an entity in exports). */
const SPONSOR_RELS: ReadonlySet<string> = new Set(['sponsoredBy', 'operatedBy', 'frontFor']);

/** An entity's facts as exporters need them. */
export function exportEntityOf(facts: EntityFacts): ExportEntity {
  const { entity, sponsorChain } = facts;
  const sponsor = sponsorChain.find((step) => SPONSOR_RELS.has(step.rel))?.entity;
  return {
    id: entity.id,
    name: entity.name,
    kind: entity.kind,
    ...(entity.country ? { country: entity.country } : {}),
    summary: entity.summary,
    aliases: entity.aliases.map((alias) => alias.text),
    ...(sponsor ? { sponsor } : {}),
    sources: entity.sources,
  };
}

/**
 * Reads from the DB (through `getEntityFacts`, so imported and user aliases are included) every
 * entity the annotations link to or name in a claim, and returns the export context. Claim sides
 * that are not entity ids are left out (exporters show them as typed); ids no longer in the DB too.
 */
export async function buildExportContext(
  db: AttributionLensDb,
  annotations: readonly Annotation[],
  creator?: ExportCreator,
): Promise<ExportContext> {
  const ids = new Set<string>();
  for (const annotation of annotations) {
    for (const id of referencedIds(annotation)) if (EntityId.safeParse(id).success) ids.add(id);
  }
  const facts = await getEntitiesFacts(db, [...ids].sort());
  return createExportContext(
    facts.filter((f): f is EntityFacts => f !== undefined).map(exportEntityOf),
    creator,
  );
}
