import { describe, expect, it } from 'vitest';
import { compileAutomaton, StreamScanner } from '@/lib/match/automaton';

/** Deterministic PRNG (mulberry32) so failures reproduce. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomWord(random: () => number, alphabet: string, min: number, max: number): string {
  const length = min + Math.floor(random() * (max - min + 1));
  let word = '';
  for (let i = 0; i < length; i++) word += alphabet[Math.floor(random() * alphabet.length)];
  return word;
}

describe('compileAutomaton + StreamScanner', () => {
  it('finds exactly the occurrences a naive search finds, across random dictionaries and split texts', () => {
    const random = prng(42);
    for (let round = 0; round < 60; round++) {
      const patterns = [
        ...new Set(
          Array.from({ length: 1 + Math.floor(random() * 40) }, () => randomWord(random, 'abcd', 1, 6)),
        ),
      ];
      const text = randomWord(random, 'abcde', 0, 300);
      const automaton = compileAutomaton(patterns);
      const found: string[] = [];
      const scanner = new StreamScanner(automaton);
      // Feed in random pieces: matches must cross piece boundaries.
      let at = 0;
      while (at < text.length) {
        const size = 1 + Math.floor(random() * 20);
        scanner.feed(text.slice(at, at + size), at, (id, start, end) =>
          found.push(`${patterns[id]}@${start}-${end}`),
        );
        at += size;
      }
      const expected: string[] = [];
      patterns.forEach((pattern) => {
        for (let i = text.indexOf(pattern); i >= 0; i = text.indexOf(pattern, i + 1)) {
          expected.push(`${pattern}@${i}-${i + pattern.length}`);
        }
      });
      expect(found.sort()).toEqual(expected.sort());
    }
  });

  it('uses 16-bit transition cells when the states fit', () => {
    expect(compileAutomaton(['apt', 'apt31']).next).toBeInstanceOf(Uint16Array);
  });
});
