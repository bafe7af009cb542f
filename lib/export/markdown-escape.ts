/**
 * Escaping for page and knowledge-base text placed in exported Markdown (CommonMark + GFM).
 * A quote is page text: it must read as text wherever the Markdown is rendered, never start a
 * heading, list, code block, HTML block, table or link. Backslash escapes of ASCII punctuation are
 * valid anywhere in CommonMark (spec §2.4), so we escape what could start a construct and leave
 * harmless punctuation (periods, commas, parentheses) readable.
 */

/**
 * One pass over the text finds everything to escape (one regex instead of five: exports escape
 * tens of thousands of lines):
 * - characters that start inline constructs: emphasis, code, links, images, HTML, tables,
 *   strikethrough (`\` `` ` `` `*` `_` `[` `]` `<` `>` `|` `~`) → a backslash before;
 * - `&` of an entity reference (`&amp;`, `&#60;`), which would be decoded → a backslash before;
 * - GFM extended autolinks (`https://…`, `www.…`, `name@host`) → a backslash after the scheme,
 *   after `www` and before `@`, which breaks the trigger and renders the same text.
 */
const INLINE_ESCAPES =
  /[\\`*_[\]<>|~]|&(?=#?[a-zA-Z0-9]+;)|\b(?:https?|ftp)(?=:\/\/)|\bwww(?=\.)|@(?=[A-Za-z0-9_-])/gi;
/** Characters that may end an e-mail autolink's local part (the `@` is only escaped after one). */
const EMAIL_LOCAL = /[A-Za-z0-9._+-]/;

/** Block constructs decided by the first characters of a line (after indentation, which we drop). */
const LINE_START_BLOCK = /^([#=+-])/;
const LINE_START_ORDERED = /^(\d{1,9})([.)])/;

/** Escapes text for use inside one line of Markdown (no line-start handling; see {@link escapeMarkdownLine}). */
export function escapeMarkdownInline(text: string): string {
  return text.replace(INLINE_ESCAPES, (match: string, offset: number, whole: string) => {
    if (match.length > 1) return `${match}\\`; // scheme or "www": escape the ":" or "." after it
    if (match === '@') return offset > 0 && EMAIL_LOCAL.test(whole[offset - 1] ?? '') ? '\\@' : '@';
    return `\\${match}`;
  });
}

/** Escapes one line that starts a Markdown line: inline escapes plus heading/list/setext markers. */
export function escapeMarkdownLine(line: string): string {
  return escapeLineStart(escapeMarkdownInline(line.trim()));
}

function escapeLineStart(escaped: string): string {
  return escaped.replace(LINE_START_BLOCK, '\\$1').replace(LINE_START_ORDERED, '$1\\$2');
}

/** Single-line text for a heading or a list item: whitespace collapsed, `#` escaped everywhere. */
export function escapeMarkdownHeading(text: string): string {
  return escapeLineStart(escapeMarkdownInline(text.replace(/\s+/g, ' ').trim()).replace(/#/g, '\\#'));
}

/**
 * Page text as a Markdown block quote: every line escaped and prefixed with `> `, leading
 * indentation dropped (it would make a code block), runs of blank lines collapsed to one.
 */
export function markdownBlockQuote(text: string): string {
  const lines: string[] = [];
  let blank = false;
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    if (line === '') {
      blank = lines.length > 0;
      continue;
    }
    if (blank) lines.push('>');
    blank = false;
    lines.push(`> ${escapeMarkdownLine(line)}`);
  }
  return lines.length > 0 ? lines.join('\n') : '>';
}

/**
 * A URL as a CommonMark autolink `<…>`. Characters an autolink cannot hold (space, `<`, `>`, quotes,
 * control characters) are percent-encoded; only http(s) URLs are linked, anything else is escaped text.
 */
export function markdownAutolink(url: string): string {
  if (!/^https?:\/\//i.test(url)) return escapeMarkdownInline(url);
  return `<${url.replace(/[\s<>"`\p{Cc}]/gu, (c) => encodeURIComponent(c))}>`;
}

/** A `[text](url)` link with escaped text; the URL is encoded as in {@link markdownAutolink}. */
export function markdownLink(text: string, url: string): string {
  if (!/^https?:\/\//i.test(url)) return escapeMarkdownInline(text);
  const safeUrl = url.replace(/[\s<>"`()\p{Cc}]/gu, (c) =>
    c === '(' ? '%28' : c === ')' ? '%29' : encodeURIComponent(c),
  );
  return `[${escapeMarkdownHeading(text)}](<${safeUrl}>)`;
}
