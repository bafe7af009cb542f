import { isNeverMatched } from '../../match/dictionary';
import { canonicalSpacing } from '../../match/fold';
import type { Alias, AliasScheme, Entity, Source } from '../schema';
import { countryNameOf } from './countries';
import type { ImportBatch, ImportCandidate } from './import-batch';

/** What the knowledge base already holds, as far as merging needs it. */
export interface ExistingKnowledge {
  /** Every entity row: built-in, imported and the user's. */
  entities: readonly Entity[];
  /** Aliases stored apart from their entity (the `aliases` table). */
  extraAliases: readonly { entityId: string; text: string }[];
  /** Ids used by other rows (events) that a new entity must not take. */
  reservedIds?: Iterable<string>;
}

/** An alias to add to an entity that already exists (stored as an alias row, never in the entity). */
export interface PlannedAlias {
  entityId: string;
  text: string;
  scheme: AliasScheme;
  ambiguous?: boolean;
  caseSensitive?: boolean;
  match?: boolean;
}

/** Why a name from the file was not added. */
export type SkipReason =
  | 'owned-by-other-entity'
  | 'never-matched'
  | 'too-short'
  | 'too-long'
  | 'no-usable-name';

/** A name left out, kept for the report (e.g. a synonym that already names another group). */
export interface SkippedName {
  text: string;
  /** The file's group the name came with. */
  candidate: string;
  reason: SkipReason;
  /** For `owned-by-other-entity`: the entity that already goes by this name. */
  ownerId?: string;
}

/** A group of the file found in the knowledge base. */
export interface MergeRecord {
  candidate: string;
  entityId: string;
  /** `name`: the group's own name matched; `synonyms`: only some of its other names did. */
  matchedBy: 'name' | 'synonyms';
}

/** What importing a batch would change; applying it is `importKnowledge`'s job. */
export interface ImportPlan {
  /** New entities (origin imported, kind actor). */
  added: Entity[];
  /** New aliases of entities that existed before this batch. */
  newAliases: PlannedAlias[];
  /** Groups of the file that matched an entity (existing or added earlier in the same batch). */
  merged: number;
  /** Groups the parser left out, groups without a usable name, and names not added (see `skippedNames`). */
  skipped: number;
  skippedNames: SkippedName[];
  merges: MergeRecord[];
}

const MIN_NAME_LENGTH = 2;
const MAX_ALIAS_LENGTH = 120;
const MAX_SOURCES = 5;
const MAX_SLUG_LENGTH = 60;
/**
 * Names a group must share with an entity to merge into it when its own name is unknown. One shared
 * synonym is not enough: MISP clusters of distinct groups share loose labels ("PLA Navy" on APT4,
 * APT18 and Samurai Panda; "Golden Chickens" on GC01 and GC02; APT30's ATT&CK id on Naikon), and
 * merging on one would show APT18's card on every mention of APT4.
 */
const MIN_SYNONYM_VOTES = 2;

const SEPARATED_LETTER_DIGIT = /(?<=\p{L})[ -](?=\p{N})|(?<=\p{N})[ -](?=\p{L})/gu;

/**
 * The key two names are compared by when deciding whether they name the same group: canonical
 * spacing, lower case, and no space or hyphen at a letter–digit joint, so "APT 31", "APT-31" and
 * "apt31" are one key (the matcher finds all three spellings from any one of them).
 */
export function nameKey(text: string): string {
  return canonicalSpacing(text).replace(SEPARATED_LETTER_DIGIT, '').toLowerCase();
}

/** One token of letters written like a dictionary word: "Cobalt", "Sandworm", "hurricane". */
const ORDINARY_WORD = /^(?:\p{Lu}\p{Ll}+|\p{Ll}+)$/u;
/** Two or more all-capital words: vendor house style ("IRON TWILIGHT", "GOLD KINGSWOOD"). */
const CAPITALIZED_WORDS = /^\p{Lu}+(?: \p{Lu}+)+$/u;

/**
 * Matching flags for a name taken from an import file, which nobody has reviewed:
 * - A single ordinary word (one token, letters only, lower case or capitalized, e.g. "Cobalt",
 *   "Sandworm", "Hurricane") is `ambiguous`: it is also a word or a name in plain prose, so the
 *   matcher highlights it only with cyber context nearby. Coined single words written in capitals
 *   ("MONSOON") or with inner capitals ("OilRig", "menuPass") do not read as prose and match as usual.
 * - Several words all in capitals ("IRON TWILIGHT") are vendors' house style; the press writes them
 *   "Iron Twilight", so they match in any case (`caseSensitive: false`).
 * Everything else keeps the defaults (case-sensitive, unambiguous).
 */
export function importedAliasFlags(text: string): Pick<Alias, 'ambiguous' | 'caseSensitive'> {
  if (ORDINARY_WORD.test(text)) return { ambiguous: true };
  if (CAPITALIZED_WORDS.test(text)) return { caseSensitive: false };
  return {};
}

