// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { unwrapAll, wrapMentions, wrapMentionsInOrder } from '@/lib/dom/highlighter';
import { MARKS_PER_FRAME, PageHighlighter } from '@/lib/dom/page-highlighter';
import { buildTextIndex, TextWalker } from '@/lib/dom/text-index';
import type { Dictionary } from '@/lib/match/dictionary';
import { Matcher } from '@/lib/match/matcher';

const dictionary: Dictionary = [
  { text: 'APT31', entityId: 'apt31', kind: 'actor', caseSensitive: true, ambiguous: false },
  { text: 'Fancy Bear', entityId: 'apt28', kind: 'actor', caseSensitive: true, ambiguous: false },
  {
    text: 'Ministry of State Security',
    entityId: 'cn-mss',
    kind: 'agency',
    caseSensitive: true,
    ambiguous: false,
  },
  { text: 'MSS', entityId: 'cn-mss', kind: 'agency', caseSensitive: true, ambiguous: false },
];
const matcher = Matcher.fromDictionary(dictionary);

function highlight(root: HTMLElement) {
  const index = buildTextIndex(root);
  return wrapMentions(index, matcher.findMentions(index.segments));
}

function marks(root: HTMLElement) {
  return [...root.querySelectorAll('attrib-mark')].map(
    (m) => `${m.textContent}=${m.getAttribute('data-attrib-entity')}`,
  );
}

describe('wrapMentions', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
  });

  it('wraps each mention in one attrib-mark whose text is the mention', () => {
    document.body.innerHTML = "<p>APT31's attack on the MSS and APT31 again.</p>";
    highlight(document.body);
    expect(marks(document.body)).toEqual(['APT31=apt31', 'MSS=cn-mss', 'APT31=apt31']);
    expect(document.body.textContent).toBe("APT31's attack on the MSS and APT31 again.");
  });

  it('wraps a mention split by inline markup as one element', () => {
    document.body.innerHTML =
      '<p>The <em>Fancy</em> Bear group and the Ministry of <a href="#">State Security</a>.</p>';
    highlight(document.body);
    expect(marks(document.body)).toEqual(['Fancy Bear=apt28', 'Ministry of State Security=cn-mss']);
    expect(document.body.querySelector('attrib-mark em')?.textContent).toBe('Fancy');
  });

  it('never touches forbidden elements', () => {
    const html =
      '<p>APT31</p><script>var a="APT31"</script><style>.APT31{}</style><textarea>APT31</textarea>' +
      '<input value="APT31"><code>APT31</code><pre>APT31</pre><div contenteditable="true">APT31 <b>MSS</b></div>' +
      '<noscript>APT31</noscript><select><option>APT31</option></select><svg><title>APT31</title><text>MSS</text></svg>';
    document.body.innerHTML = html;
    highlight(document.body);
    expect(marks(document.body)).toEqual(['APT31=apt31']);
    expect(document.body.innerHTML).toBe(
      html.replace(
        '<p>APT31</p>',
        '<p><attrib-mark data-attrib-entity="apt31" tabindex="0">APT31</attrib-mark></p>',
      ),
    );
  });

  it('restores the exact DOM and the same text nodes on unwrap', () => {
    const html =
      '<header><nav><a href="/">APT31 news</a></nav></header><article><h1>MSS and APT31</h1>' +
      '<p>The <em>Fancy</em> Bear group, APT31, MSS.</p><ul><li>Ministry of State Security</li></ul></article>';
    document.body.innerHTML = html;
    const paragraphText = document.querySelector('p')?.lastChild;
    const created = highlight(document.body);
    expect(created.length).toBe(7);
    expect(unwrapAll(document.body)).toBe(7);
    expect(document.body.innerHTML).toBe(html);
    expect(document.querySelector('p')?.lastChild).toBe(paragraphText);
    expect(document.querySelector('p')?.childNodes.length).toBe(3);
  });
});

