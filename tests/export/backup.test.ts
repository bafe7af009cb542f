import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, test, vi } from 'vitest';
import { AttributionLensDb, searchNamesOf, seedBuiltinKnowledgeBase } from '@/lib/db';
import {
  BACKUP_FORMAT,
  type Backup,
  BackupError,
  createBackup,
  MAX_BACKUP_CHARS,
  mergeAnnotations,
  restoreBackup,
  serializeBackup,
} from '@/lib/export/backup';
import { createExportContext } from '@/lib/export/context';
import { importHypothesis } from '@/lib/export/hypothesis';
import { exportW3c, importW3c } from '@/lib/export/w3c';
import type { Entity } from '@/lib/kb/schema';
import { testKnowledgeBase } from '../kb/test-kb';
import { makeAnnotation, sampleAnnotations } from './sample-data';

let db: AttributionLensDb;

const userEntity: Entity = {
  id: 'user-my-group',
  kind: 'actor',
  name: 'My Group',
  aliases: [{ text: 'MG-1', scheme: 'common' }],
  summary: 'Added by you on 2024-05-01.',
  links: [{ rel: 'sponsoredBy', target: 'cn-mss' }],
  sources: [],
};
const importedEntity: Entity = {
  id: 'apt99',
  kind: 'actor',
  name: 'APT99',
  aliases: [{ text: 'Example Panda', scheme: 'crowdstrike' }],
  country: 'CN',
  summary: 'Imported from a MISP galaxy for the tests.',
  links: [],
  sources: [{ url: 'https://example.org/apt99', title: 'APT99 report' }],
};

/** A database with built-in rows and some of every kind of user row. */
async function filledDb(): Promise<AttributionLensDb> {
  const fresh = new AttributionLensDb(`backup-${Math.random()}`);
  await seedBuiltinKnowledgeBase(fresh, testKnowledgeBase());
  await fresh.entities.bulkAdd([
    { ...userEntity, origin: 'user', searchNames: searchNamesOf(userEntity) },
    { ...importedEntity, origin: 'imported', searchNames: searchNamesOf(importedEntity) },
  ]);
  await fresh.aliases.bulkAdd([
    {
      entityId: 'apt31',
      text: 'Bronze Vinewood',
      scheme: 'secureworks',
      origin: 'imported',
      source: 'misp-galaxy threat-actor',
      textLower: 'bronze vinewood',
    },
    {
      entityId: 'apt31',
      text: 'Judgement Panda',
      scheme: 'common',
      caseSensitive: false,
      origin: 'user',
      source: 'user',
      textLower: 'judgement panda',
    },
  ]);
  await fresh.sites.bulkPut([
    { host: 'example.com', enabled: true },
    { host: 'cbc.ca', enabled: false },
  ]);
  await fresh.settings.bulkPut([
    { key: 'highlightsEnabled', value: true },
    { key: 'userName', value: { name: 'Mara K.' } },
  ]);
  await fresh.annotations.bulkAdd(sampleAnnotations());
  return fresh;
}

/** Every row of every table, sorted, alias keys dropped (they are auto-increment and not backed up). */
async function snapshot(target: AttributionLensDb) {
  const byKey = <T>(rows: T[], key: (row: T) => string) =>
    [...rows].sort((a, b) => key(a).localeCompare(key(b)));
  return {
    annotations: byKey(await target.annotations.toArray(), (r) => r.id),
    entities: byKey(await target.entities.toArray(), (r) => r.id),
    events: byKey(await target.events.toArray(), (r) => r.id),
    aliases: byKey(
      (await target.aliases.toArray()).map(({ key: _key, ...row }) => row),
      (r) => `${r.entityId} ${r.textLower}`,
    ),
    sites: byKey(await target.sites.toArray(), (r) => r.host),
    settings: byKey(await target.settings.toArray(), (r) => r.key),
  };
}

/** Deletes every user row: annotations, user and imported entities, aliases, sites, user settings. */
async function wipeUserData(target: AttributionLensDb): Promise<void> {
  await target.transaction(
    'rw',
    [target.annotations, target.entities, target.aliases, target.sites, target.settings],
    async () => {
      await target.annotations.clear();
      await target.entities.where('origin').anyOf('user', 'imported').delete();
      await target.aliases.clear();
      await target.sites.clear();
      await target.settings.where('key').notEqual('builtinFingerprint').delete();
    },
  );
}

