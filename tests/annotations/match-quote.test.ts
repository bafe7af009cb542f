import { describe, expect, it, test } from 'vitest';
import {
  DEFAULT_WINDOW,
  keptWords,
  MAX_WINDOW,
  matchQuote,
  matchQuoteInChunks,
  maxErrorsFor,
  similarity,
  windowsOf,
} from '@/lib/annotations/match-quote';

const ARTICLE =
  "Canada's electronic intelligence agency says the same hacking group accused by the U.K. and the " +
  'U.S. has also targeted Canada. The Communications Security Establishment said on Tuesday that ' +
  "APT31, a group tied to China's Ministry of State Security, probed the networks of members of " +
  'Parliament in 2021. "We are aware of the activity," a spokesperson said. Officials in London ' +
  'said the same group was behind an attack on the Electoral Commission that exposed the data of ' +
  'millions of voters. The group is also known as Zirconium and Judgment Panda.';

/** Offsets of `quote` in the original article (it must occur once). */
function at(quote: string): number {
  const start = ARTICLE.indexOf(quote);
  expect(start).toBeGreaterThanOrEqual(0);
  expect(ARTICLE.indexOf(quote, start + 1)).toBe(-1);
  return start;
}

/** Context as describeRange stores it: 32 characters each side in the original text. */
function contextOf(quote: string) {
  const start = at(quote);
  return {
    prefix: ARTICLE.slice(Math.max(0, start - 32), start),
    suffix: ARTICLE.slice(start + quote.length, start + quote.length + 32),
    hint: start,
  };
}