describe('wrapMentionsInOrder', () => {
  // Several mentions per text node, names across inline markup, and nodes without names.
  const page = `<main>${Array.from(
    { length: 12 },
    (_, i) =>
      `<p>Para ${i}: APT31 and MSS, then <em>Fancy</em> Bear; the Ministry of State Security and APT31.</p><p>no names ${i}</p>`,
  ).join('')}</main>`;

  it('wraps from the top down, stops only between runs of one text node, and resumes to the same DOM', () => {
    document.body.innerHTML = page;
    const whole = buildTextIndex(document.body);
    wrapMentions(whole, matcher.findMentions(whole.segments));
    const expected = document.body.innerHTML;

    document.body.innerHTML = page;
    const index = buildTextIndex(document.body);
    const mentions = matcher.findMentions(index.segments);
    const nodeOf = (at: number) => index.segments.findLastIndex((segment) => segment.start <= at);
    let calls = 0;
    let offset = 0;
    let previousLast: Element | undefined;
    while (offset < mentions.length) {
      const { marks, consumed } = wrapMentionsInOrder(index, mentions.slice(offset), undefined, {
        shouldStop: (made) => made >= 3,
      });
      calls++;
      expect(consumed).toBeGreaterThan(0);
      // A call stops only where the next mention starts in a later text node than the last one.
      const next = mentions[offset + consumed];
      const last = mentions[offset + consumed - 1];
      if (next && last) expect(nodeOf(next.start)).toBeGreaterThan(nodeOf(last.end - 1));
      // Top first: every call's marks come after the previous call's in document order.
      const first = marks[0];
      if (first && previousLast) {
        expect(previousLast.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
      }
      previousLast = marks.at(-1) ?? previousLast;
      offset += consumed;
    }
    expect(calls).toBeGreaterThan(4);
    expect(document.body.innerHTML).toBe(expected);
  });

  it('highlights the first paragraph in the first call', () => {
    document.body.innerHTML = page;
    const index = buildTextIndex(document.body);
    const mentions = matcher.findMentions(index.segments);
    wrapMentionsInOrder(index, mentions, undefined, { shouldStop: () => true });
    const firstParagraph = document.querySelector('p') as HTMLElement;
    expect(document.querySelectorAll('attrib-mark').length).toBeGreaterThan(0);
    expect(firstParagraph.querySelectorAll('attrib-mark').length).toBe(
      document.querySelectorAll('attrib-mark').length,
    );
  });
});

describe('TextWalker.openBlock', () => {
  it('keeps a paragraph open when the walk pauses at a script inside it, and closes it at the next block', () => {
    // 64 nodes (the pause granularity) end just before the <script> in the paragraph.
    document.body.innerHTML = `<p>two${'<i></i>'.repeat(62)}<script>1</script>three</p><p>four</p>`;
    const walker = new TextWalker(document.body);
    const index = { segments: [], nodes: [] } as ReturnType<typeof buildTextIndex>;
    expect(walker.collect(index, undefined, () => true)).toBe(true);
    expect(walker.frontier?.nodeName).toBe('SCRIPT');
    const paragraphBlock = index.segments.at(-1)?.block as number;
    expect(walker.openBlock).toBe(paragraphBlock);
    // The rest of the walk: "three" joins the same block, "four" starts a later one.
    while (walker.collect(index)) {}
    expect(index.segments.map((segment) => segment.text)).toEqual(['two', 'three', 'four']);
    expect(index.segments[1]?.block).toBe(paragraphBlock);
    expect(index.segments[2]?.block).toBeGreaterThan(paragraphBlock);
    expect(walker.openBlock).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('PageHighlighter', () => {
  it('highlights content added after start and restores everything on stop', async () => {
    document.body.innerHTML = '<main><p>APT31 first.</p></main>';
    const original = document.body.innerHTML;
    const seen: Record<string, number>[] = [];
    const highlighter = new PageHighlighter(document, dictionary, {
      onScanned: (counts) => seen.push(counts),
    });
    expect(await highlighter.start()).toBe(1);
    const late = document.createElement('p');
    late.textContent = 'Later the MSS was named.';
    document.querySelector('main')?.append(late);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(marks(document.body)).toEqual(['APT31=apt31', 'MSS=cn-mss']);
    expect(seen.at(-1)).toEqual({ apt31: 1, 'cn-mss': 1 });
    highlighter.stop();
    late.remove();
    expect(document.body.innerHTML).toBe(original);
  });
});

describe('PageHighlighter on a page that rewrites itself', () => {
  const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

  it('gives the page its text back when it rewrites a text node we split (React-style nodeValue)', async () => {
    document.body.innerHTML = '<main><p>Attack by APT31 yesterday</p></main>';
    const paragraph = document.querySelector('p') as HTMLParagraphElement;
    const pageNode = paragraph.firstChild as Text;
    const highlighter = new PageHighlighter(document, dictionary);
    await highlighter.start();
    expect(marks(document.body)).toEqual(['APT31=apt31']);
    pageNode.data = 'Now the MSS is named';
    await settle();
    expect(paragraph.textContent).toBe('Now the MSS is named');
    expect(marks(document.body)).toEqual(['MSS=cn-mss']);
    highlighter.stop();
    expect(paragraph.innerHTML).toBe('Now the MSS is named');
  });

  it('survives the page removing or replacing our marks', async () => {
    document.body.innerHTML = '<main><p>APT31 and MSS</p><p>Fancy Bear</p></main>';
    const highlighter = new PageHighlighter(document, dictionary);
    await highlighter.start();
    document.querySelector('attrib-mark')?.remove();
    const main = document.querySelector('main') as HTMLElement;
    main.replaceChildren(Object.assign(document.createElement('p'), { textContent: 'Swapped: APT31 again' }));
    await settle();
    expect(marks(document.body)).toEqual(['APT31=apt31']);
    highlighter.stop();
    expect(main.innerHTML).toBe('<p>Swapped: APT31 again</p>');
  });

  it('handles content the page changes between two slices of a scan', async () => {
    document.body.innerHTML = `<main>${'<p>filler text with APT31 inside</p>'.repeat(50)}</main>`;
    let yields = 0;
    const scheduler = {
      yield: async () => {
        yields++;
        // The page rewrites the first paragraph while our scan is paused.
        if (yields === 1) (document.querySelector('p')?.firstChild as Text).data = 'changed, no name';
      },
      frame: async () => {},
    };
    const highlighter = new PageHighlighter(document, dictionary, { scheduler });
    // A tiny slice budget forces many yields.
    const realNow = performance.now.bind(performance);
    let tick = 0;
    performance.now = () => {
      tick += 10;
      return realNow() + tick;
    };
    try {
      await highlighter.start();
    } finally {
      performance.now = realNow;
    }
    await settle();
    expect(yields).toBeGreaterThan(1);
    expect(document.querySelector('p')?.textContent).toBe('changed, no name');
    expect(document.querySelectorAll('attrib-mark').length).toBe(49);
    for (const mark of document.querySelectorAll('attrib-mark')) expect(mark.textContent).toBe('APT31');
    highlighter.stop();
  });
});

describe('PageHighlighter next to other code that splits text nodes', () => {
  it('keeps its marks when a note highlight splits a text node it had split', async () => {
    document.body.innerHTML = '<main><p>Officials confirmed that APT31 also targeted Canada.</p></main>';
    const highlighter = new PageHighlighter(document, dictionary);
    await highlighter.start();
    const head = document.querySelector('p')?.firstChild as Text;
    // What a note highlighter does: split the page's node and wrap a piece.
    const piece = head.splitText(10);
    const note = document.createElement('attrib-note');
    piece.before(note);
    note.append(piece);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(document.querySelector('p')?.textContent).toBe(
      'Officials confirmed that APT31 also targeted Canada.',
    );
    expect(marks(document.body)).toEqual(['APT31=apt31']);
    highlighter.stop();
  });
});

describe('PageHighlighter when the page rewrites a highlighted node whole', () => {
  it('drops the mark around a text node the page rewrote in place and rescans it', async () => {
    document.body.innerHTML = '<main><p>Topics: <a href="/t">APT31</a> and more</p></main>';
    const link = document.querySelector('a') as HTMLAnchorElement;
    const pageNode = link.firstChild as Text;
    const highlighter = new PageHighlighter(document, dictionary);
    await highlighter.start();
    expect(marks(document.body)).toEqual(['APT31=apt31']);
    pageNode.data = 'Weather';
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(marks(document.body)).toEqual([]);
    expect(link.textContent).toBe('Weather');
    pageNode.data = 'MSS';
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(marks(document.body)).toEqual(['MSS=cn-mss']);
    highlighter.stop();
    expect(document.body.innerHTML).toBe('<main><p>Topics: <a href="/t">MSS</a> and more</p></main>');
  });
});

describe('PageHighlighter rescans with the block as context', () => {
  it('highlights an ambiguous name written into a span later, using its paragraph as context', async () => {
    const ambiguous: Dictionary = [
      ...dictionary,
      { text: 'Dark Halo', entityId: 'apt29', kind: 'actor', caseSensitive: true, ambiguous: true },
    ];
    document.body.innerHTML =
      '<main><p>The company blamed <span class="actor">an unidentified group</span> for the breach.</p><p>A Dark Halo film.</p></main>';
    const highlighter = new PageHighlighter(document, ambiguous);
    await highlighter.start();
    ((document.querySelector('span.actor') as HTMLElement).firstChild as Text).data = 'Dark Halo';
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(marks(document.body)).toEqual(['Dark Halo=apt29']);
    highlighter.stop();
  });

  it('counts an already highlighted name in the block as context for a later ambiguous one', async () => {
    const ambiguous: Dictionary = [
      ...dictionary,
      { text: 'Dark Halo', entityId: 'apt29', kind: 'actor', caseSensitive: true, ambiguous: true },
    ];
    document.body.innerHTML = '<main><p>APT31 and <b>someone</b>.</p></main>';
    const highlighter = new PageHighlighter(document, ambiguous);
    await highlighter.start();
    ((document.querySelector('b') as HTMLElement).firstChild as Text).data = 'Dark Halo';
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(marks(document.body)).toEqual(['APT31=apt31', 'Dark Halo=apt29']);
    highlighter.stop();
  });
});

describe('PageHighlighter pacing on a long page', () => {
  it('highlights the top before the end is scanned and waits for a frame every MARKS_PER_FRAME marks', async () => {
    document.body.innerHTML = `<main>${'<p>APT31 and MSS met Fancy Bear and APT31 again.</p>'.repeat(500)}</main>`;
    const events: string[] = [];
    // At each yield: were there marks while the last paragraph was still unhighlighted?
    let topFirst = false;
    const count = () => document.querySelectorAll('attrib-mark').length;
    let lastCount = 0;
    let maxBetweenFrames = 0;
    const scheduler = {
      yield: async () => {
        if (count() > 0 && !document.querySelector('main p:last-child attrib-mark')) topFirst = true;
        events.push('yield');
      },
      frame: async () => {
        maxBetweenFrames = Math.max(maxBetweenFrames, count() - lastCount);
        lastCount = count();
        events.push('frame');
      },
    };
    const highlighter = new PageHighlighter(document, dictionary, { scheduler });
    const realNow = performance.now.bind(performance);
    let tick = 0;
    // Every clock read is 0.25 ms later: slices end after a few hundred nodes.
    performance.now = () => {
      tick += 0.25;
      return realNow() + tick;
    };
    let created = 0;
    try {
      created = await highlighter.start();
    } finally {
      performance.now = realNow;
      highlighter.stop();
    }
    expect(created).toBe(500 * 4);
    maxBetweenFrames = Math.max(maxBetweenFrames, created - lastCount);
    expect(events).toContain('frame');
    expect(maxBetweenFrames).toBeLessThanOrEqual(MARKS_PER_FRAME);
    // The first paragraphs were highlighted while the end of the page was not yet.
    expect(topFirst).toBe(true);
  });
});

describe('PageHighlighter.countMentions', () => {
  it('follows marks the page removes', async () => {
    document.body.innerHTML = '<main><p>APT31 and MSS</p><p>APT31 again</p></main>';
    const highlighter = new PageHighlighter(document, dictionary);
    await highlighter.start();
    expect(highlighter.countMentions()).toEqual({ apt31: 2, 'cn-mss': 1 });
    document.querySelector('p')?.remove();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(highlighter.countMentions()).toEqual({ apt31: 1 });
    highlighter.stop();
    expect(highlighter.countMentions()).toEqual({});
  });
});
