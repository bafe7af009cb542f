import { Annotation, type AnnotationInput } from '@/lib/annotations/schema';
import { createExportContext, type ExportContext, type ExportEntity } from '@/lib/export/context';

/** A valid annotation: the defaults are a CBC page about APT31; override any field. */
export function makeAnnotation(overrides: Partial<AnnotationInput> = {}): Annotation {
  return Annotation.parse({
    id: '0b9f3c52-6a1e-4d8b-9a57-2f4c1e8d7a10',
    pageUrl: 'https://www.cbc.ca/news/politics/china-hackers-apt31-canada-1.7155731',
    pageTitle: 'Chinese hackers targeted Canadian MPs, security agency says',
    site: 'www.cbc.ca',
    publishedDate: '2024-03-25',
    selectors: {
      quote: {
        type: 'TextQuoteSelector',
        exact: 'CSE said it is almost certain that APT31 targeted Canadian parliamentarians.',
        prefix: 'on Monday. ',
        suffix: ' The agency',
      },
      position: { type: 'TextPositionSelector', start: 1200, end: 1276 },
      range: {
        type: 'RangeSelector',
        startContainer: '/main[1]/article[1]/p[4]',
        startOffset: 0,
        endContainer: '/main[1]/article[1]/p[4]',
        endOffset: 76,
      },
    },
    note: 'CSE only says *almost certain* here — weaker than the U.S. wording.',
    tags: ['apt31', 'wording'],
    entityIds: ['apt31', 'ca-cse'],
    claim: {
      attributor: 'ca-cse',
      actor: 'apt31',
      sponsor: 'cn-mss-hubei',
      confidence: 'almost certain',
      evidence: 'official-statement',
    },
    createdAt: '2024-03-26T14:03:11.123Z',
    updatedAt: '2024-03-27T08:15:42.004Z',
    ...overrides,
  });
}

/** Four annotations on two pages, covering every field and the awkward cases. */
export function sampleAnnotations(): Annotation[] {
  return [
    makeAnnotation(),
    makeAnnotation({
      id: '6d2e0a4c-3b1f-4f6e-8c1d-9e7a5b3c2d11',
      selectors: {
        quote: {
          type: 'TextQuoteSelector',
          exact: 'U.S. prosecutors say the group used a front company, Wuhan Xiaoruizhi.',
          prefix: '',
          suffix: '',
        },
        position: { type: 'TextPositionSelector', start: 400, end: 471 },
      },
      note: '=HYPERLINK("https://evil.example","click")',
      tags: ['front-company'],
      entityIds: ['apt31'],
      claim: { actor: 'apt31', sponsor: 'cn-mss-hubei', confidence: 'highly likely', evidence: 'indictment' },
      createdAt: '2024-03-26T15:00:00.000Z',
      updatedAt: '2024-03-26T15:00:00.000Z',
    }),
    makeAnnotation({
      id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c12',
      pageUrl: 'https://therecord.media/germany-apt28-attribution',
      pageTitle: 'Germany blames APT28 for attack on party email',
      site: 'therecord.media',
      publishedDate: undefined,
      selectors: {
        quote: {
          type: 'TextQuoteSelector',
          exact:
            '# Breaking\n[click here](https://evil.example) <img src=x onerror=alert(1)>\n- not a list\n1. not ordered',
          prefix: '',
          suffix: '',
        },
      },
      note: '',
      tags: [],
      entityIds: [],
      claim: { attributor: 'German government', actor: 'APT28', sponsor: 'GRU', confidence: 'not likely' },
      createdAt: '2024-05-07T19:22:03.441Z',
      updatedAt: '2024-05-07T19:22:03.441Z',
    }),
    makeAnnotation({
      id: 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e13',
      pageUrl: 'https://therecord.media/germany-apt28-attribution',
      pageTitle: 'Germany blames APT28 for attack on party email',
      site: 'therecord.media',
      publishedDate: undefined,
      selectors: {
        quote: { type: 'TextQuoteSelector', exact: '-2+3 said the GRU', prefix: '', suffix: '' },
        position: { type: 'TextPositionSelector', start: 10, end: 27 },
      },
      note: 'Comma, "quotes" and\nnewline — ünïcödé ✓',
      tags: ['gru'],
      entityIds: ['jane-doe', 'op-ghostwriter'],
      claim: undefined,
      createdAt: '2024-05-07T19:30:00.000+02:00',
      updatedAt: '2024-05-07T19:30:00.000+02:00',
    }),
  ];
}

const HUBEI = {
  id: 'cn-mss-hubei',
  name: 'Hubei State Security Department',
  kind: 'agency' as const,
  country: 'CN',
};

/** Entities the sample annotations refer to, with sponsors and sources. */
export function sampleEntities(): ExportEntity[] {
  return [
    {
      id: 'apt31',
      name: 'APT31',
      kind: 'actor',
      country: 'CN',
      summary: 'A Chinese state-sponsored espionage group.',
      aliases: ['APT31', 'Violet Typhoon', 'Zirconium', 'Judgment Panda'],
      sponsor: HUBEI,
      sources: [
        {
          url: 'https://www.justice.gov/opa/pr/seven-hackers-associated-chinese-government-charged',
          title: 'Seven Hackers Associated with Chinese Government Charged',
          publisher: 'U.S. Department of Justice',
          date: '2024-03-25',
        },
      ],
    },
    { ...HUBEI, summary: 'Provincial bureau of the MSS in Hubei.', aliases: [], sources: [] },
    {
      id: 'ca-cse',
      name: 'Communications Security Establishment',
      kind: 'attributor',
      country: 'CA',
      summary: 'Canada’s signals intelligence agency.',
      aliases: ['CSE'],
      sources: [
        {
          url: 'https://www.canada.ca/en/communications-security/news/2024/03/statement.html',
          title: 'Statement on APT31 [March 2024]',
          publisher: 'CSE',
        },
      ],
    },
    { id: 'jane-doe', name: 'Jane Doe', kind: 'person', summary: 'A test person.', aliases: [], sources: [] },
    {
      id: 'op-ghostwriter',
      name: 'Ghostwriter',
      kind: 'campaign',
      summary: 'An influence campaign.',
      aliases: ['UNC1151 campaign'],
      sources: [],
    },
  ];
}

/** The sample entities as an export context, with or without a user name. */
export function sampleContext(creator?: { name: string }): ExportContext {
  return createExportContext(sampleEntities(), creator);
}
