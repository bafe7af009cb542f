// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { unwrapAll } from '@/lib/dom/highlighter';
import {
  highlightNote,
  isNoteMutation,
  NOTE_ATTRIBUTE,
  noteHighlightsOf,
  removeNoteHighlights,
} from '@/lib/dom/note-highlighter';
import { PageHighlighter } from '@/lib/dom/page-highlighter';
import type { Dictionary } from '@/lib/match/dictionary';
import { Matcher } from '@/lib/match/matcher';
import { highlightEntities, rangeOf } from './page-helpers';

const dictionary: Dictionary = [
  { text: 'APT31', entityId: 'apt31', kind: 'actor', caseSensitive: true, ambiguous: false },
  {
    text: 'Ministry of State Security',
    entityId: 'cn-mss',
    kind: 'agency',
    caseSensitive: true,
    ambiguous: false,
  },
  { text: 'Fancy Bear', entityId: 'apt28', kind: 'actor', caseSensitive: true, ambiguous: false },
];
const matcher = Matcher.fromDictionary(dictionary);

const PAGE =
  '<article>\n  <h1>Hackers named</h1>\n  <p>Officials said <em>APT31</em>, a group tied to the ' +
  '<a href="/mss">Ministry of State Security</a>, was behind it.</p>\n  <script>var s = "behind it";</script>\n' +
  '  <p>The <b>Fancy</b> Bear group denied it. <span>Nobody</span> <i>else</i> commented.</p>\n' +
  '  <table><tbody><tr><td>APT31</td> <td>China</td></tr></tbody></table>\n</article>';

/** The text each note element holds, joined per annotation. */
function noteText(root: Element, id: string): string {
  return noteHighlightsOf(root, id)
    .map((element) => element.textContent)
    .join('|');
}

