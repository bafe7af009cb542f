import type { Annotation, EvidenceKind } from '../annotations/schema';
import { confidenceFromWording } from './confidence';
import { type ExportContext, type ExportEntity, type ExportProgress, progressCounter } from './context';
import { collectionUuid, stixUuid } from './ids';
import { groupByPage, type PageGroup } from './order';

/**
 * STIX 2.1 bundle export (https://docs.oasis-open.org/cti/stix/v2.1/os/stix-v2.1-os.html) for
 * threat-intel platforms (MISP, OpenCTI).
 *
 * - a `report` per page (`report_types: ["threat-report"]`, the page as external reference);
 * - a `note` per annotation (`note--<annotation uuid>`): abstract = quote excerpt, content = note
 *   then quote, tags as `labels`, `object_refs` = the page's report and the linked entities;
 * - knowledge-base entities with deterministic ids `<type>--UUIDv5(STIX_ID_NAMESPACE, entity id)`
 *   so that repeated exports merge: actor → `intrusion-set`; agency, attributor, company →
 *   `identity` (organization); person → `identity` (individual); campaign → `campaign`;
 * - each attribution claim naming an actor and a sponsor → `relationship` `attributed-to` from the
 *   actor's object to the sponsor's, with `confidence` from the wording (see confidence.ts); the
 *   attributor is an `identity` referenced by `x_attribution_lens_attributor_ref` and named in the
 *   description. Claim sides typed as free text get objects with ids derived from the name.
 *   A claim without an actor or a sponsor has nothing to relate: it stays in its note only.
 * - `created_by_ref` on reports, notes and relationships: an `identity` (individual) for the user
 *   when a name is set.
 * Entity objects carry `created` = {@link ENTITY_CREATED} and `modified` = the date of their
 * newest official source (or `created`), so the same knowledge base always gives the same version.
 */

/** `created` of knowledge-base objects: a fixed instant, so that ids and versions stay stable. */
export const ENTITY_CREATED = '2024-01-01T00:00:00.000Z';

/** Properties every STIX domain object we write has. */
interface StixCommon {
  type: string;
  spec_version: '2.1';
  id: string;
  created: string;
  modified: string;
  created_by_ref?: string;
  labels?: string[];
  confidence?: number;
  external_references?: StixExternalReference[];
}

/** A STIX external reference. */
export interface StixExternalReference {
  source_name: string;
  url?: string;
  description?: string;
}

/** identity (organisation, individual). */
export interface StixIdentity extends StixCommon {
  type: 'identity';
  name: string;
  identity_class: 'organization' | 'individual';
  description?: string;
  sectors?: string[];
}

/** intrusion-set (a threat group). */
export interface StixIntrusionSet extends StixCommon {
  type: 'intrusion-set';
  name: string;
  aliases?: string[];
  description?: string;
}

/** campaign. */
export interface StixCampaign extends StixCommon {
  type: 'campaign';
  name: string;
  aliases?: string[];
  description?: string;
}

/** note (one annotation). */
export interface StixNote extends StixCommon {
  type: 'note';
  abstract?: string;
  content: string;
  authors?: string[];
  object_refs: string[];
}

/** report (one page). */
export interface StixReport extends StixCommon {
  type: 'report';
  name: string;
  description?: string;
  report_types: string[];
  published: string;
  object_refs: string[];
}

/** relationship (an attribution claim). */
export interface StixRelationship extends StixCommon {
  type: 'relationship';
  relationship_type: 'attributed-to';
  source_ref: string;
  target_ref: string;
  description?: string;
  x_attribution_lens_attributor_ref?: string;
}

/** Any object we put in a bundle. */
export type StixObject =
  | StixIdentity
  | StixIntrusionSet
  | StixCampaign
  | StixNote
  | StixReport
  | StixRelationship;

/** The exported bundle. */
export interface StixBundle {
  type: 'bundle';
  id: string;
  objects: StixObject[];
}

