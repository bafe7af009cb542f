import { z } from 'zod';
import { Annotation } from '../annotations/schema';
import {
  type AliasRow,
  AliasRow as AliasRowSchema,
  type AttributionLensDb,
  type EntityRow,
  SettingRow,
  SiteRow,
  searchNamesOf,
} from '../db';
import { describeFirstIssue } from '../describe-issue';
import { Entity } from '../kb/schema';
import { type ExportProgress, progressCounter } from './context';
import { sameValue } from './same-value';

/**
 * Full backup of the user's data and its restore (DB-aware; everything else in lib/export is pure).
 *
 * Format, version 2 (current):
 * ```
 * { format: "attribution-lens-backup", version: 2, exportedAt: ISO date-time,
 *   data: { annotations: Annotation[], userEntities: Entity[], importedEntities: Entity[],
 *           aliases: AliasRow-without-key[], sites: SiteRow[], settings: SettingRow[] } }
 * ```
 * Version 1 (the first release): the same without `aliases` and `sites`, and the annotations under
 * `data.notes`. It is migrated on restore (no aliases, no sites).
 *
 * Not in a backup: built-in knowledge-base rows (they come with the extension), the built-in KB
 * fingerprint setting, alias row keys (auto-increment; aliases are matched by entity id + lower-cased
 * text), and entity `searchNames` (recomputed from name and aliases).
 */

/** The `format` of every backup file. */
export const BACKUP_FORMAT = 'attribution-lens-backup';
/** The version {@link createBackup} writes. */
export const BACKUP_VERSION = 2;
/** Settings that describe the installed extension, not the user: never backed up or restored. */
export const SETTINGS_NOT_BACKED_UP: ReadonlySet<string> = new Set(['builtinFingerprint']);
/** Largest backup text we try to read (characters): far above a real backup, below a browser's limits. */
export const MAX_BACKUP_CHARS = 100 * 1024 * 1024;

const IsoDateTime = z.iso.datetime({ offset: true });

/** An alias row as backed up: without its auto-increment key. */
export const BackupAlias = AliasRowSchema.omit({ key: true });
/** An alias row as backed up. */
export type BackupAlias = z.infer<typeof BackupAlias>;

/** Backup format version 1. */
export const BackupV1 = z.strictObject({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(1),
  exportedAt: IsoDateTime,
  data: z.strictObject({
    notes: z.array(Annotation),
    userEntities: z.array(Entity),
    importedEntities: z.array(Entity),
    settings: z.array(SettingRow),
  }),
});
/** A version 1 backup file. */
export type BackupV1 = z.infer<typeof BackupV1>;

/** Backup format version 2 (current). */
export const BackupV2 = z.strictObject({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(2),
  exportedAt: IsoDateTime,
  data: z.strictObject({
    annotations: z.array(Annotation),
    userEntities: z.array(Entity),
    importedEntities: z.array(Entity),
    aliases: z.array(BackupAlias),
    sites: z.array(SiteRow),
    settings: z.array(SettingRow),
  }),
});
/** A version 2 backup file. */
export type BackupV2 = z.infer<typeof BackupV2>;
/** The current backup shape. */
export type Backup = BackupV2;

/** A backup that cannot be restored; the message says why, and nothing was written. */
export class BackupError extends Error {
  override readonly name = 'BackupError';
}

/** What a restore did to one kind of row. */
export interface MergeCounts {
  /** Rows that were not in the database. */
  added: number;
  /** Rows replaced by the backup's (newer, for annotations). */
  updated: number;
  /** Rows identical in the database and the backup. */
  unchanged: number;
  /**
   * Rows left as they are: annotations edited more recently here than in the backup, and entities
   * whose id is now a built-in entity's (built-in rows are never overwritten).
   */
  skipped: number;
}

/** The result of {@link restoreBackup}. */
export interface RestoreReport {
  /** The version of the file that was read (1 is migrated). */
  version: 1 | 2;
  annotations: MergeCounts;
  entities: MergeCounts;
  aliases: MergeCounts;
  sites: MergeCounts;
  settings: MergeCounts;
}

/** Options of {@link restoreBackup}. */
export interface RestoreOptions {
  /** Called with rows written so far and rows to write, at least every 500 rows. */
  onProgress?: ExportProgress;
}

const ENTITY_KEYS = Object.keys(Entity.shape) as (keyof Entity)[];
const ANNOTATION_KEYS = Object.keys(Annotation.shape) as (keyof Annotation)[];

