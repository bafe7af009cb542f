import { afterEach, describe, expect, it, test } from 'vitest';
import { AttributionLensDb, seedBuiltinKnowledgeBase } from '@/lib/db';
import { getEntityFacts } from '@/lib/kb/facts';
import { addUserAlias, addUserEntity, searchEntities } from '@/lib/kb/user-entities';
import { buildDictionary } from '@/lib/match/dictionary';
import { testKnowledgeBase } from './test-kb';

let db: AttributionLensDb;
async function freshDb() {
  db = new AttributionLensDb(`user-${Math.random()}`);
  await seedBuiltinKnowledgeBase(db, testKnowledgeBase());
  return db;
}
afterEach(async () => {
  await db.delete();
});

describe('addUserEntity', () => {
  it('adds an entity of the user that the dictionary then matches, kept across reseeds', async () => {
    await freshDb();
    const id = await addUserEntity(db, {
      name: 'Night Owl Crew',
      kind: 'actor',
      country: 'ru',
      aliases: ['NOC-7'],
    });
    expect(id).toBe('user-night-owl-crew');
    const row = await db.entities.get(id);
    expect(row).toMatchObject({
      origin: 'user',
      country: 'RU',
      aliases: [{ text: 'NOC-7', scheme: 'common' }],
    });
    const dictionary = buildDictionary(await db.entities.toArray());
    expect(dictionary.filter((e) => e.entityId === id).map((e) => e.text)).toEqual([
      'Night Owl Crew',
      'NOC-7',
    ]);
    await seedBuiltinKnowledgeBase(db, { ...testKnowledgeBase(), events: [] });
    expect((await db.entities.get(id))?.name).toBe('Night Owl Crew');
  });

  test.each([
    [{ name: 'APT31', kind: 'actor' }, 'already names apt31'],
    [{ name: 'New Group', kind: 'actor', aliases: ['violet typhoon'] }, 'already names apt31'],
    [{ name: 'China', kind: 'agency' }, 'too generic'],
    [{ name: 'X', kind: 'actor' }, 'at least 2 characters'],
    [{ name: 'Good Name', kind: 'actor', country: 'China' }, 'two-letter code'],
  ] as const)('refuses %j with a clear message and writes nothing', async (form, message) => {
    await freshDb();
    const before = await db.entities.count();
    await expect(
      addUserEntity(db, { ...form, aliases: 'aliases' in form ? [...form.aliases] : [] }),
    ).rejects.toThrow(message);
    expect(await db.entities.count()).toBe(before);
  });
});

describe('addUserAlias', () => {
  it('adds an alias to a built-in entity, shown in facts and searchable, refusing duplicates owned elsewhere', async () => {
    await freshDb();
    await addUserAlias(db, 'apt31', 'RedBravo');
    await addUserAlias(db, 'apt31', 'RedBravo');
    expect(await db.aliases.where('entityId').equals('apt31').count()).toBe(1);
    expect((await getEntityFacts(db, 'apt31'))?.entity.aliases.map((a) => a.text)).toContain('RedBravo');
    expect((await searchEntities(db, 'redbr')).map((e) => e.id)).toEqual(['apt31']);
    await expect(addUserAlias(db, 'cn-mss', 'RedBravo')).rejects.toThrow('already names apt31');
    await expect(addUserAlias(db, 'nope', 'Whatever')).rejects.toThrow('no entity');
  });
});

describe('searchEntities', () => {
  it('finds entities by any alias, exact and prefix matches first', async () => {
    await freshDb();
    expect((await searchEntities(db, 'zirconium')).map((e) => e.id)).toEqual(['apt31']);
    expect((await searchEntities(db, 'mss')).map((e) => e.id)[0]).toBe('cn-mss');
    expect((await searchEntities(db, 'security')).map((e) => e.id)).toEqual(['cn-mss-hubei', 'cn-mss']);
  });
});