describe('highlightNote', () => {
  beforeEach(() => {
    document.body.innerHTML = PAGE;
  });

  it('wraps a passage inside one text node and restores the same DOM and text nodes', () => {
    const paragraph = document.querySelectorAll('p')[1] as HTMLParagraphElement;
    const textNode = paragraph.childNodes[2] as Text;
    const created = highlightNote(rangeOf(document.body, 'group denied'), 'n1');
    expect(created).toHaveLength(1);
    expect(created[0]?.outerHTML).toBe(
      '<attrib-note data-attrib-note="n1" tabindex="0">group denied</attrib-note>',
    );
    expect(document.body.textContent).toBe(
      new DOMParser().parseFromString(PAGE, 'text/html').body.textContent,
    );
    expect(removeNoteHighlights(document.body, 'n1')).toBe(1);
    expect(document.body.innerHTML).toBe(PAGE);
    expect(paragraph.childNodes[2]).toBe(textNode);
    expect(paragraph.childNodes).toHaveLength(7);
  });

  it('wraps every piece across inline elements and blocks, skipping whitespace between blocks and scripts', () => {
    const passage = 'behind it.\n  \n  The Fancy Bear group denied it. Nobody else';
    const range = rangeOf(document.body, passage);
    const created = highlightNote(range, 'n2');
    expect(noteText(document.body, 'n2')).toBe('behind it.|The |Fancy| Bear group denied it. |Nobody| |else');
    expect(created.map((element) => element.getAttribute(NOTE_ATTRIBUTE))).toEqual(Array(7).fill('n2'));
    expect(document.querySelector('script')?.innerHTML).toBe('var s = "behind it";');
    removeNoteHighlights(document.body);
    expect(document.body.innerHTML).toBe(PAGE);
  });

  it('never wraps inside skipped elements or whitespace between table cells', () => {
    const range = document.createRange();
    range.selectNodeContents(document.querySelector('table') as HTMLTableElement);
    highlightNote(range, 'n3');
    expect(noteText(document.body, 'n3')).toBe('APT31|China');
    expect(document.querySelector('tr')?.childNodes[1]?.nodeName).toBe('#text');
    const scriptRange = document.createRange();
    scriptRange.selectNodeContents(document.querySelector('script') as HTMLScriptElement);
    expect(highlightNote(scriptRange, 'n4')).toEqual([]);
    removeNoteHighlights(document.body);
    expect(document.body.innerHTML).toBe(PAGE);
  });

  it('coexists with entity marks applied first, and either can be removed first', () => {
    const marks = highlightEntities(document.body, matcher);
    expect(marks.map((mark) => mark.textContent)).toEqual([
      'APT31',
      'Ministry of State Security',
      'Fancy Bear',
      'APT31',
    ]);
    const withEntities = document.body.innerHTML;
    // Starts inside an entity mark, crosses <em>, a mark and <a>, ends inside the next mark.
    const passage = '31, a group tied to the Ministry of State Security, was behind it.\n  \n  The Fancy';
    highlightNote(rangeOf(document.body, passage), 'n5');
    expect(noteText(document.body, 'n5').replaceAll('|', '')).toBe(passage.replace(/\n {2}\n {2}/, ''));
    expect(document.body.textContent).toBe(
      new DOMParser().parseFromString(PAGE, 'text/html').body.textContent,
    );

    // Notes removed first: the entity-highlighted page comes back exactly.
    removeNoteHighlights(document.body, 'n5');
    expect(document.body.innerHTML).toBe(withEntities);
    unwrapAll(document.body);
    expect(document.body.innerHTML).toBe(PAGE);

    // Entities removed first: the notes stay whole, then the page comes back exactly.
    highlightEntities(document.body, matcher);
    highlightNote(rangeOf(document.body, passage), 'n5');
    unwrapAll(document.body);
    expect(document.querySelectorAll('attrib-mark')).toHaveLength(0);
    expect(noteText(document.body, 'n5').replaceAll('|', '')).toBe(passage.replace(/\n {2}\n {2}/, ''));
    removeNoteHighlights(document.body);
    expect(document.body.innerHTML).toBe(PAGE);
  });

  it('coexists with entity marks applied after it, and either can be removed first', () => {
    const passage = 'Officials said APT31, a group tied to the Ministry of State Security, was';
    highlightNote(rangeOf(document.body, passage), 'n6');
    const withNote = document.body.innerHTML;
    const marks = highlightEntities(document.body, matcher);
    expect(marks.map((mark) => mark.textContent)).toEqual([
      'APT31',
      'Ministry of State Security',
      'Fancy Bear',
      'APT31',
    ]);
    expect(noteText(document.body, 'n6')).toBe(
      'Officials said |APT31|, a group tied to the |Ministry of State Security|, was',
    );
    const withBoth = document.body.innerHTML;

    removeNoteHighlights(document.body, 'n6');
    expect(document.querySelectorAll('attrib-mark')).toHaveLength(4);
    unwrapAll(document.body);
    expect(document.body.innerHTML).toBe(PAGE);

    document.body.innerHTML = withBoth;
    // A fresh DOM parsed from HTML: nothing was split by us, unwrapping still restores the markup.
    unwrapAll(document.body);
    expect(document.body.innerHTML).toBe(withNote);
    removeNoteHighlights(document.body);
    expect(document.body.innerHTML).toBe(PAGE);
  });

  it('keeps overlapping notes apart and removes one without the other', () => {
    highlightNote(rangeOf(document.body, 'a group tied to the Ministry'), 'a');
    highlightNote(rangeOf(document.body, 'tied to the Ministry of State'), 'b');
    expect(noteText(document.body, 'a')).toBe('a group tied to the |Ministry');
    expect(noteText(document.body, 'b')).toBe('tied to the |Ministry| of State');
    removeNoteHighlights(document.body, 'a');
    expect(noteText(document.body, 'a')).toBe('');
    expect(noteText(document.body, 'b')).toBe('tied to the |Ministry| of State');
    removeNoteHighlights(document.body, 'b');
    expect(document.body.innerHTML).toBe(PAGE);
  });

  it('finds notes by id without building a selector from the id', () => {
    const id = 'x"] , p, [a="';
    highlightNote(rangeOf(document.body, 'Hackers'), id);
    expect(noteHighlightsOf(document.body, id)).toHaveLength(1);
    expect(noteHighlightsOf(document.body, 'other')).toHaveLength(0);
    expect(removeNoteHighlights(document.body, 'other')).toBe(0);
    expect(removeNoteHighlights(document.body, id)).toBe(1);
    expect(document.body.innerHTML).toBe(PAGE);
  });

  it('does nothing for a collapsed range', () => {
    const range = rangeOf(document.body, 'Hackers');
    range.collapse(true);
    expect(highlightNote(range, 'n7')).toEqual([]);
  });
});

