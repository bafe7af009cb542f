import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, test } from 'vitest';
import { ImportFileError } from '@/lib/kb/import/import-error';
import { parseMispGalaxy } from '@/lib/kb/import/misp-galaxy';

const FIXTURES = path.resolve(__dirname, '../../fixtures/kb');
const threatActorText = readFileSync(path.join(FIXTURES, 'misp-threat-actor.json'), 'utf8');
const intrusionSetText = readFileSync(path.join(FIXTURES, 'misp-mitre-intrusion-set.json'), 'utf8');
const threatActor = JSON.parse(threatActorText) as Record<string, unknown>;

function thrownBy(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`threw a non-error: ${String(error)}`);
  }
  throw new Error('did not throw');
}

describe('parseMispGalaxy', () => {
  it('reads every value of a threat-actor cluster with its synonyms as misp aliases', () => {
    const batch = parseMispGalaxy(threatActor, 'threat-actor.json');
    expect(batch.format).toBe('misp-galaxy');
    expect(batch.source).toBe('MISP galaxy threat-actor');
    expect(batch.scheme).toBe('misp');
    expect(batch.candidates.map((candidate) => candidate.name)).toEqual([
      'APT31',
      'Cobalt',
      'Tortoiseshell',
      'Hurricane Panda',
      'Unknown',
    ]);
    const apt31 = batch.candidates[0];
    expect(apt31?.aliases).toContainEqual({ text: 'JUDGMENT PANDA', scheme: 'misp' });
    expect(apt31?.aliases).toContainEqual({ text: 'APT 31', scheme: 'misp' });
  });

  it('turns ATT&CK ids listed among synonyms into mitre aliases that never match', () => {
    const apt31 = parseMispGalaxy(threatActor, 'threat-actor.json').candidates[0];
    expect(apt31?.aliases).toContainEqual({ text: 'G0128', scheme: 'mitre', match: false });
  });

  it('gives the country and the suspected state sponsor as ISO codes', () => {
    const [apt31, cobalt, tortoiseshell, hurricane] = parseMispGalaxy(
      threatActor,
      'threat-actor.json',
    ).candidates;
    expect(apt31).toMatchObject({ country: 'CN', stateSponsor: 'CN' });
    expect(cobalt).toMatchObject({ country: 'RU' });
    expect(cobalt?.stateSponsor).toBeUndefined();
    expect(tortoiseshell).toMatchObject({ country: 'IR', stateSponsor: 'IR' });
    expect(hurricane?.country).toBeUndefined();
  });

  it('strips the " - G0007" suffix of ATT&CK names and keeps the id as a mitre alias that never matches', () => {
    const batch = parseMispGalaxy(JSON.parse(intrusionSetText), 'mitre-intrusion-set.json');
    expect(batch.source).toBe('MISP galaxy mitre-intrusion-set');
    expect(batch.scheme).toBe('mitre');
    const [zirconium, cobalt] = batch.candidates;
    expect(zirconium?.name).toBe('ZIRCONIUM');
    expect(zirconium?.mitreId).toBe('G0128');
    expect(zirconium?.aliases).toContainEqual({ text: 'G0128', scheme: 'mitre', match: false });
    expect(zirconium?.aliases).toContainEqual({ text: 'Violet Typhoon', scheme: 'mitre' });
    expect(cobalt?.name).toBe('Cobalt Group');
  });

  it('leaves revoked values out and counts them as skipped', () => {
    const batch = parseMispGalaxy(JSON.parse(intrusionSetText), 'mitre-intrusion-set.json');
    expect(batch.candidates.map((candidate) => candidate.name)).not.toContain('APT34');
    expect(batch.skipped).toBe(1);
  });

  it('never carries the description text of the file', () => {
    const text = JSON.stringify([
      parseMispGalaxy(threatActor, 'threat-actor.json'),
      parseMispGalaxy(intrusionSetText, 'mitre-intrusion-set.json'),
    ]);
    expect(text).not.toContain('FIXTURE DESCRIPTION');
  });

  it('accepts the JSON text as well as the parsed value', () => {
    expect(parseMispGalaxy(threatActorText, 'threat-actor.json')).toEqual(
      parseMispGalaxy(threatActor, 'threat-actor.json'),
    );
  });

  const values = threatActor.values as Record<string, unknown>[];
  test.each([
    ['an array instead of a cluster', [], 'x.json: (root): Invalid input: expected object, received array'],
    ['a number', 42, 'x.json: (root): Invalid input: expected object, received number'],
    [
      'a cluster without values',
      { ...threatActor, values: undefined },
      'x.json: values: Invalid input: expected array, received undefined',
    ],
    [
      'values that are not an array',
      { ...threatActor, values: { 0: values[0] } },
      'x.json: values: Invalid input: expected array, received object',
    ],
    [
      'a value without value',
      { ...threatActor, values: [values[0], { uuid: 'u', meta: {} }] },
      'x.json: values.1.value: Invalid input: expected string, received undefined',
    ],
    [
      'synonyms that are not strings',
      { ...threatActor, values: [{ value: 'A', uuid: 'u', meta: { synonyms: ['B', 3] } }] },
      'x.json: values.0.meta.synonyms.1: Invalid input: expected string, received number',
    ],
    [
      'a galaxy of another kind',
      { ...threatActor, type: 'country' },
      'x.json: type: "country" is not a galaxy of threat groups',
    ],
    ['truncated JSON text', threatActorText.slice(0, 500), 'x.json is not valid JSON: '],
  ])('rejects %s with a message naming the first bad path', (_label, input, message) => {
    const error = thrownBy(() => parseMispGalaxy(input, 'x.json'));
    expect(error).toBeInstanceOf(ImportFileError);
    expect(error.message.startsWith(message)).toBe(true);
  });
});
