import { describe, expect, it, test } from 'vitest';
import type { ImportBatch, ImportCandidate } from '@/lib/kb/import/import-batch';
import {
  type ExistingKnowledge,
  importedAliasFlags,
  nameKey,
  planImport,
  slugOf,
} from '@/lib/kb/import/merge';
import { Entity, type EntityInput } from '@/lib/kb/schema';

function entity(input: Omit<EntityInput, 'summary'> & { summary?: string }): Entity {
  return Entity.parse({ summary: 'Written for the merge tests.', ...input });
}

/** A small knowledge base: two actors that share nothing and an agency. */
function existing(): ExistingKnowledge {
  return {
    entities: [
      entity({
        id: 'apt31',
        kind: 'actor',
        name: 'APT31',
        aliases: [
          { text: 'Zirconium', scheme: 'microsoft-old', ambiguous: true },
          { text: 'Violet Typhoon', scheme: 'microsoft' },
          { text: 'G0128', scheme: 'mitre', match: false },
        ],
      }),
      entity({
        id: 'apt18',
        kind: 'actor',
        name: 'APT18',
        aliases: [
          { text: 'Dynamite Panda', scheme: 'crowdstrike' },
          { text: 'PLA Navy', scheme: 'other' },
        ],
      }),
      entity({
        id: 'cn-mss',
        kind: 'agency',
        name: 'Ministry of State Security',
        aliases: [{ text: 'MSS' }],
      }),
    ],
    extraAliases: [{ entityId: 'apt18', text: 'Wekby' }],
  };
}

function batchOf(candidates: ImportCandidate[], overrides: Partial<ImportBatch> = {}): ImportBatch {
  return {
    format: 'misp-galaxy',
    source: 'MISP galaxy threat-actor',
    fileName: 'threat-actor.json',
    scheme: 'misp',
    candidates,
    skipped: 0,
    ...overrides,
  };
}

const misp = (...texts: string[]) => texts.map((text) => ({ text, scheme: 'misp' as const }));

describe('nameKey', () => {
  test.each([
    ['APT31', 'apt31'],
    ['APT 31', 'apt31'],
    ['APT-31', 'apt31'],
    ['apt31', 'apt31'],
    ['Unit 61398', 'unit61398'],
    ['  Fancy   Bear ', 'fancy bear'],
    ['Fancy-Bear', 'fancy-bear'],
    ['TG-3390', 'tg3390'],
  ])('folds %j to %j', (text, key) => {
    expect(nameKey(text)).toBe(key);
  });
});

describe('importedAliasFlags', () => {
  test.each([
    ['Cobalt', { ambiguous: true }],
    ['Sandworm', { ambiguous: true }],
    ['Hurricane', { ambiguous: true }],
    ['MONSOON', {}],
    ['OilRig', {}],
    ['menuPass', {}],
    ['APT31', {}],
    ['Cobalt Group', {}],
    ['IRON TWILIGHT', { caseSensitive: false }],
    ['TEMP.Veles', {}],
  ])('flags %j as %j', (text, flags) => {
    expect(importedAliasFlags(text)).toEqual(flags);
  });
});

describe('slugOf', () => {
  test.each([
    ['Cobalt Group', 'cobalt-group'],
    ['TEMP.Veles', 'temp-veles'],
    ['Équipe Rouge', 'equipe-rouge'],
    ['APT-C-23', 'apt-c-23'],
    ['黑客', 'imported-actor'],
  ])('makes %j into %j', (name, slug) => {
    expect(slugOf(name)).toBe(slug);
  });
});