/** A lower-case ASCII slug of a name ("Cobalt Group" → "cobalt-group"), never empty. */
export function slugOf(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/^-+|-+$/g, '');
  return slug === '' ? 'imported-actor' : slug;
}

function describeSource(batch: ImportBatch): string {
  return batch.format === 'misp-galaxy' ? `the ${batch.source} list` : 'a MITRE ATT&CK STIX bundle';
}

/** Neutral generated text: the file's descriptions are never copied. */
function summaryOf(candidate: ImportCandidate, batch: ImportBatch): string {
  const sentences = [
    `Imported from ${describeSource(batch)}${candidate.mitreId ? ` (ATT&CK group ${candidate.mitreId})` : ''}.`,
  ];
  const sponsor = candidate.stateSponsor ? countryNameOf(candidate.stateSponsor) : undefined;
  const origin = candidate.country ? countryNameOf(candidate.country) : undefined;
  if (sponsor) sentences.push(`Suspected state sponsor: ${sponsor}.`);
  if (origin && candidate.country !== candidate.stateSponsor)
    sentences.push(`Listed country of origin: ${origin}.`);
  sentences.push('Not reviewed by Attribution Lens.');
  return sentences.join(' ');
}

function sourcesOf(candidate: ImportCandidate, batch: ImportBatch): Source[] {
  const sources: Source[] = [];
  for (const ref of candidate.refs ?? []) {
    if (sources.length >= MAX_SOURCES) break;
    let url: URL;
    try {
      url = new URL(ref);
    } catch {
      continue;
    }
    if (url.protocol !== 'https:' || sources.some((source) => source.url === url.href)) continue;
    sources.push({
      url: url.href,
      title: `Reference listed in ${describeSource(batch)}`,
      publisher: url.hostname,
    });
  }
  return sources;
}

interface UsableName {
  text: string;
  key: string;
  scheme: AliasScheme;
  match?: boolean;
}

/** Mutable view of the knowledge base that grows as the batch is processed. */
class NameIndex {
  private readonly owners = new Map<string, Set<string>>();
  private readonly keysByEntity = new Map<string, Set<string>>();
  private readonly takenIds = new Set<string>();

  constructor(existing: ExistingKnowledge) {
    for (const entity of existing.entities) {
      this.takenIds.add(entity.id);
      this.add(entity.id, entity.name);
      for (const alias of entity.aliases) this.add(entity.id, alias.text);
    }
    for (const alias of existing.extraAliases) this.add(alias.entityId, alias.text);
    for (const id of existing.reservedIds ?? []) this.takenIds.add(id);
  }

  add(entityId: string, text: string): void {
    const key = nameKey(text);
    const owners = this.owners.get(key) ?? new Set<string>();
    owners.add(entityId);
    this.owners.set(key, owners);
    const keys = this.keysByEntity.get(entityId) ?? new Set<string>();
    keys.add(key);
    this.keysByEntity.set(entityId, keys);
  }

  ownersOf(key: string): ReadonlySet<string> {
    return this.owners.get(key) ?? new Set();
  }

  has(entityId: string, key: string): boolean {
    return this.keysByEntity.get(entityId)?.has(key) === true;
  }

  /** A free id: the slug of the name, then "-2", "-3"… */
  claimId(name: string): string {
    const base = slugOf(name);
    let id = base;
    for (let n = 2; this.takenIds.has(id); n++) id = `${base}-${n}`;
    this.takenIds.add(id);
    return id;
  }
}

/**
 * Plans how an import batch joins the knowledge base, without writing anything.
 *
 * A group of the file matches an existing entity (built-in, imported or the user's, including the
 * aliases in `extraAliases`) when its name or any synonym has the same {@link nameKey} as that
 * entity's name or one of its aliases. The entity its own name matches wins; otherwise the entity
 * most of its names match, provided at least two do (see {@link MIN_SYNONYM_VOTES}); ties go to the
 * entity listed first, i.e. built-in rows. A matched group
 * adds only the names the entity does not have yet; a name that already belongs to another entity
 * is skipped, so no alias ever names two entities. An unmatched group becomes a new `actor` with a
 * slug id from its name and a generated summary. Groups are taken in file order against the growing
 * knowledge base, so a group listed twice (or in two files) is merged, not duplicated, and planning
 * the same batch again adds nothing.
 *
 * Names that `isNeverMatched` rejects ("China", "APT"), shorter than 2 or longer than 120
 * characters are skipped. Flags of new names follow {@link importedAliasFlags}.
 */
