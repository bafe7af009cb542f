import { describe, expect, test } from 'vitest';
import { canonicalPageUrl } from '@/lib/annotations/canonical-url';

describe('canonicalPageUrl', () => {
  test.each([
    [
      'https://www.cbc.ca/news/politics/apt31-1.7155000?utm_source=twitter&utm_medium=social#comments',
      null,
      'https://www.cbc.ca/news/politics/apt31-1.7155000',
    ],
    ['https://WWW.Reuters.com:443/world/?b=2&fbclid=x&a=1', null, 'https://www.reuters.com/world/?a=1&b=2'],
    [
      'https://www.cbc.ca/amp/1.7155000',
      'https://www.cbc.ca/news/politics/1.7155000',
      'https://www.cbc.ca/news/politics/1.7155000',
    ],
    ['https://www.cbc.ca/news/1', '/news/politics/1?cmp=rss', 'https://www.cbc.ca/news/politics/1'],
    ['https://www.cbc.ca/news/1', 'https://evil.example/phish', 'https://www.cbc.ca/news/1'],
    ['https://www.cbc.ca/news/1', 'javascript:alert(1)', 'https://www.cbc.ca/news/1'],
    ['https://www.cbc.ca/news/1', 'http://[bad', 'https://www.cbc.ca/news/1'],
  ])('canonicalises %s (canonical link %s)', (location, canonical, expected) => {
    expect(canonicalPageUrl(location, canonical)).toBe(expected);
  });
});
