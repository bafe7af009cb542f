// Export / import benchmark ("npm run bench:export"). Generates 10,000 annotations over ~500 pages
// (deterministic PRNG) linked to built-in knowledge-base entities, then times each export, backup
// creation and restore into an empty database, and checks that the restore gives back the same
// data. Last line, one JSON object:
// {"annotations":10000,"markdown_ms":…,"csv_ms":…,"w3c_ms":…,"stix_ms":…,"backup_ms":…,"restore_ms":…,"roundtrip_equal":true}
// Targets: every export ≤ 1000 ms, restore ≤ 2000 ms. Exit code 1 when the round trip differs.
// The fake IndexedDB must be installed before Dexie is loaded: Dexie reads the globals on load.
import 'fake-indexeddb/auto';
import { isDeepStrictEqual } from 'node:util';
import { prng } from '../bench/prng.mjs';
import { type Annotation, EVIDENCE_KINDS } from '../lib/annotations/schema.ts';
import { AttributionLensDb, searchNamesOf, seedBuiltinKnowledgeBase } from '../lib/db.ts';
import { createBackup, restoreBackup, serializeBackup } from '../lib/export/backup.ts';
import { buildExportContext } from '../lib/export/build-export-context.ts';
import { exportCsv } from '../lib/export/csv.ts';
import { exportMarkdown } from '../lib/export/markdown.ts';
import { exportStix } from '../lib/export/stix.ts';
import { exportW3c } from '../lib/export/w3c.ts';
import type { Entity } from '../lib/kb/schema.ts';
import { loadBuiltinKnowledgeBase } from '../lib/kb/seed/index.ts';

const ANNOTATIONS = 10_000;
const PAGES = 500;

const random = prng(20240325);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));

/** A v4-shaped UUID from the PRNG (deterministic, unlike crypto.randomUUID). */
function uuid(): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = '89ab'[Math.floor(random() * 4)] ?? '8';
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const SITES = [
  'www.cbc.ca',
  'www.theglobeandmail.com',
  'www.reuters.com',
  'apnews.com',
  'www.bbc.com',
  'www.theguardian.com',
  'therecord.media',
  'www.bleepingcomputer.com',
  'www.theregister.com',
  'arstechnica.com',
  'www.securityweek.com',
  'cyberscoop.com',
];
const TAGS = [
  'espionage',
  'ransomware',
  'wording',
  'indictment',
  'sanctions',
  'elections',
  'telecom',
  'follow-up',
  'canada',
  'five-eyes',
  'front-company',
  'critical-infrastructure',
];
const WORDINGS = [
  'almost certain',
  'highly likely',
  'likely',
  'realistic possibility',
  'unlikely',
  'high confidence',
  'assessed',
];
const VERBS = ['targeted', 'breached', 'compromised', 'spied on', 'stole data from', 'disrupted'];
const VICTIMS = [
  'parliamentarians',
  'a telecom provider',
  'defence contractors',
  'election officials',
  'a hospital network',
  'diplomats',
  'energy utilities',
];

const log = (line: string) => process.stderr.write(`${line}\n`);

const kb = loadBuiltinKnowledgeBase();
const actors = kb.entities.filter((e) => e.kind === 'actor');
const attributors = kb.entities.filter((e) => e.kind === 'attributor');
const byId = new Map(kb.entities.map((e) => [e.id, e]));
const sponsorOf = (entity: Entity) =>
  entity.links.find((l) => l.rel === 'sponsoredBy' || l.rel === 'operatedBy')?.target;

