// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, test } from 'vitest';
import type { Selectors } from '@/lib/annotations/schema';
import { Selectors as SelectorsSchema } from '@/lib/annotations/schema';
import { anchor, describeRange, FlatText, rangeSelectorToRange } from '@/lib/dom/anchoring';
import { unwrapAll } from '@/lib/dom/highlighter';
import { highlightNote, removeNoteHighlights } from '@/lib/dom/note-highlighter';
import type { Dictionary } from '@/lib/match/dictionary';
import { Matcher } from '@/lib/match/matcher';
import { highlightEntities, rangeOf } from './page-helpers';

const ARTICLE = `
<header class="site-header"><nav><a href="/">Home</a> <a href="/politics">Politics</a></nav>
  <form class="search"><input name="q" value="APT31 hackers"></form></header>
<main>
  <article>
    <h1 class="headline">Canada targeted by same Chinese hackers the U.S., U.K. accuse</h1>
    <p class="byline">By <a href="/news/staff">Catharine Tunney</a> · CBC News</p>
    <p>Canada's electronic intelligence agency says the same hacking group accused by the U.K. and the U.S. has also targeted Canada.</p>
    <p>The <em>Communications Security Establishment</em> said on Tuesday that APT31, a group tied to China's Ministry of State Security, probed the networks of members of Parliament in 2021.</p>
    <script>window.dataLayer.push({ event: "article", text: "probed the networks" });</script>
    <p>"We are aware of the activity," a spokesperson said. Officials in London said the same group was behind an attack on the Electoral Commission.</p>
    <aside data-attrib-lens-ui="">probed the networks of members of Parliament</aside>
    <p>The group is also known as Zirconium and Judgment Panda, according to <a href="https://example.com/report">a report by Microsoft</a> published last year.</p>
  </article>
</main>
<footer>© CBC/Radio-Canada</footer>`;

const dictionary: Dictionary = [
  { text: 'APT31', entityId: 'apt31', kind: 'actor', caseSensitive: true, ambiguous: false },
  {
    text: 'Ministry of State Security',
    entityId: 'cn-mss',
    kind: 'agency',
    caseSensitive: true,
    ambiguous: false,
  },
  {
    text: 'Communications Security Establishment',
    entityId: 'ca-cse',
    kind: 'agency',
    caseSensitive: true,
    ambiguous: false,
  },
];
const matcher = Matcher.fromDictionary(dictionary);

/** Replaces `from` with `to` inside the text node that holds it. */
function editText(root: Element, from: string, to: string): void {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node as Text;
    if (text.data.includes(from)) {
      text.data = text.data.replace(from, to);
      return;
    }
  }
  throw new Error(`"${from}" not found in one text node`);
}

const immediate = async () => {};

