import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, test, vi } from 'vitest';
import { AttributionLensDb, seedBuiltinKnowledgeBase } from '@/lib/db';
import { detectImportFormat, importKnowledge, importKnowledgeFile } from '@/lib/kb/import/apply';
import { ImportFileError } from '@/lib/kb/import/import-error';
import { parseMispGalaxy } from '@/lib/kb/import/misp-galaxy';
import { testKnowledgeBase } from '../test-kb';

const FIXTURES = path.resolve(__dirname, '../../fixtures/kb');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');
const threatActorText = fixture('misp-threat-actor.json');
const intrusionSetText = fixture('misp-mitre-intrusion-set.json');
const bundleText = fixture('attack-enterprise-bundle.json');

let db: AttributionLensDb;
beforeEach(async () => {
  db = new AttributionLensDb(`import-${Math.random()}`);
  await seedBuiltinKnowledgeBase(db, testKnowledgeBase());
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
  await db.aliases.add({
    entityId: 'apt31',
    text: 'Judgement Panda',
    scheme: 'common',
    origin: 'user',
    source: 'user',
    textLower: 'judgement panda',
  });
  await db.settings.put({ key: 'theme', value: 'dark' });
});
afterEach(async () => {
  await db.delete();
});

/** Every row of every table, to compare before and after. */
async function snapshot(database: AttributionLensDb) {
  return {
    entities: await database.entities.toArray(),
    aliases: await database.aliases.toArray(),
    events: await database.events.toArray(),
    sites: await database.sites.toArray(),
    settings: await database.settings.toArray(),
  };
}