beforeEach(async () => {
  db = await filledDb();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await db.delete();
});

describe('createBackup', () => {
  it('writes a versioned file with every kind of user row and no built-in rows', async () => {
    const backup = await createBackup(db, { now: new Date('2025-02-11T09:00:00Z') });
    expect(backup.format).toBe(BACKUP_FORMAT);
    expect(backup.version).toBe(2);
    expect(backup.exportedAt).toBe('2025-02-11T09:00:00.000Z');
    expect(backup.data.annotations).toHaveLength(4);
    expect(backup.data.userEntities).toEqual([userEntity]);
    expect(backup.data.importedEntities).toEqual([importedEntity]);
    expect(backup.data.aliases.map((a) => a.textLower)).toEqual(['bronze vinewood', 'judgement panda']);
    expect(backup.data.aliases[0]).not.toHaveProperty('key');
    expect(backup.data.sites).toHaveLength(2);
    expect(backup.data.settings.map((s) => s.key).sort()).toEqual(['highlightsEnabled', 'userName']);
  });

  it('reports progress over the rows it copies', async () => {
    const calls: [number, number][] = [];
    await createBackup(db, { onProgress: (done, total) => calls.push([done, total]) });
    expect(calls).toEqual([
      [0, 8],
      [8, 8],
    ]);
  });
});

