import { type AliasRow, type AttributionLensDb, type EntityRow, searchNamesOf } from '../../db';
import { Entity } from '../schema';
import { parseAttackStix } from './attack-stix';
import type { ImportBatch, ImportFormat } from './import-batch';
import { ImportFileError, parseJsonText } from './import-error';
import { type ImportPlan, planImport } from './merge';
import { parseMispGalaxy } from './misp-galaxy';

/** What an import did, in the counts the UI and `kb:stats --import` report. */
export interface ImportResult {
  /** New entities. */
  added: number;
  /** Groups of the file found in the knowledge base (their new names were added to it). */
  merged: number;
  /** Groups and names left out (revoked, unusable, or already naming another entity). */
  skipped: number;
}

/** Called while writing with the rows written so far and the rows to write. */
export type ImportProgress = (done: number, total: number) => void;

/** Rows written per bulk call, so progress moves on a large file. */
const CHUNK_SIZE = 250;

/**
 * Imports a parsed batch into the DB in one read-write transaction: all of it or nothing.
 * New groups become entity rows with origin `imported`; new names of existing entities become alias
 * rows (origin `imported`, source = the batch label), so built-in rows and their summaries are
 * never modified and survive reseeds with their imported aliases. User rows, annotations and
 * settings are not touched. Importing the same batch again adds nothing (see `planImport`).
 */
export async function importKnowledge(
  db: AttributionLensDb,
  batch: ImportBatch,
  onProgress?: ImportProgress,
): Promise<ImportResult> {
  return db.transaction('rw', db.entities, db.aliases, db.events, async () => {
    const [entities, extraAliases, eventIds] = await Promise.all([
      db.entities.toArray(),
      db.aliases.toArray(),
      db.events.toCollection().primaryKeys(),
    ]);
    const plan: ImportPlan = planImport(
      { entities, extraAliases, reservedIds: eventIds.map((id) => String(id)) },
      batch,
    );
    // Parse at the boundary: a row the schema refuses aborts the whole transaction.
    const entityRows: EntityRow[] = plan.added.map((entity) => {
      const parsed = Entity.parse(entity);
      return { ...parsed, origin: 'imported', searchNames: searchNamesOf(parsed) };
    });
    const aliasRows: AliasRow[] = plan.newAliases.map(({ entityId, text, scheme, ...flags }) => ({
      entityId,
      text,
      scheme,
      ...flags,
      origin: 'imported',
      source: batch.source,
      textLower: text.toLowerCase(),
    }));
    const total = entityRows.length + aliasRows.length;
    let done = 0;
    onProgress?.(done, total);
    for (let start = 0; start < entityRows.length; start += CHUNK_SIZE) {
      const chunk = entityRows.slice(start, start + CHUNK_SIZE);
      // bulkAdd, not bulkPut: an id that exists already is a bug and must fail, never overwrite.
      await db.entities.bulkAdd(chunk);
      done += chunk.length;
      onProgress?.(done, total);
    }
    for (let start = 0; start < aliasRows.length; start += CHUNK_SIZE) {
      const chunk = aliasRows.slice(start, start + CHUNK_SIZE);
      await db.aliases.bulkAdd(chunk);
      done += chunk.length;
      onProgress?.(done, total);
    }
    return { added: entityRows.length, merged: plan.merged, skipped: plan.skipped };
  });
}

/**
 * Which importer reads a parsed file: a STIX bundle says `"type": "bundle"`; a MISP galaxy cluster
 * file has `values` (or a galaxy's `type` and `uuid` without them, which then fails with a path).
 */
export function detectImportFormat(json: unknown): ImportFormat | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const record = json as Record<string, unknown>;
  if (record.type === 'bundle') return 'attack-stix';
  if ('values' in record) return 'misp-galaxy';
  if (typeof record.type === 'string' && 'uuid' in record && 'name' in record) return 'misp-galaxy';
  return undefined;
}

/**
 * Parses a MISP galaxy cluster file or an ATT&CK STIX bundle given as text and imports it.
 * Throws an {@link ImportFileError} with a message naming the file and the problem ("x.json is not
 * valid JSON: …", "x.json is not a MISP galaxy cluster file or an ATT&CK STIX bundle",
 * "x.json: values.12.value: …"); on any error nothing is written.
 */
export async function importKnowledgeFile(
  db: AttributionLensDb,
  text: string,
  fileName: string,
  onProgress?: ImportProgress,
): Promise<ImportResult> {
  const json = parseJsonText(text, fileName);
  const format = detectImportFormat(json);
  if (format === undefined) {
    throw new ImportFileError(fileName, 'is not a MISP galaxy cluster file or an ATT&CK STIX bundle');
  }
  const batch = format === 'attack-stix' ? parseAttackStix(json, fileName) : parseMispGalaxy(json, fileName);
  return importKnowledge(db, batch, onProgress);
}