describe('planImport', () => {
  it('merges a group whose name is spelled differently ("APT 31") into the existing entity', () => {
    const plan = planImport(
      existing(),
      batchOf([{ name: 'APT 31', aliases: misp('JUDGMENT PANDA', 'Violet Typhoon', 'TA412') }]),
    );
    expect(plan.added).toEqual([]);
    expect(plan.merged).toBe(1);
    expect(plan.merges).toEqual([{ candidate: 'APT 31', entityId: 'apt31', matchedBy: 'name' }]);
    // "APT 31" is a spelling of the name and "Violet Typhoon" is known: only the new names are added.
    expect(plan.newAliases).toEqual([
      { entityId: 'apt31', text: 'JUDGMENT PANDA', scheme: 'misp', caseSensitive: false },
      { entityId: 'apt31', text: 'TA412', scheme: 'misp' },
    ]);
  });

  it('matches existing aliases case-insensitively, including aliases stored apart from the entity', () => {
    const plan = planImport(existing(), batchOf([{ name: 'WEKBY', aliases: misp('TG-0416') }]));
    expect(plan.added).toEqual([]);
    expect(plan.newAliases).toEqual([{ entityId: 'apt18', text: 'TG-0416', scheme: 'misp' }]);
  });

  it('prefers the entity its own name matches over the entity most of its synonyms match', () => {
    const plan = planImport(
      existing(),
      batchOf([{ name: 'APT18', aliases: misp('Zirconium', 'Violet Typhoon', 'Satin Typhoon') }]),
    );
    expect(plan.merges[0]?.entityId).toBe('apt18');
    expect(plan.newAliases).toEqual([{ entityId: 'apt18', text: 'Satin Typhoon', scheme: 'misp' }]);
    expect(plan.skippedNames.map((name) => [name.text, name.ownerId])).toEqual([
      ['Zirconium', 'apt31'],
      ['Violet Typhoon', 'apt31'],
    ]);
  });

  it('merges a group with an unknown name into the entity at least two of its synonyms name', () => {
    const plan = planImport(
      existing(),
      batchOf([{ name: 'TA412', aliases: misp('Zirconium', 'Violet Typhoon') }]),
    );
    expect(plan.merges).toEqual([{ candidate: 'TA412', entityId: 'apt31', matchedBy: 'synonyms' }]);
    expect(plan.newAliases).toEqual([{ entityId: 'apt31', text: 'TA412', scheme: 'misp' }]);
  });

  it('does not merge on a single shared synonym and skips that synonym in the new entity', () => {
    const plan = planImport(
      existing(),
      batchOf([{ name: 'APT4', aliases: misp('PLA Navy', 'Maverick Panda') }]),
    );
    expect(
      plan.added.map((added) => [added.id, added.name, added.aliases.map((alias) => alias.text)]),
    ).toEqual([['apt4', 'APT4', ['Maverick Panda']]]);
    expect(plan.skipped).toBe(1);
    expect(plan.skippedNames).toEqual([
      { text: 'PLA Navy', candidate: 'APT4', reason: 'owned-by-other-entity', ownerId: 'apt18' },
    ]);
  });

  it('adds an unknown group as an imported actor with a generated summary and https sources only', () => {
    const plan = planImport(
      existing(),
      batchOf([
        {
          name: 'Tortoiseshell',
          aliases: misp('Imperial Kitten', 'CURIUM'),
          country: 'IR',
          stateSponsor: 'IR',
          refs: ['https://example.org/a', 'http://example.org/b', 'not a url'],
        },
      ]),
    );
    expect(plan.added).toEqual([
      {
        id: 'tortoiseshell',
        kind: 'actor',
        name: 'Tortoiseshell',
        aliases: [
          { text: 'Tortoiseshell', scheme: 'misp', ambiguous: true },
          { text: 'Imperial Kitten', scheme: 'misp' },
          { text: 'CURIUM', scheme: 'misp' },
        ],
        country: 'IR',
        summary:
          'Imported from the MISP galaxy threat-actor list. Suspected state sponsor: Iran. Not reviewed by Attribution Lens.',
        links: [],
        sources: [
          {
            url: 'https://example.org/a',
            title: 'Reference listed in the MISP galaxy threat-actor list',
            publisher: 'example.org',
          },
        ],
      },
    ]);
    for (const added of plan.added) expect(() => Entity.parse(added)).not.toThrow();
  });

  it('names the ATT&CK id and the listed country of origin in the summary', () => {
    const plan = planImport(
      existing(),
      batchOf([{ name: 'Ajax Security Team', aliases: [], country: 'IR', mitreId: 'G0130' }], {
        format: 'attack-stix',
        source: 'MITRE ATT&CK STIX bundle',
        scheme: 'mitre',
      }),
    );
    expect(plan.added[0]?.summary).toBe(
      'Imported from a MITRE ATT&CK STIX bundle (ATT&CK group G0130). Listed country of origin: Iran. Not reviewed by Attribution Lens.',
    );
  });

  it('skips names that are never highlighted or too short, and groups left with no name', () => {
    const plan = planImport(
      existing(),
      batchOf([
        { name: 'Hurricane Panda', aliases: misp('China', 'X', 'hackers') },
        { name: 'Unknown', aliases: misp('APT') },
      ]),
    );
    expect(plan.added.map((added) => [added.name, added.aliases])).toEqual([['Hurricane Panda', []]]);
    expect(plan.skippedNames.map((name) => [name.text, name.reason])).toEqual([
      ['China', 'never-matched'],
      ['X', 'too-short'],
      ['hackers', 'never-matched'],
      ['Unknown', 'no-usable-name'],
    ]);
    expect(plan.skipped).toBe(4);
  });

  it('merges groups of one batch that name each other instead of adding them twice', () => {
    const plan = planImport(
      existing(),
      batchOf([
        { name: 'Cobalt', aliases: misp('Cobalt Group', 'GOLD KINGSWOOD') },
        {
          name: 'Cobalt Group',
          aliases: [...misp('Cobalt Spider'), { text: 'G0080', scheme: 'mitre', match: false }],
        },
      ]),
    );
    expect(plan.added).toHaveLength(1);
    expect(plan.merged).toBe(1);
    expect(plan.newAliases).toEqual([]);
    expect(plan.added[0]?.aliases).toEqual([
      { text: 'Cobalt', scheme: 'misp', ambiguous: true },
      { text: 'Cobalt Group', scheme: 'misp' },
      { text: 'GOLD KINGSWOOD', scheme: 'misp', caseSensitive: false },
      { text: 'Cobalt Spider', scheme: 'misp' },
      { text: 'G0080', scheme: 'mitre', match: false },
    ]);
  });

  it('adds nothing when the same batch is planned again against the result', () => {
    const batch = batchOf([
      { name: 'APT31', aliases: misp('TA412') },
      { name: 'Cobalt', aliases: misp('Cobalt Group') },
      { name: 'APT4', aliases: misp('PLA Navy') },
    ]);
    const before = existing();
    const first = planImport(before, batch);
    const second = planImport(
      {
        entities: [...before.entities, ...first.added],
        extraAliases: [...before.extraAliases, ...first.newAliases],
      },
      batch,
    );
    expect(second.added).toEqual([]);
    expect(second.newAliases).toEqual([]);
    expect(second.merged).toBe(3);
    expect(second.skipped).toBe(first.skipped);
  });

  it('gives new entities unique ids that avoid existing and reserved ids', () => {
    const plan = planImport(
      { ...existing(), reservedIds: ['cobalt-group'] },
      batchOf([
        { name: 'Ministry-of-State-Security Team', aliases: [] },
        { name: 'Cobalt Group', aliases: [] },
        { name: 'Cobalt.Group', aliases: [] },
      ]),
    );
    expect(plan.added.map((added) => added.id)).toEqual([
      'ministry-of-state-security-team',
      'cobalt-group-2',
      'cobalt-group-3',
    ]);
  });

  it('never plans an alias whose name another entity already goes by', () => {
    const plan = planImport(
      existing(),
      batchOf([
        { name: 'APT31', aliases: misp('mss', 'Dynamite Panda', 'apt 18') },
        { name: 'New Group', aliases: misp('Ministry of State Security') },
      ]),
    );
    expect(plan.newAliases).toEqual([]);
    expect(plan.added[0]?.aliases).toEqual([]);
    expect(plan.skippedNames.map((name) => name.ownerId)).toEqual(['cn-mss', 'apt18', 'apt18', 'cn-mss']);
  });
});
