import { z } from 'zod';
import type { AliasRow, AttributionLensDb, EventRow } from '../db';
import { AttributionEvent, Entity, EntityId, EntityKind, type EntityLink, LinkRel } from './schema';

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

/** Adds aliases from imports and the user to an entity's own, skipping ones it already has. */
function withExtraAliases(entity: Entity, extras: readonly AliasRow[]): Entity {
  const known = new Set(entity.aliases.map((alias) => alias.text.toLowerCase()));
  for (const extra of extras) {
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
  return entity;
}

/** The facts of `entity`, given lookups into a snapshot of the KB (the shared core). */
function factsOf(
  entity: Entity,
  lookup: {
    byId(id: string): Entity | undefined;
    linkingTo(id: string): readonly Entity[];
    eventsOf(id: string): readonly AttributionEvent[];
  },
): EntityFacts {
  const id = entity.id;
  const sponsorChain: EntityFacts['sponsorChain'] = [];
  const visited = new Set([id]);
  let current: Entity = entity;
  while (sponsorChain.length < MAX_CHAIN) {
    const link = current.links.find((l) => CHAIN_RELS.has(l.rel) && !visited.has(l.target));
    const parent = link ? lookup.byId(link.target) : undefined;
    if (!link || !parent) break;
    visited.add(parent.id);
    sponsorChain.push({ rel: link.rel, entity: refOf(parent) });
    current = parent;
  }
  const linkedFrom = lookup
    .linkingTo(id)
    .flatMap((e) => e.links.filter((l) => l.target === id).map((l) => ({ rel: l.rel, entity: refOf(e) })))
    .sort((a, b) => a.entity.name.localeCompare(b.entity.name));
  const events = [...lookup.eventsOf(id)].sort(
    (a, b) => b.date.localeCompare(a.date) || a.id.localeCompare(b.id),
  );
  const names: EntityFacts['names'] = {};
  for (const e of events) {
    for (const ref of [
      ...e.actors,
      ...e.attributors,
      ...e.people,
      ...e.companies,
      ...(e.sponsor ? [e.sponsor] : []),
    ]) {
      const found = lookup.byId(ref);
      if (found) names[found.id] = refOf(found);
    }
  }
  return { entity, sponsorChain, linkedFrom, events, names };
}

function involves(event: AttributionEvent, id: string): boolean {
  return (
    event.actors.includes(id) ||
    event.attributors.includes(id) ||
    event.sponsor === id ||
    event.people.includes(id) ||
    event.companies.includes(id)
  );
}

function stripEvent({ origin: _origin, ...event }: EventRow): AttributionEvent {
  return event;
}

/** Reads an entity's facts from the DB (a few indexed reads: the hover card path), or undefined. */
export async function getEntityFacts(db: AttributionLensDb, id: string): Promise<EntityFacts | undefined> {
  const row = await db.entities.get(id);
  if (!row) return undefined;
  const entity = withExtraAliases(stripRow(row), await db.aliases.where('entityId').equals(id).toArray());
  // Load what the chain and event names need, then compute from that snapshot.
  const loaded = new Map<string, Entity>([[id, entity]]);
  let current: Entity | undefined = entity;
  for (let depth = 0; current && depth < MAX_CHAIN; depth++) {
    const link: EntityLink | undefined = current.links.find(
      (l) => CHAIN_RELS.has(l.rel) && !loaded.has(l.target),
    );
    current = link ? await db.entities.get(link.target) : undefined;
    if (current) loaded.set(current.id, current);
  }
  const linking = await db.entities.filter((e) => e.links.some((l) => l.target === id)).toArray();
  const events = (await db.events.filter((e) => involves(e, id)).toArray()).map(stripEvent);
  const refs = new Set(
    events.flatMap((e) => [
      ...e.actors,
      ...e.attributors,
      ...e.people,
      ...e.companies,
      ...(e.sponsor ? [e.sponsor] : []),
    ]),
  );
  for (const found of await db.entities.bulkGet([...refs].filter((ref) => !loaded.has(ref)))) {
    if (found) loaded.set(found.id, found);
  }
  return factsOf(entity, {
    byId: (ref) => loaded.get(ref),
    linkingTo: () => linking,
    eventsOf: () => events,
  });
}

/**
 * Facts of many entities from one read of each table (exports of thousands of notes): the same
 * result as calling getEntityFacts for each id, without rescanning the tables per entity.
 */
export async function getEntitiesFacts(
  db: AttributionLensDb,
  ids: readonly string[],
): Promise<EntityFacts[]> {
  const [rows, aliasRows, eventRows] = await db.transaction('r', db.entities, db.aliases, db.events, () =>
    Promise.all([db.entities.toArray(), db.aliases.toArray(), db.events.toArray()]),
  );
  const rowById = new Map(rows.map((row) => [row.id, row]));
  const byId = new Map<string, Entity>(rowById);
  const linkingTo = new Map<string, Entity[]>();
  for (const row of rows) {
    for (const target of new Set(row.links.map((l) => l.target)))
      linkingTo.set(target, [...(linkingTo.get(target) ?? []), row]);
  }
  const eventsOf = new Map<string, AttributionEvent[]>();
  for (const row of eventRows) {
    const event = stripEvent(row);
    const refs = new Set([
      ...event.actors,
      ...event.attributors,
      ...event.people,
      ...event.companies,
      ...(event.sponsor ? [event.sponsor] : []),
    ]);
    for (const ref of refs) eventsOf.set(ref, [...(eventsOf.get(ref) ?? []), event]);
  }
  const aliasesOf = new Map<string, AliasRow[]>();
  for (const alias of aliasRows)
    aliasesOf.set(alias.entityId, [...(aliasesOf.get(alias.entityId) ?? []), alias]);
  const lookup = {
    byId: (ref: string) => byId.get(ref),
    linkingTo: (ref: string) => linkingTo.get(ref) ?? [],
    eventsOf: (ref: string) => eventsOf.get(ref) ?? [],
  };
  const facts: EntityFacts[] = [];
  for (const id of ids) {
    const row = rowById.get(id);
    if (row) facts.push(factsOf(withExtraAliases(stripRow(row), aliasesOf.get(id) ?? []), lookup));
  }
  return facts;
}