describe('matchQuote', () => {
  const quote = 'probed the networks of members of Parliament in 2021';

  test.each([
    ['unchanged text', ARTICLE, quote],
    [
      'words inserted before',
      ARTICLE.replace('Ministry of State Security,', 'Ministry of State Security, which Canada says'),
      quote,
    ],
    [
      'words removed after',
      ARTICLE.replace(' "We are aware of the activity," a spokesperson said.', ''),
      quote,
    ],
    ['paragraphs reordered', ARTICLE.split('. ').reverse().join('. '), quote],
  ])('finds the exact quote in %s', (_name, text, exact) => {
    const match = matchQuote(text, exact, contextOf(quote));
    expect(match).not.toBeNull();
    expect(text.slice(match?.start, match?.end)).toBe(exact);
  });

  test.each([
    [
      'a word inserted inside',
      'probed the computer networks of members of Parliament in 2021',
      'probed the computer networks of members of Parliament in 2021',
    ],
    [
      'a word removed inside',
      'probed the networks of members of Parliament in 2021'.replace('members of ', ''),
      'probed the networks of Parliament in 2021',
    ],
    [
      'double spaces',
      'probed the  networks of  members of Parliament in 2021',
      'probed the  networks of  members of Parliament in 2021',
    ],
    [
      'a typo fixed',
      'probed the netwroks of members of Parliament in 2021',
      'probed the netwroks of members of Parliament in 2021',
    ],
  ])('finds the edited passage after %s', (_name, edited, expected) => {
    const text = ARTICLE.replace(quote, edited);
    const match = matchQuote(text, quote, contextOf(quote));
    expect(match).not.toBeNull();
    expect(text.slice(match?.start, match?.end)).toBe(expected);
    expect(match?.score).toBeGreaterThan(0.7);
    expect(match?.score).toBeLessThan(1);
  });

  it('finds a quote whose curly quotes became straight and back', () => {
    const original = '\u201cWe are aware of the activity,\u201d a spokesperson said';
    const text = ARTICLE.replace('"We are aware of the activity," a spokesperson said', original);
    const curly = matchQuote(text, '"We are aware of the activity," a spokesperson said', {
      prefix: 'bers of Parliament in 2021. ',
      suffix: '. Officials in London said',
    });
    expect(curly && text.slice(curly.start, curly.end)).toBe(original);
  });

  it('finds a short quote with a word inserted, through its intact prefix and suffix', () => {
    const short = 'also targeted Canada';
    const text = ARTICLE.replace(short, 'also repeatedly targeted Canada');
    // "repeatedly " is 11 edits: beyond the 5 allowed for a 20-character quote.
    expect(maxErrorsFor(short)).toBe(5);
    const match = matchQuote(text, short, contextOf(short));
    expect(match && text.slice(match.start, match.end)).toBe('also repeatedly targeted Canada');
  });

  test.each([
    ['before its last word', 'LeBlanc said no country is immune reportedly in a statement to'],
    ['after its first word', 'LeBlanc previously unreported said no country is immune to'],
  ])('keeps words inserted %s inside the match, where prefix and suffix put the ends', (_name, edited) => {
    const quote = 'LeBlanc said no country is immune to';
    const original = `In Ottawa, Minister Dominic ${quote} the threat posed by state hackers.`;
    const start = original.indexOf(quote);
    const context = {
      prefix: original.slice(Math.max(0, start - 32), start),
      suffix: original.slice(start + quote.length, start + quote.length + 32),
      hint: start,
    };
    const text = original.replace(quote, edited);
    const match = matchQuote(text, quote, context);
    expect(match && text.slice(match.start, match.end)).toBe(edited);
  });

  it('finds the ends through context that is mostly punctuation and indentation', () => {
    const quote = 'link to the Islamic Revolutionary Guard Corps';
    const before = 'Charming Kitten, a group that western governments ';
    const after = ' (IRGC).\n      \u2018They are patient,\u2019 one analyst said.';
    const context = { prefix: before.slice(-32), suffix: after.slice(0, 32), hint: before.length };
    expect(context.suffix.trimStart().slice(0, 16)).toBe('(IRGC).\n      \u2018T');
    const edited = 'link to the Islamic Revolutionary Guard previously unreported once again Corps';
    const text = `${before}${edited}${after}`;
    const match = matchQuote(text, quote, context);
    expect(match && text.slice(match.start, match.end)).toBe(edited);
  });

  it('takes the words inserted after the last word of a quote that still occurs inside a longer word', () => {
    const quote = 'leave our live coverage for today. Here is a';
    const text = 'We will leave our live coverage for today. Here is as first reported a recap: one.';
    const match = matchQuote(text, quote, { prefix: 'That is where we will ', suffix: ' recap: one.' });
    expect(match && text.slice(match.start, match.end)).toBe(
      'leave our live coverage for today. Here is as first reported a',
    );
  });

  it('bridges to a suffix of mere indentation when the prefix is distinctive', () => {
    const quote = 'Onyx Sleet getting into bed with a ransomware crew was only a matter of time.';
    const before = '<p>Comment by Alex\n        Oct 31, 2024\n        ';
    const after = '\n      \n      \n        \n        <p>Next comment';
    const context = { prefix: before.slice(-32), suffix: after.slice(0, 32) };
    const edited = quote.replace('crew ', 'crew, according to several people familiar with it, ');
    const text = `${before}${edited}${after}`;
    const match = matchQuote(text, quote, context);
    expect(match && text.slice(match.start, match.end)).toBe(edited);
    expect(matchQuote(`${before}${after}`, quote, context)).toBeNull();
  });

  it('does not take the whitespace before a passage that lost its first words', () => {
    const text = 'Headline\n      A later, a second attack hit a substation north of Kyiv.';
    const quote = 'A year later, a second attack hit a substation north of Kyiv.';
    const match = matchQuote(text, quote, { prefix: 'Headline\n      ', suffix: '' });
    expect(match && text.slice(match.start, match.end)).toBe(
      'A later, a second attack hit a substation north of Kyiv.',
    );
  });

  test.each([
    [
      'ended the text',
      'The story ends with the ministry of State Security (MSS).\n',
      'of State Security (MSS).',
      'of State Security, or MSS.',
    ],
    [
      'began the text',
      'AP — The ministry declined to comment on the report.',
      'The ministry declined',
      'The foreign ministry declined',
    ],
  ])('finds an edited passage that %s, with only one side of context', (_name, original, quote, edited) => {
    const start = original.indexOf(quote);
    const context = {
      prefix: original.slice(Math.max(0, start - 32), start),
      suffix: original.slice(start + quote.length, start + quote.length + 32),
    };
    const text = original.replace(quote, edited);
    const match = matchQuote(text, quote, context);
    expect(match && text.slice(match.start, match.end)).toBe(edited);
    // And the same passage deleted is an orphan.
    expect(matchQuote(original.replace(quote, ''), quote, context)).toBeNull();
  });

  it('does not stretch a passage that began the text over text added before it since', () => {
    const quote = 'The ministry declined to comment';
    const text = 'BREAKING: The foreign ministry declined to comment on the report.';
    const match = matchQuote(text, quote, { prefix: '', suffix: ' on the report.' });
    // Edit distance prefers "The " → "ign " (3 substitutions) to inserting "foreign " (8): without
    // a prefix the start cannot be known, but the match never starts inside a word.
    expect(match && text.slice(match.start, match.end)).toBe('foreign ministry declined to comment');
  });

  it('picks the repeat whose prefix and suffix agree', () => {
    const text =
      'Intro. The group said it was not involved. Middle text here. Officials said it was not involved. End.';
    const first = text.indexOf('it was not involved');
    const second = text.lastIndexOf('it was not involved');
    const match = matchQuote(text, 'it was not involved', { prefix: 'Officials said ', suffix: '. End.' });
    expect(match?.start).toBe(second);
    const other = matchQuote(text, 'it was not involved', { prefix: 'The group said ', suffix: '. Middle' });
    expect(other?.start).toBe(first);
  });

  it('picks the repeat nearest the hint when the context cannot tell them apart', () => {
    const sentence = 'The ministry declined to comment. ';
    const text = sentence.repeat(5);
    for (const n of [0, 2, 4]) {
      const match = matchQuote(text, 'declined to comment', { hint: n * sentence.length + 13 });
      expect(match?.start).toBe(n * sentence.length + 13);
    }
  });

  it('prefers an edited passage in its old context over an exact repeat elsewhere', () => {
    const text =
      'Lead: officials blamed the hacking group for the breach. ' +
      'Later in the story the minister said officials publicly blamed the hacking group on Tuesday.';
    const match = matchQuote(text, 'officials blamed the hacking group', {
      prefix: 'Later in the story the minister said ',
      suffix: ' on Tuesday.',
    });
    expect(match && text.slice(match.start, match.end)).toBe('officials publicly blamed the hacking group');
  });

  test.each([
    ['the passage was deleted', ARTICLE.replace(`, ${quote}`, '')],
    [
      'the passage was rewritten',
      ARTICLE.replace(quote, 'compromised email accounts used by several MPs last year'),
    ],
    ['the text is empty', ''],
  ])('returns null when %s', (_name, text) => {
    expect(matchQuote(text, quote, contextOf(quote))).toBeNull();
  });

  it('returns null for an empty quote', () => {
    expect(matchQuote(ARTICLE, '')).toBeNull();
  });

  it('does not take a different sentence that merely looks alike', () => {
    const text = 'The group is also known as Zirconium. The team is also known for its reports.';
    expect(
      matchQuote(text, 'The group is also known as Judgment Panda', { prefix: 'x'.repeat(20) }),
    ).toBeNull();
  });

  it('bounds the errors by a quarter of the quote, at most 32', () => {
    expect(maxErrorsFor('abcd')).toBe(1);
    expect(maxErrorsFor('x'.repeat(100))).toBe(25);
    expect(maxErrorsFor('x'.repeat(1000))).toBe(32);
  });

  it('finds an edited passage deep in a long text', () => {
    const filler = Array.from(
      { length: 4000 },
      (_, i) => `Paragraph ${i} says nothing of note about item ${i * 7}.`,
    ).join(' ');
    const text = `${filler} ${ARTICLE.replace(quote, 'probed the networks of several members of Parliament in 2021')} ${filler}`;
    expect(text.length).toBeGreaterThan(400_000);
    const context = contextOf(quote);
    const match = matchQuote(text, quote, { ...context, hint: context.hint + filler.length + 1 });
    expect(match && text.slice(match.start, match.end)).toBe(
      'probed the networks of several members of Parliament in 2021',
    );
    // Without a hint the whole text is searched and still the same place wins.
    const unhinted = matchQuote(text, quote, { prefix: context.prefix, suffix: context.suffix });
    expect(unhinted?.start).toBe(match?.start);
  });
});

