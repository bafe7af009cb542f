import { z } from 'zod';

/**
 * The knowledge-base shapes. One Zod schema per shape; every TypeScript type is inferred from it.
 * Seed files (lib/kb/seed/*.json), DB rows and importer output all parse through these.
 */

/** A stable slug: lower-case ASCII letters, digits and single hyphens, e.g. `apt31`, `cn-mss`. */
export const EntityId = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'an id is a lower-case slug such as "apt31" or "cn-mss"');
export type EntityId = z.infer<typeof EntityId>;

export const ENTITY_KINDS = ['actor', 'agency', 'attributor', 'company', 'person', 'campaign'] as const;
/** actor: threat group; agency: state body running actors; attributor: body that attributes. */
export const EntityKind = z.enum(ENTITY_KINDS);
export type EntityKind = z.infer<typeof EntityKind>;

/** Kinds whose names are highlighted on pages. People are listed in facts, never highlighted. */
export const HIGHLIGHTED_KINDS: ReadonlySet<EntityKind> = new Set([
  'actor',
  'agency',
  'attributor',
  'company',
  'campaign',
]);

/** Where a name comes from. `common` is press/plain usage; `government` a government's own name. */
export const ALIAS_SCHEMES = [
  'common',
  'government',
  'mandiant',
  'crowdstrike',
  'microsoft',
  'microsoft-old',
  'secureworks',
  'kaspersky',
  'recorded-future',
  'mitre',
  'proofpoint',
  'eset',
  'symantec',
  'trend-micro',
  'palo-alto',
  'cisco-talos',
  'google',
  'misp',
  'other',
] as const;
export const AliasScheme = z.enum(ALIAS_SCHEMES);
export type AliasScheme = z.infer<typeof AliasScheme>;

export const Alias = z.strictObject({
  text: z.string().trim().min(2).max(120),
  scheme: AliasScheme.default('common'),
  /** Default true: "Sandworm" must not match "sandworm". Set false only for names written in any case. */
  caseSensitive: z.boolean().optional(),
  /** A name that is also an ordinary word or name (Sandworm, Lazarus): needs cyber context nearby. */
  ambiguous: z.boolean().optional(),
  /** False for a name kept for the record but never highlighted (too generic to match on pages). */
  match: z.boolean().optional(),
});
export type Alias = z.infer<typeof Alias>;

export const LINK_RELS = [
  'sponsoredBy',
  'partOf',
  'frontFor',
  'memberOf',
  'aliasOf',
  'operatedBy',
  'employedBy',
] as const;
export const LinkRel = z.enum(LINK_RELS);
export type LinkRel = z.infer<typeof LinkRel>;

export const EntityLink = z.strictObject({ rel: LinkRel, target: EntityId });
export type EntityLink = z.infer<typeof EntityLink>;

const HttpsUrl = z.url({ protocol: /^https$/, error: 'must be an https URL' });
const IsoDate = z.iso.date({ error: 'must be an ISO date YYYY-MM-DD' });

export const Source = z.strictObject({
  url: HttpsUrl,
  title: z.string().min(3),
  publisher: z.string().min(2).optional(),
  date: IsoDate.optional(),
});
export type Source = z.infer<typeof Source>;

/** ISO 3166-1 alpha-2, upper case (CN, RU, KP, IR, CA, US, GB…), or a short bloc code such as EU. */
const CountryCode = z.string().regex(/^[A-Z]{2}$/);

export const Entity = z.strictObject({
  id: EntityId,
  kind: EntityKind,
  name: z.string().trim().min(2).max(160),
  aliases: z.array(Alias).default([]),
  country: CountryCode.optional(),
  /** Written by this project in its own words. */
  summary: z.string().min(10).max(1200),
  links: z.array(EntityLink).default([]),
  sources: z.array(Source).default([]),
});
export type Entity = z.infer<typeof Entity>;
export type EntityInput = z.input<typeof Entity>;

