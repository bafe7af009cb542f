import type { Annotation } from '../annotations/schema';

/** Which annotations to export; every given criterion must hold (AND). */
export interface AnnotationFilter {
  /** Created on or after: a date `YYYY-MM-DD` (start of that day, UTC) or an ISO date-time. */
  from?: string;
  /** Created on or before: a date `YYYY-MM-DD` (the whole day, UTC) or an ISO date-time. */
  to?: string;
  /** The annotation's site (host), case-insensitive; `cbc.ca` also matches `www.cbc.ca`. */
  site?: string;
  /** One tag, case-insensitive, with or without a leading `#`. */
  tag?: string;
  /** An entity linked to the annotation or named as its claim's attributor, actor or sponsor. */
  entityId?: string;
  /** One page (its canonical URL), for the per-page export. */
  pageUrl?: string;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** A bound as epoch ms; a date-only `to` is the last millisecond of that day. */
function boundOf(value: string | undefined, end: boolean): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  const isDate = DATE_ONLY.test(text);
  const time = Date.parse(isDate ? `${text}T00:00:00.000Z` : text);
  if (Number.isNaN(time)) throw new RangeError(`"${value}" is not a date (YYYY-MM-DD) or an ISO date-time`);
  return isDate && end ? time + DAY_MS - 1 : time;
}

/**
 * The annotations that match `filter`, in their input order (pure; the input is not changed).
 * Dates are compared on `createdAt`. Throws a RangeError for a `from`/`to` that is not a date.
 */
export function filterAnnotations(
  annotations: readonly Annotation[],
  filter: AnnotationFilter = {},
): Annotation[] {
  const from = boundOf(filter.from, false);
  const to = boundOf(filter.to, true);
  const site = filter.site?.trim().toLowerCase() || undefined;
  const tag = filter.tag?.trim().replace(/^#+/, '').toLowerCase() || undefined;
  const entityId = filter.entityId?.trim() || undefined;
  const pageUrl = filter.pageUrl?.trim() || undefined;
  return annotations.filter((annotation) => {
    if (from !== undefined || to !== undefined) {
      const created = Date.parse(annotation.createdAt);
      if (from !== undefined && created < from) return false;
      if (to !== undefined && created > to) return false;
    }
    if (site !== undefined) {
      const own = annotation.site.toLowerCase();
      if (own !== site && !own.endsWith(`.${site}`)) return false;
    }
    if (tag !== undefined && !annotation.tags.some((t) => t.toLowerCase() === tag)) return false;
    if (entityId !== undefined) {
      const claim = annotation.claim;
      const named =
        claim?.attributor === entityId || claim?.actor === entityId || claim?.sponsor === entityId;
      if (!named && !annotation.entityIds.includes(entityId)) return false;
    }
    if (pageUrl !== undefined && annotation.pageUrl !== pageUrl) return false;
    return true;
  });
}
