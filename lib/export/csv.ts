import Papa from 'papaparse';
import type { Annotation } from '../annotations/schema';
import { claimPartName, type ExportContext, type ExportProgress, progressCounter } from './context';
import { sortForExport } from './order';

/**
 * The CSV columns, in order. Stable: spreadsheets and scripts address columns by position, so add
 * new columns at the end only.
 *
 * - `tags`, `entityIds`, `entityNames`: joined with `"; "`;
 * - `quote`, `prefix`, `suffix`: the TextQuoteSelector; `positionStart`/`positionEnd` the
 *   TextPositionSelector (empty when absent);
 * - `claimAttributor`, `claimActor`, `claimSponsor`: the entity's name when the claim names a
 *   known entity id, else the text as typed; `claimConfidence` the wording; `claimEvidence` the kind;
 * - `createdAt`, `updatedAt`: ISO 8601 as stored.
 */
export const CSV_COLUMNS = [
  'id',
  'pageUrl',
  'pageTitle',
  'site',
  'publishedDate',
  'quote',
  'prefix',
  'suffix',
  'positionStart',
  'positionEnd',
  'note',
  'tags',
  'entityIds',
  'entityNames',
  'claimAttributor',
  'claimActor',
  'claimSponsor',
  'claimConfidence',
  'claimEvidence',
  'createdAt',
  'updatedAt',
] as const;
/** One CSV column name. */
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** Options of {@link exportCsv}. */
export interface CsvOptions {
  /** Start with a UTF-8 byte order mark so Excel opens the file as UTF-8 (default false). */
  bom?: boolean;
  /** Called at least every 500 rows. */
  onProgress?: ExportProgress;
}

/** The UTF-8 byte order mark, as the first character of the string. */
export const UTF8_BOM = '\uFEFF';

/**
 * Cells whose first character a spreadsheet may read as the start of a formula: `=`, `+`, `-`, `@`
 * (CSV injection, OWASP "CSV Injection"), and tab and carriage return, which some spreadsheets
 * skip before such a character.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Guards one cell against CSV formula injection: a cell starting with `=`, `+`, `-`, `@`, tab or
 * carriage return gets a leading apostrophe, which spreadsheets show as text and do not evaluate.
 * The apostrophe is visible to other CSV readers: strip a leading `'` when re-reading such a cell.
 */
export function guardCsvFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

function rowOf(annotation: Annotation, context: ExportContext): string[] {
  const { quote, position } = annotation.selectors;
  const claim = annotation.claim;
  const cells: Record<CsvColumn, string> = {
    id: annotation.id,
    pageUrl: annotation.pageUrl,
    pageTitle: annotation.pageTitle,
    site: annotation.site,
    publishedDate: annotation.publishedDate ?? '',
    quote: quote.exact,
    prefix: quote.prefix,
    suffix: quote.suffix,
    positionStart: position ? String(position.start) : '',
    positionEnd: position ? String(position.end) : '',
    note: annotation.note,
    tags: annotation.tags.join('; '),
    entityIds: annotation.entityIds.join('; '),
    entityNames: annotation.entityIds.map((id) => context.entities.get(id)?.name ?? id).join('; '),
    claimAttributor: claimPartName(claim?.attributor, context) ?? '',
    claimActor: claimPartName(claim?.actor, context) ?? '',
    claimSponsor: claimPartName(claim?.sponsor, context) ?? '',
    claimConfidence: claim?.confidence ?? '',
    claimEvidence: claim?.evidence ?? '',
    createdAt: annotation.createdAt,
    updatedAt: annotation.updatedAt,
  };
  return CSV_COLUMNS.map((column) => guardCsvFormula(cells[column]));
}

/**
 * The annotations as CSV (RFC 4180: comma-separated, `"`-quoted where needed, CRLF line ends), one
 * row per annotation in export order, header row first, columns as {@link CSV_COLUMNS}. Every cell
 * passes {@link guardCsvFormula}. The string is UTF-8 text; with `bom` it starts with a BOM.
 */
export function exportCsv(
  annotations: readonly Annotation[],
  context: ExportContext,
  options: CsvOptions = {},
): string {
  const sorted = sortForExport(annotations);
  const tick = progressCounter(sorted.length, options.onProgress);
  const data: string[][] = [];
  for (const annotation of sorted) {
    data.push(rowOf(annotation, context));
    tick();
  }
  const csv = Papa.unparse({ fields: [...CSV_COLUMNS], data }, { newline: '\r\n', escapeFormulae: false });
  return options.bom ? `${UTF8_BOM}${csv}` : csv;
}