/** Copies the listed keys that are set (drops DB-only fields such as `origin` and `searchNames`). */
function pick<T extends object>(row: T, keys: readonly (keyof T)[]): T {
  const out: Partial<T> = {};
  for (const key of keys) if (row[key] !== undefined) out[key] = row[key];
  return out as T;
}

function entityOf(row: EntityRow): Entity {
  return pick<Entity>(row, ENTITY_KEYS);
}

function aliasOf(row: AliasRow): BackupAlias {
  const { key: _key, ...alias } = row;
  return alias;
}

/** Options of {@link createBackup}. */
export interface BackupOptions {
  /** The `exportedAt` time (default now). */
  now?: Date;
  /** Called with rows copied so far and the total, at least every 500 rows. */
  onProgress?: ExportProgress;
}

/**
 * Reads every user row in one read transaction: annotations, user and imported entities, alias
 * rows, sites and settings (without the built-in fingerprint). Alias rows are sorted by entity and
 * text so that the same data gives the same file.
 */
export async function createBackup(db: AttributionLensDb, options: BackupOptions = {}): Promise<Backup> {
  const now = options.now ?? new Date();
  return db.transaction('r', [db.annotations, db.entities, db.aliases, db.sites, db.settings], async () => {
    const [annotationRows, userRows, importedRows, aliasRows, sites, settings] = await Promise.all([
      db.annotations.toArray(),
      db.entities.where('origin').equals('user').toArray(),
      db.entities.where('origin').equals('imported').toArray(),
      db.aliases.toArray(),
      db.sites.toArray(),
      db.settings.toArray(),
    ]);
    const tick = progressCounter(
      annotationRows.length + userRows.length + importedRows.length + aliasRows.length,
      options.onProgress,
    );
    const copy = <R, T>(rows: R[], convert: (row: R) => T): T[] =>
      rows.map((row) => {
        tick();
        return convert(row);
      });
    return {
      format: BACKUP_FORMAT,
      version: 2,
      exportedAt: now.toISOString(),
      data: {
        annotations: copy(annotationRows, (row) => pick<Annotation>(row, ANNOTATION_KEYS)),
        userEntities: copy(userRows, entityOf),
        importedEntities: copy(importedRows, entityOf),
        aliases: copy(aliasRows, aliasOf).sort(
          (a, b) => compareKeys(a.entityId, b.entityId) || compareKeys(a.textLower, b.textLower),
        ),
        sites,
        settings: settings.filter((row) => !SETTINGS_NOT_BACKED_UP.has(row.key)),
      },
    };
  });
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A backup as JSON text (one line; `space` to pretty-print). */
export function serializeBackup(backup: Backup, space?: number): string {
  return JSON.stringify(backup, null, space);
}

const Header = z.looseObject({ format: z.unknown().optional(), version: z.unknown().optional() });

function clip(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * Checks a backup (JSON text or parsed value) and returns it in the current shape, migrating
 * version 1. Throws a {@link BackupError} that names the problem: not JSON, not a backup, an
 * unsupported version, the first bad path (`data.annotations.3.createdAt: Invalid ISO datetime`),
 * or a duplicate id inside the file.
 */
export function parseBackup(input: unknown): { backup: Backup; version: 1 | 2 } {
  let value = input;
  if (typeof input === 'string') {
    if (input.length > MAX_BACKUP_CHARS) {
      throw new BackupError(
        `the file is too large to be a backup (${Math.round(input.length / 1024 / 1024)} MB; the limit is ${MAX_BACKUP_CHARS / 1024 / 1024} MB)`,
      );
    }
    try {
      value = JSON.parse(input) as unknown;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new BackupError(`the file is not valid JSON (truncated or not a backup): ${clip(reason)}`);
    }
  }
  const header = Header.safeParse(value);
  if (!header.success || Array.isArray(value)) {
    throw new BackupError(
      'not an Attribution Lens backup: expected a JSON object with "format" and "version"',
    );
  }
  const { format, version } = header.data;
  if (format !== BACKUP_FORMAT) {
    throw new BackupError(
      `not an Attribution Lens backup: "format" is ${format === undefined ? 'missing' : clip(JSON.stringify(format) ?? '', 80)}, expected "${BACKUP_FORMAT}"`,
    );
  }
  if (version !== 1 && version !== 2) {
    const newer = typeof version === 'number' && version > BACKUP_VERSION;
    throw new BackupError(
      `unsupported backup version ${clip(JSON.stringify(version) ?? 'missing', 40)}: this version of Attribution Lens reads versions 1 and 2${newer ? '; the file was made by a newer version' : ''}`,
    );
  }
  let backup: Backup;
  if (version === 1) {
    const parsed = BackupV1.safeParse(value);
    if (!parsed.success)
      throw new BackupError(`invalid backup (version 1): ${describeFirstIssue(parsed.error)}`);
    backup = migrateV1(parsed.data);
  } else {
    const parsed = BackupV2.safeParse(value);
    if (!parsed.success) throw new BackupError(`invalid backup: ${describeFirstIssue(parsed.error)}`);
    backup = parsed.data;
  }
  checkDuplicates(backup);
  return { backup, version };
}

/** Version 1 → 2: `notes` becomes `annotations`; no alias rows and no site preferences. */
export function migrateV1(v1: BackupV1): BackupV2 {
  const { notes, ...rest } = v1.data;
  return { ...v1, version: 2, data: { annotations: notes, ...rest, aliases: [], sites: [] } };
}

function checkDuplicates(backup: Backup): void {
  const unique = <T>(rows: readonly T[], keyOf: (row: T) => string, describe: (key: string) => string) => {
    const seen = new Set<string>();
    for (const row of rows) {
      const key = keyOf(row);
      if (seen.has(key)) throw new BackupError(`invalid backup: ${describe(key)} (each may appear once)`);
      seen.add(key);
    }
  };
  const { data } = backup;
  unique(
    data.annotations,
    (a) => a.id,
    (id) => `duplicate annotation id ${id}`,
  );
  unique(
    [...data.userEntities, ...data.importedEntities],
    (e) => e.id,
    (id) => `duplicate entity id ${id}`,
  );
  unique(
    data.aliases,
    (a) => `${a.entityId}\u0000${a.textLower}`,
    (key) => `duplicate alias "${key.split('\u0000')[1]}" of ${key.split('\u0000')[0]}`,
  );
  unique(
    data.sites,
    (s) => s.host,
    (host) => `duplicate site ${host}`,
  );
  unique(
    data.settings,
    (s) => s.key,
    (key) => `duplicate setting ${key}`,
  );
}

function counts(): MergeCounts {
  return { added: 0, updated: 0, unchanged: 0, skipped: 0 };
}

/** Rows written per bulk call, so that progress moves on a large file. */
const CHUNK = 500;

/**
 * Restores a backup (JSON text or parsed value) into the DB: all of it in one read-write
 * transaction, or — for a bad file or a failed write — nothing. Merges by key: annotations by id,
 * the most recent `updatedAt` winning; entities, sites and settings put by key; alias rows matched
 * by entity id + lower-cased text. Restoring the same file twice adds nothing (the second report
 * counts everything unchanged). Built-in knowledge-base rows and the KB fingerprint are never
 * written: an entity of the file whose id is a built-in entity's now is skipped.
 */
export async function restoreBackup(
  db: AttributionLensDb,
  input: unknown,
  options: RestoreOptions = {},
): Promise<RestoreReport> {
  const { backup, version } = parseBackup(input);
  const { data } = backup;
  const report: RestoreReport = {
    version,
    annotations: counts(),
    entities: counts(),
    aliases: counts(),
    sites: counts(),
    settings: counts(),
  };
  await db.transaction('rw', [db.annotations, db.entities, db.aliases, db.sites, db.settings], async () => {
    const annotationRows = await planAnnotations(db, data.annotations, report.annotations);

    const entityRows: EntityRow[] = [];
    const incomingEntities = [
      ...data.userEntities.map((entity) => ({ entity, origin: 'user' as const })),
      ...data.importedEntities.map((entity) => ({ entity, origin: 'imported' as const })),
    ];
    const existingEntities = await db.entities.bulkGet(incomingEntities.map(({ entity }) => entity.id));
    incomingEntities.forEach(({ entity, origin }, index) => {
      const current = existingEntities[index];
      const row: EntityRow = { ...entity, origin, searchNames: searchNamesOf(entity) };
      if (current?.origin === 'builtin') report.entities.skipped++;
      else if (!current) {
        report.entities.added++;
        entityRows.push(row);
      } else if (sameValue(current, row)) report.entities.unchanged++;
      else {
        report.entities.updated++;
        entityRows.push(row);
      }
    });

    const aliasRows: AliasRow[] = [];
    const existingAliases = new Map<string, AliasRow>();
    for (const row of await db.aliases.toArray())
      existingAliases.set(`${row.entityId}\u0000${row.textLower}`, row);
    for (const alias of data.aliases) {
      const current = existingAliases.get(`${alias.entityId}\u0000${alias.textLower}`);
      if (!current) {
        report.aliases.added++;
        aliasRows.push(alias);
      } else if (sameValue(aliasOf(current), alias)) report.aliases.unchanged++;
      else {
        report.aliases.updated++;
        aliasRows.push({ ...alias, key: current.key });
      }
    }

    const siteRows = mergeByKey(
      data.sites,
      await db.sites.bulkGet(data.sites.map((s) => s.host)),
      report.sites,
    );
    const settings = data.settings.filter((row) => !SETTINGS_NOT_BACKED_UP.has(row.key));
    const settingRows = mergeByKey(
      settings,
      await db.settings.bulkGet(settings.map((s) => s.key)),
      report.settings,
    );

    const total =
      annotationRows.length + entityRows.length + aliasRows.length + siteRows.length + settingRows.length;
    let done = 0;
    options.onProgress?.(0, total);
    const write = async <T>(rows: T[], put: (chunk: T[]) => Promise<unknown>) => {
      for (let start = 0; start < rows.length; start += CHUNK) {
        const chunk = rows.slice(start, start + CHUNK);
        await put(chunk);
        done += chunk.length;
        options.onProgress?.(done, total);
      }
    };
    await write(annotationRows, (chunk) => db.annotations.bulkPut(chunk));
    await write(entityRows, (chunk) => db.entities.bulkPut(chunk));
    await write(aliasRows, (chunk) => db.aliases.bulkPut(chunk));
    await write(siteRows, (chunk) => db.sites.bulkPut(chunk));
    await write(settingRows, (chunk) => db.settings.bulkPut(chunk));
  });
  return report;
}

/**
 * Decides, for each incoming annotation, whether to write it: new ones are added, identical ones
 * left, and of two different versions the one with the later `updatedAt` wins (a tie keeps the
 * database's). Counts into `tally`; returns the rows to put. Call inside a transaction.
 */
async function planAnnotations(
  db: AttributionLensDb,
  incoming: readonly Annotation[],
  tally: MergeCounts,
): Promise<Annotation[]> {
  const rows: Annotation[] = [];
  // Only ids already stored are read back: restoring into an empty table reads nothing.
  const stored = new Set((await db.annotations.toCollection().primaryKeys()).map(String));
  const known = incoming.filter((a) => stored.has(a.id));
  const existing = new Map<string, Annotation>();
  for (const row of await db.annotations.bulkGet(known.map((a) => a.id))) if (row) existing.set(row.id, row);
  incoming.forEach((annotation) => {
    const current = existing.get(annotation.id);
    if (!current) {
      tally.added++;
      rows.push(annotation);
    } else if (sameValue(current, annotation)) {
      tally.unchanged++;
    } else if (Date.parse(annotation.updatedAt) > Date.parse(current.updatedAt)) {
      tally.updated++;
      rows.push(annotation);
    } else {
      tally.skipped++;
    }
  });
  return rows;
}

/**
 * Writes imported annotations (from `importW3c` or `importHypothesis`) in one read-write
 * transaction, merged as a restore merges them: by id, the later `updatedAt` winning. Importing the
 * same file twice adds nothing. Each annotation is parsed first; a bad one rejects the whole call.
 */
export async function mergeAnnotations(
  db: AttributionLensDb,
  annotations: readonly Annotation[],
  options: RestoreOptions = {},
): Promise<MergeCounts> {
  const parsed = z.array(Annotation).safeParse(annotations);
  if (!parsed.success) throw new BackupError(`invalid annotations: ${describeFirstIssue(parsed.error)}`);
  const ids = new Set<string>();
  for (const annotation of parsed.data) {
    if (ids.has(annotation.id))
      throw new BackupError(`invalid annotations: duplicate annotation id ${annotation.id}`);
    ids.add(annotation.id);
  }
  const tally = counts();
  await db.transaction('rw', db.annotations, async () => {
    const rows = await planAnnotations(db, parsed.data, tally);
    const tick = progressCounter(rows.length, options.onProgress);
    for (let start = 0; start < rows.length; start += CHUNK) {
      const chunk = rows.slice(start, start + CHUNK);
      await db.annotations.bulkPut(chunk);
      for (let i = 0; i < chunk.length; i++) tick();
    }
  });
  return tally;
}

/** Rows of the file to put: new or different from the database's (same index in `existing`). */
function mergeByKey<T>(
  incoming: readonly T[],
  existing: readonly (T | undefined)[],
  tally: MergeCounts,
): T[] {
  const rows: T[] = [];
  incoming.forEach((row, index) => {
    const current = existing[index];
    if (current === undefined) {
      tally.added++;
      rows.push(row);
    } else if (sameValue(current, row)) tally.unchanged++;
    else {
      tally.updated++;
      rows.push(row);
    }
  });
  return rows;
}