export const EVENT_KINDS = [
  'statement',
  'joint-advisory',
  'advisory',
  'indictment',
  'sanctions',
  'expulsion',
  'arrest',
  'reward',
] as const;
export const EventKind = z.enum(EVENT_KINDS);
export type EventKind = z.infer<typeof EventKind>;

/** A public attribution by one or more governments or bodies, with its official source. */
export const AttributionEvent = z.strictObject({
  id: EntityId,
  date: IsoDate,
  kind: EventKind,
  title: z.string().min(5).max(200),
  attributors: z.array(EntityId).min(1),
  actors: z.array(EntityId).default([]),
  sponsor: EntityId.optional(),
  people: z.array(EntityId).default([]),
  companies: z.array(EntityId).default([]),
  /** The few words of confidence the statement used, quoted, e.g. "almost certain". */
  confidence: z.string().min(2).max(120).optional(),
  url: HttpsUrl,
});
export type AttributionEvent = z.infer<typeof AttributionEvent>;
export type AttributionEventInput = z.input<typeof AttributionEvent>;

/** The shape of one seed file in lib/kb/seed/. */
export const SeedFile = z.strictObject({
  entities: z.array(Entity).default([]),
  events: z.array(AttributionEvent).default([]),
});
export type SeedFile = z.infer<typeof SeedFile>;

export interface KnowledgeBase {
  entities: Entity[];
  events: AttributionEvent[];
}

/** Checks what a per-row schema cannot: unique ids, links and event references that resolve. */
export function checkIntegrity(kb: KnowledgeBase): string[] {
  const problems: string[] = [];
  const ids = new Map<string, Entity>();
  for (const entity of kb.entities) {
    if (ids.has(entity.id)) problems.push(`duplicate entity id "${entity.id}"`);
    ids.set(entity.id, entity);
  }
  const eventIds = new Set<string>();
  for (const event of kb.events) {
    if (eventIds.has(event.id) || ids.has(event.id)) problems.push(`duplicate event id "${event.id}"`);
    eventIds.add(event.id);
  }
  const expectKind = (where: string, id: string, kinds: EntityKind[]) => {
    const target = ids.get(id);
    if (!target) problems.push(`${where}: "${id}" does not resolve`);
    else if (!kinds.includes(target.kind))
      problems.push(`${where}: "${id}" is a ${target.kind}, expected ${kinds.join('/')}`);
  };
  for (const entity of kb.entities) {
    for (const link of entity.links) expectKind(`${entity.id} ${link.rel}`, link.target, [...ENTITY_KINDS]);
  }
  for (const event of kb.events) {
    for (const id of event.attributors) expectKind(`event ${event.id} attributor`, id, ['attributor']);
    for (const id of event.actors) expectKind(`event ${event.id} actor`, id, ['actor', 'campaign']);
    if (event.sponsor) expectKind(`event ${event.id} sponsor`, event.sponsor, ['agency']);
    for (const id of event.people) expectKind(`event ${event.id} person`, id, ['person']);
    for (const id of event.companies) expectKind(`event ${event.id} company`, id, ['company']);
  }
  const aliasOwners = new Map<string, { id: string; ambiguous: boolean }>();
  for (const entity of kb.entities) {
    const names = [
      { text: entity.name, ambiguous: false },
      ...entity.aliases.map((a) => ({ text: a.text, ambiguous: a.ambiguous === true })),
    ];
    for (const name of new Map(names.map((n) => [n.text, n])).values()) {
      const owner = aliasOwners.get(name.text);
      if (owner && owner.id !== entity.id && !(owner.ambiguous && name.ambiguous)) {
        problems.push(
          `alias "${name.text}" names both "${owner.id}" and "${entity.id}" without being flagged ambiguous`,
        );
      }
      aliasOwners.set(name.text, { id: entity.id, ambiguous: name.ambiguous });
    }
  }
  return problems;
}
