import { describe, expect, test } from 'vitest';
import { noteMatches } from '@/components/notes/AllNotes';
import type { Annotation } from '@/lib/annotations/schema';

const note: Annotation = {
  id: '2f1c7a52-9d4e-4a8b-8f0e-0c1d2e3f4a5b',
  pageUrl: 'https://www.cbc.ca/news/a',
  pageTitle: 'Canada targeted by APT31',
  site: 'www.cbc.ca',
  selectors: {
    quote: { type: 'TextQuoteSelector', exact: 'APT31 also targeted Canada', prefix: '', suffix: '' },
  },
  note: 'CSE says **almost certain**',
  tags: ['cse', 'wording'],
  entityIds: ['apt31'],
  createdAt: '2026-03-28T10:00:00.000Z',
  updatedAt: '2026-03-28T10:00:00.000Z',
};
const none = { text: '', tag: '', entity: '', site: '', from: '', to: '' };

describe('noteMatches', () => {
  test.each([
    [{}, true],
    [{ text: 'almost CERTAIN' }, true],
    [{ text: 'targeted canada' }, true],
    [{ text: 'russia' }, false],
    [{ tag: 'cse' }, true],
    [{ tag: 'gru' }, false],
    [{ entity: 'apt31' }, true],
    [{ entity: 'apt28' }, false],
    [{ site: 'www.cbc.ca' }, true],
    [{ site: 'www.bbc.com' }, false],
    [{ from: '2026-03-28', to: '2026-03-28' }, true],
    [{ from: '2026-03-29' }, false],
    [{ to: '2026-03-27' }, false],
  ])('filters %j → %s', (filters, expected) => {
    expect(noteMatches(note, { ...none, ...filters })).toBe(expected);
  });
});
