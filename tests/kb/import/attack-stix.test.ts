import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, test } from 'vitest';
import { parseAttackStix } from '@/lib/kb/import/attack-stix';
import { ImportFileError } from '@/lib/kb/import/import-error';

const bundleText = readFileSync(
  path.resolve(__dirname, '../../fixtures/kb/attack-enterprise-bundle.json'),
  'utf8',
);
const bundle = JSON.parse(bundleText) as { type: string; objects: Record<string, unknown>[] };

function thrownBy(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`threw a non-error: ${String(error)}`);
  }
  throw new Error('did not throw');
}

describe('parseAttackStix', () => {
  it('reads only the intrusion sets of a bundle, with their ATT&CK aliases as mitre aliases', () => {
    const batch = parseAttackStix(bundle, 'enterprise-attack.json');
    expect(batch).toMatchObject({
      format: 'attack-stix',
      scheme: 'mitre',
      fileName: 'enterprise-attack.json',
    });
    expect(batch.candidates.map((candidate) => candidate.name)).toEqual(['APT29', 'Ajax Security Team']);
    expect(batch.candidates[0]?.aliases).toContainEqual({ text: 'Cozy Bear', scheme: 'mitre' });
  });

  it('keeps the ATT&CK id from the mitre-attack reference as a mitre alias that never matches', () => {
    const [apt29] = parseAttackStix(bundle, 'enterprise-attack.json').candidates;
    expect(apt29?.mitreId).toBe('G0016');
    expect(apt29?.aliases).toContainEqual({ text: 'G0016', scheme: 'mitre', match: false });
    expect(apt29?.refs).toEqual(['https://attack.mitre.org/groups/G0016']);
  });

  it('leaves revoked and deprecated groups out and counts them as skipped', () => {
    const batch = parseAttackStix(bundle, 'enterprise-attack.json');
    const names = batch.candidates.map((candidate) => candidate.name);
    expect(names).not.toContain('APT34');
    expect(names).not.toContain('Deprecated Test Group');
    expect(batch.skipped).toBe(2);
  });

  it('never carries the description text of the bundle', () => {
    expect(JSON.stringify(parseAttackStix(bundleText, 'enterprise-attack.json'))).not.toContain(
      'FIXTURE DESCRIPTION',
    );
  });

  const withObject = (index: number, object: Record<string, unknown>) => ({
    ...bundle,
    objects: bundle.objects.map((original, i) => (i === index ? object : original)),
  });
  test.each([
    ['a MISP-like object', { name: 'x', values: [] }, 'x.json: type: Invalid input: expected "bundle"'],
    [
      'objects that are not an array',
      { type: 'bundle', objects: 'none' },
      'x.json: objects: Invalid input: expected array, received string',
    ],
    [
      'an object without a type',
      withObject(2, { id: 'identity--1' }),
      'x.json: objects.2.type: Invalid input: expected string, received undefined',
    ],
    [
      'an intrusion set without a name',
      withObject(4, { type: 'intrusion-set', id: 'intrusion-set--1' }),
      'x.json: objects.4.name: Invalid input: expected string, received undefined',
    ],
    [
      'aliases that are not an array',
      withObject(5, { type: 'intrusion-set', id: 'intrusion-set--2', name: 'A', aliases: 'B' }),
      'x.json: objects.5.aliases: Invalid input: expected array, received string',
    ],
    ['truncated JSON text', bundleText.slice(0, 300), 'x.json is not valid JSON: '],
  ])('rejects %s with a message naming the first bad path', (_label, input, message) => {
    const error = thrownBy(() => parseAttackStix(input, 'x.json'));
    expect(error).toBeInstanceOf(ImportFileError);
    expect(error.message.startsWith(message)).toBe(true);
  });
});
