import DOMPurify from 'dompurify';
import { marked } from 'marked';

/** Tags a note may render. No images, media, frames or forms: nothing that loads or submits. */
const ALLOWED_TAGS = [
  'p',
  'br',
  'hr',
  'em',
  'strong',
  'del',
  's',
  'code',
  'pre',
  'blockquote',
  'ul',
  'ol',
  'li',
  'a',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'sup',
  'sub',
];
const SAFE_URL = /^(?:https?:|mailto:)/i;

/** One sanitizer per window: DOMPurify parses with the window it was made for. */
const purifiers = new WeakMap<Window, ReturnType<typeof DOMPurify>>();

function getPurifier(window: Window & typeof globalThis): ReturnType<typeof DOMPurify> {
  const known = purifiers.get(window);
  if (known) return known;
  const purifier = DOMPurify(window);
  purifiers.set(window, purifier);
  purifier.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A') {
      const href = node.getAttribute('href') ?? '';
      if (!SAFE_URL.test(href.trim())) node.removeAttribute('href');
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    }
  });
  return purifier;
}

/**
 * Renders a note's Markdown to HTML that is safe to insert: marked for the Markdown, DOMPurify with
 * a short allow-list (no images, scripts, styles or event handlers; links only http(s)/mailto and
 * opened in a new tab). The only way user text becomes HTML anywhere in the extension.
 */
export function renderNoteMarkdown(
  markdown: string,
  window: Window & typeof globalThis = globalThis.window,
): string {
  const sanitizer = getPurifier(window);
  // Without a working sanitizer (odd DOMs) the note is shown as plain text, never as HTML.
  if (!sanitizer.isSupported) return `<p>${escapeHtml(markdown)}</p>`;
  const html = marked.parse(markdown, { async: false, gfm: true, breaks: true });
  return sanitizer.sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR: ['href', 'title', 'target', 'rel'],
    ALLOW_DATA_ATTR: false,
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
