import { z } from 'zod';
import { type Alias, type Entity, EntityId, EntityKind, HIGHLIGHTED_KINDS } from '../kb/schema';
import { canonicalSpacing } from './fold';

/** One matchable name, as the background sends it to content scripts. */
export const DictionaryEntry = z.strictObject({
  text: z.string().min(2).max(200),
  entityId: EntityId,
  kind: EntityKind,
  caseSensitive: z.boolean(),
  ambiguous: z.boolean(),
});
export type DictionaryEntry = z.infer<typeof DictionaryEntry>;

export const Dictionary = z.array(DictionaryEntry);
export type Dictionary = z.infer<typeof Dictionary>;

/**
 * Words that are never highlighted whatever a knowledge base or an import says: country names and
 * generic vocabulary that would turn every paragraph yellow.
 */
const NEVER_MATCH = new Set(
  [
    'china',
    'russia',
    'iran',
    'north korea',
    'canada',
    'the u.s.',
    'u.s.',
    'us',
    'uk',
    'u.k.',
    'hackers',
    'hacker',
    'government',
    'the government',
    'security',
    'intelligence',
    'unknown',
    'apt',
    'group',
  ].map((word) => word.toLowerCase()),
);

/** True for names too generic to highlight ("China", "hackers"). */
export function isNeverMatched(text: string): boolean {
  return NEVER_MATCH.has(canonicalSpacing(text).toLowerCase());
}

/** An alias stored apart from its entity (imports, user additions). */
export type ExtraAlias = Alias & { entityId: string };

/**
 * Builds the match dictionary from entities: the name and every matchable alias of every entity of
 * a highlighted kind. The name counts as ambiguous when an alias with the same text is flagged so.
 */
export function buildDictionary(
  entities: Iterable<Entity>,
  extraAliases: Iterable<ExtraAlias> = [],
): Dictionary {
  const extraByEntity = new Map<string, ExtraAlias[]>();
  for (const alias of extraAliases)
    extraByEntity.set(alias.entityId, [...(extraByEntity.get(alias.entityId) ?? []), alias]);
  const dictionary: Dictionary = [];
  for (const entity of entities) {
    if (!HIGHLIGHTED_KINDS.has(entity.kind)) continue;
    const seen = new Set<string>();
    const add = (text: string, caseSensitive: boolean, ambiguous: boolean) => {
      const canonical = canonicalSpacing(text);
      if (canonical.length < 2 || isNeverMatched(canonical)) return;
      const key = caseSensitive ? canonical : canonical.toLowerCase();
      if (seen.has(key)) return;
      seen.add(key);
      dictionary.push({ text: canonical, entityId: entity.id, kind: entity.kind, caseSensitive, ambiguous });
    };
    const nameAlias = entity.aliases.find((alias) => alias.text === entity.name);
    if (nameAlias?.match !== false) {
      add(entity.name, nameAlias?.caseSensitive ?? true, nameAlias?.ambiguous ?? false);
    }
    for (const alias of [...entity.aliases, ...(extraByEntity.get(entity.id) ?? [])]) {
      if (alias.match === false) continue;
      add(alias.text, alias.caseSensitive ?? true, alias.ambiguous ?? false);
    }
  }
  return dictionary;
}

const LETTER_DIGIT_BOUNDARY = /(?<=\p{L})(?=\p{N})|(?<=\p{N})(?=\p{L})/gu;
const SEPARATED_LETTER_DIGIT = /(?<=\p{L})[ -](?=\p{N})|(?<=\p{N})[ -](?=\p{L})/gu;

/**
 * Spellings a name appears in on pages: "APT31" is also written "APT 31" and "APT-31", "Unit 61398"
 * also "Unit61398" and "Unit-61398". Only letter–digit joints vary; words keep their spaces.
 */
export function spellingVariants(text: string): string[] {
  const canonical = canonicalSpacing(text);
  const joined = canonical.replace(SEPARATED_LETTER_DIGIT, '');
  const joints = joined.split(LETTER_DIGIT_BOUNDARY);
  if (joints.length === 1) return [canonical];
  // One separator for all joints keeps the count small: "UNC 2452", "UNC-2452", "UNC2452".
  return [...new Set([joints.join(''), joints.join(' '), joints.join('-'), canonical])];
}
