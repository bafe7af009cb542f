import { afterEach, describe, expect, it } from 'vitest';
import { AttributionLensDb, seedBuiltinKnowledgeBase } from '@/lib/db';
import { getEntitiesFacts, getEntityFacts } from '@/lib/kb/facts';
import { loadBuiltinKnowledgeBase } from '@/lib/kb/seed';
import { testKnowledgeBase } from './kb/test-kb';

let db: AttributionLensDb;
afterEach(async () => {
  await db.delete();
});

describe('seedBuiltinKnowledgeBase', () => {
  it('writes every built-in entity and event once, and skips an unchanged KB', async () => {
    db = new AttributionLensDb(`t-${Math.random()}`);
    const kb = loadBuiltinKnowledgeBase();
    expect(await seedBuiltinKnowledgeBase(db, kb)).toBe(true);
    expect(await db.entities.count()).toBe(kb.entities.length);
    expect(await db.events.count()).toBe(kb.events.length);
    expect(await seedBuiltinKnowledgeBase(db, kb)).toBe(false);
  });

  it('replaces built-in rows on update and keeps user and imported rows', async () => {
    db = new AttributionLensDb(`t-${Math.random()}`);
    const kb = testKnowledgeBase();
    await seedBuiltinKnowledgeBase(db, kb);
    await db.entities.put({
      id: 'my-group',
      kind: 'actor',
      name: 'My Group',
      aliases: [],
      summary: 'Added by the user.',
      links: [],
      sources: [],
      origin: 'user',
      searchNames: ['my group'],
    });
    const updated = { ...kb, entities: kb.entities.filter((e) => e.id !== 'jane-doe') };
    expect(await seedBuiltinKnowledgeBase(db, updated)).toBe(true);
    expect(await db.entities.get('jane-doe')).toBeUndefined();
    expect((await db.entities.get('my-group'))?.origin).toBe('user');
    expect(await db.entities.where('searchNames').equals('violet typhoon').primaryKeys()).toEqual(['apt31']);
  });
});

describe('getEntityFacts', () => {
  it('returns the sponsor chain, reverse links and events with names', async () => {
    db = new AttributionLensDb(`t-${Math.random()}`);
    await seedBuiltinKnowledgeBase(db, testKnowledgeBase());
    const facts = await getEntityFacts(db, 'apt31');
    expect(facts?.sponsorChain.map((s) => `${s.rel}:${s.entity.id}`)).toEqual([
      'sponsoredBy:cn-mss-hubei',
      'partOf:cn-mss',
    ]);
    expect(facts?.events.map((e) => e.id)).toEqual(['test-2024-03-25-doj-apt31']);
    expect(facts?.names['us-doj']?.name).toBe('U.S. Department of Justice');
    const mss = await getEntityFacts(db, 'cn-mss-hubei');
    expect(mss?.linkedFrom.map((l) => l.entity.id)).toEqual(['apt31']);
    expect(await getEntityFacts(db, 'nope')).toBeUndefined();
  });
});

describe('AttributionLensDb migrations', () => {
  it('opens a version-1 database filled with rows and adds the aliases table without loss', async () => {
    const name = `mig-${Math.random()}`;
    const { Dexie } = await import('dexie');
    const v1 = new Dexie(name);
    v1.version(1).stores({
      entities: 'id, kind, origin, *searchNames',
      events: 'id, date, origin, *actors, *attributors, sponsor',
      sites: 'host',
      settings: 'key',
    });
    await v1.table('entities').put({
      id: 'apt31',
      kind: 'actor',
      name: 'APT31',
      aliases: [],
      summary: 'x'.repeat(12),
      links: [],
      sources: [],
      origin: 'builtin',
      searchNames: ['apt31'],
    });
    await v1.table('sites').put({ host: 'cbc.ca', enabled: false });
    v1.close();
    db = new AttributionLensDb(name);
    expect((await db.entities.get('apt31'))?.name).toBe('APT31');
    expect((await db.sites.get('cbc.ca'))?.enabled).toBe(false);
    await db.aliases.add({
      entityId: 'apt31',
      text: 'Violet Typhoon',
      scheme: 'microsoft',
      origin: 'user',
      source: 'user',
      textLower: 'violet typhoon',
    });
    expect(await db.aliases.where('textLower').equals('violet typhoon').count()).toBe(1);
  });

  it('keeps user aliases when the built-in KB is replaced, and shows them in facts', async () => {
    db = new AttributionLensDb(`t-${Math.random()}`);
    const kb = testKnowledgeBase();
    await seedBuiltinKnowledgeBase(db, kb);
    await db.aliases.add({
      entityId: 'apt31',
      text: 'Judgment Panda',
      scheme: 'crowdstrike',
      origin: 'imported',
      source: 'test',
      textLower: 'judgment panda',
    });
    await seedBuiltinKnowledgeBase(db, { ...kb, events: [] });
    const facts = await getEntityFacts(db, 'apt31');
    expect(facts?.entity.aliases.map((a) => a.text)).toContain('Judgment Panda');
  });
});

describe('seedBuiltinKnowledgeBase with imported rows', () => {
  it('keeps the names of an imported entity whose id a new built-in entity takes', async () => {
    db = new AttributionLensDb(`t-${Math.random()}`);
    const kb = testKnowledgeBase();
    await seedBuiltinKnowledgeBase(db, { ...kb, entities: kb.entities.filter((e) => e.id !== 'apt31') });
    await db.entities.put({
      id: 'apt31',
      kind: 'actor',
      name: 'APT 31 (imported)',
      aliases: [
        { text: 'Judgment Panda', scheme: 'misp' },
        { text: 'Violet Typhoon', scheme: 'misp' },
      ],
      summary: 'Imported from a MISP galaxy.',
      links: [],
      sources: [],
      origin: 'imported',
      searchNames: ['apt 31 (imported)', 'judgment panda', 'violet typhoon'],
    });
    await seedBuiltinKnowledgeBase(db, kb);
    expect((await db.entities.get('apt31'))?.origin).toBe('builtin');
    const kept = (await db.aliases.where('entityId').equals('apt31').toArray()).map((a) => a.text).sort();
    expect(kept).toEqual(['APT 31 (imported)', 'Judgment Panda']);
  });
});

describe('getEntitiesFacts', () => {
  it('gives the same facts as getEntityFacts for every built-in entity, from one read', async () => {
    db = new AttributionLensDb(`t-${Math.random()}`);
    await seedBuiltinKnowledgeBase(db, loadBuiltinKnowledgeBase());
    await db.aliases.add({
      entityId: 'apt31',
      text: 'RedBravo',
      scheme: 'common',
      origin: 'user',
      source: 'user',
      textLower: 'redbravo',
    });
    const ids = (await db.entities.toCollection().primaryKeys()).map(String);
    const batch = await getEntitiesFacts(db, ids);
    expect(batch.length).toBe(ids.length);
    for (const facts of batch.filter((_, i) => i % 7 === 0)) {
      expect(facts).toEqual(await getEntityFacts(db, facts.entity.id));
    }
  });
});
