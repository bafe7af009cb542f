import { marked } from 'marked';
import { describe, expect, it, test } from 'vitest';
import { exportMarkdown } from '@/lib/export/markdown';
import { escapeMarkdownLine, markdownBlockQuote } from '@/lib/export/markdown-escape';
import { makeAnnotation, sampleAnnotations, sampleContext } from './sample-data';

function linesOf(text: string): string[] {
  return text.split('\n');
}

describe('exportMarkdown', () => {
  const markdown = exportMarkdown(sampleAnnotations(), sampleContext());
  const lines = linesOf(markdown);

  it('starts with a title and a summary of annotations and pages', () => {
    expect(lines.slice(0, 3)).toEqual(['# Attribution Lens notes', '', '4 annotations on 2 pages']);
  });

  it('makes one section per page, sorted by title, with site, URL and published date', () => {
    const headings = lines.filter((line) => line.startsWith('## '));
    expect(headings).toEqual([
      '## Chinese hackers targeted Canadian MPs, security agency says',
      '## Germany blames APT28 for attack on party email',
    ]);
    expect(lines).toContain(
      'cbc.ca · <https://www.cbc.ca/news/politics/china-hackers-apt31-canada-1.7155731> · published 2024-03-25',
    );
    expect(lines).toContain('therecord.media · <https://therecord.media/germany-apt28-attribution>');
  });

  it('orders annotations in a page by their position in the page text', () => {
    const prosecutors = markdown.indexOf('> U.S. prosecutors say');
    const cse = markdown.indexOf('> CSE said it is almost certain');
    expect(prosecutors).toBeGreaterThan(0);
    expect(cse).toBeGreaterThan(prosecutors);
  });

  it('writes tags, entities with their sponsor, the claim block and the creation date', () => {
    const start = lines.indexOf(
      '> CSE said it is almost certain that APT31 targeted Canadian parliamentarians.',
    );
    expect(lines.slice(start, start + 14)).toEqual([
      '> CSE said it is almost certain that APT31 targeted Canadian parliamentarians.',
      '',
      'CSE only says *almost certain* here — weaker than the U.S. wording.',
      '',
      '- Tags: #apt31 #wording',
      '- Entities: APT31 (actor; sponsor: Hubei State Security Department), Communications Security Establishment (attributor)',
      '- Attribution claim:',
      '  - Attributor: Communications Security Establishment',
      '  - Actor: APT31',
      '  - Sponsor: Hubei State Security Department',
      '  - Confidence: “almost certain” (≈95/100 on the ICD 203 / PHIA yardsticks)',
      '  - Evidence: official statement',
      '- Created: 2024-03-26',
      '',
    ]);
  });

  it('keeps claim sides typed as text and omits the scale for wording off the yardsticks', () => {
    expect(lines).toContain('  - Attributor: German government');
    expect(lines).toContain('  - Confidence: “not likely”');
  });

  it('lists the official sources of the section’s entities as links at the end of the section', () => {
    const sources = lines.indexOf('**Sources**');
    const nextSection = lines.indexOf('## Germany blames APT28 for attack on party email');
    expect(sources).toBeGreaterThan(0);
    expect(sources).toBeLessThan(nextSection);
    expect(lines).toContain(
      '- [Seven Hackers Associated with Chinese Government Charged](<https://www.justice.gov/opa/pr/seven-hackers-associated-chinese-government-charged>) — U.S. Department of Justice, 2024-03-25',
    );
    expect(lines).toContain(
      '- [Statement on APT31 \\[March 2024\\]](<https://www.canada.ca/en/communications-security/news/2024/03/statement.html>) — CSE',
    );
  });

  it('escapes a quote so that it cannot make headings, links, HTML or lists', () => {
    expect(markdown).toContain(
      [
        '> \\# Breaking',
        '> \\[click here\\](https\\://evil.example) \\<img src=x onerror=alert(1)\\>',
        '> \\- not a list',
        '> 1\\. not ordered',
      ].join('\n'),
    );
    const html = marked.parse(markdown, { async: false, gfm: true });
    expect(html).not.toContain('<img');
    expect(html).not.toContain('href="https://evil.example"');
    expect(html.match(/<h1/g)).toHaveLength(1);
    expect(html.match(/<h2/g)).toHaveLength(2);
  });

  it('keeps the user’s note Markdown as written', () => {
    const annotation = makeAnnotation({
      note: '## My heading\n\n[link](https://example.org/x)\n\n```\ncode\n\n\nblock\n```',
    });
    expect(exportMarkdown([annotation], sampleContext())).toContain(annotation.note);
  });

  it('gives the same text for the same annotations in any input order', () => {
    const reversed = exportMarkdown([...sampleAnnotations()].reverse(), sampleContext());
    expect(reversed).toBe(markdown);
  });

  it('groups by tag with pages as subsections and untagged annotations last', () => {
    const byTag = linesOf(exportMarkdown(sampleAnnotations(), sampleContext(), { groupBy: 'tag' }));
    expect(byTag.filter((line) => line.startsWith('## '))).toEqual([
      '## #apt31',
      '## #front-company',
      '## #gru',
      '## #wording',
      '## Untagged',
    ]);
    expect(byTag).toContain('### Chinese hackers targeted Canadian MPs, security agency says');
  });

  it('groups by entity, including entities named only in a claim, and lists unlinked annotations last', () => {
    const byEntity = linesOf(exportMarkdown(sampleAnnotations(), sampleContext(), { groupBy: 'entity' }));
    expect(byEntity.filter((line) => line.startsWith('## '))).toEqual([
      '## APT31 (actor; sponsor: Hubei State Security Department)',
      '## Communications Security Establishment (attributor)',
      '## Ghostwriter (campaign)',
      '## Hubei State Security Department (agency)',
      '## Jane Doe (person)',
      '## No linked entity',
    ]);
  });

  it('lists all annotations chronologically (by instant, whatever the offset) with their page', () => {
    const all = exportMarkdown(sampleAnnotations(), sampleContext(), { groupBy: 'all' });
    // 19:30+02:00 is 17:30Z, before the 19:22Z annotation.
    const quotes = ['> CSE said', '> U.S. prosecutors', '> \\-2+3 said the GRU', '> \\# Breaking'];
    const positions = quotes.map((quote) => all.indexOf(quote));
    expect(positions.every((at) => at > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(all.match(/^### Germany blames APT28/gm)).toHaveLength(2);
  });

  it('reports progress at least every 500 annotations', () => {
    const many = Array.from({ length: 1201 }, (_, i) =>
      makeAnnotation({ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` }),
    );
    const calls: [number, number][] = [];
    exportMarkdown(many, sampleContext(), { onProgress: (done, total) => calls.push([done, total]) });
    expect(calls).toEqual([
      [0, 1201],
      [500, 1201],
      [1000, 1201],
      [1201, 1201],
    ]);
  });
});

describe('escapeMarkdownLine', () => {
  test.each([
    ['# heading', '\\# heading'],
    ['=== setext', '\\=== setext'],
    ['+ item', '\\+ item'],
    ['12) item', '12\\) item'],
    ['*bold* and _it_', '\\*bold\\* and \\_it\\_'],
    ['`code`', '\\`code\\`'],
    ['see www.example.com', 'see www\\.example.com'],
    ['mail press@cse.gc.ca', 'mail press\\@cse.gc.ca'],
    ['&amp; &#60;', '\\&amp; \\&#60;'],
    ['a | b ~~c~~', 'a \\| b \\~\\~c\\~\\~'],
    ['U.S. officials (anonymous) said', 'U.S. officials (anonymous) said'],
  ])('escapes %j as %j', (input, expected) => {
    expect(escapeMarkdownLine(input)).toBe(expected);
  });
});

describe('markdownBlockQuote', () => {
  it('drops indentation and collapses blank lines so the quote stays one block quote', () => {
    expect(markdownBlockQuote('    indented code?\n\n\n\nnext paragraph')).toBe(
      '> indented code?\n>\n> next paragraph',
    );
  });
});
