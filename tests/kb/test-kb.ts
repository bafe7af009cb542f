import type { KnowledgeBase } from '@/lib/kb/schema';
import { AttributionEvent, Entity } from '@/lib/kb/schema';

/** A small knowledge base for tests that must not depend on the built-in data's details. */
export function testKnowledgeBase(): KnowledgeBase {
  const entities = [
    {
      id: 'cn-mss',
      kind: 'agency',
      name: 'Ministry of State Security',
      aliases: [{ text: 'MSS', scheme: 'common' }],
      country: 'CN',
      summary: 'China’s civilian intelligence ministry.',
    },
    {
      id: 'cn-mss-hubei',
      kind: 'agency',
      name: 'Hubei State Security Department',
      country: 'CN',
      summary: 'Provincial bureau of the MSS in Hubei.',
      links: [{ rel: 'partOf', target: 'cn-mss' }],
    },
    {
      id: 'apt31',
      kind: 'actor',
      name: 'APT31',
      aliases: [
        { text: 'Advanced Persistent Threat 31', scheme: 'common' },
        { text: 'Violet Typhoon', scheme: 'microsoft' },
        { text: 'Zirconium', scheme: 'microsoft-old', ambiguous: true },
      ],
      country: 'CN',
      summary: 'A Chinese state-sponsored espionage group.',
      links: [{ rel: 'sponsoredBy', target: 'cn-mss-hubei' }],
    },
    {
      id: 'us-doj',
      kind: 'attributor',
      name: 'U.S. Department of Justice',
      country: 'US',
      summary: 'The U.S. federal justice department.',
    },
    { id: 'jane-doe', kind: 'person', name: 'Jane Doe', summary: 'A test person who is never highlighted.' },
  ].map((row) => Entity.parse(row));
  const events = [
    {
      id: 'test-2024-03-25-doj-apt31',
      date: '2024-03-25',
      kind: 'indictment',
      title: 'Seven APT31 hackers charged',
      attributors: ['us-doj'],
      actors: ['apt31'],
      sponsor: 'cn-mss-hubei',
      url: 'https://www.justice.gov/opa/pr/example',
    },
  ].map((row) => AttributionEvent.parse(row));
  return { entities, events };
}
