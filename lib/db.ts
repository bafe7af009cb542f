import { Dexie, type EntityTable } from 'dexie';
import { z } from 'zod';
import type { Annotation } from './annotations/schema';
import { Alias, AttributionEvent, Entity, EntityId, type KnowledgeBase } from './kb/schema';

/** Where a knowledge-base row came from: built-in rows are replaced on update, the others never. */
export const RowOrigin = z.enum(['builtin', 'imported', 'user']);
export type RowOrigin = z.infer<typeof RowOrigin>;

export const EntityRow = Entity.extend({
  origin: RowOrigin,
  /** Lower-cased name and aliases, indexed for search by any alias. */
  searchNames: z.array(z.string()),
});
export type EntityRow = z.infer<typeof EntityRow>;

export const EventRow = AttributionEvent.extend({ origin: RowOrigin });
export type EventRow = z.infer<typeof EventRow>;

/**
 * An alias added to any entity (built-in or not) by an import or by the user. Kept apart from the
 * entity row so that replacing built-in rows on update never loses it.
 */
export const AliasRow = Alias.extend({
  key: z.number().int().optional(),
  entityId: EntityId,
  origin: z.enum(['imported', 'user']),
  /** Where it came from, e.g. "misp-galaxy threat-actor" or "user". */
  source: z.string().min(1),
  /** Lower-cased text, indexed to find an entity by any alias. */
  textLower: z.string().min(1),
});
export type AliasRow = z.infer<typeof AliasRow>;

/** Per-site preference; a site without a row uses the default (on for default news sites). */
export const SiteRow = z.strictObject({ host: z.string().min(1), enabled: z.boolean() });
export type SiteRow = z.infer<typeof SiteRow>;

export const SettingRow = z.strictObject({ key: z.string().min(1), value: z.unknown() });
export type SettingRow = z.infer<typeof SettingRow>;

/** The extension's IndexedDB. Versions are append-only: add version(n + 1) with an upgrade. */
export class AttributionLensDb extends Dexie {
  entities!: EntityTable<EntityRow, 'id'>;
  events!: EntityTable<EventRow, 'id'>;
  aliases!: EntityTable<AliasRow, 'key'>;
  annotations!: EntityTable<Annotation, 'id'>;
  sites!: EntityTable<SiteRow, 'host'>;
  settings!: EntityTable<SettingRow, 'key'>;

  constructor(name = 'attribution-lens') {
    super(name);
    this.version(1).stores({
      entities: 'id, kind, origin, *searchNames',
      events: 'id, date, origin, *actors, *attributors, sponsor',
      sites: 'host',
      settings: 'key',
    });
    // v2: aliases from imports and users live in their own table (survive built-in reseeds).
    this.version(2).stores({ aliases: '++key, entityId, origin, textLower, [entityId+textLower]' });
    // v3: the user's annotations.
    this.version(3).stores({ annotations: 'id, pageUrl, site, createdAt, updatedAt, *tags, *entityIds' });
  }
}

/** Lower-cased name and aliases of an entity, for the multi-entry search index. */
export function searchNamesOf(entity: Entity): string[] {
  return [
    ...new Set([entity.name, ...entity.aliases.map((alias) => alias.text)].map((n) => n.toLowerCase())),
  ];
}

const BUILTIN_FINGERPRINT_KEY = 'builtinFingerprint';

/** FNV-1a over the seed JSON: a changed built-in KB (new release) triggers a reseed. */
export function fingerprintOf(kb: KnowledgeBase): string {
  const text = JSON.stringify(kb);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return `${(hash >>> 0).toString(16)}-${kb.entities.length}-${kb.events.length}`;
}

/**
 * Replaces the built-in rows with `kb` in one transaction unless they already match it.
 * Imported and user rows are left alone. Returns true when it wrote.
 */
export async function seedBuiltinKnowledgeBase(db: AttributionLensDb, kb: KnowledgeBase): Promise<boolean> {
  const fingerprint = fingerprintOf(kb);
  return db.transaction('rw', [db.entities, db.events, db.settings, db.aliases], async () => {
    const current = await db.settings.get(BUILTIN_FINGERPRINT_KEY);
    if (current?.value === fingerprint) return false;
    await db.entities.where('origin').equals('builtin').delete();
    // An imported row whose id the new built-in KB now uses: keep its names as imported aliases.
    const builtinIds = new Set(kb.entities.map((entity) => entity.id));
    const overtaken = (await db.entities.where('origin').equals('imported').toArray()).filter((row) =>
      builtinIds.has(row.id),
    );
    for (const row of overtaken) {
      const builtin = kb.entities.find((entity) => entity.id === row.id);
      const known = new Set(builtin ? searchNamesOf(builtin) : []);
      for (const alias of [{ text: row.name, scheme: 'misp' as const }, ...row.aliases]) {
        const textLower = alias.text.toLowerCase();
        if (known.has(textLower)) continue;
        known.add(textLower);
        await db.aliases.add({
          ...alias,
          entityId: row.id,
          origin: 'imported',
          source: 'imported before a built-in update',
          textLower,
        });
      }
    }
    await db.events.where('origin').equals('builtin').delete();
    // A user or imported row with a built-in id keeps precedence over the seed only if it is the user's.
    const userIds = new Set(
      (await db.entities.where('origin').equals('user').primaryKeys()).map((key) => String(key)),
    );
    await db.entities.bulkPut(
      kb.entities
        .filter((entity) => !userIds.has(entity.id))
        .map((entity) => ({ ...entity, origin: 'builtin' as const, searchNames: searchNamesOf(entity) })),
    );
    await db.events.bulkPut(kb.events.map((event) => ({ ...event, origin: 'builtin' as const })));
    await db.settings.put({ key: BUILTIN_FINGERPRINT_KEY, value: fingerprint });
    return true;
  });
}
