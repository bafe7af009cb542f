import { describe, expect, it } from 'vitest';
import { groupByPage } from '@/lib/export/order';
import { makeAnnotation } from './sample-data';

describe('groupByPage', () => {
  const a = makeAnnotation({
    id: '00000000-0000-4000-8000-00000000000a',
    pageTitle: 'Old title',
    updatedAt: '2024-01-01T00:00:00.000Z',
  });
  const b = makeAnnotation({
    id: '00000000-0000-4000-8000-00000000000b',
    pageTitle: 'New title',
    updatedAt: '2024-02-01T00:00:00.000Z',
  });
  const untitled = makeAnnotation({
    id: '00000000-0000-4000-8000-00000000000c',
    pageUrl: 'https://a.example/',
    pageTitle: '',
  });
  const zebra = makeAnnotation({
    id: '00000000-0000-4000-8000-00000000000d',
    pageUrl: 'https://z.example/',
    pageTitle: 'zebra',
  });

  it('takes page details from the most recently updated annotation that has them', () => {
    expect(groupByPage([a, b])[0]?.title).toBe('New title');
    expect(groupByPage([b, a])[0]?.title).toBe('New title');
  });

  it('breaks a tie in update time by id, so the input order never matters', () => {
    const twin = { ...b, id: '00000000-0000-4000-8000-000000000000', pageTitle: 'Twin title' };
    expect(groupByPage([b, twin])[0]?.title).toBe('Twin title');
    expect(groupByPage([twin, b])[0]?.title).toBe('Twin title');
  });

  it('sorts pages by title case-insensitively, untitled pages last', () => {
    expect(groupByPage([untitled, zebra, b]).map((page) => page.title)).toEqual(['New title', 'zebra', '']);
  });
});
