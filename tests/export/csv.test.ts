import Papa from 'papaparse';
import { describe, expect, it, test } from 'vitest';
import { CSV_COLUMNS, exportCsv, guardCsvFormula, UTF8_BOM } from '@/lib/export/csv';
import { makeAnnotation, sampleAnnotations, sampleContext } from './sample-data';

function parse(csv: string): string[][] {
  return Papa.parse<string[]>(csv, { skipEmptyLines: true }).data;
}

describe('exportCsv', () => {
  const csv = exportCsv(sampleAnnotations(), sampleContext());
  const rows = parse(csv);

  it('writes the documented header row, in order', () => {
    expect(rows[0]).toEqual([
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
    ]);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
  });

  it('writes one row per annotation in export order, with CRLF line ends', () => {
    expect(rows).toHaveLength(5);
    expect(rows.slice(1).map((row) => row[0])).toEqual([
      '6d2e0a4c-3b1f-4f6e-8c1d-9e7a5b3c2d11',
      '0b9f3c52-6a1e-4d8b-9a57-2f4c1e8d7a10',
      'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e13',
      '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c12',
    ]);
    expect(csv.split('\r\n')[0]).toBe(CSV_COLUMNS.join(','));
  });

  it('fills every column of a full annotation, joining lists with "; " and naming claim entities', () => {
    const row = rows.find((r) => r[0] === '0b9f3c52-6a1e-4d8b-9a57-2f4c1e8d7a10');
    expect(Object.fromEntries(CSV_COLUMNS.map((column, i) => [column, row?.[i]]))).toEqual({
      id: '0b9f3c52-6a1e-4d8b-9a57-2f4c1e8d7a10',
      pageUrl: 'https://www.cbc.ca/news/politics/china-hackers-apt31-canada-1.7155731',
      pageTitle: 'Chinese hackers targeted Canadian MPs, security agency says',
      site: 'www.cbc.ca',
      publishedDate: '2024-03-25',
      quote: 'CSE said it is almost certain that APT31 targeted Canadian parliamentarians.',
      prefix: 'on Monday. ',
      suffix: ' The agency',
      positionStart: '1200',
      positionEnd: '1276',
      note: 'CSE only says *almost certain* here — weaker than the U.S. wording.',
      tags: 'apt31; wording',
      entityIds: 'apt31; ca-cse',
      entityNames: 'APT31; Communications Security Establishment',
      claimAttributor: 'Communications Security Establishment',
      claimActor: 'APT31',
      claimSponsor: 'Hubei State Security Department',
      claimConfidence: 'almost certain',
      claimEvidence: 'official-statement',
      createdAt: '2024-03-26T14:03:11.123Z',
      updatedAt: '2024-03-27T08:15:42.004Z',
    });
  });

  it('quotes cells with commas, quotes and newlines so they read back unchanged', () => {
    const row = rows.find((r) => r[0] === 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e13');
    expect(row?.[CSV_COLUMNS.indexOf('note')]).toBe('Comma, "quotes" and\nnewline — ünïcödé ✓');
    expect(csv).toContain('"Comma, ""quotes"" and\nnewline — ünïcödé ✓"');
  });

  it('puts an apostrophe before cells a spreadsheet would run as a formula', () => {
    const formula = rows.find((r) => r[0] === '6d2e0a4c-3b1f-4f6e-8c1d-9e7a5b3c2d11');
    expect(formula?.[CSV_COLUMNS.indexOf('note')]).toBe(`'=HYPERLINK("https://evil.example","click")`);
    const minus = rows.find((r) => r[0] === 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e13');
    expect(minus?.[CSV_COLUMNS.indexOf('quote')]).toBe("'-2+3 said the GRU");
  });

  it('starts with a UTF-8 BOM only when asked', () => {
    expect(csv.startsWith('id,')).toBe(true);
    const withBom = exportCsv(sampleAnnotations(), sampleContext(), { bom: true });
    expect(withBom.startsWith(`${UTF8_BOM}id,`)).toBe(true);
    expect(new TextEncoder().encode(withBom).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
  });

  it('leaves optional columns empty when the annotation has no position, date or claim', () => {
    const bare = makeAnnotation({
      publishedDate: undefined,
      selectors: { quote: { type: 'TextQuoteSelector', exact: 'x' } },
      claim: undefined,
    });
    const [, row] = parse(exportCsv([bare], sampleContext()));
    for (const column of [
      'publishedDate',
      'positionStart',
      'positionEnd',
      'claimActor',
      'claimEvidence',
    ] as const) {
      expect(row?.[CSV_COLUMNS.indexOf(column)]).toBe('');
    }
  });
});

describe('guardCsvFormula', () => {
  test.each([
    ['=1+1', "'=1+1"],
    ['+CMD()', "'+CMD()"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['plain', 'plain'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('turns %j into %j', (cell, expected) => {
    expect(guardCsvFormula(cell)).toBe(expected);
  });
});
