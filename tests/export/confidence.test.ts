import { describe, expect, test } from 'vitest';
import { confidenceFromWording } from '@/lib/export/confidence';

describe('confidenceFromWording', () => {
  test.each([
    ['almost certain', 95],
    ['almost certainly', 95],
    ['Almost Certainly', 95],
    ['nearly certain', 95],
    ['“almost certain”', 95],
    ['highly likely', 85],
    ['very likely', 85],
    ['highly probable', 85],
    ['likely', 65],
    ['probably', 65],
    ['probable', 65],
    ['we assess it is likely that', 65],
    ['realistic possibility', 50],
    ['roughly even chance', 50],
    ['roughly even odds', 50],
    ['unlikely', 25],
    ['improbable', 25],
    ['highly unlikely', 10],
    ['very unlikely', 10],
    ['remote', 5],
    ['remote chance', 5],
    ['almost no chance', 5],
  ])('maps %j to %i', (wording, expected) => {
    expect(confidenceFromWording(wording)).toBe(expected);
  });

  test.each([
    ['high confidence'],
    ['moderate confidence'],
    ['clearly attributable'],
    ['not likely'],
    [''],
    [undefined],
  ])('omits the confidence for %j', (wording) => {
    expect(confidenceFromWording(wording)).toBeUndefined();
  });
});
