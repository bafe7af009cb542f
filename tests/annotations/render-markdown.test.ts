// @vitest-environment jsdom
import { describe, expect, it, test } from 'vitest';
import { renderNoteMarkdown } from '@/lib/annotations/render-markdown';

describe('renderNoteMarkdown', () => {
  it('renders ordinary Markdown', () => {
    const html = renderNoteMarkdown(
      'CSE says **almost certain** — see [the statement](https://www.cse-cst.gc.ca/en)',
    );
    expect(html).toContain('<strong>almost certain</strong>');
    expect(html).toContain('href="https://www.cse-cst.gc.ca/en"');
    expect(html).toContain('rel="noopener noreferrer"');
  });

  test.each([
    ['<img src=x onerror=alert(1)>', /<img|onerror/],
    ['[click](javascript:alert(1))', /javascript:/],
    ['<a href="javascript:alert(1)">x</a>', /javascript:/],
    ['<script>alert(1)</script>', /<script/],
    ['<svg onload=alert(1)><circle/></svg>', /<svg|onload/],
    ['<iframe src="https://evil.example"></iframe>', /<iframe/],
    ['![pixel](https://tracker.example/p.gif)', /<img|tracker/],
    ['<div style="background:url(https://x)" onclick="alert(1)">hi</div>', /style=|onclick/],
    ['[x](data:text/html;base64,PHNjcmlwdD4=)', /data:/],
    ['[x](JaVaScRiPt:alert(1))', /javascript:/i],
    ['<a href="jav&#x09;ascript:alert(1)">x</a>', /href=/],
    ['<form action="https://evil.example"><input name=q></form>', /<form|<input/],
    ['<details open ontoggle=alert(1)>x</details>', /ontoggle|<details/],
    ['<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>', /<math|<style|<img|onerror/],
    ['<noscript><p title="</noscript><img src=x onerror=alert(1)>">', /<img|onerror/],
  ])('renders %s inert', (markdown, forbidden) => {
    expect(renderNoteMarkdown(markdown)).not.toMatch(forbidden);
  });
});