/** Options of {@link exportStix} and {@link buildStixBundle}. */
export interface StixOptions {
  /** Pretty-print with this indent (default 0: one line, half the size of an indented file). */
  space?: number;
  /** Called at least every 500 annotations. */
  onProgress?: ExportProgress;
}

const STIX_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A timestamp in STIX form `YYYY-MM-DDTHH:mm:ss.sssZ` (UTC, milliseconds). */
export function stixTimestamp(iso: string): string {
  // Most stored times are already in this form; converting them all costs a third of the export.
  return STIX_TIMESTAMP.test(iso) ? iso : new Date(iso).toISOString();
}

/** The later of two STIX timestamps (same format, so string order is time order). */
function later(a: string, b: string): string {
  return a >= b ? a : b;
}

/** The earlier of two STIX timestamps. */
function earlier(a: string, b: string): string {
  return a <= b ? a : b;
}

/** The STIX id of a knowledge-base entity: `<type>--UUIDv5(STIX_ID_NAMESPACE, entity id)`. */
export function stixIdOfEntity(entity: Pick<ExportEntity, 'id' | 'kind'>): string {
  return `${stixTypeOf(entity.kind)}--${stixUuid(entity.id)}`;
}

function stixTypeOf(kind: ExportEntity['kind']): 'intrusion-set' | 'campaign' | 'identity' {
  return kind === 'actor' ? 'intrusion-set' : kind === 'campaign' ? 'campaign' : 'identity';
}

const EVIDENCE_WORDS: Record<EvidenceKind, string> = {
  indictment: 'an indictment',
  sanctions: 'sanctions',
  'joint-advisory': 'a joint advisory',
  'official-statement': 'an official statement',
  'vendor-report': 'a vendor report',
  'anonymous-officials': 'anonymous officials',
};

function entityObject(entity: ExportEntity): StixIdentity | StixIntrusionSet | StixCampaign {
  const newestSource = entity.sources.reduce(
    (newest, s) => (s.date && s.date > newest ? s.date : newest),
    '',
  );
  const common = {
    spec_version: '2.1' as const,
    id: stixIdOfEntity(entity),
    created: ENTITY_CREATED,
    modified: newestSource ? later(stixTimestamp(newestSource), ENTITY_CREATED) : ENTITY_CREATED,
    ...(entity.sources.length > 0
      ? {
          external_references: entity.sources.map((source) => ({
            source_name: source.publisher ?? new URL(source.url).hostname,
            url: source.url,
            description: source.title,
          })),
        }
      : {}),
  };
  const description = entity.summary ? { description: entity.summary } : {};
  const aliases = [...new Set(entity.aliases)].filter((alias) => alias !== entity.name);
  if (entity.kind === 'actor' || entity.kind === 'campaign') {
    return {
      type: entity.kind === 'actor' ? 'intrusion-set' : 'campaign',
      ...common,
      name: entity.name,
      ...(aliases.length > 0 ? { aliases } : {}),
      ...description,
    };
  }
  return {
    type: 'identity',
    ...common,
    name: entity.name,
    identity_class: entity.kind === 'person' ? 'individual' : 'organization',
    ...(entity.kind === 'agency' || entity.kind === 'attributor' ? { sectors: ['government-national'] } : {}),
    ...description,
  };
}

/** An object for a claim side the user typed as text (no entity id): its id comes from the name. */
function freeTextObject(name: string, type: 'intrusion-set' | 'identity'): StixIdentity | StixIntrusionSet {
  const id = `${type}--${stixUuid(`name:${type}:${name.trim().toLowerCase()}`)}`;
  const common = { spec_version: '2.1' as const, id, created: ENTITY_CREATED, modified: ENTITY_CREATED };
  return type === 'intrusion-set'
    ? { type, ...common, name: name.trim() }
    : { type, ...common, name: name.trim(), identity_class: 'organization' };
}

