// Prints the knowledge-base counts line of ../shared/DESIGN.md ("npm run kb:stats").
// With `--import FILE…` it seeds an in-memory DB with the built-in KB, imports each MISP galaxy or
// ATT&CK STIX file in order, prints the counts read from the DB, then the summed import result
// {"added":N,"merged":N,"skipped":N} on the last line. A bad file: message on stderr, exit code 1.

// First: Dexie reads the IndexedDB globals when it loads, so the in-memory one must exist before.
import 'fake-indexeddb/auto';
import { readFile } from 'node:fs/promises';
import { AttributionLensDb, seedBuiltinKnowledgeBase } from '../lib/db.ts';
import { importKnowledgeFile } from '../lib/kb/import/apply.ts';
import type { KnowledgeBase } from '../lib/kb/schema.ts';
import { loadBuiltinKnowledgeBase } from '../lib/kb/seed/index.ts';
import { kbStats, kbStatsOfDb } from '../lib/kb/stats.ts';

function fail(message: string): never {
  console.error(`kb:stats: ${message}`);
  process.exit(1);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Imports `files` in order into a fresh in-memory DB seeded with `kb`; prints counts and totals. */
async function printStatsAfterImport(kb: KnowledgeBase, files: string[]): Promise<void> {
  const db = new AttributionLensDb(`kb-stats-${process.pid}`);
  await seedBuiltinKnowledgeBase(db, kb);
  const total = { added: 0, merged: 0, skipped: 0 };
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      fail(`${file}: cannot read: ${messageOf(error)}`);
    }
    try {
      const result = await importKnowledgeFile(db, text, file);
      total.added += result.added;
      total.merged += result.merged;
      total.skipped += result.skipped;
    } catch (error) {
      fail(messageOf(error));
    }
  }
  console.log(JSON.stringify(await kbStatsOfDb(db)));
  console.log(JSON.stringify(total));
  await db.delete();
}

const args = process.argv.slice(2);
const importAt = args.indexOf('--import');
const files = importAt === -1 ? [] : args.slice(importAt + 1).filter((arg) => !arg.startsWith('--'));
if (importAt !== -1 && files.length === 0) fail('--import needs at least one file');

let kb: KnowledgeBase;
try {
  kb = loadBuiltinKnowledgeBase();
} catch (error) {
  fail(`the built-in knowledge base is invalid: ${messageOf(error)}`);
}
if (importAt === -1) console.log(JSON.stringify(kbStats(kb)));
else await printStatsAfterImport(kb, files);