describe('restoreBackup', () => {
  it('restores exactly the data that was backed up after the user data is wiped', async () => {
    const before = await snapshot(db);
    const text = serializeBackup(await createBackup(db));
    await wipeUserData(db);
    expect(await db.annotations.count()).toBe(0);
    const report = await restoreBackup(db, text);
    expect(await snapshot(db)).toEqual(before);
    expect(report).toEqual({
      version: 2,
      annotations: { added: 4, updated: 0, unchanged: 0, skipped: 0 },
      entities: { added: 2, updated: 0, unchanged: 0, skipped: 0 },
      aliases: { added: 2, updated: 0, unchanged: 0, skipped: 0 },
      sites: { added: 2, updated: 0, unchanged: 0, skipped: 0 },
      settings: { added: 2, updated: 0, unchanged: 0, skipped: 0 },
    });
  });

  it('restores into an empty database (a new profile)', async () => {
    const backup = await createBackup(db);
    const empty = new AttributionLensDb(`backup-empty-${Math.random()}`);
    try {
      await restoreBackup(empty, backup);
      expect((await empty.annotations.toArray()).sort((a, b) => a.id.localeCompare(b.id))).toEqual(
        (await db.annotations.toArray()).sort((a, b) => a.id.localeCompare(b.id)),
      );
      expect(await empty.entities.count()).toBe(2);
    } finally {
      await empty.delete();
    }
  });

  it('adds nothing when the same file is restored twice, and reports everything unchanged', async () => {
    const text = serializeBackup(await createBackup(db));
    const first = await restoreBackup(db, text);
    const after = await snapshot(db);
    const second = await restoreBackup(db, text);
    expect(await snapshot(db)).toEqual(after);
    const unchanged = (n: number) => ({ added: 0, updated: 0, unchanged: n, skipped: 0 });
    expect(first).toEqual(second);
    expect(second).toEqual({
      version: 2,
      annotations: unchanged(4),
      entities: unchanged(2),
      aliases: unchanged(2),
      sites: unchanged(2),
      settings: unchanged(2),
    });
  });

  it('keeps the more recently updated version of an annotation', async () => {
    const backup = await createBackup(db);
    const [first, second] = sampleAnnotations();
    if (!first || !second) throw new Error('sample data changed');
    await db.annotations.put({ ...first, note: 'edited here later', updatedAt: '2030-01-01T00:00:00.000Z' });
    await db.annotations.put({ ...second, note: 'older edit', updatedAt: '2020-01-01T00:00:00.000Z' });
    const report = await restoreBackup(db, backup);
    expect(report.annotations).toEqual({ added: 0, updated: 1, unchanged: 2, skipped: 1 });
    expect((await db.annotations.get(first.id))?.note).toBe('edited here later');
    expect((await db.annotations.get(second.id))?.note).toBe(second.note);
  });

  it('updates an alias matched by entity and text instead of adding a second one', async () => {
    const backup = await createBackup(db);
    await db.aliases.where('textLower').equals('judgement panda').modify({ caseSensitive: true });
    const report = await restoreBackup(db, backup);
    expect(report.aliases).toEqual({ added: 0, updated: 1, unchanged: 1, skipped: 0 });
    const rows = await db.aliases.where('textLower').equals('judgement panda').toArray();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.caseSensitive).toBe(false);
  });

  it('never overwrites a built-in entity or the built-in fingerprint', async () => {
    const backup: Backup = await createBackup(db);
    const builtinApt31 = await db.entities.get('apt31');
    const fingerprint = await db.settings.get('builtinFingerprint');
    backup.data.userEntities.push({ ...userEntity, id: 'apt31', name: 'Hijacked' });
    backup.data.settings.push({ key: 'builtinFingerprint', value: 'stale' });
    const report = await restoreBackup(db, backup);
    expect(report.entities.skipped).toBe(1);
    expect(await db.entities.get('apt31')).toEqual(builtinApt31);
    expect(await db.settings.get('builtinFingerprint')).toEqual(fingerprint);
  });

  it('migrates a version 1 file (annotations under "notes", no aliases or sites)', async () => {
    const v1 = {
      format: BACKUP_FORMAT,
      version: 1,
      exportedAt: '2024-06-01T12:00:00.000Z',
      data: {
        notes: sampleAnnotations().slice(0, 2),
        userEntities: [userEntity],
        importedEntities: [],
        settings: [{ key: 'highlightsEnabled', value: false }],
      },
    };
    await wipeUserData(db);
    const report = await restoreBackup(db, JSON.stringify(v1));
    expect(report.version).toBe(1);
    expect(report.annotations.added).toBe(2);
    expect(report.aliases).toEqual({ added: 0, updated: 0, unchanged: 0, skipped: 0 });
    expect(await db.annotations.count()).toBe(2);
    expect((await db.entities.get('user-my-group'))?.searchNames).toEqual(['my group', 'mg-1']);
  });

  it('reports progress while writing', async () => {
    const backup = await createBackup(db);
    await wipeUserData(db);
    const calls: [number, number][] = [];
    await restoreBackup(db, backup, { onProgress: (done, total) => calls.push([done, total]) });
    expect(calls[0]).toEqual([0, 12]);
    expect(calls.at(-1)).toEqual([12, 12]);
  });

  it('writes nothing when a write fails part way', async () => {
    const text = serializeBackup(await createBackup(db));
    await wipeUserData(db);
    const before = await snapshot(db);
    vi.spyOn(db.sites, 'bulkPut').mockRejectedValue(new Error('disk full'));
    await expect(restoreBackup(db, text)).rejects.toThrow('disk full');
    expect(await snapshot(db)).toEqual(before);
  });

  describe('with a bad file', () => {
    const valid = () =>
      createBackup(db).then((b) => JSON.parse(serializeBackup(b)) as Record<string, unknown> & Backup);
    type Case = [string, (good: Backup & Record<string, unknown>, text: string) => unknown, RegExp];
    test.each<Case>([
      [
        'truncated JSON',
        (_b, text) => text.slice(0, Math.floor(text.length / 2)),
        /not valid JSON \(truncated or not a backup\)/,
      ],
      ['an empty file', () => '', /not valid JSON/],
      ['a JSON list', () => '[]', /not an Attribution Lens backup: expected a JSON object/],
      ['JSON null', () => 'null', /not an Attribution Lens backup/],
      [
        'another format',
        (b) => ({ ...b, format: 'hypothesis-export' }),
        /"format" is "hypothesis-export", expected "attribution-lens-backup"/,
      ],
      ['no format', (b) => ({ ...b, format: undefined }), /"format" is missing/],
      [
        'a newer version',
        (b) => ({ ...b, version: 3 }),
        /unsupported backup version 3: .*made by a newer version/,
      ],
      ['a version written as a string', (b) => ({ ...b, version: '2' }), /unsupported backup version "2"/],
      [
        'a wrong type deep inside',
        (b) => {
          const annotations = b.data.annotations as unknown as Record<string, unknown>[];
          if (annotations[2]) annotations[2].createdAt = 1714000000;
          return b;
        },
        /invalid backup: data\.annotations\.2\.createdAt: /,
      ],
      [
        'a missing table',
        (b) => ({ ...b, data: { ...b.data, sites: undefined } }),
        /invalid backup: data\.sites: /,
      ],
      [
        'an unknown key',
        (b) => ({ ...b, data: { ...b.data, extra: [] } }),
        /invalid backup: data: Unrecognized key/,
      ],
      [
        'a duplicate annotation id',
        (b) => ({ ...b, data: { ...b.data, annotations: [...b.data.annotations, b.data.annotations[1]] } }),
        /duplicate annotation id 6d2e0a4c-3b1f-4f6e-8c1d-9e7a5b3c2d11/,
      ],
      [
        'an entity id in both entity lists',
        (b) => ({ ...b, data: { ...b.data, importedEntities: [...b.data.importedEntities, userEntity] } }),
        /duplicate entity id user-my-group/,
      ],
      [
        'a duplicate alias',
        (b) => ({ ...b, data: { ...b.data, aliases: [...b.data.aliases, b.data.aliases[0]] } }),
        /duplicate alias "bronze vinewood" of apt31/,
      ],
      [
        '50 MB of junk',
        () => `{"format":"attribution-lens-backup",${'x'.repeat(50 * 1024 * 1024)}`,
        /not valid JSON/,
      ],
      [
        '50 MB of well-formed JSON that is not a backup',
        (b) => ({ ...b, data: 'x'.repeat(50 * 1024 * 1024) }),
        /invalid backup: data: Invalid input: expected object, received string/,
      ],
      ['a file over the size limit', () => ' '.repeat(MAX_BACKUP_CHARS + 1), /too large to be a backup/],
    ])('rejects %s with a clear message and changes nothing', async (_label, make, message) => {
      const good = await valid();
      const input = make(structuredClone(good), serializeBackup(good));
      const before = await snapshot(db);
      const attempt = restoreBackup(db, input);
      await expect(attempt).rejects.toThrow(BackupError);
      await expect(attempt).rejects.toThrow(message);
      expect(await snapshot(db)).toEqual(before);
    });

    it('keeps the parser message short for a 50 MB file', async () => {
      const junk = `{"format":${'7'.repeat(50 * 1024 * 1024)}}}`;
      const error = await restoreBackup(db, junk).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackupError);
      expect((error as Error).message.length).toBeLessThan(400);
    });
  });
});

