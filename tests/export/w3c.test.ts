import { afterEach, describe, expect, it, test } from 'vitest';
import { AttributionLensDb } from '@/lib/db';
import { AnnotationImportError } from '@/lib/export/import-error';
import { buildW3cCollection, ENTITY_IRI_PREFIX, exportW3c, importW3c } from '@/lib/export/w3c';
import { sampleAnnotations, sampleContext } from './sample-data';

let db: AttributionLensDb | undefined;
afterEach(async () => {
  await db?.delete();
  db = undefined;
});

const byId = <T extends { id: string }>(list: T[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));

describe('exportW3c', () => {
  const collection = buildW3cCollection(sampleAnnotations(), sampleContext({ name: 'Mara K.' }));
  const item = collection.first.items.find((a) => a.id === 'urn:uuid:0b9f3c52-6a1e-4d8b-9a57-2f4c1e8d7a10');

  it('writes an AnnotationCollection with the Web Annotation context, total and one embedded page', () => {
    expect(collection['@context'][0]).toBe('http://www.w3.org/ns/anno.jsonld');
    expect(collection.type).toBe('AnnotationCollection');
    expect(collection.total).toBe(4);
    expect(collection.first.type).toBe('AnnotationPage');
    expect(collection.first.items).toHaveLength(4);
    expect(collection.id).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
  });

  it('writes the id as urn:uuid, times, creator, and the note as a Markdown commenting body', () => {
    expect(item).toMatchObject({
      type: 'Annotation',
      motivation: 'commenting',
      created: '2024-03-26T14:03:11.123Z',
      modified: '2024-03-27T08:15:42.004Z',
      creator: { type: 'Person', name: 'Mara K.' },
    });
    expect(item?.body[0]).toEqual({
      type: 'TextualBody',
      value: 'CSE only says *almost certain* here — weaker than the U.S. wording.',
      format: 'text/markdown',
      purpose: 'commenting',
    });
  });

  it('writes tags as tagging bodies, entities as identifying resources and the claim as a classifying body', () => {
    const body = item?.body ?? [];
    expect(
      body.filter((b) => b.purpose === 'tagging').map((b) => (b.type === 'TextualBody' ? b.value : '')),
    ).toEqual(['apt31', 'wording']);
    expect(body.find((b) => b.purpose === 'identifying')).toEqual({
      type: 'SpecificResource',
      purpose: 'identifying',
      source: `${ENTITY_IRI_PREFIX}apt31`,
      'al:name': 'APT31',
      'al:kind': 'actor',
      'al:sponsor': 'Hubei State Security Department',
    });
    const claim = body.find((b) => b.purpose === 'classifying');
    expect(claim).toMatchObject({
      type: 'TextualBody',
      value:
        'Attribution claim — attributor: Communications Security Establishment; actor: APT31; sponsor: Hubei State Security Department; confidence: “almost certain”; evidence: official-statement',
      'al:claim': { attributor: 'ca-cse', actor: 'apt31', sponsor: 'cn-mss-hubei' },
    });
  });

  it('targets the page with quote, position and W3C range selectors and the page details', () => {
    expect(item?.target).toEqual({
      source: 'https://www.cbc.ca/news/politics/china-hackers-apt31-canada-1.7155731',
      selector: [
        {
          type: 'TextQuoteSelector',
          exact: 'CSE said it is almost certain that APT31 targeted Canadian parliamentarians.',
          prefix: 'on Monday. ',
          suffix: ' The agency',
        },
        { type: 'TextPositionSelector', start: 1200, end: 1276 },
        {
          type: 'RangeSelector',
          startSelector: {
            type: 'XPathSelector',
            value: '/main[1]/article[1]/p[4]',
            refinedBy: { type: 'TextPositionSelector', start: 0, end: 0 },
          },
          endSelector: {
            type: 'XPathSelector',
            value: '/main[1]/article[1]/p[4]',
            refinedBy: { type: 'TextPositionSelector', start: 76, end: 76 },
          },
        },
      ],
      'al:pageTitle': 'Chinese hackers targeted Canadian MPs, security agency says',
      'al:site': 'www.cbc.ca',
      'al:publishedDate': '2024-03-25',
    });
  });

  it('gives the same text for the same annotations', () => {
    const context = sampleContext();
    expect(exportW3c([...sampleAnnotations()].reverse(), context)).toBe(
      exportW3c(sampleAnnotations(), context),
    );
  });
});

