import { z } from 'zod';
import type { AliasScheme } from '../schema';
import { countryCodeOf } from './countries';
import { type CandidateAlias, type ImportBatch, type ImportCandidate, MITRE_GROUP_ID } from './import-batch';
import { describeFirstIssue, ImportFileError, parseJsonText } from './import-error';

/** The fields of a cluster value's `meta` we read; MISP adds many more, which are ignored. */
export const MispGalaxyMeta = z.looseObject({
  synonyms: z.array(z.string()).optional(),
  country: z.string().optional(),
  'cfr-suspected-state-sponsor': z.string().optional(),
  refs: z.array(z.string()).optional(),
  external_id: z.string().optional(),
});
export type MispGalaxyMeta = z.infer<typeof MispGalaxyMeta>;

/** One cluster value: a threat group with its synonyms. */
export const MispGalaxyValue = z.looseObject({
  value: z.string(),
  uuid: z.string(),
  description: z.string().optional(),
  meta: MispGalaxyMeta.optional(),
  /** The ATT&CK-derived galaxies keep groups that MITRE folded into another one, flagged so. */
  revoked: z.boolean().optional(),
});
export type MispGalaxyValue = z.infer<typeof MispGalaxyValue>;

/**
 * A MISP galaxy cluster file (https://github.com/MISP/misp-galaxy, `clusters/*.json`), e.g.
 * `threat-actor.json` or `mitre-intrusion-set.json`.
 */
export const MispGalaxyCluster = z.looseObject({
  name: z.string(),
  type: z.string(),
  uuid: z.string(),
  values: z.array(MispGalaxyValue),
});
export type MispGalaxyCluster = z.infer<typeof MispGalaxyCluster>;

/**
 * Galaxy types whose values are threat groups. Others (`country`, `producer`, `tool`…) would turn
 * countries or vendors into "actors", so they are refused.
 */
export const MISP_ACTOR_GALAXY_TYPES: ReadonlySet<string> = new Set([
  'threat-actor',
  'mitre-intrusion-set',
  'mitre-enterprise-attack-intrusion-set',
  'mitre-mobile-attack-intrusion-set',
  'mitre-ics-intrusion-set',
  'microsoft-activity-group',
]);

/** "APT28 - G0007": the ATT&CK-derived galaxies suffix each group name with its ATT&CK id. */
const MITRE_ID_SUFFIX = /\s+-\s+(G\d{4})$/;

/** Galaxies copied from ATT&CK carry MITRE's alias list; the others are MISP's own synonyms. */
function synonymSchemeOf(galaxyType: string): AliasScheme {
  return galaxyType.startsWith('mitre-') ? 'mitre' : 'misp';
}

function aliasOf(text: string, scheme: AliasScheme): CandidateAlias {
  // Lists such as threat-actor.json mix ATT&CK ids in with the names; they identify, never match.
  return MITRE_GROUP_ID.test(text) ? { text, scheme: 'mitre', match: false } : { text, scheme };
}

function candidateOf(value: MispGalaxyValue, scheme: AliasScheme): ImportCandidate | undefined {
  const suffix = MITRE_ID_SUFFIX.exec(value.value);
  const name = value.value.replace(MITRE_ID_SUFFIX, '').trim();
  if (name === '') return undefined;
  const meta = value.meta ?? {};
  const externalId = meta.external_id?.trim();
  const mitreId = externalId && MITRE_GROUP_ID.test(externalId) ? externalId : suffix?.[1];
  const aliases = (meta.synonyms ?? [])
    .map((text) => text.trim())
    .filter((text) => text !== '')
    .map((text) => aliasOf(text, scheme));
  if (mitreId && !aliases.some((alias) => alias.text === mitreId)) {
    aliases.push({ text: mitreId, scheme: 'mitre', match: false });
  }
  const country = meta.country?.trim().toUpperCase();
  const sponsorName = meta['cfr-suspected-state-sponsor'];
  const stateSponsor = sponsorName === undefined ? undefined : countryCodeOf(sponsorName);
  return {
    name,
    aliases,
    ...(country && /^[A-Z]{2}$/.test(country) ? { country } : {}),
    ...(stateSponsor ? { stateSponsor } : {}),
    ...(mitreId ? { mitreId } : {}),
    ...(meta.refs && meta.refs.length > 0 ? { refs: meta.refs } : {}),
  };
}

/**
 * Reads a MISP galaxy cluster file of threat groups (`threat-actor.json`, `mitre-intrusion-set.json`)
 * into an import batch: one candidate per value, its synonyms as aliases (`misp` scheme, or `mitre`
 * for the ATT&CK-derived galaxies), the " - G0007" suffix of ATT&CK names moved into a `mitre` alias
 * that is never highlighted, and the country and suspected state sponsor as codes. Descriptions are
 * not read. Revoked values are left out and counted as skipped.
 *
 * Accepts the parsed JSON or its text. Throws an {@link ImportFileError} naming the first bad path,
 * e.g. `threat-actor.json: values.12.value: Invalid input: expected string, received undefined`.
 */
export function parseMispGalaxy(json: unknown, fileName: string): ImportBatch {
  const content = typeof json === 'string' ? parseJsonText(json, fileName) : json;
  const parsed = MispGalaxyCluster.safeParse(content);
  if (!parsed.success) throw new ImportFileError(fileName, describeFirstIssue(parsed.error));
  const cluster = parsed.data;
  if (!MISP_ACTOR_GALAXY_TYPES.has(cluster.type)) {
    throw new ImportFileError(
      fileName,
      `type: "${cluster.type.slice(0, 60)}" is not a galaxy of threat groups (expected ${[
        ...MISP_ACTOR_GALAXY_TYPES,
      ].join(', ')})`,
    );
  }
  const scheme = synonymSchemeOf(cluster.type);
  const candidates: ImportCandidate[] = [];
  let skipped = 0;
  for (const value of cluster.values) {
    const candidate = value.revoked === true ? undefined : candidateOf(value, scheme);
    if (candidate) candidates.push(candidate);
    else skipped++;
  }
  return {
    format: 'misp-galaxy',
    source: `MISP galaxy ${cluster.type}`,
    fileName,
    scheme,
    candidates,
    skipped,
  };
}