function generate(): Annotation[] {
  const pages = Array.from({ length: PAGES }, (_, i) => {
    const site = pick(SITES);
    const actor = pick(actors);
    return {
      pageUrl: `https://${site}/news/${2022 + (i % 4)}/${String(i).padStart(4, '0')}-${actor.id}-attack`,
      pageTitle: `${actor.name} ${pick(VERBS)} ${pick(VICTIMS)}, officials say (${i})`,
      site,
      publishedDate:
        random() < 0.8
          ? `${2022 + (i % 4)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`
          : undefined,
      actor,
      offset: 0,
    };
  });
  const base = Date.parse('2023-01-01T00:00:00Z');
  const annotations: Annotation[] = [];
  for (let i = 0; i < ANNOTATIONS; i++) {
    const page = pick(pages);
    const actor = random() < 0.7 ? page.actor : pick(actors);
    const sponsor = sponsorOf(actor);
    const attributor = pick(attributors);
    const exact = `${attributor.name} said ${actor.name} ${pick(VERBS)} ${pick(VICTIMS)} "over several months", and that the operation was ${pick(WORDINGS)} run by ${sponsor ? (byId.get(sponsor)?.name ?? 'a state agency') : 'a state agency'}.`;
    page.offset += int(50, 800);
    const start = page.offset;
    page.offset += exact.length;
    const created = base + Math.floor(random() * 700 * 86_400_000);
    const updated = random() < 0.3 ? created + Math.floor(random() * 30 * 86_400_000) : created;
    const entityIds = [
      ...new Set([
        actor.id,
        ...(sponsor && random() < 0.6 ? [sponsor] : []),
        ...(random() < 0.4 ? [attributor.id] : []),
      ]),
    ];
    const noteLines = int(0, 3);
    const note = Array.from({ length: noteLines }, () =>
      pick([
        `Compare with the **${attributor.name}** wording — "${pick(WORDINGS)}".`,
        `- follow up: [official statement](https://example.org/${int(1, 9999)})`,
        `Seen before in ${pick(actors).name} reporting; *check* dates.`,
        '=SUM(A1:A2) looks like a formula but is a note',
      ]),
    ).join('\n\n');
    const annotation: Annotation = {
      id: uuid(),
      pageUrl: page.pageUrl,
      pageTitle: page.pageTitle,
      site: page.site,
      ...(page.publishedDate ? { publishedDate: page.publishedDate } : {}),
      selectors: {
        quote: { type: 'TextQuoteSelector', exact, prefix: 'the agency said. ', suffix: ' The statement' },
        position: { type: 'TextPositionSelector', start, end: start + exact.length },
        ...(random() < 0.8
          ? {
              range: {
                type: 'RangeSelector' as const,
                startContainer: `/main[1]/article[1]/p[${int(1, 40)}]`,
                startOffset: int(0, 50),
                endContainer: `/main[1]/article[1]/p[${int(1, 40)}]`,
                endOffset: int(0, 300),
              },
            }
          : {}),
      },
      note,
      tags: [...new Set(Array.from({ length: int(0, 3) }, () => pick(TAGS)))],
      entityIds,
      ...(random() < 0.4
        ? {
            claim: {
              attributor: attributor.id,
              actor: actor.id,
              ...(sponsor ? { sponsor } : {}),
              confidence: pick(WORDINGS),
              evidence: pick(EVIDENCE_KINDS),
            },
          }
        : {}),
      createdAt: new Date(created).toISOString(),
      updatedAt: new Date(updated).toISOString(),
    };
    annotations.push(annotation);
  }
  return annotations;
}

async function fill(db: AttributionLensDb, annotations: Annotation[]): Promise<void> {
  await seedBuiltinKnowledgeBase(db, kb);
  const mine: Entity = {
    id: 'user-harbour-group',
    kind: 'actor',
    name: 'Harbour Group',
    aliases: [{ text: 'HG-7', scheme: 'common' }],
    summary: 'Added by you on 2024-05-01.',
    links: [],
    sources: [],
  };
  await db.entities.put({ ...mine, origin: 'user', searchNames: searchNamesOf(mine) });
  await db.aliases.bulkAdd(
    actors.slice(0, 40).map((actor, i) => ({
      entityId: actor.id,
      text: `Imported Name ${i}`,
      scheme: 'misp' as const,
      origin: 'imported' as const,
      source: 'misp-galaxy threat-actor',
      textLower: `imported name ${i}`,
    })),
  );
  await db.sites.bulkPut([
    { host: 'example-news.org', enabled: true },
    { host: 'cbc.ca', enabled: false },
  ]);
  await db.settings.put({ key: 'highlightsEnabled', value: true });
  await db.annotations.bulkAdd(annotations);
}

