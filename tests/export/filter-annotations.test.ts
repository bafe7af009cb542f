import { describe, expect, it, test } from 'vitest';
import { type AnnotationFilter, filterAnnotations } from '@/lib/export/filter-annotations';
import { sampleAnnotations } from './sample-data';

const ids = (filter: AnnotationFilter) =>
  filterAnnotations(sampleAnnotations(), filter).map((a) => a.id.slice(0, 4));

describe('filterAnnotations', () => {
  test.each<[string, AnnotationFilter, string[]]>([
    ['no criteria', {}, ['0b9f', '6d2e', '9a8b', 'c3d4']],
    ['from a date', { from: '2024-05-01' }, ['9a8b', 'c3d4']],
    ['to a date, inclusive of the whole day', { to: '2024-03-26' }, ['0b9f', '6d2e']],
    [
      'from and to date-times',
      { from: '2024-03-26T14:30:00Z', to: '2024-05-07T18:00:00Z' },
      ['6d2e', 'c3d4'],
    ],
    ['a site, matching subdomains', { site: 'cbc.ca' }, ['0b9f', '6d2e']],
    ['a site, case-insensitive', { site: 'TheRecord.media' }, ['9a8b', 'c3d4']],
    ['a tag with #', { tag: '#Wording' }, ['0b9f']],
    ['a linked entity', { entityId: 'jane-doe' }, ['c3d4']],
    ['an entity named only in a claim', { entityId: 'cn-mss-hubei' }, ['0b9f', '6d2e']],
    ['a page', { pageUrl: 'https://therecord.media/germany-apt28-attribution' }, ['9a8b', 'c3d4']],
    ['several criteria at once', { site: 'cbc.ca', tag: 'apt31', from: '2024-03-26' }, ['0b9f']],
  ])('filters by %s', (_label, filter, expected) => {
    expect(ids(filter)).toEqual(expected);
  });

  it('does not change its input', () => {
    const input = sampleAnnotations();
    const copy = structuredClone(input);
    filterAnnotations(input, { tag: 'gru' });
    expect(input).toEqual(copy);
  });

  it('refuses a bound that is not a date', () => {
    expect(() => filterAnnotations(sampleAnnotations(), { from: 'last week' })).toThrow(/not a date/);
  });
});
