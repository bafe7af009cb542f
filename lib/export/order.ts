import type { Annotation } from '../annotations/schema';

/** One page's annotations with the page's details, as every exporter lists them. */
export interface PageGroup {
  pageUrl: string;
  /** The page title, or '' when no annotation recorded one. */
  title: string;
  site: string;
  publishedDate?: string;
  /** In page order: see {@link compareInPage}. */
  annotations: Annotation[];
}

/**
 * Locale-independent comparison for titles: `localeCompare` without a locale follows the browser's
 * language, and exports must not change with it.
 */
const TITLE_COLLATOR = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** Compares two strings the way exported lists are sorted (case-insensitive English collation). */
export function compareText(a: string, b: string): number {
  return TITLE_COLLATOR.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Order inside a page: by position in the page's text when both have one, then by creation time,
 * then by id so that the order never depends on the input order.
 */
export function compareInPage(a: Annotation, b: Annotation): number {
  const startA = a.selectors.position?.start ?? Number.POSITIVE_INFINITY;
  const startB = b.selectors.position?.start ?? Number.POSITIVE_INFINITY;
  if (startA !== startB) return startA < startB ? -1 : 1;
  const timeA = Date.parse(a.createdAt);
  const timeB = Date.parse(b.createdAt);
  if (timeA !== timeB) return timeA - timeB;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Groups annotations by page URL. Pages are sorted by title (untitled pages by URL, after titled
 * ones), then URL; annotations by {@link compareInPage}. A page's title, site and published date are
 * those of its most recently updated annotation that has them (the smallest id on a tie).
 */
export function groupByPage(annotations: readonly Annotation[]): PageGroup[] {
  // Parse each time once: a comparator that parses dates costs more than the rest of an export.
  const created = new Map<Annotation, number>();
  const updated = new Map<Annotation, number>();
  const byUrl = new Map<string, Annotation[]>();
  for (const annotation of annotations) {
    created.set(annotation, Date.parse(annotation.createdAt));
    updated.set(annotation, Date.parse(annotation.updatedAt));
    const list = byUrl.get(annotation.pageUrl);
    if (list) list.push(annotation);
    else byUrl.set(annotation.pageUrl, [annotation]);
  }
  const inPage = (a: Annotation, b: Annotation): number => {
    const startA = a.selectors.position?.start ?? Number.POSITIVE_INFINITY;
    const startB = b.selectors.position?.start ?? Number.POSITIVE_INFINITY;
    if (startA !== startB) return startA < startB ? -1 : 1;
    const timeA = created.get(a) ?? 0;
    const timeB = created.get(b) ?? 0;
    if (timeA !== timeB) return timeA - timeB;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
  const groups: PageGroup[] = [];
  for (const [pageUrl, list] of byUrl) {
    // Newest first, then smallest id: the same page details whatever the input order.
    const newer = (a: Annotation, than: Annotation | undefined): boolean => {
      if (!than) return true;
      const diff = (updated.get(a) ?? 0) - (updated.get(than) ?? 0);
      return diff > 0 || (diff === 0 && a.id < than.id);
    };
    let newest: Annotation | undefined;
    let titled: Annotation | undefined;
    let dated: Annotation | undefined;
    for (const annotation of list) {
      if (newer(annotation, newest)) newest = annotation;
      if (annotation.pageTitle.trim() !== '' && newer(annotation, titled)) titled = annotation;
      if (annotation.publishedDate && newer(annotation, dated)) dated = annotation;
    }
    const title = titled?.pageTitle.trim() ?? '';
    const publishedDate = dated?.publishedDate;
    groups.push({
      pageUrl,
      title,
      site: newest?.site ?? '',
      ...(publishedDate ? { publishedDate } : {}),
      annotations: list.sort(inPage),
    });
  }
  return groups.sort((a, b) => {
    if ((a.title === '') !== (b.title === '')) return a.title === '' ? 1 : -1;
    return compareText(a.title, b.title) || compareText(a.pageUrl, b.pageUrl);
  });
}

/** Annotations in export order: pages as {@link groupByPage}, each page's annotations in order. */
export function sortForExport(annotations: readonly Annotation[]): Annotation[] {
  return groupByPage(annotations).flatMap((page) => page.annotations);
}
