import { canonicalPageUrl } from '../annotations/canonical-url';

/** What an annotation records about its page. */
export interface PageMeta {
  url: string;
  title: string;
  site: string;
  publishedDate?: string;
}

const ISO_DATE = /^(\d{4}-\d{2}-\d{2})/;

function dateFrom(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = ISO_DATE.exec(value.trim());
  if (!match?.[1]) return undefined;
  return Number.isNaN(Date.parse(match[1])) ? undefined : match[1];
}

/** datePublished from JSON-LD blocks (a NewsArticle, possibly inside @graph or an array). */
function jsonLdDate(doc: Document): string | undefined {
  for (const script of doc.querySelectorAll('script[type="application/ld+json"]')) {
    let data: unknown;
    try {
      data = JSON.parse(script.textContent ?? '');
    } catch {
      continue;
    }
    const queue: unknown[] = [data];
    while (queue.length > 0) {
      const item = queue.shift();
      if (Array.isArray(item)) queue.push(...item);
      else if (item && typeof item === 'object') {
        const record = item as Record<string, unknown>;
        const date = dateFrom(record.datePublished);
        if (date) return date;
        if (record['@graph']) queue.push(record['@graph']);
      }
    }
  }
  return undefined;
}

/** Reads the page's canonical URL, title, site and published date (JSON-LD, then meta tags). */
export function readPageMeta(doc: Document): PageMeta {
  const canonical = doc.querySelector('link[rel="canonical"]')?.getAttribute('href');
  const url = canonicalPageUrl(doc.location?.href ?? doc.URL, canonical);
  const metaDate = [
    'article:published_time',
    'og:published_time',
    'datePublished',
    'date',
    'dc.date',
    'pubdate',
  ]
    .map((name) =>
      doc.querySelector(`meta[property="${name}"], meta[name="${name}"], meta[itemprop="${name}"]`),
    )
    .map((meta) => dateFrom(meta?.getAttribute('content')))
    .find(Boolean);
  const publishedDate = jsonLdDate(doc) ?? metaDate;
  const title =
    doc.querySelector('meta[property="og:title"]')?.getAttribute('content')?.trim() ||
    doc.title.trim() ||
    url;
  return {
    url,
    title: title.slice(0, 500),
    site: new URL(url).hostname,
    ...(publishedDate ? { publishedDate } : {}),
  };
}
