import { z } from 'zod';
import type { AttributionLensDb } from '../db';
import { AttributionEvent, Entity, EntityId, EntityKind, LinkRel } from './schema';

/** The few fields needed to name and link an entity. */
export const EntityRef = z.strictObject({
  id: EntityId,
  name: z.string(),
  kind: EntityKind,
  country: z.string().optional(),
});
export type EntityRef = z.infer<typeof EntityRef>;

/** Everything the hover card and popup show about one entity. */
export const EntityFacts = z.strictObject({
  entity: Entity,
  /** Upward chain of sponsorship/parent links: APT31 → Hubei SSD → MSS. */
  sponsorChain: z.array(z.strictObject({ rel: LinkRel, entity: EntityRef })),
  /** Entities that point at this one (groups an agency runs, parts of a body). */
  linkedFrom: z.array(z.strictObject({ rel: LinkRel, entity: EntityRef })),
  /** Attributions involving the entity, newest first. */
  events: z.array(AttributionEvent),
  /** Names of every id mentioned in `events`, so they render without more lookups. */
  names: z.record(z.string(), EntityRef),
});
export type EntityFacts = z.infer<typeof EntityFacts>;

const CHAIN_RELS: ReadonlySet<string> = new Set([
  'sponsoredBy',
  'operatedBy',
  'frontFor',
  'partOf',
  'employedBy',
]);
const MAX_CHAIN = 6;

function refOf(entity: Entity): EntityRef {
  return {
    id: entity.id,
    name: entity.name,
    kind: entity.kind,
    ...(entity.country ? { country: entity.country } : {}),
  };
}

function stripRow<T extends Entity>(row: T): Entity {
  const { id, kind, name, aliases, country, summary, links, sources } = row;
  return { id, kind, name, aliases: [...aliases], summary, links, sources, ...(country ? { country } : {}) };
}

/** Reads an entity's facts from the DB, or undefined for an unknown id. */
export async function getEntityFacts(db: AttributionLensDb, id: string): Promise<EntityFacts | undefined> {
  const row = await db.entities.get(id);
  if (!row) return undefined;
  const entity = stripRow(row);
  // Aliases from imports and the user are shown with the built-in ones.
  const known = new Set(entity.aliases.map((alias) => alias.text.toLowerCase()));
  for (const extra of await db.aliases.where('entityId').equals(id).toArray()) {
    if (known.has(extra.textLower)) continue;
    known.add(extra.textLower);
    const { text, scheme, caseSensitive, ambiguous, match } = extra;
    entity.aliases.push({
      text,
      scheme,
      ...(caseSensitive === undefined ? {} : { caseSensitive }),
      ...(ambiguous === undefined ? {} : { ambiguous }),
      ...(match === undefined ? {} : { match }),
    });
  }

  const sponsorChain: EntityFacts['sponsorChain'] = [];
  const visited = new Set([id]);
  let current: Entity = entity;
  while (sponsorChain.length < MAX_CHAIN) {
    const link = current.links.find((l) => CHAIN_RELS.has(l.rel) && !visited.has(l.target));
    if (!link) break;
    const parent = await db.entities.get(link.target);
    if (!parent) break;
    visited.add(parent.id);
    sponsorChain.push({ rel: link.rel, entity: refOf(parent) });
    current = parent;
  }

  const linkedFrom = (await db.entities.filter((e) => e.links.some((l) => l.target === id)).toArray())
    .flatMap((e) => e.links.filter((l) => l.target === id).map((l) => ({ rel: l.rel, entity: refOf(e) })))
    .sort((a, b) => a.entity.name.localeCompare(b.entity.name));

  const involved = (e: AttributionEvent) =>
    e.actors.includes(id) ||
    e.attributors.includes(id) ||
    e.sponsor === id ||
    e.people.includes(id) ||
    e.companies.includes(id);
  const events = (await db.events.filter(involved).toArray())
    .map(({ origin: _origin, ...event }) => event)
    .sort((a, b) => b.date.localeCompare(a.date) || a.id.localeCompare(b.id));

  const ids = new Set<string>();
  for (const e of events) {
    for (const ref of [...e.actors, ...e.attributors, ...e.people, ...e.companies]) ids.add(ref);
    if (e.sponsor) ids.add(e.sponsor);
  }
  const names: EntityFacts['names'] = {};
  for (const found of await db.entities.bulkGet([...ids])) if (found) names[found.id] = refOf(found);

  return { entity, sponsorChain, linkedFrom, events, names };
}
