// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://www.cbc.ca/amp/news/1.7155000?utm_source=x"}
import { describe, expect, it } from 'vitest';
import { readPageMeta } from '@/lib/dom/page-meta';

describe('readPageMeta', () => {
  it('reads the canonical URL, title and JSON-LD published date', () => {
    document.head.innerHTML =
      '<title>Fallback</title><meta property="og:title" content="Canada targeted by APT31">' +
      '<link rel="canonical" href="https://www.cbc.ca/news/politics/apt31-1.7155000">' +
      '<script type="application/ld+json">{"@graph":[{"@type":"NewsArticle","datePublished":"2024-03-28T08:00:00-04:00"}]}</script>';
    const meta = readPageMeta(document);
    expect(meta.url).toBe('https://www.cbc.ca/news/politics/apt31-1.7155000');
    expect(meta.title).toBe('Canada targeted by APT31');
    expect(meta.site).toBe('www.cbc.ca');
    expect(meta.publishedDate).toBe('2024-03-28');
  });

  it('falls back to meta tags and ignores broken JSON-LD', () => {
    document.head.innerHTML =
      '<title>Story</title><script type="application/ld+json">{broken</script>' +
      '<meta property="article:published_time" content="2018-12-20T15:00:00Z">';
    expect(readPageMeta(document).publishedDate).toBe('2018-12-20');
    document.head.innerHTML = '<title>Story</title><meta name="date" content="not a date">';
    expect(readPageMeta(document).publishedDate).toBeUndefined();
  });
});