export function planImport(existing: ExistingKnowledge, batch: ImportBatch): ImportPlan {
  const index = new NameIndex(existing);
  const order = new Map(existing.entities.map((entity, position) => [entity.id, position]));
  const addedById = new Map<string, Entity>();
  const plan: ImportPlan = {
    added: [],
    newAliases: [],
    merged: 0,
    skipped: batch.skipped,
    skippedNames: [],
    merges: [],
  };
  const skip = (name: SkippedName) => {
    plan.skipped++;
    plan.skippedNames.push(name);
  };

  for (const candidate of batch.candidates) {
    const usable: UsableName[] = [];
    const unusable: SkippedName[] = [];
    const offered: { text: string; scheme: AliasScheme; match?: boolean }[] = [
      { text: candidate.name, scheme: batch.scheme },
      ...candidate.aliases.map((alias) => ({ text: alias.text, scheme: alias.scheme, match: alias.match })),
    ];
    for (const name of offered) {
      const text = canonicalSpacing(name.text);
      const reason: SkipReason | undefined =
        text.length < MIN_NAME_LENGTH
          ? 'too-short'
          : text.length > MAX_ALIAS_LENGTH
            ? 'too-long'
            : isNeverMatched(text)
              ? 'never-matched'
              : undefined;
      if (reason) {
        unusable.push({ text: name.text.slice(0, MAX_ALIAS_LENGTH), candidate: candidate.name, reason });
        continue;
      }
      const key = nameKey(text);
      if (usable.some((seen) => seen.key === key)) continue;
      usable.push({ text, key, scheme: name.scheme, ...(name.match === false ? { match: false } : {}) });
    }
    const primary = usable[0];
    if (!primary) {
      // Counted once for the group, not once per unusable name.
      skip({
        text: candidate.name.slice(0, MAX_ALIAS_LENGTH),
        candidate: candidate.name,
        reason: 'no-usable-name',
      });
      continue;
    }
    for (const name of unusable) skip(name);

    const votes = new Map<string, number>();
    for (const name of usable) {
      for (const owner of index.ownersOf(name.key)) votes.set(owner, (votes.get(owner) ?? 0) + 1);
    }
    const primaryOwners = [...index.ownersOf(primary.key)];
    const contenders =
      primaryOwners.length > 0
        ? primaryOwners
        : [...votes.keys()].filter((id) => (votes.get(id) ?? 0) >= MIN_SYNONYM_VOTES);
    const rank = (id: string) => order.get(id) ?? Number.MAX_SAFE_INTEGER;
    const target = contenders.sort(
      (a, b) => (votes.get(b) ?? 0) - (votes.get(a) ?? 0) || rank(a) - rank(b) || a.localeCompare(b),
    )[0];

    if (target === undefined) {
      const entity: Entity = {
        id: index.claimId(primary.text),
        kind: 'actor',
        name: primary.text,
        aliases: [],
        ...((candidate.country ?? candidate.stateSponsor)
          ? { country: candidate.country ?? candidate.stateSponsor }
          : {}),
        summary: summaryOf(candidate, batch),
        links: [],
        sources: sourcesOf(candidate, batch),
      };
      // The dictionary reads a name's flags from an alias with the same text (as for "Turla").
      const nameFlags = primary.match === false ? {} : importedAliasFlags(primary.text);
      if (Object.keys(nameFlags).length > 0) {
        entity.aliases.push({ text: primary.text, scheme: primary.scheme, ...nameFlags });
      }
      index.add(entity.id, primary.text);
      for (const name of usable.slice(1)) {
        // A synonym shared with one entity is not enough to merge, and must not name both.
        const owner = [...index.ownersOf(name.key)].find((id) => id !== entity.id);
        if (owner !== undefined) {
          skip({
            text: name.text,
            candidate: candidate.name,
            reason: 'owned-by-other-entity',
            ownerId: owner,
          });
          continue;
        }
        entity.aliases.push(aliasOf(name));
        index.add(entity.id, name.text);
      }
      addedById.set(entity.id, entity);
      plan.added.push(entity);
      continue;
    }

    plan.merged++;
    plan.merges.push({
      candidate: candidate.name,
      entityId: target,
      matchedBy: primaryOwners.length > 0 ? 'name' : 'synonyms',
    });
    const addedEntity = addedById.get(target);
    for (const name of usable) {
      if (index.has(target, name.key)) continue;
      const owner = [...index.ownersOf(name.key)].find((id) => id !== target);
      if (owner !== undefined) {
        skip({ text: name.text, candidate: candidate.name, reason: 'owned-by-other-entity', ownerId: owner });
        continue;
      }
      if (addedEntity) addedEntity.aliases.push(aliasOf(name));
      else plan.newAliases.push({ entityId: target, ...aliasOf(name) });
      index.add(target, name.text);
    }
  }
  return plan;
}

function aliasOf(name: UsableName): Alias {
  if (name.match === false) return { text: name.text, scheme: name.scheme, match: false };
  return { text: name.text, scheme: name.scheme, ...importedAliasFlags(name.text) };
}