describe('describeRange', () => {
  beforeEach(() => {
    document.body.innerHTML = ARTICLE;
  });

  it('stores the quote with 32 characters of context, its position and container paths', () => {
    const root = document.body;
    const quote = 'probed the networks of members of Parliament';
    const selectors = describeRange(root, rangeOf(root, quote));
    expect(SelectorsSchema.parse(selectors)).toEqual(selectors);
    expect(selectors.quote.exact).toBe(quote);
    expect(selectors.quote.prefix).toHaveLength(32);
    expect(selectors.quote.prefix.endsWith('Ministry of State Security, ')).toBe(true);
    expect(selectors.quote.suffix).toBe(' in 2021.\n    \n    "We are aware');
    const text = FlatText.of(root).text;
    expect(text.slice(selectors.position?.start, selectors.position?.end)).toBe(quote);
    expect(selectors.range).toMatchObject({
      startContainer: '/main[1]/article[1]/p[3]',
      endContainer: '/main[1]/article[1]/p[3]',
    });
  });

  it('leaves scripts, form fields and our UI out of the text coordinates', () => {
    const text = FlatText.of(document.body).text;
    expect(text).not.toContain('dataLayer');
    expect(text).not.toContain('APT31 hackers');
    expect(text.match(/probed the networks/g)).toHaveLength(1);
  });

  it('gives the same selectors whether entity and note highlights are on the page or not', () => {
    const root = document.body;
    const range = () => rangeOf(root, 'said on Tuesday that APT31, a group tied to China');
    const plain = describeRange(root, range());
    highlightEntities(root, matcher);
    highlightNote(rangeOf(root, 'Tuesday that APT31'), 'other-note');
    expect(root.querySelectorAll('attrib-mark').length).toBeGreaterThan(0);
    expect(describeRange(root, range())).toEqual(plain);
  });

  it('describes a range given by element boundaries', () => {
    const paragraph = document.querySelectorAll('article p')[1] as HTMLParagraphElement;
    const range = document.createRange();
    range.selectNodeContents(paragraph);
    const selectors = describeRange(document.body, range);
    expect(selectors.quote.exact).toBe(paragraph.textContent);
  });

  it('leaves the whitespace at either end out of the quote', () => {
    const article = document.querySelector('article') as HTMLElement;
    const range = document.createRange();
    // Like a triple-click: from the end of the byline to the start of the next paragraph.
    const byline = article.querySelectorAll('p')[0] as HTMLParagraphElement;
    range.setStart(byline, byline.childNodes.length);
    range.setEnd(article.querySelectorAll('p')[2] as HTMLParagraphElement, 0);
    const selectors = describeRange(document.body, range);
    expect(selectors.quote.exact).toBe(article.querySelectorAll('p')[1]?.textContent);
    expect(selectors.range?.startContainer).toBe('/main[1]/article[1]/p[2]');
    expect(selectors.range?.startOffset).toBe(0);
  });

  it('rejects a passage longer than a quote may be', () => {
    document.body.innerHTML = `<p>${'word '.repeat(4001)}</p>`;
    const range = document.createRange();
    range.selectNodeContents(document.body);
    expect(() => describeRange(document.body, range)).toThrow(RangeError);
  });

  it('rejects a range without page text', () => {
    const range = document.createRange();
    range.selectNodeContents(document.querySelector('script') as HTMLScriptElement);
    expect(() => describeRange(document.body, range)).toThrow(RangeError);
  });

  it('round-trips the range selector', () => {
    const root = document.body;
    const quote = 'Security Establishment</em> said on Tuesday';
    const selectors = describeRange(root, rangeOf(root, 'Security Establishment said on Tuesday'));
    expect(quote).toContain('</em>');
    const selector = selectors.range;
    if (!selector) throw new Error('no range selector');
    expect(selector.startContainer).toBe('/main[1]/article[1]/p[3]/em[1]');
    expect(rangeSelectorToRange(root, selector)?.toString()).toBe('Security Establishment said on Tuesday');
    expect(rangeSelectorToRange(root, { ...selector, startContainer: '/main[1]/article[9]' })).toBeNull();
  });
});

