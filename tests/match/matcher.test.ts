import { describe, expect, it, test } from 'vitest';
import type { Dictionary } from '@/lib/match/dictionary';
import { buildDictionary, spellingVariants } from '@/lib/match/dictionary';
import { Matcher, type TextSegment } from '@/lib/match/matcher';

const dictionary: Dictionary = [
  { text: 'APT31', entityId: 'apt31', kind: 'actor', caseSensitive: true, ambiguous: false },
  {
    text: 'Advanced Persistent Threat 31',
    entityId: 'apt31',
    kind: 'actor',
    caseSensitive: true,
    ambiguous: false,
  },
  { text: 'Zirconium', entityId: 'apt31', kind: 'actor', caseSensitive: true, ambiguous: true },
  {
    text: 'Ministry of State Security',
    entityId: 'cn-mss',
    kind: 'actor',
    caseSensitive: true,
    ambiguous: false,
  },
  { text: 'MSS', entityId: 'cn-mss', kind: 'actor', caseSensitive: true, ambiguous: false },
  { text: 'Fancy Bear', entityId: 'apt28', kind: 'actor', caseSensitive: true, ambiguous: false },
  {
    text: 'Treasury Department',
    entityId: 'us-treasury',
    kind: 'actor',
    caseSensitive: true,
    ambiguous: false,
  },
  {
    text: 'U.S. Treasury Department',
    entityId: 'us-treasury',
    kind: 'actor',
    caseSensitive: true,
    ambiguous: false,
  },
  { text: 'Sandworm', entityId: 'sandworm', kind: 'actor', caseSensitive: true, ambiguous: true },
  { text: 'Lazarus', entityId: 'lazarus', kind: 'actor', caseSensitive: true, ambiguous: true },
  { text: 'Unit 61398', entityId: 'cn-pla-61398', kind: 'actor', caseSensitive: true, ambiguous: false },
  { text: 'menuPass', entityId: 'apt10', kind: 'actor', caseSensitive: false, ambiguous: false },
  { text: 'Volt Typhoon', entityId: 'volt-typhoon', kind: 'actor', caseSensitive: true, ambiguous: false },
  { text: 'Midnight Blizzard', entityId: 'apt29', kind: 'actor', caseSensitive: true, ambiguous: false },
];
const matcher = Matcher.fromDictionary(dictionary);

/** Blocks are separated by blank lines; "|" splits a block into segments (inline elements). */
function segments(text: string): TextSegment[] {
  const out: TextSegment[] = [];
  let offset = 0;
  text.split('\n\n').forEach((blockText, block) => {
    for (const piece of blockText.split('|')) {
      out.push({ text: piece, start: offset, block });
      offset += piece.length;
    }
  });
  return out;
}

function found(text: string): string[] {
  const flat = text.replaceAll('\n\n', '').replaceAll('|', '');
  return matcher.findMentions(segments(text)).map((m) => `${flat.slice(m.start, m.end)}=${m.entityId}`);
}

describe('Matcher.findMentions', () => {
  it('finds every alias of one entity with the same id', () => {
    expect(
      found('Advanced Persistent Threat 31 or APT31, an arm of the Ministry of State Security (MSS).'),
    ).toEqual([
      'Advanced Persistent Threat 31=apt31',
      'APT31=apt31',
      'Ministry of State Security=cn-mss',
      'MSS=cn-mss',
    ]);
  });

  test.each([
    ["APT31's operators", ['APT31=apt31']],
    ['APT31’s operators', ['APT31=apt31']],
    ['the APT 31 group', ['APT 31=apt31']],
    ['the APT-31 group', ['APT-31=apt31']],
    ['PLA Unit61398 and Unit 61398', ['Unit61398=cn-pla-61398', 'Unit 61398=cn-pla-61398']],
    ['Fancy   \n Bear', ['Fancy   \n Bear=apt28']],
  ])('normalizes possessives, spacing and hyphens: %s', (text, expected) => {
    expect(found(text)).toEqual(expected);
  });

  test.each([
    ['APT310 is not APT31', ['APT31=apt31']],
    ['XAPT31 and APT31x', []],
    ['the mss and Mss', []],
    ['a typhoon hit Taiwan; volt typhoon', []],
    ['a midnight blizzard closed roads', []],
  ])('respects word boundaries and case: %s', (text, expected) => {
    expect(found(text)).toEqual(expected);
  });

  it('matches case-insensitive names in any case', () => {
    expect(found('MenuPass and MENUPASS')).toEqual(['MenuPass=apt10', 'MENUPASS=apt10']);
  });

  it('finds a name split across inline elements', () => {
    expect(found('The <em>|Fancy| Bear group')).toEqual(['Fancy Bear=apt28']);
  });

  it('never matches across a block boundary', () => {
    expect(found('Fancy\n\nBear')).toEqual([]);
  });

  it('keeps the longest match when names overlap', () => {
    expect(found('the U.S. Treasury Department said')).toEqual(['U.S. Treasury Department=us-treasury']);
  });

  it('highlights an ambiguous name only with cyber context in its block', () => {
    expect(found('Dune follows Paul and the Sandworm of Arrakis.')).toEqual([]);
    expect(found('Martha and Lazarus went to Bethany.')).toEqual([]);
    expect(found('Sandworm hackers attacked the grid.')).toEqual(['Sandworm=sandworm']);
    expect(found('Microsoft calls APT31 Zirconium.')).toEqual(['APT31=apt31', 'Zirconium=apt31']);
    expect(found('APT31 struck.\n\nZirconium is a metal.')).toEqual(['APT31=apt31']);
  });

  it('handles CJK neighbours and right-to-left text without losing names', () => {
    expect(found('APT31组织攻击了')).toEqual(['APT31=apt31']);
    expect(found('مجموعة APT31 الصينية')).toEqual(['APT31=apt31']);
  });

  it('ignores soft hyphens inside a name', () => {
    expect(found('Zir\u00adconium hackers')).toEqual(['Zir\u00adconium=apt31']);
  });

  it('returns nothing for empty input', () => {
    expect(matcher.findMentions([])).toEqual([]);
    expect(found('')).toEqual([]);
  });
});