describe('keptWords', () => {
  test.each([
    ['the quote with words added', 'the group also reportedly targeted', 'the group targeted', 1],
    ['nothing', '', 'the group targeted', 0],
    ['two of its four words', 'the group', 'the hacking group targeted', 0.5],
    ['its words in another order', 'targeted the group', 'the group targeted', 2 / 3],
    ['its words with other punctuation and case', '“The group,” targeted', 'the group targeted', 1],
  ])('is the share of the quote left in %s', (_name, found, quote, expected) => {
    expect(keptWords(found, quote)).toBeCloseTo(expected);
  });
});

describe('similarity', () => {
  test.each([
    ['abc', 'abc', 1],
    ['', '', 1],
    ['abc', '', 0],
    ['kitten', 'sitting', 1 - 3 / 7],
  ])('similarity(%j, %j) is %d', (a, b, expected) => {
    expect(similarity(a, b)).toBeCloseTo(expected);
  });
});

describe('windowsOf', () => {
  it('covers the text with windows overlapping by the longest match', () => {
    const windows = windowsOf(200_000, 65_536, 400);
    expect(windows[0]).toEqual([0, 65_536]);
    for (let i = 1; i < windows.length; i++) {
      const [from] = windows[i] as [number, number];
      const [, previousEnd] = windows[i - 1] as [number, number];
      expect(previousEnd - from).toBe(400);
    }
    expect(windows.at(-1)?.[1]).toBe(200_000);
    expect(windows.every(([from, to]) => to - from <= 65_536)).toBe(true);
  });

  it('puts the window holding the hint first', () => {
    const windows = windowsOf(200_000, 65_536, 400, 150_000);
    const [from, to] = windows[0] as [number, number];
    expect(from <= 150_000 && 150_000 < to).toBe(true);
  });
});

