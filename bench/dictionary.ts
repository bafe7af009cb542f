// Builds the bench dictionary in Node (bundled by bench/build-bundle.mjs): every alias of the built-in
// knowledge base plus, to reach a realistic size, every name and synonym of the MISP galaxy
// threat-actor list read at bench time (never copied into the repo).
import { existsSync, readFileSync } from 'node:fs';
import type { Entity } from '../lib/kb/schema.ts';
import { loadBuiltinKnowledgeBase } from '../lib/kb/seed/index.ts';
import { buildDictionary, type Dictionary, isNeverMatched } from '../lib/match/dictionary.ts';
import { canonicalSpacing } from '../lib/match/fold.ts';

export interface BenchDictionary {
  dictionary: Dictionary;
  builtinEntries: number;
  mispEntries: number;
  mispEntities: number;
  /** Path read, or null when the MISP file is absent (built-in KB only). */
  mispPath: string | null;
  mispDropped: number;
  /** Every usable MISP name (canonical spacing), also those the built-in KB already has: the page uses them. */
  allMispNames: string[];
}

interface MispCluster {
  value?: unknown;
  meta?: { synonyms?: unknown };
}

function slug(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** MISP-only names get synthetic actor entities `misp-<slug>`; names the built-in KB has are skipped. */
export function buildBenchDictionary(mispPath: string): BenchDictionary {
  const kb = loadBuiltinKnowledgeBase();
  const builtin = buildDictionary(kb.entities);
  if (!existsSync(mispPath)) {
    return {
      dictionary: builtin,
      builtinEntries: builtin.length,
      mispEntries: 0,
      mispEntities: 0,
      mispPath: null,
      mispDropped: 0,
      allMispNames: [],
    };
  }
  const galaxy = JSON.parse(readFileSync(mispPath, 'utf8')) as { values?: MispCluster[] };
  const known = new Set(builtin.map((entry) => entry.text));
  const usedIds = new Set(kb.entities.map((entity) => entity.id));
  const entities: Entity[] = [];
  let dropped = 0;
  const allMispNames = new Set<string>();
  for (const cluster of galaxy.values ?? []) {
    const synonyms = Array.isArray(cluster.meta?.synonyms) ? cluster.meta.synonyms : [];
    const names: string[] = [];
    for (const raw of [cluster.value, ...synonyms]) {
      if (typeof raw !== 'string') continue;
      const text = canonicalSpacing(raw);
      if (text.length < 2 || text.length > 120 || isNeverMatched(text)) {
        dropped++;
        continue;
      }
      allMispNames.add(text);
      if (known.has(text)) continue;
      known.add(text);
      names.push(text);
    }
    const first = names[0];
    if (first === undefined) continue;
    const base = `misp-${slug(typeof cluster.value === 'string' ? cluster.value : first) || 'x'}`;
    let id = base;
    for (let n = 2; usedIds.has(id); n++) id = `${base}-${n}`;
    usedIds.add(id);
    entities.push({
      id,
      kind: 'actor',
      name: first,
      aliases: names.map((text) => ({ text, scheme: 'misp', caseSensitive: true, ambiguous: false })),
      summary: 'Synthetic bench entity from the MISP galaxy threat-actor list.',
      links: [],
      sources: [],
    });
  }
  const misp = buildDictionary(entities);
  return {
    dictionary: [...builtin, ...misp],
    builtinEntries: builtin.length,
    mispEntries: misp.length,
    mispEntities: entities.length,
    mispPath,
    mispDropped: dropped,
    allMispNames: [...allMispNames],
  };
}
