import type { AttributionLensDb } from '../db';
import type { KnowledgeBase } from './schema';

/** The DESIGN contract's `npm run kb:stats` line. */
export interface KbStats {
  actors: number;
  agencies: number;
  attributors: number;
  companies: number;
  people: number;
  aliases: number;
  events: number;
  sourcedEvents: number;
}

/** Counts entities by kind, aliases over all entities, and events with an official https source. */
export function kbStats(kb: KnowledgeBase): KbStats {
  const count = (kind: string) => kb.entities.filter((entity) => entity.kind === kind).length;
  return {
    actors: count('actor'),
    agencies: count('agency'),
    attributors: count('attributor'),
    companies: count('company'),
    people: count('person'),
    aliases: kb.entities.reduce((sum, entity) => sum + entity.aliases.length, 0),
    events: kb.events.length,
    sourcedEvents: kb.events.filter((event) => event.url.startsWith('https://')).length,
  };
}

/**
 * The same counts read from the DB after imports: entities by kind over every row (built-in,
 * imported, user), aliases as entity aliases plus rows of the `aliases` table, and events.
 */
export async function kbStatsOfDb(db: AttributionLensDb): Promise<KbStats> {
  const [entities, extraAliases, events] = await Promise.all([
    db.entities.toArray(),
    db.aliases.count(),
    db.events.toArray(),
  ]);
  const stats = kbStats({ entities, events });
  return { ...stats, aliases: stats.aliases + extraAliases };
}