describe('matchQuoteInChunks', () => {
  const filler = (n: number) =>
    Array.from({ length: n }, (_, i) => `Item ${i}: the council met and adjourned without a vote.`).join(' ');

  it('yields between windows of at most 64k characters on a 1 MB text', async () => {
    const passage = 'investigators linked the intrusion to a contractor working for the security ministry';
    const before = filler(9000);
    const text = `${before} ${passage.replace('a contractor', 'an unnamed contractor')} ${filler(9000)}`;
    expect(text.length).toBeGreaterThan(1_000_000);
    let yields = 0;
    // No context and no hint: nothing ends the search early, every window is searched.
    const match = await matchQuoteInChunks(
      text,
      passage,
      {},
      {
        yieldFn: async () => {
          yields++;
        },
      },
    );
    expect(match && text.slice(match.start, match.end)).toBe(
      passage.replace('a contractor', 'an unnamed contractor'),
    );
    expect(yields).toBeGreaterThanOrEqual(Math.floor(text.length / DEFAULT_WINDOW));
  });

  it('honours yieldEvery but never exceeds the 64k cap', async () => {
    const text = filler(20_000);
    let small = 0;
    await matchQuoteInChunks(
      text,
      'nothing like this is in there at all',
      {},
      {
        yieldEvery: 16_384,
        yieldFn: async () => {
          small++;
        },
      },
    );
    let capped = 0;
    await matchQuoteInChunks(
      text,
      'nothing like this is in there at all',
      {},
      {
        yieldEvery: 10_000_000,
        yieldFn: async () => {
          capped++;
        },
      },
    );
    expect(small).toBeGreaterThanOrEqual(Math.floor(text.length / 16_384));
    expect(capped).toBeGreaterThanOrEqual(Math.floor(text.length / MAX_WINDOW));
    expect(capped).toBeLessThan(small);
  });

  it('finds a match near the hint without searching the whole text', async () => {
    const passage = 'the agency said the breach began in the spring of 2021';
    const text = `${filler(9000)} Intro. ${passage.replace('began', 'started')}. Outro ${filler(9000)}`;
    const start = text.indexOf('the agency said');
    let yields = 0;
    const match = await matchQuoteInChunks(
      text,
      passage,
      { prefix: ' Intro. ', suffix: '. Outro ', hint: start - 5000 },
      {
        yieldFn: async () => {
          yields++;
        },
      },
    );
    expect(match?.start).toBe(start);
    expect(yields).toBeLessThan(4);
  });

  it('agrees with matchQuote', async () => {
    const text = ARTICLE.replace('electronic intelligence', 'signals intelligence');
    const quote = "Canada's electronic intelligence agency says";
    const sync = matchQuote(text, quote, { suffix: ' the same hacking group' });
    const chunked = await matchQuoteInChunks(
      text,
      quote,
      { suffix: ' the same hacking group' },
      {
        yieldFn: async () => {},
      },
    );
    expect(chunked).toEqual(sync);
  });
});