async function counts(database: AttributionLensDb) {
  const rows = await snapshot(database);
  return Object.fromEntries(Object.entries(rows).map(([table, list]) => [table, list.length]));
}

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-error: ${String(error)}`);
  }
  throw new Error('did not reject');
}

describe('importKnowledge', () => {
  it('adds new groups as imported entity rows with search names', async () => {
    const result = await importKnowledge(db, parseMispGalaxy(threatActorText, 'threat-actor.json'));
    expect(result).toEqual({ added: 3, merged: 1, skipped: 4 });
    const cobalt = await db.entities.get('cobalt');
    expect(cobalt).toMatchObject({ kind: 'actor', name: 'Cobalt', origin: 'imported', country: 'RU' });
    expect(cobalt?.searchNames).toEqual(['cobalt', 'cobalt group', 'cobalt gang', 'gold kingswood', 'g0080']);
    expect(await db.entities.where('searchNames').equals('gold kingswood').primaryKeys()).toEqual(['cobalt']);
  });

  it('adds new names of existing entities as alias rows and leaves built-in rows untouched', async () => {
    const before = await snapshot(db);
    await importKnowledge(db, parseMispGalaxy(threatActorText, 'threat-actor.json'));
    const rows = await db.aliases.where('entityId').equals('apt31').toArray();
    expect(rows.map(({ key: _key, ...row }) => row)).toEqual([
      {
        entityId: 'apt31',
        text: 'Judgement Panda',
        scheme: 'common',
        origin: 'user',
        source: 'user',
        textLower: 'judgement panda',
      },
      ...['JUDGMENT PANDA', 'BRONZE VINEWOOD', 'TA412', 'G0128'].map((text) => ({
        entityId: 'apt31',
        text,
        scheme: text === 'G0128' ? 'mitre' : 'misp',
        ...(text === 'G0128' ? { match: false } : {}),
        ...(text.includes(' ') ? { caseSensitive: false } : {}),
        origin: 'imported',
        source: 'MISP galaxy threat-actor',
        textLower: text.toLowerCase(),
      })),
    ]);
    const after = await snapshot(db);
    const untouched = (rows: typeof before.entities) => rows.filter((row) => row.origin !== 'imported');
    expect(untouched(after.entities)).toEqual(untouched(before.entities));
    expect(after.events).toEqual(before.events);
    expect(after.settings).toEqual(before.settings);
  });

  it('reports progress from zero to the number of rows written', async () => {
    const onProgress = vi.fn<(done: number, total: number) => void>();
    await importKnowledge(db, parseMispGalaxy(threatActorText, 'threat-actor.json'), onProgress);
    // Three new entities (Cobalt, Tortoiseshell, Hurricane Panda) and four new names of APT31.
    expect(onProgress.mock.calls[0]).toEqual([0, 7]);
    expect(onProgress.mock.calls.at(-1)).toEqual([7, 7]);
  });

  it('adds nothing and changes no row when the same batch is imported again', async () => {
    const batch = parseMispGalaxy(threatActorText, 'threat-actor.json');
    const first = await importKnowledge(db, batch);
    const before = await snapshot(db);
    const second = await importKnowledge(db, batch);
    expect(second).toEqual({ added: 0, merged: first.added + first.merged, skipped: first.skipped });
    expect(await snapshot(db)).toEqual(before);
  });

  it('writes nothing when a write fails half way', async () => {
    const before = await counts(db);
    const failing = vi.spyOn(db.aliases, 'bulkAdd').mockRejectedValueOnce(new Error('disk full'));
    const error = await rejectionOf(
      importKnowledge(db, parseMispGalaxy(threatActorText, 'threat-actor.json')),
    );
    failing.mockRestore();
    expect(error.message).toBe('disk full');
    expect(await counts(db)).toEqual(before);
  });
});

describe('importKnowledgeFile', () => {
  it('imports the MISP threat-actor list, then the ATT&CK intrusion sets into the same entities', async () => {
    await importKnowledgeFile(db, threatActorText, 'threat-actor.json');
    const result = await importKnowledgeFile(db, intrusionSetText, 'mitre-intrusion-set.json');
    // ZIRCONIUM - G0128 is APT31 and Cobalt Group - G0080 is the Cobalt added from threat-actor.json.
    expect(result).toEqual({ added: 0, merged: 2, skipped: 1 });
    expect(await db.aliases.where('textLower').equals('cobalt spider').toArray()).toMatchObject([
      { entityId: 'cobalt', source: 'MISP galaxy mitre-intrusion-set', scheme: 'mitre' },
    ]);
  });

  it('imports the groups of an ATT&CK STIX bundle', async () => {
    const result = await importKnowledgeFile(db, bundleText, 'enterprise-attack.json');
    expect(result).toEqual({ added: 2, merged: 0, skipped: 2 });
    expect(await db.entities.get('apt29')).toMatchObject({
      origin: 'imported',
      summary:
        'Imported from a MITRE ATT&CK STIX bundle (ATT&CK group G0016). Not reviewed by Attribution Lens.',
      sources: [{ url: 'https://attack.mitre.org/groups/G0016' }],
    });
  });

  const junk = 'x'.repeat(50 * 1024 * 1024);
  test.each([
    [
      'truncated JSON',
      'threat-actor.json',
      threatActorText.slice(0, 900),
      'threat-actor.json is not valid JSON: ',
    ],
    ['50 MB of junk', 'junk.json', junk, 'junk.json is not valid JSON: '],
    [
      'a 50 MB JSON string',
      'junk.json',
      `"${junk}"`,
      'junk.json is not a MISP galaxy cluster file or an ATT&CK STIX bundle',
    ],
    [
      'a JSON array',
      'list.json',
      '[1, 2, 3]',
      'list.json is not a MISP galaxy cluster file or an ATT&CK STIX bundle',
    ],
    [
      'an object of another format',
      'backup.json',
      '{"version": 1, "annotations": []}',
      'backup.json is not a MISP galaxy cluster file or an ATT&CK STIX bundle',
    ],
    [
      'values of the wrong type',
      'threat-actor.json',
      '{"name": "Threat Actor", "type": "threat-actor", "uuid": "u", "values": "none"}',
      'threat-actor.json: values: Invalid input: expected array, received string',
    ],
    [
      'a galaxy without values',
      'threat-actor.json',
      '{"name": "Threat Actor", "type": "threat-actor", "uuid": "u"}',
      'threat-actor.json: values: Invalid input: expected array, received undefined',
    ],
    [
      'a value whose name is a number',
      'threat-actor.json',
      threatActorText.replace('"value": "Cobalt"', '"value": 7'),
      'threat-actor.json: values.1.value: Invalid input: expected string, received number',
    ],
    [
      'a STIX bundle whose objects are not an array',
      'enterprise-attack.json',
      '{"type": "bundle", "id": "bundle--1", "objects": {"type": "intrusion-set"}}',
      'enterprise-attack.json: objects: Invalid input: expected array, received object',
    ],
  ])(
    'rejects %s with a clear message and leaves the DB unchanged',
    async (_label, fileName, text, message) => {
      const before = await snapshot(db);
      const error = await rejectionOf(importKnowledgeFile(db, text, fileName));
      expect(error).toBeInstanceOf(ImportFileError);
      expect(error.message.startsWith(message)).toBe(true);
      expect(error.message.length).toBeLessThan(500);
      expect(await snapshot(db)).toEqual(before);
    },
  );
});

describe('detectImportFormat', () => {
  test.each([
    [{ type: 'bundle', objects: [] }, 'attack-stix'],
    [{ type: 'threat-actor', values: [] }, 'misp-galaxy'],
    [{ name: 'Threat Actor', type: 'threat-actor', uuid: 'u' }, 'misp-galaxy'],
    [{ values: 3 }, 'misp-galaxy'],
    [{ version: 1 }, undefined],
    [[], undefined],
    ['bundle', undefined],
    [null, undefined],
  ])('detects %j as %s', (json, format) => {
    expect(detectImportFormat(json)).toBe(format);
  });
});