async function userData(db: AttributionLensDb) {
  const sorted = <T>(rows: T[], key: (row: T) => string) => rows.sort((a, b) => key(a).localeCompare(key(b)));
  return {
    annotations: sorted(await db.annotations.toArray(), (r) => r.id),
    entities: sorted(await db.entities.where('origin').anyOf('user', 'imported').toArray(), (r) => r.id),
    aliases: sorted(
      (await db.aliases.toArray()).map(({ key: _key, ...row }) => row),
      (r) => `${r.entityId} ${r.textLower}`,
    ),
    sites: sorted(await db.sites.toArray(), (r) => r.host),
    settings: sorted(
      (await db.settings.toArray()).filter((r) => r.key !== 'builtinFingerprint'),
      (r) => r.key,
    ),
  };
}

/** CPU time of this process per phase, logged to stderr: wall time swings on a shared machine. */
const cpu: Record<string, number> = {};
const round = (ms: number) => Math.round(ms * 10) / 10;

function time<T>(label: string, run: () => T): [T, number] {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const result = run();
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpuStart);
  cpu[label] = round((used.user + used.system) / 1000);
  return [result, round(wall)];
}

async function timeAsync<T>(label: string, run: () => Promise<T>): Promise<[T, number]> {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const result = await run();
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpuStart);
  cpu[label] = round((used.user + used.system) / 1000);
  return [result, round(wall)];
}

const annotations = generate();
const source = new AttributionLensDb(`bench-export-source-${process.pid}`);
const target = new AttributionLensDb(`bench-export-target-${process.pid}`);
try {
  await fill(source, annotations);
  const stored = await source.annotations.toArray();
  const [context, contextMs] = await timeAsync('context', () =>
    buildExportContext(source, stored, { name: 'Bench User' }),
  );
  log(`context: ${context.entities.size} entities in ${contextMs} ms`);

  // Only the sizes are kept: the 60 MB of export strings must not weigh on the restore's GC.
  const size = (text: string) => `${(text.length / 1e6).toFixed(1)} MB`;
  const [markdownSize, markdownMs] = time('markdown', () => size(exportMarkdown(stored, context)));
  const [csvSize, csvMs] = time('csv', () => size(exportCsv(stored, context, { bom: true })));
  const [w3cSize, w3cMs] = time('w3c', () => size(exportW3c(stored, context)));
  const [stixSize, stixMs] = time('stix', () => size(exportStix(stored, context)));
  log(`sizes: markdown ${markdownSize}, csv ${csvSize}, w3c ${w3cSize}, stix ${stixSize}`);

  const [backupText, backupMs] = await timeAsync('backup', async () =>
    serializeBackup(await createBackup(source)),
  );
  log(`backup: ${(backupText.length / 1e6).toFixed(1)} MB`);
  const [report, restoreMs] = await timeAsync('restore', () => restoreBackup(target, backupText));
  log(`restore: ${JSON.stringify(report)}`);

  log(`cpu ms (all threads): ${JSON.stringify(cpu)}`);
  const roundtripEqual = isDeepStrictEqual(await userData(source), await userData(target));
  console.log(
    JSON.stringify({
      annotations: annotations.length,
      markdown_ms: markdownMs,
      csv_ms: csvMs,
      w3c_ms: w3cMs,
      stix_ms: stixMs,
      backup_ms: backupMs,
      restore_ms: restoreMs,
      roundtrip_equal: roundtripEqual,
    }),
  );
  if (!roundtripEqual) process.exitCode = 1;
} finally {
  await source.delete();
  await target.delete();
}