function excerpt(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Builds the bundle's objects while remembering which entity objects are needed. */
class BundleBuilder {
  readonly entityObjects = new Map<string, StixIdentity | StixIntrusionSet | StixCampaign>();
  readonly creatorRef: string | undefined;
  readonly creatorObject: StixIdentity | undefined;

  constructor(private readonly context: ExportContext) {
    const creator = context.creator;
    if (creator) {
      this.creatorObject = {
        type: 'identity',
        spec_version: '2.1',
        id: `identity--${stixUuid(`user:${creator.id ?? creator.name}`)}`,
        created: ENTITY_CREATED,
        modified: ENTITY_CREATED,
        name: creator.name,
        identity_class: 'individual',
      };
      this.creatorRef = this.creatorObject.id;
    }
  }

  /** Object ids already computed, by entity id or `<type>:<free text>` (UUIDv5 is not free). */
  private readonly refs = new Map<string, string>();

  /** The object id of an entity, adding its object; undefined for an unknown id. */
  entityRef(id: string): string | undefined {
    const cached = this.refs.get(id);
    if (cached) return cached;
    const entity = this.context.entities.get(id);
    if (!entity) return undefined;
    const object = entityObject(entity);
    this.entityObjects.set(object.id, object);
    this.refs.set(id, object.id);
    return object.id;
  }

  /** A claim side: an entity id when known, else an object named by the text. */
  claimRef(value: string | undefined, fallbackType: 'intrusion-set' | 'identity'): string | undefined {
    if (!value?.trim()) return undefined;
    const known = this.entityRef(value);
    if (known) return known;
    const key = `${fallbackType}:${value}`;
    const cached = this.refs.get(key);
    if (cached) return cached;
    const object = freeTextObject(value, fallbackType);
    if (!this.entityObjects.has(object.id)) this.entityObjects.set(object.id, object);
    this.refs.set(key, object.id);
    return object.id;
  }

  nameOf(ref: string): string {
    const object = this.entityObjects.get(ref);
    return object?.name ?? ref;
  }

  private byUser(): { created_by_ref?: string } {
    return this.creatorRef ? { created_by_ref: this.creatorRef } : {};
  }

  note(annotation: Annotation, reportRef: string): StixNote {
    const created = stixTimestamp(annotation.createdAt);
    const refs = [reportRef];
    for (const id of annotation.entityIds) {
      const ref = this.entityRef(id);
      if (ref && !refs.includes(ref)) refs.push(ref);
    }
    const quote = annotation.selectors.quote.exact;
    const quoted = quote
      .split(/\r\n|\r|\n/)
      .map((line) => `> ${line}`)
      .join('\n');
    const note = annotation.note.trim();
    return {
      type: 'note',
      spec_version: '2.1',
      id: `note--${annotation.id.toLowerCase()}`,
      created,
      modified: later(stixTimestamp(annotation.updatedAt), created),
      ...this.byUser(),
      abstract: `“${excerpt(quote)}”`,
      content: note === '' ? quoted : `${note}\n\n${quoted}`,
      ...(this.context.creator ? { authors: [this.context.creator.name] } : {}),
      object_refs: refs,
      ...(annotation.tags.length > 0 ? { labels: [...annotation.tags] } : {}),
      external_references: [{ source_name: annotation.site, url: annotation.pageUrl }],
    };
  }

  relationship(annotation: Annotation): StixRelationship | undefined {
    const claim = annotation.claim;
    if (!claim) return undefined;
    const source = this.claimRef(claim.actor, 'intrusion-set');
    const target = this.claimRef(claim.sponsor, 'identity');
    if (!source || !target || source === target) return undefined;
    const attributor = this.claimRef(claim.attributor, 'identity');
    const confidence = confidenceFromWording(claim.confidence);
    const how = [
      claim.confidence ? `“${claim.confidence}”` : undefined,
      claim.evidence ? `on the strength of ${EVIDENCE_WORDS[claim.evidence]}` : undefined,
    ].filter((part): part is string => part !== undefined);
    const who = attributor ? `${this.nameOf(attributor)} attributes` : 'Attributed:';
    const description = `${who} ${this.nameOf(source)} to ${this.nameOf(target)}${how.length > 0 ? ` (${how.join(', ')})` : ''}, as quoted on ${annotation.pageUrl}`;
    const created = stixTimestamp(annotation.createdAt);
    return {
      type: 'relationship',
      spec_version: '2.1',
      id: `relationship--${stixUuid(`attributed-to:${annotation.id}`)}`,
      created,
      modified: later(stixTimestamp(annotation.updatedAt), created),
      ...this.byUser(),
      relationship_type: 'attributed-to',
      source_ref: source,
      target_ref: target,
      ...(confidence === undefined ? {} : { confidence }),
      description,
      ...(attributor ? { x_attribution_lens_attributor_ref: attributor } : {}),
      external_references: [{ source_name: annotation.site, url: annotation.pageUrl }],
    };
  }

  report(page: PageGroup, notes: StixNote[], relationships: StixRelationship[]): StixReport {
    const created = notes.reduce((min, note) => earlier(note.created, min), notes[0]?.created ?? '');
    const modified = notes.reduce((max, note) => later(note.modified, max), created);
    const entityRefs = new Set<string>();
    for (const note of notes) for (const ref of note.object_refs.slice(1)) entityRefs.add(ref);
    for (const rel of relationships) {
      entityRefs.add(rel.source_ref);
      entityRefs.add(rel.target_ref);
      if (rel.x_attribution_lens_attributor_ref) entityRefs.add(rel.x_attribution_lens_attributor_ref);
    }
    return {
      type: 'report',
      spec_version: '2.1',
      id: reportIdOf(page.pageUrl),
      created,
      modified: later(modified, created),
      ...this.byUser(),
      name: page.title || page.pageUrl,
      report_types: ['threat-report'],
      published: page.publishedDate ? stixTimestamp(`${page.publishedDate}T00:00:00.000Z`) : created,
      object_refs: [
        ...notes.map((note) => note.id),
        ...[...entityRefs].sort(),
        ...relationships.map((rel) => rel.id),
      ],
      external_references: [{ source_name: page.site, url: page.pageUrl }],
    };
  }
}

/** The report id of a page: `report--UUIDv5(STIX_ID_NAMESPACE, "report:" + page URL)`. */
export function reportIdOf(pageUrl: string): string {
  return `report--${stixUuid(`report:${pageUrl}`)}`;
}

/**
 * The annotations as a STIX 2.1 bundle object. Object order: the user identity, entity objects by
 * id, then per page (in export order) its report, notes and relationships. Every id except the
 * bundle's is stable across exports; the bundle id is derived from the annotations' versions.
 */
export function buildStixBundle(
  annotations: readonly Annotation[],
  context: ExportContext,
  options: StixOptions = {},
): StixBundle {
  const builder = new BundleBuilder(context);
  const pages = groupByPage(annotations);
  const tick = progressCounter(annotations.length, options.onProgress);
  const perPage: StixObject[] = [];
  for (const page of pages) {
    const reportRef = reportIdOf(page.pageUrl);
    const notes: StixNote[] = [];
    const relationships: StixRelationship[] = [];
    for (const annotation of page.annotations) {
      notes.push(builder.note(annotation, reportRef));
      const relationship = builder.relationship(annotation);
      if (relationship) relationships.push(relationship);
      tick();
    }
    perPage.push(builder.report(page, notes, relationships), ...notes, ...relationships);
  }
  const entities = [...builder.entityObjects.values()].sort((a, b) =>
    a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
  const sorted = pages.flatMap((page) => page.annotations);
  return {
    type: 'bundle',
    id: `bundle--${collectionUuid('stix', sorted)}`,
    objects: [...(builder.creatorObject ? [builder.creatorObject] : []), ...entities, ...perPage],
  };
}

/** The annotations as STIX 2.1 JSON text (see {@link buildStixBundle}). */
export function exportStix(
  annotations: readonly Annotation[],
  context: ExportContext,
  options: StixOptions = {},
): string {
  return JSON.stringify(buildStixBundle(annotations, context, options), null, options.space);
}