describe('anchor', () => {
  let selectors: Selectors;
  const quote = 'probed the networks of members of Parliament in 2021';

  beforeEach(() => {
    document.body.innerHTML = ARTICLE;
    selectors = describeRange(document.body, rangeOf(document.body, quote));
  });

  it('anchors by position on the unchanged page', async () => {
    const anchored = await anchor(document.body, selectors, { yieldFn: immediate });
    expect(anchored?.method).toBe('position');
    expect(anchored?.range.toString()).toBe(quote);
  });

  test.each([
    [
      'a paragraph inserted above',
      () => {
        const p = document.createElement('p');
        p.textContent = 'Update: this story has been updated with comment from the ministry.';
        document.querySelector('article h1')?.after(p);
      },
    ],
    [
      'an ad block inserted before the passage',
      () => {
        const ad = document.createElement('div');
        ad.className = 'ad-slot';
        ad.innerHTML = '<p>Advertisement</p><p>Story continues below</p>';
        document.querySelectorAll('article p')[2]?.before(ad);
      },
    ],
    [
      'paragraphs reordered',
      () => {
        const paragraphs = document.querySelectorAll('article p');
        paragraphs[3]?.after(paragraphs[2] as Element);
      },
    ],
    ['words removed before the passage', () => editText(document.body, ' on Tuesday', '')],
  ])('anchors by exact quote after %s', async (_name, perturb) => {
    perturb();
    const anchored = await anchor(document.body, selectors, { yieldFn: immediate });
    expect(anchored?.method).toBe('quote');
    expect(anchored?.range.toString()).toBe(quote);
  });

  test.each([
    [
      'a word inserted inside',
      'networks of members',
      'networks of several members',
      'probed the networks of several members of Parliament in 2021',
    ],
    [
      'a word removed inside',
      'members of Parliament',
      'Parliament',
      'probed the networks of Parliament in 2021',
    ],
    [
      'double spaces inside',
      'of members of',
      'of  members  of',
      'probed the networks of  members  of Parliament in 2021',
    ],
  ])('anchors by fuzzy quote after %s', async (_name, from, to, expected) => {
    editText(document.body, from, to);
    const anchored = await anchor(document.body, selectors, { yieldFn: immediate });
    expect(anchored?.method).toBe('fuzzy');
    expect(anchored?.range.toString()).toBe(expected);
  });

  it('does not trust the position when words were added against the end of the quote', async () => {
    const selectors = describeRange(document.body, rangeOf(document.body, 'members of Parliament in'));
    editText(document.body, 'Parliament in 2021', 'Parliament increasingly in 2021');
    // The old position still holds "members of Parliament in" exactly, now cutting "increasingly".
    const text = FlatText.of(document.body).text;
    expect(text.slice(selectors.position?.start, selectors.position?.end)).toBe('members of Parliament in');
    const anchored = await anchor(document.body, selectors, { yieldFn: immediate });
    expect(anchored?.method).toBe('fuzzy');
    expect(anchored?.range.toString()).toBe('members of Parliament increasingly in');
  });

  it('anchors a quote crossing <em> and entity marks, with marks added after describing', async () => {
    const root = document.body;
    const crossing = 'Security Establishment said on Tuesday that APT31, a group tied to China';
    const described = describeRange(root, rangeOf(root, crossing));
    highlightEntities(root, matcher);
    expect(root.querySelector('attrib-mark em, em attrib-mark')).not.toBeNull();
    const anchored = await anchor(root, described, { yieldFn: immediate });
    expect(anchored?.method).toBe('position');
    expect(anchored?.range.toString()).toBe(crossing);
    // The publisher then rewords it; the marks stay transparent for fuzzy matching too.
    editText(root, 'said on Tuesday that', 'said Tuesday that');
    const fuzzy = await anchor(root, described, { yieldFn: immediate });
    expect(fuzzy?.method).toBe('fuzzy');
    expect(fuzzy?.range.toString()).toBe(crossing.replace(' on Tuesday', ' Tuesday'));
    unwrapAll(root);
  });

  it('anchors a passage that spans two paragraphs', async () => {
    const spanning = 'targeted Canada.\n    The Communications';
    const described = describeRange(document.body, rangeOf(document.body, spanning));
    document.querySelector('article h1')?.remove();
    const anchored = await anchor(document.body, described, { yieldFn: immediate });
    expect(anchored?.method).toBe('quote');
    expect(anchored?.range.toString()).toBe(spanning);
  });

  it('orphans an annotation whose passage is gone', async () => {
    editText(document.body, `, ${quote}`, '');
    expect(await anchor(document.body, selectors, { yieldFn: immediate })).toBeNull();
  });

  it('orphans an annotation whose passage was rewritten', async () => {
    editText(document.body, quote, 'accessed email accounts of several MPs that year');
    expect(await anchor(document.body, selectors, { yieldFn: immediate })).toBeNull();
  });

  it('does not find text that is only in a script, a form field or our UI', async () => {
    const hidden: Selectors = {
      quote: { type: 'TextQuoteSelector', exact: 'APT31 hackers', prefix: '', suffix: '' },
    };
    expect(await anchor(document.body, hidden, { yieldFn: immediate })).toBeNull();
  });

  it('works with the default yield and with note highlights already on the page', async () => {
    highlightNote(rangeOf(document.body, 'members of Parliament in 2021.\n    \n    "We are'), 'other');
    const anchored = await anchor(document.body, selectors);
    expect(anchored?.method).toBe('position');
    expect(anchored?.range.toString()).toBe(quote);
    removeNoteHighlights(document.body);
  });

  it('rejects when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(anchor(document.body, selectors, { signal: controller.signal })).rejects.toThrow();
  });

  it('starts again when the page changes the matched text while it yields', async () => {
    let calls = 0;
    const yieldFn = async () => {
      calls++;
      // First fuzzy step: the page rewrites the paragraph (a framework re-render).
      if (calls === 1) editText(document.body, 'networks of many members', 'networks of all members');
    };
    editText(document.body, 'networks of members', 'networks of many members');
    const anchored = await anchor(document.body, selectors, { yieldFn });
    expect(anchored?.range.toString()).toBe('probed the networks of all members of Parliament in 2021');
  });

  it('anchors on a large page while yielding', async () => {
    const filler = Array.from(
      { length: 3000 },
      (_, i) => `<p>Filler paragraph ${i} about municipal budgets and road repairs.</p>`,
    ).join('');
    document.querySelector('main')?.insertAdjacentHTML('afterbegin', filler);
    editText(document.body, 'networks of members', 'networks of several members');
    let yields = 0;
    const anchored = await anchor(document.body, selectors, {
      yieldFn: async () => {
        yields++;
      },
    });
    expect(anchored?.method).toBe('fuzzy');
    expect(anchored?.range.toString()).toBe('probed the networks of several members of Parliament in 2021');
    expect(yields).toBeGreaterThan(0);
  });
});