describe('MatchSession.drain', () => {
  it('gives, block by block, exactly what finish() gives for the whole text', () => {
    const text = [
      'APT31 struck.|Zirconium is how Microsoft calls it.',
      'Zirconium is a metal.',
      'The <em>|Fancy| Bear group and the |Ministry of State Security.',
      'Sandworm hackers attacked the grid; Lazarus too.',
      'Martha and Lazarus went to Bethany.',
      'MSS, MSS and menuPass.',
    ].join('\n\n');
    const all = segments(text);
    const whole = matcher.findMentions(all);
    const session = matcher.startSession();
    const drained = [];
    for (const segment of all) {
      // Before each segment, everything of the blocks already complete may be taken.
      drained.push(...session.drain(segment.block));
      session.add(segment);
    }
    drained.push(...session.finish());
    expect(drained).toEqual(whole);
    expect(whole.length).toBeGreaterThan(6);
  });
});

describe('spellingVariants', () => {
  it('varies only letter–digit joints', () => {
    expect(spellingVariants('APT31').sort()).toEqual(['APT 31', 'APT-31', 'APT31']);
    expect(spellingVariants('Fancy Bear')).toEqual(['Fancy Bear']);
  });
});

describe('buildDictionary', () => {
  it('skips people, unmatched aliases and generic words', () => {
    const dict = buildDictionary([
      {
        id: 'x',
        kind: 'actor',
        name: 'APT99',
        aliases: [
          { text: 'China', scheme: 'common' },
          { text: 'G9999', scheme: 'mitre', match: false },
          { text: 'Lazarus', scheme: 'common', ambiguous: true },
        ],
        summary: 'A test actor.',
        links: [],
        sources: [],
      },
      {
        id: 'p',
        kind: 'person',
        name: 'Jane Doe',
        aliases: [],
        summary: 'A test person.',
        links: [],
        sources: [],
      },
    ]);
    expect(dict).toEqual([
      { text: 'APT99', entityId: 'x', kind: 'actor', caseSensitive: true, ambiguous: false },
      { text: 'Lazarus', entityId: 'x', kind: 'actor', caseSensitive: true, ambiguous: true },
    ]);
  });
});

describe('Matcher.fromDictionary with the built-in knowledge base', () => {
  it('keeps native-language names in a small second automaton so the main table stays compact', async () => {
    const { loadBuiltinKnowledgeBase } = await import('@/lib/kb/seed');
    const builtin = Matcher.fromDictionary(buildDictionary(loadBuiltinKnowledgeBase().entities));
    // One dense table over every script took 11.1 MB for this dictionary (bench/, 2026-11-22).
    expect(builtin.tableBytes).toBeLessThan(4_000_000);
    const text = 'Volt Typhoon（伏特台风）和 APT41 hackers';
    const found = builtin.findMentions([{ text, start: 0, block: 0 }]).map((m) => text.slice(m.start, m.end));
    expect(found).toEqual(['Volt Typhoon', '伏特台风', 'APT41']);
  });
});

describe('isWordChar', () => {
  it('gives the Unicode rule’s answer for every ASCII character on its fast path', async () => {
    const { isWordChar } = await import('@/lib/match/fold');
    for (let code = 0; code < 0x80; code++) {
      const char = String.fromCharCode(code);
      expect(isWordChar(char), `U+${code.toString(16)}`).toBe(/[\p{L}\p{N}\p{M}_]/u.test(char));
    }
    expect(isWordChar('é')).toBe(true);
    expect(isWordChar('组')).toBe(false);
  });
});
