import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttributionLensDb, seedBuiltinKnowledgeBase } from '@/lib/db';
import { importKnowledgeFile } from '@/lib/kb/import/apply';
import { nameKey } from '@/lib/kb/import/merge';
import { checkIntegrity, type Entity } from '@/lib/kb/schema';
import { loadBuiltinKnowledgeBase } from '@/lib/kb/seed';
import { kbStatsOfDb } from '@/lib/kb/stats';

// The real MISP galaxy files (read, never copied into the repo) live next to the repository.
const REFERENCE = path.resolve(__dirname, '../../../../shared/reference/misp-galaxy');
const THREAT_ACTOR = path.join(REFERENCE, 'threat-actor.json');
const INTRUSION_SET = path.join(REFERENCE, 'mitre-intrusion-set.json');
const present = existsSync(THREAT_ACTOR) && existsSync(INTRUSION_SET);
/** it.skipIf names no reason, so the suite title carries it when the files are missing. */
const suiteTitle = present
  ? 'importKnowledgeFile'
  : `importKnowledgeFile (skipped: no reference files at ${REFERENCE})`;
const itWithFiles = it.skipIf(!present);

let db: AttributionLensDb;
async function importBoth() {
  const results = [];
  for (const file of [THREAT_ACTOR, INTRUSION_SET]) {
    results.push(await importKnowledgeFile(db, readFileSync(file, 'utf8'), path.basename(file)));
  }
  return results;
}

/** Entities with the aliases of the alias table folded in, as the hover card and dictionary see them. */
async function entitiesWithAliasRows(): Promise<Entity[]> {
  const rows = await db.aliases.toArray();
  return (await db.entities.toArray()).map(({ origin: _origin, searchNames: _searchNames, ...entity }) => ({
    ...entity,
    aliases: [
      ...entity.aliases,
      ...rows
        .filter((row) => row.entityId === entity.id)
        .map(({ text, scheme, ambiguous, caseSensitive, match }) => ({
          text,
          scheme,
          ...(ambiguous === undefined ? {} : { ambiguous }),
          ...(caseSensitive === undefined ? {} : { caseSensitive }),
          ...(match === undefined ? {} : { match }),
        })),
    ],
  }));
}

describe(suiteTitle, () => {
  const builtin = loadBuiltinKnowledgeBase();
  let builtinRowsBefore: unknown[];

  beforeAll(async () => {
    if (!present) return;
    db = new AttributionLensDb(`reference-${Math.random()}`);
    await seedBuiltinKnowledgeBase(db, builtin);
    builtinRowsBefore = await db.entities.where('origin').equals('builtin').toArray();
    await importBoth();
  });
  afterAll(async () => {
    if (present) await db.delete();
  });

  itWithFiles(
    'imports threat-actor.json and mitre-intrusion-set.json into at least 1,000 actors and 1,850 aliases',
    async () => {
      const stats = await kbStatsOfDb(db);
      expect(stats.actors).toBeGreaterThanOrEqual(1000);
      // Both files hold ~2,480 distinct names (after folding case and "APT 31"/"APT31"); one per new
      // group becomes its name, so ~1,900 aliases is what the data gives, not the 2,500 first hoped.
      expect(stats.aliases).toBeGreaterThanOrEqual(1850);
    },
  );

  itWithFiles.each(['APT31', 'APT10', 'APT28', 'APT29', 'Lazarus Group'])(
    'keeps %s a single entity',
    async (name) => {
      const owners = (await entitiesWithAliasRows()).filter((entity) =>
        [entity.name, ...entity.aliases.map((alias) => alias.text)].some(
          (text) => nameKey(text) === nameKey(name),
        ),
      );
      expect(owners.map((entity) => entity.id)).toHaveLength(1);
    },
  );

  itWithFiles('leaves every built-in row, summary included, as the seed wrote it', async () => {
    expect(await db.entities.where('origin').equals('builtin').toArray()).toEqual(builtinRowsBefore);
  });

  itWithFiles('writes generated summaries, never the descriptions of the files', async () => {
    const imported = await db.entities.where('origin').equals('imported').toArray();
    for (const entity of imported)
      expect(entity.summary, entity.id).toMatch(/^Imported from the MISP galaxy /);
  });

  itWithFiles('never gives one alias text to two entities unless both flag it ambiguous', async () => {
    expect(checkIntegrity({ entities: await entitiesWithAliasRows(), events: builtin.events })).toEqual([]);
  });

  itWithFiles('adds nothing and changes no count when both files are imported again', async () => {
    const statsBefore = await kbStatsOfDb(db);
    const aliasRowsBefore = await db.aliases.count();
    const results = await importBoth();
    expect(results.map((result) => result.added)).toEqual([0, 0]);
    expect(await kbStatsOfDb(db)).toEqual(statsBefore);
    expect(await db.aliases.count()).toBe(aliasRowsBefore);
  });
});