describe('importW3c', () => {
  it('reads our export back into the same annotations, through an empty database', async () => {
    const original = sampleAnnotations();
    const imported = importW3c(exportW3c(original, sampleContext()));
    db = new AttributionLensDb(`w3c-${Math.random()}`);
    await db.annotations.bulkAdd(imported);
    expect(byId(await db.annotations.toArray())).toEqual(byId(original));
  });

  it('reads a single annotation from another tool, giving it a stable UUID', () => {
    const foreign = {
      '@context': 'http://www.w3.org/ns/anno.jsonld',
      id: 'http://example.org/anno/42',
      type: 'Annotation',
      created: '2024-01-02T03:04:05Z',
      bodyValue: 'A plain comment',
      body: { type: 'TextualBody', value: 'espionage', purpose: 'tagging' },
      target: {
        source: 'https://www.bbc.com/news/technology-1',
        selector: { type: 'TextQuoteSelector', exact: 'Sandworm', prefix: 'by ', suffix: ',' },
      },
    };
    const [first] = importW3c(foreign);
    const [again] = importW3c(JSON.stringify(foreign));
    expect(first).toMatchObject({
      pageUrl: 'https://www.bbc.com/news/technology-1',
      site: 'www.bbc.com',
      note: 'A plain comment',
      tags: ['espionage'],
      selectors: { quote: { exact: 'Sandworm', prefix: 'by ', suffix: ',' } },
      createdAt: '2024-01-02T03:04:05Z',
      updatedAt: '2024-01-02T03:04:05Z',
    });
    expect(first?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-/);
    expect(again?.id).toBe(first?.id);
  });

  test.each([
    ['text that is not JSON', '{"type": "AnnotationCollection", "first": {', /not valid JSON/],
    [
      'a target without a quote selector',
      {
        type: 'Annotation',
        created: '2024-01-01T00:00:00Z',
        target: {
          source: 'https://a.example/',
          selector: [{ type: 'TextPositionSelector', start: 1, end: 4 }],
        },
      },
      /0\.target: selector: no TextQuoteSelector/,
    ],
    [
      'a target that is only a URL',
      { type: 'Annotation', created: '2024-01-01T00:00:00Z', target: 'https://a.example/' },
      /0\.target: no target with selectors/,
    ],
    ['a wrong type', { type: 'Note', target: 'https://a.example/' }, /0\.type: type must be "Annotation"/],
    [
      'a page URL that is not http(s)',
      {
        type: 'Annotation',
        created: '2024-01-01T00:00:00Z',
        target: { source: 'file:///etc/passwd', selector: { type: 'TextQuoteSelector', exact: 'x' } },
      },
      /0\.pageUrl/,
    ],
    [
      'a collection split over pages',
      { type: 'AnnotationCollection', first: 'https://a.example/page1' },
      /split over pages/,
    ],
  ])('rejects %s', (_label, input, message) => {
    expect(() => importW3c(input)).toThrow(AnnotationImportError);
    expect(() => importW3c(input)).toThrow(message);
  });

  it('rejects a file in which two annotations have the same id', () => {
    const collection = buildW3cCollection(sampleAnnotations(), sampleContext());
    const first = collection.first.items[0];
    if (first) collection.first.items.push(first);
    expect(() => importW3c(collection)).toThrow(
      /duplicate annotation id 6d2e0a4c-3b1f-4f6e-8c1d-9e7a5b3c2d11/,
    );
  });

  it('names the path of the first bad item', () => {
    const collection = JSON.parse(exportW3c(sampleAnnotations(), sampleContext()));
    collection.first.items[2].target.selector[0].exact = '';
    expect(() => importW3c(collection)).toThrow(/first\.items\.2\.target: selector\.0\.exact/);
  });
});
