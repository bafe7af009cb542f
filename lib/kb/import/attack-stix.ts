import { z } from 'zod';
import { type CandidateAlias, type ImportBatch, type ImportCandidate, MITRE_GROUP_ID } from './import-batch';
import { describeFirstIssue, ImportFileError, parseJsonText } from './import-error';

/** A STIX external reference; ATT&CK puts its group id in the one whose source is "mitre-attack". */
export const StixExternalReference = z.looseObject({
  source_name: z.string(),
  external_id: z.string().optional(),
  url: z.string().optional(),
});
export type StixExternalReference = z.infer<typeof StixExternalReference>;

/** The fields of an ATT&CK `intrusion-set` (a threat group) that the importer reads. */
export const StixIntrusionSet = z.looseObject({
  type: z.literal('intrusion-set'),
  id: z.string(),
  name: z.string(),
  aliases: z.array(z.string()).optional(),
  external_references: z.array(StixExternalReference).optional(),
  revoked: z.boolean().optional(),
  x_mitre_deprecated: z.boolean().optional(),
});
export type StixIntrusionSet = z.infer<typeof StixIntrusionSet>;

/** Any STIX object: only its type is needed to pick the intrusion sets out. */
export const StixObject = z.looseObject({ type: z.string() });
export type StixObject = z.infer<typeof StixObject>;

/**
 * A STIX 2.x bundle as MITRE publishes ATT&CK (https://github.com/mitre-attack/attack-stix-data,
 * e.g. `enterprise-attack.json`): techniques, software, groups… of which only groups are read.
 */
export const AttackStixBundle = z.looseObject({
  type: z.literal('bundle'),
  objects: z.array(StixObject),
});
export type AttackStixBundle = z.infer<typeof AttackStixBundle>;

function candidateOf(group: StixIntrusionSet): ImportCandidate | undefined {
  const name = group.name.trim();
  if (name === '') return undefined;
  const references = group.external_references ?? [];
  const mitreId = references
    .find((reference) => reference.source_name === 'mitre-attack')
    ?.external_id?.trim();
  const aliases: CandidateAlias[] = (group.aliases ?? [])
    .map((text) => text.trim())
    .filter((text) => text !== '')
    .map((text) =>
      MITRE_GROUP_ID.test(text) ? { text, scheme: 'mitre', match: false } : { text, scheme: 'mitre' },
    );
  const validMitreId = mitreId && MITRE_GROUP_ID.test(mitreId) ? mitreId : undefined;
  if (validMitreId && !aliases.some((alias) => alias.text === validMitreId)) {
    aliases.push({ text: validMitreId, scheme: 'mitre', match: false });
  }
  const refs = references.flatMap((reference) => (reference.url ? [reference.url] : []));
  return {
    name,
    aliases,
    ...(validMitreId ? { mitreId: validMitreId } : {}),
    ...(refs.length > 0 ? { refs } : {}),
  };
}

/**
 * Reads the groups (`intrusion-set` objects) of an ATT&CK STIX bundle into an import batch: the
 * group name, its ATT&CK aliases (`mitre` scheme) and its ATT&CK id as a `mitre` alias that is never
 * highlighted. Revoked and deprecated groups are left out and counted as skipped; descriptions are
 * not read.
 *
 * Accepts the parsed JSON or its text. Throws an {@link ImportFileError} naming the first bad path,
 * e.g. `enterprise-attack.json: objects.12.name: Invalid input: expected string, received undefined`.
 */
export function parseAttackStix(json: unknown, fileName: string): ImportBatch {
  const content = typeof json === 'string' ? parseJsonText(json, fileName) : json;
  const parsed = AttackStixBundle.safeParse(content);
  if (!parsed.success) throw new ImportFileError(fileName, describeFirstIssue(parsed.error));
  const candidates: ImportCandidate[] = [];
  let skipped = 0;
  for (const [index, object] of parsed.data.objects.entries()) {
    if (object.type !== 'intrusion-set') continue;
    const group = StixIntrusionSet.safeParse(object);
    if (!group.success) {
      throw new ImportFileError(fileName, describeFirstIssue(group.error, ['objects', index]));
    }
    const candidate =
      group.data.revoked === true || group.data.x_mitre_deprecated === true
        ? undefined
        : candidateOf(group.data);
    if (candidate) candidates.push(candidate);
    else skipped++;
  }
  return {
    format: 'attack-stix',
    source: 'MITRE ATT&CK STIX bundle',
    fileName,
    scheme: 'mitre',
    candidates,
    skipped,
  };
}
