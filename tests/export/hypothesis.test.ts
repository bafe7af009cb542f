import { readFileSync } from 'node:fs';
import { describe, expect, it, test } from 'vitest';
import { Annotation } from '@/lib/annotations/schema';
import { type HypothesisSkip, importHypothesis } from '@/lib/export/hypothesis';
import { AnnotationImportError } from '@/lib/export/import-error';

const fixtureText = readFileSync(
  new URL('../fixtures/export/hypothesis-export.json', import.meta.url),
  'utf8',
);
const fixture = JSON.parse(fixtureText) as { annotations: Record<string, unknown>[] };

describe('importHypothesis', () => {
  const skipped: HypothesisSkip[] = [];
  const annotations = importHypothesis(fixtureText, { onSkip: (skip) => skipped.push(skip) });

  it('turns every annotation on a passage into a valid Annotation with all three selectors', () => {
    expect(annotations).toHaveLength(3);
    for (const annotation of annotations) {
      expect(Annotation.safeParse(annotation).success).toBe(true);
      expect(annotation.selectors.quote.exact.length).toBeGreaterThan(0);
      expect(annotation.selectors.position).toBeDefined();
      expect(annotation.selectors.range).toBeDefined();
    }
  });

  it('maps uri, text, tags, title and times, dropping tracking parameters from the URL', () => {
    expect(annotations[0]).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      pageUrl: 'https://www.cbc.ca/news/politics/china-hackers-apt31-canada-1.7155731',
      pageTitle: 'Chinese hackers targeted Canadian MPs, security agency says | CBC News',
      site: 'www.cbc.ca',
      selectors: {
        quote: {
          type: 'TextQuoteSelector',
          exact:
            "The Communications Security Establishment said it is almost certain that APT31, a group it links to China's Ministry of State Security, targeted Canadian parliamentarians in 2021.",
          prefix: 'ed the threat on Monday.\n\n',
          suffix: '\n\nThe agency did not say whethe',
        },
        position: { type: 'TextPositionSelector', start: 3975, end: 4187 },
        range: {
          type: 'RangeSelector',
          startContainer: '/div[1]/main[1]/div[2]/article[1]/div[3]/p[4]',
          startOffset: 0,
          endContainer: '/div[1]/main[1]/div[2]/article[1]/div[3]/p[4]',
          endOffset: 212,
        },
      },
      note: fixture.annotations[0]?.text,
      tags: ['apt31', 'attribution-wording', 'canada'],
      entityIds: [],
      createdAt: '2024-03-26T14:03:11.123Z',
      updatedAt: '2024-03-27T08:15:42.004Z',
    });
  });

  it('skips page notes and replies and says why', () => {
    expect(skipped).toEqual([
      { index: 3, id: 'nP3Jq9o0Ee6d1f0kZr5WzA', reason: 'a page note (no selected passage)' },
      { index: 4, id: 'Wv2o4No1Ee6aN1uT8mX0cQ', reason: 'a reply' },
    ]);
  });

  it('gives the same ids on every import, so importing twice does not duplicate', () => {
    expect(importHypothesis(fixture).map((a) => a.id)).toEqual(annotations.map((a) => a.id));
    expect(new Set(annotations.map((a) => a.id)).size).toBe(3);
  });

  test.each([
    ['the API search response', { total: 5, rows: fixture.annotations }],
    ['a bare list', fixture.annotations],
  ])('reads %s', (_label, input) => {
    expect(importHypothesis(input).map((a) => a.id)).toEqual(annotations.map((a) => a.id));
  });

  test.each([
    ['text that is not JSON', fixtureText.slice(0, 500), /Hypothesis file is not valid JSON/],
    ['an object of another kind', { data: [] }, /expected a list of annotations/],
    ['an annotation without uri', [{ ...fixture.annotations[0], uri: undefined }], /Hypothesis file: 0\.uri/],
    [
      'a bad created time',
      { rows: [{ ...fixture.annotations[0], created: 'yesterday' }] },
      /rows\.0\.created/,
    ],
  ])('rejects %s', (_label, input, message) => {
    expect(() => importHypothesis(input)).toThrow(AnnotationImportError);
    expect(() => importHypothesis(input)).toThrow(message);
  });
});