describe('isNoteMutation', () => {
  it('recognises the records of highlighting and unhighlighting, not the page rewriting text', async () => {
    document.body.innerHTML = PAGE;
    const records: MutationRecord[] = [];
    const observer = new MutationObserver((batch) => records.push(...batch));
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    highlightNote(rangeOf(document.body, 'group tied to'), 'n8');
    removeNoteHighlights(document.body);
    records.push(...observer.takeRecords());
    const characterData = records.filter((record) => record.type === 'characterData');
    expect(characterData.length).toBeGreaterThan(0);
    expect(characterData.every(isNoteMutation)).toBe(true);

    const pageNode = document.querySelector('h1')?.firstChild as Text;
    pageNode.data = 'Hackers renamed';
    const [rewrite] = observer.takeRecords();
    expect(rewrite && isNoteMutation(rewrite)).toBe(false);
    observer.disconnect();
  });
});

describe('highlightNote with a running PageHighlighter', () => {
  const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

  it('keeps the page text when a note splits a text node the entity highlighter split', async () => {
    document.body.innerHTML = '<main><p>The APT31 group said it was not involved.</p></main>';
    const highlighter = new PageHighlighter(document, dictionary);
    await highlighter.start();
    const withEntities = document.body.innerHTML;
    highlightNote(rangeOf(document.body, 'group said'), 'n9');
    await settle();
    expect(document.body.textContent).toBe('The APT31 group said it was not involved.');
    expect(document.querySelectorAll('attrib-mark')).toHaveLength(1);
    removeNoteHighlights(document.body, 'n9');
    expect(document.body.innerHTML).toBe(withEntities);
    highlighter.stop();
    expect(document.body.innerHTML).toBe('<main><p>The APT31 group said it was not involved.</p></main>');
  });

  it('starts entity highlighting on a page with notes and stops it without touching them', async () => {
    document.body.innerHTML = '<main><p>The APT31 group said it was not involved.</p></main>';
    const original = document.body.innerHTML;
    highlightNote(rangeOf(document.body, 'APT31 group'), 'n10');
    const withNote = document.body.innerHTML;
    const highlighter = new PageHighlighter(document, dictionary);
    await highlighter.start();
    expect(noteText(document.body, 'n10')).toBe('APT31 group');
    expect(document.querySelector('attrib-note attrib-mark')?.textContent).toBe('APT31');
    highlighter.stop();
    expect(document.body.innerHTML).toBe(withNote);
    removeNoteHighlights(document.body);
    expect(document.body.innerHTML).toBe(original);
  });

  // Unwrapping merges our split text back (appendData): a characterData record in which the node
  // grew. PageHighlighter used to take that for the page rewriting the node and drop the pieces it
  // split from it, deleting "APT31" from the page; its observer now skips isNoteMutation() records.
  it('keeps the page text when removing a note merges text while entity highlighting runs', async () => {
    document.body.innerHTML = '<main><p>The APT31 group said it was not involved.</p></main>';
    const highlighter = new PageHighlighter(document, dictionary);
    await highlighter.start();
    highlightNote(rangeOf(document.body, 'group said'), 'n11');
    await settle();
    removeNoteHighlights(document.body, 'n11');
    await settle();
    expect(document.body.textContent).toBe('The APT31 group said it was not involved.');
    highlighter.stop();
  });
});

describe('removeNoteHighlights after the page rewrote a node', () => {
  it('drops the stale pieces instead of appending them to the new text', () => {
    document.body.innerHTML = '<p>Officials said the group was behind it.</p>';
    const pageNode = document.querySelector('p')?.firstChild as Text;
    highlightNote(rangeOf(document.body, 'the group'), 'n12');
    expect(pageNode.data).toBe('Officials said ');
    // React-style update: the framework sets the text of the node it created.
    pageNode.data = 'Officials now say another group was behind it.';
    removeNoteHighlights(document.body, 'n12');
    expect(document.body.innerHTML).toBe('<p>Officials now say another group was behind it.</p>');
  });
});
