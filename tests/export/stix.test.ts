import { v5 as uuidv5 } from 'uuid';
import { describe, expect, it, test } from 'vitest';
import { STIX_ID_NAMESPACE } from '@/lib/export/ids';
import {
  buildStixBundle,
  exportStix,
  type StixBundle,
  type StixIntrusionSet,
  type StixNote,
  type StixObject,
  type StixRelationship,
  type StixReport,
} from '@/lib/export/stix';
import { makeAnnotation, sampleAnnotations, sampleContext } from './sample-data';
import { validateStixBundle } from './stix-validator';

function find<T extends StixObject>(
  bundle: StixBundle,
  type: T['type'],
  test: (o: T) => boolean,
): T | undefined {
  return bundle.objects.find((o): o is T => o.type === type && test(o as T));
}

describe('buildStixBundle', () => {
  const bundle = buildStixBundle(sampleAnnotations(), sampleContext({ name: 'Mara K.' }));
  const apt31Id = `intrusion-set--${uuidv5('apt31', STIX_ID_NAMESPACE)}`;
  const hubeiId = `identity--${uuidv5('cn-mss-hubei', STIX_ID_NAMESPACE)}`;

  it('passes the STIX 2.1 validator, with and without a user name', () => {
    expect(validateStixBundle(bundle)).toEqual([]);
    expect(validateStixBundle(buildStixBundle(sampleAnnotations(), sampleContext()))).toEqual([]);
    expect(validateStixBundle(buildStixBundle([], sampleContext()))).toEqual([]);
  });

  it('gives entities ids that are UUIDv5 of their entity id, the same in every export', () => {
    const again = buildStixBundle(sampleAnnotations().slice(0, 1), sampleContext());
    expect(find<StixIntrusionSet>(bundle, 'intrusion-set', (o) => o.name === 'APT31')?.id).toBe(apt31Id);
    expect(find<StixIntrusionSet>(again, 'intrusion-set', (o) => o.name === 'APT31')?.id).toBe(apt31Id);
    expect(exportStix(sampleAnnotations(), sampleContext())).toBe(
      exportStix([...sampleAnnotations()].reverse(), sampleContext()),
    );
  });

  test.each([
    ['APT31', 'intrusion-set', {}],
    [
      'Hubei State Security Department',
      'identity',
      { identity_class: 'organization', sectors: ['government-national'] },
    ],
    ['Communications Security Establishment', 'identity', { identity_class: 'organization' }],
    ['Jane Doe', 'identity', { identity_class: 'individual' }],
    ['Ghostwriter', 'campaign', { aliases: ['UNC1151 campaign'] }],
  ] as const)('maps %s to a %s object', (name, type, extra) => {
    expect(bundle.objects.find((o) => 'name' in o && o.name === name)).toMatchObject({ type, ...extra });
  });

  it('gives an intrusion set its aliases and its official sources as external references', () => {
    expect(find<StixIntrusionSet>(bundle, 'intrusion-set', (o) => o.id === apt31Id)).toMatchObject({
      aliases: ['Violet Typhoon', 'Zirconium', 'Judgment Panda'],
      external_references: [
        { source_name: 'U.S. Department of Justice', url: expect.stringContaining('justice.gov') },
      ],
    });
  });

  it('makes a report per page with its published date, site reference and refs to its notes', () => {
    const report = find<StixReport>(bundle, 'report', (o) => o.name.startsWith('Chinese hackers'));
    expect(report).toMatchObject({
      published: '2024-03-25T00:00:00.000Z',
      report_types: ['threat-report'],
      external_references: [
        {
          source_name: 'www.cbc.ca',
          url: 'https://www.cbc.ca/news/politics/china-hackers-apt31-canada-1.7155731',
        },
      ],
    });
    expect(report?.object_refs).toEqual(
      expect.arrayContaining([
        'note--0b9f3c52-6a1e-4d8b-9a57-2f4c1e8d7a10',
        'note--6d2e0a4c-3b1f-4f6e-8c1d-9e7a5b3c2d11',
        apt31Id,
        hubeiId,
      ]),
    );
    const undated = find<StixReport>(bundle, 'report', (o) => o.name.startsWith('Germany'));
    expect(undated?.published).toBe('2024-05-07T17:30:00.000Z');
  });

  it('makes a note per annotation with the quote as abstract, note and quote as content and the user as author', () => {
    const note = find<StixNote>(bundle, 'note', (o) => o.id === 'note--0b9f3c52-6a1e-4d8b-9a57-2f4c1e8d7a10');
    expect(note).toMatchObject({
      abstract: '“CSE said it is almost certain that APT31 targeted Canadian parliamentarians.”',
      content:
        'CSE only says *almost certain* here — weaker than the U.S. wording.\n\n> CSE said it is almost certain that APT31 targeted Canadian parliamentarians.',
      authors: ['Mara K.'],
      labels: ['apt31', 'wording'],
      created: '2024-03-26T14:03:11.123Z',
      modified: '2024-03-27T08:15:42.004Z',
    });
    expect(note?.object_refs).toContain(apt31Id);
    expect(note?.created_by_ref).toBe(bundle.objects[0]?.id);
    expect(bundle.objects[0]).toMatchObject({
      type: 'identity',
      name: 'Mara K.',
      identity_class: 'individual',
    });
  });

  it('turns a claim into an attributed-to relationship from the actor to the sponsor, with mapped confidence', () => {
    const relationship = find<StixRelationship>(
      bundle,
      'relationship',
      (o) => o.description?.startsWith('Communications Security Establishment') ?? false,
    );
    expect(relationship).toMatchObject({
      relationship_type: 'attributed-to',
      source_ref: apt31Id,
      target_ref: hubeiId,
      confidence: 95,
      x_attribution_lens_attributor_ref: `identity--${uuidv5('ca-cse', STIX_ID_NAMESPACE)}`,
    });
    const indictment = find<StixRelationship>(bundle, 'relationship', (o) => o.confidence === 85);
    expect(indictment?.description).toContain('on the strength of an indictment');
  });

  it('omits the confidence for wording off the yardsticks and names free-text sides by stable ids', () => {
    const relationship = find<StixRelationship>(
      bundle,
      'relationship',
      (o) => o.description?.includes('APT28') ?? false,
    );
    expect(relationship).toBeDefined();
    expect(relationship).not.toHaveProperty('confidence');
    const again = buildStixBundle(sampleAnnotations(), sampleContext());
    const same = find<StixRelationship>(again, 'relationship', (o) => o.id === relationship?.id);
    expect(same?.source_ref).toBe(relationship?.source_ref);
  });

  it('writes no relationship for a claim without a sponsor', () => {
    const alone = buildStixBundle(
      [makeAnnotation({ claim: { actor: 'apt31', confidence: 'likely' } })],
      sampleContext(),
    );
    expect(alone.objects.filter((o) => o.type === 'relationship')).toEqual([]);
  });

  it('reports progress at least every 500 annotations', () => {
    const many = Array.from({ length: 1000 }, (_, i) =>
      makeAnnotation({ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` }),
    );
    const calls: number[] = [];
    buildStixBundle(many, sampleContext(), { onProgress: (done) => calls.push(done) });
    expect(calls).toEqual([0, 500, 1000]);
  });
});

describe('validateStixBundle', () => {
  const good = (): StixBundle =>
    structuredClone(buildStixBundle(sampleAnnotations(), sampleContext({ name: 'Mara K.' })));
  const index = (bundle: StixBundle, type: string) => bundle.objects.findIndex((o) => o.type === type);
  type Json = Record<string, unknown>;
  const edit = (type: string, change: (object: Json) => void) => (bundle: StixBundle) => {
    change(bundle.objects[index(bundle, type)] as unknown as Json);
  };

  const set = (type: string, key: string, value: unknown) =>
    edit(type, (o) => {
      o[key] = value;
    });
  const remove = (type: string, key: string) =>
    edit(type, (o) => {
      delete o[key];
    });
  const elsewhere = 'identity--6ba7b811-9dad-41d1-80b4-00c04fd430c8';

  test.each<[string, (bundle: StixBundle) => void, RegExp]>([
    [
      'a bundle id of the wrong type',
      (b) => {
        b.id = 'report--0b9f3c52-6a1e-4d8b-9a57-2f4c1e8d7a10';
      },
      /bundle--<uuid>/,
    ],
    ['a missing spec_version', remove('note', 'spec_version'), /spec_version/],
    ['an id that is not a UUID', set('note', 'id', 'note--1234'), /is not <type>--<uuid>/],
    [
      'an id prefix that is not the type',
      edit('campaign', (o) => {
        o.id = String(o.id).replace('campaign', 'identity');
      }),
      /does not match type/,
    ],
    [
      'a timestamp without milliseconds',
      set('report', 'created', '2024-03-26T14:03:11Z'),
      /created .* is not YYYY/,
    ],
    [
      'a timestamp with an offset',
      set('note', 'modified', '2024-03-26T14:03:11.000+01:00'),
      /modified .* is not YYYY/,
    ],
    [
      'modified before created',
      set('note', 'modified', '2000-01-01T00:00:00.000Z'),
      /modified is before created/,
    ],
    ['a report without published', remove('report', 'published'), /published is missing/],
    [
      'a report without object_refs',
      set('report', 'object_refs', []),
      /object_refs must be a non-empty list/,
    ],
    ['a note without content', set('note', 'content', ''), /content is missing/],
    ['an intrusion set without name', remove('intrusion-set', 'name'), /name is missing/],
    ['an identity without identity_class', remove('identity', 'identity_class'), /identity_class is missing/],
    ['a relationship without target_ref', remove('relationship', 'target_ref'), /target_ref is missing/],
    ['a dangling reference', set('note', 'object_refs', [elsewhere]), /not in the bundle/],
    ['a malformed reference', set('relationship', 'source_ref', 'apt31'), /malformed id/],
    ['a confidence above 100', set('relationship', 'confidence', 120), /confidence/],
    ['a bad custom property name', set('relationship', 'x_Attribution-Lens', 1), /custom property/],
    [
      'the same object version twice',
      (b) => {
        b.objects.push(structuredClone(b.objects[1] as StixObject));
      },
      /appear twice/,
    ],
  ])('finds %s', (_label, breakIt, message) => {
    const bundle = good();
    breakIt(bundle);
    const problems = validateStixBundle(bundle);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toMatch(message);
  });

  it('accepts a well-formed reference outside the bundle only when told to', () => {
    const bundle = good();
    set('note', 'object_refs', [elsewhere])(bundle);
    expect(validateStixBundle(bundle, { allowExternalRefs: true })).toEqual([]);
  });

  it('refuses what is not a bundle', () => {
    expect(validateStixBundle([])).toEqual(['bundle: not a JSON object']);
    expect(
      validateStixBundle({ type: 'bundle', id: 'bundle--6ba7b811-9dad-41d1-80b4-00c04fd430c8' }),
    ).toEqual(['bundle: objects is not a list']);
  });
});
