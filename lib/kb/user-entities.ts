import { z } from 'zod';
import { type AttributionLensDb, searchNamesOf } from '../db';
import { isNeverMatched } from '../match/dictionary';
import { canonicalSpacing } from '../match/fold';
import { type Entity, EntityKind } from './schema';

/** The "add your own entity" form, validated before anything is written. */
export const NewEntityForm = z.strictObject({
  name: z.string().trim().min(2, 'a name needs at least 2 characters').max(160),
  kind: EntityKind.exclude(['person']),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^([A-Z]{2})?$/, 'country is a two-letter code such as CN or RU')
    .optional(),
  aliases: z.array(z.string().trim().min(2).max(120)).default([]),
  summary: z.string().trim().max(1200).optional(),
});
export type NewEntityForm = z.input<typeof NewEntityForm>;

/** Lower-cased names already in use, mapped to their entity, across entities and alias rows. */
async function namesInUse(db: AttributionLensDb): Promise<Map<string, string>> {
  const used = new Map<string, string>();
  for (const entity of await db.entities.toArray()) {
    for (const name of searchNamesOf(entity)) used.set(name, entity.id);
  }
  for (const alias of await db.aliases.toArray()) used.set(alias.textLower, alias.entityId);
  return used;
}

function slugOf(name: string): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'entity';
}

/** A problem the user can fix; its message is shown as is. */
export class UserInputError extends Error {
  override name = 'UserInputError';
}

function checkName(text: string, used: Map<string, string>, ownId?: string): string {
  const name = canonicalSpacing(text);
  if (isNeverMatched(name)) throw new UserInputError(`"${name}" is too generic to highlight`);
  const owner = used.get(name.toLowerCase());
  if (owner && owner !== ownId) throw new UserInputError(`"${name}" already names ${owner}`);
  return name;
}

/** Adds a user entity (origin "user"); refuses names another entity already has. Returns its id. */
export async function addUserEntity(
  db: AttributionLensDb,
  form: NewEntityForm,
  today = new Date(),
): Promise<string> {
  const parsed = NewEntityForm.safeParse(form);
  if (!parsed.success) throw new UserInputError(parsed.error.issues[0]?.message ?? 'invalid entity');
  const input = parsed.data;
  return db.transaction('rw', db.entities, db.aliases, async () => {
    const used = await namesInUse(db);
    const name = checkName(input.name, used);
    const aliases = [...new Set(input.aliases.map((alias) => checkName(alias, used)))].filter(
      (a) => a !== name,
    );
    let id = `user-${slugOf(name)}`;
    for (let n = 2; await db.entities.get(id); n++) id = `user-${slugOf(name)}-${n}`;
    const entity: Entity = {
      id,
      kind: input.kind,
      name,
      aliases: aliases.map((text) => ({ text, scheme: 'common' })),
      summary:
        input.summary && input.summary.length >= 10
          ? input.summary
          : `Added by you on ${today.toISOString().slice(0, 10)}.`,
      links: [],
      sources: [],
      ...(input.country ? { country: input.country } : {}),
    };
    await db.entities.add({ ...entity, origin: 'user', searchNames: searchNamesOf(entity) });
    return id;
  });
}

/** Adds one alias of the user's to any entity; kept across knowledge-base updates. */
export async function addUserAlias(db: AttributionLensDb, entityId: string, text: string): Promise<void> {
  await db.transaction('rw', db.entities, db.aliases, async () => {
    if (!(await db.entities.get(entityId))) throw new UserInputError(`no entity ${entityId}`);
    const trimmed = text.trim();
    if (trimmed.length < 2) throw new UserInputError('an alias needs at least 2 characters');
    const alias = checkName(trimmed, await namesInUse(db), entityId);
    if ((await db.aliases.where('[entityId+textLower]').equals([entityId, alias.toLowerCase()]).count()) > 0)
      return;
    await db.aliases.add({
      entityId,
      text: alias,
      scheme: 'common',
      origin: 'user',
      source: 'user',
      textLower: alias.toLowerCase(),
    });
  });
}

/** Entities whose name or any alias contains `query` (case-insensitive), best matches first. */
export async function searchEntities(db: AttributionLensDb, query: string, limit = 50): Promise<Entity[]> {
  const q = query.trim().toLowerCase();
  const extra = new Map<string, string[]>();
  for (const alias of await db.aliases.toArray())
    extra.set(alias.entityId, [...(extra.get(alias.entityId) ?? []), alias.textLower]);
  const scored: { entity: Entity; score: number }[] = [];
  for (const row of await db.entities.toArray()) {
    const names = [...row.searchNames, ...(extra.get(row.id) ?? [])];
    let score = q === '' ? 1 : 0;
    for (const name of names) {
      if (name === q) score = Math.max(score, 3);
      else if (name.startsWith(q)) score = Math.max(score, 2);
      else if (q && name.includes(q)) score = Math.max(score, 1);
    }
    if (score > 0) scored.push({ entity: row, score });
  }
  scored.sort((a, b) => b.score - a.score || a.entity.name.localeCompare(b.entity.name));
  return scored.slice(0, limit).map((s) => s.entity);
}
