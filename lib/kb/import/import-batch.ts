import { z } from 'zod';
import { AliasScheme } from '../schema';

/** ATT&CK group ids look like "G0007"; they identify a group and are never highlighted. */
export const MITRE_GROUP_ID = /^G\d{4}$/;

/** One name an imported group goes by, with the naming scheme of the list it came from. */
export const CandidateAlias = z.strictObject({
  text: z.string().min(1),
  scheme: AliasScheme,
  /** False for identifiers kept for the record but never highlighted, such as ATT&CK ids ("G0007"). */
  match: z.boolean().optional(),
});
export type CandidateAlias = z.infer<typeof CandidateAlias>;

/** ISO 3166-1 alpha-2, upper case, as in `Entity.country`. */
const CountryCode = z.string().regex(/^[A-Z]{2}$/);

/**
 * One threat group as an import file describes it, before it is matched against the knowledge base.
 * Never carries the file's description text: summaries are generated from these fields only.
 */
export const ImportCandidate = z.strictObject({
  name: z.string().min(1),
  aliases: z.array(CandidateAlias),
  /** Country of origin the list gives. */
  country: CountryCode.optional(),
  /** Suspected state sponsor the list gives (MISP `cfr-suspected-state-sponsor`), as a code. */
  stateSponsor: CountryCode.optional(),
  /** ATT&CK group id, e.g. "G0007". */
  mitreId: z.string().regex(MITRE_GROUP_ID).optional(),
  /** Reference URLs the list gives (kept as sources of a new entity when https). */
  refs: z.array(z.string()).optional(),
});
export type ImportCandidate = z.infer<typeof ImportCandidate>;

/** Import formats, by the parser that reads them. */
export const IMPORT_FORMATS = ['misp-galaxy', 'attack-stix'] as const;
/** The file formats the importers read. */
export const ImportFormat = z.enum(IMPORT_FORMATS);
export type ImportFormat = z.infer<typeof ImportFormat>;

/** What a parser makes of one file: its groups and a label saying where they came from. */
export const ImportBatch = z.strictObject({
  format: ImportFormat,
  /** Short label stored with every imported alias row, e.g. "MISP galaxy threat-actor". */
  source: z.string().min(1),
  /** The file name as the user picked it. */
  fileName: z.string(),
  /** Naming scheme of the list's own group names (`misp`, or `mitre` for ATT&CK data). */
  scheme: AliasScheme,
  candidates: z.array(ImportCandidate),
  /** Entries of the file left out by the parser (revoked or deprecated groups). */
  skipped: z.number().int().nonnegative(),
});
export type ImportBatch = z.infer<typeof ImportBatch>;
