import { useMemo } from 'react';
import { renderNoteMarkdown } from '@/lib/annotations/render-markdown';
import type { Annotation } from '@/lib/annotations/schema';

/** A note's Markdown, rendered through the sanitizer (the only HTML made from user text). */
export function NoteMarkdown({ markdown }: { markdown: string }) {
  const html = useMemo(() => renderNoteMarkdown(markdown), [markdown]);
  // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized by renderNoteMarkdown.
  return <div className="al-note-body" data-testid="note-body" dangerouslySetInnerHTML={{ __html: html }} />;
}

/** The quote, note, tags and claim of one annotation, compact. */
export function NoteSummary({ note }: { note: Annotation }) {
  const quote = note.selectors.quote.exact;
  return (
    <div className="al-note-summary">
      <blockquote className="al-note-quote">
        {quote.length > 220 ? `${quote.slice(0, 220)}…` : quote}
      </blockquote>
      {note.note ? <NoteMarkdown markdown={note.note} /> : null}
      <div className="al-note-meta">
        {note.tags.map((tag) => (
          <span key={tag} className="al-tag">
            #{tag}
          </span>
        ))}
        {note.claim?.confidence ? <span className="al-confidence">“{note.claim.confidence}”</span> : null}
        <time dateTime={note.createdAt}>{note.createdAt.slice(0, 10)}</time>
      </div>
    </div>
  );
}