describe('mergeAnnotations', () => {
  const hypothesisFile = readFileSync(
    new URL('../fixtures/export/hypothesis-export.json', import.meta.url),
    'utf8',
  );

  it('imports a Hypothesis file once, however often it is imported', async () => {
    const first = await mergeAnnotations(db, importHypothesis(hypothesisFile));
    const second = await mergeAnnotations(db, importHypothesis(hypothesisFile));
    expect(first).toEqual({ added: 3, updated: 0, unchanged: 0, skipped: 0 });
    expect(second).toEqual({ added: 0, updated: 0, unchanged: 3, skipped: 0 });
    expect(await db.annotations.count()).toBe(4 + 3);
  });

  it('imports our W3C export over the same annotations without duplicates', async () => {
    const tally = await mergeAnnotations(
      db,
      importW3c(exportW3c(sampleAnnotations(), createExportContext())),
    );
    expect(tally).toEqual({ added: 0, updated: 0, unchanged: 4, skipped: 0 });
  });

  it('rejects a list with an invalid annotation and writes nothing', async () => {
    const bad = [
      makeAnnotation({ id: '11111111-1111-4111-8111-111111111111' }),
      { ...makeAnnotation(), site: '' },
    ];
    await expect(mergeAnnotations(db, bad)).rejects.toThrow(/invalid annotations: 1\.site/);
    expect(await db.annotations.get('11111111-1111-4111-8111-111111111111')).toBeUndefined();
  });
});

describe('makeAnnotation', () => {
  it('is a valid annotation (guards the fixtures above)', () => {
    expect(makeAnnotation().id).toBe('0b9f3c52-6a1e-4d8b-9a57-2f4c1e8d7a10');
  });
});
