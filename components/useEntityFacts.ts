import { useLiveQuery } from 'dexie-react-hooks';
import { AttributionLensDb } from '@/lib/db';
import { type EntityFacts, getEntityFacts } from '@/lib/kb/facts';

let db: AttributionLensDb | undefined;

/** The extension's DB, opened once per extension page. */
export function useDb(): AttributionLensDb {
  db ??= new AttributionLensDb();
  return db;
}

/**
 * An entity's facts, live from Dexie (extension pages only; content scripts use messages).
 * undefined while loading, null for an unknown id.
 */
export function useEntityFacts(id: string | undefined): EntityFacts | null | undefined {
  const database = useDb();
  return useLiveQuery(async () => (id ? ((await getEntityFacts(database, id)) ?? null) : null), [id]);
}
