import { useLiveQuery } from 'dexie-react-hooks';
import { useDeferredValue, useMemo, useState } from 'react';
import { normalizeTag } from '@/lib/annotations/draft';
import type { Annotation } from '@/lib/annotations/schema';
import { useDb } from '../useEntityFacts';
import { NoteSummary } from './NoteBody';

interface Filters {
  text: string;
  tag: string;
  entity: string;
  site: string;
  from: string;
  to: string;
}

const EMPTY: Filters = { text: '', tag: '', entity: '', site: '', from: '', to: '' };

/** True when a note passes every filter (text search over quote and note, case-insensitive). */
export function noteMatches(note: Annotation, filters: Filters): boolean {
  const text = filters.text.trim().toLowerCase();
  if (text) {
    const haystack = `${note.selectors.quote.exact}\n${note.note}\n${note.pageTitle}`.toLowerCase();
    if (!text.split(/\s+/).every((word) => haystack.includes(word))) return false;
  }
  if (filters.tag && !note.tags.includes(filters.tag)) return false;
  if (filters.entity && !note.entityIds.includes(filters.entity)) return false;
  if (filters.site && note.site !== filters.site) return false;
  const day = note.createdAt.slice(0, 10);
  if (filters.from && day < filters.from) return false;
  if (filters.to && day > filters.to) return false;
  return true;
}

/** Every note, newest first, searchable and filterable; edit and delete with undo. */
export function AllNotes() {
  const db = useDb();
  const notes = useLiveQuery(() => db.annotations.orderBy('createdAt').reverse().toArray(), []);
  const entityNames = useLiveQuery(async () => {
    const ids = [...new Set((notes ?? []).flatMap((n) => n.entityIds))];
    const rows = await db.entities.bulkGet(ids);
    return new Map(rows.filter((r) => r !== undefined).map((r) => [r.id, r.name]));
  }, [notes]);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const deferred = useDeferredValue(filters);
  const [editing, setEditing] = useState<string | undefined>();
  const [undo, setUndo] = useState<Annotation | undefined>();

  const options = useMemo(() => {
    const list = notes ?? [];
    return {
      tags: [...new Set(list.flatMap((n) => n.tags))].sort(),
      sites: [...new Set(list.map((n) => n.site))].sort(),
      entities: [...new Set(list.flatMap((n) => n.entityIds))].sort(),
    };
  }, [notes]);
  const shown = useMemo(() => (notes ?? []).filter((note) => noteMatches(note, deferred)), [notes, deferred]);
  const set = (patch: Partial<Filters>) => setFilters((current) => ({ ...current, ...patch }));

  const remove = async (note: Annotation) => {
    await db.annotations.delete(note.id);
    setUndo(note);
  };

  return (
    <section className="al-all-notes" aria-label="All notes">
      <div className="al-filters">
        <input
          type="search"
          placeholder="Search quotes and notes"
          value={filters.text}
          onChange={(e) => set({ text: e.currentTarget.value })}
          aria-label="Search notes"
          data-testid="notes-search"
        />
        <select value={filters.tag} onChange={(e) => set({ tag: e.currentTarget.value })} aria-label="Tag">
          <option value="">All tags</option>
          {options.tags.map((tag) => (
            <option key={tag} value={tag}>
              #{tag}
            </option>
          ))}
        </select>
        <select
          value={filters.entity}
          onChange={(e) => set({ entity: e.currentTarget.value })}
          aria-label="Entity"
        >
          <option value="">All entities</option>
          {options.entities.map((id) => (
            <option key={id} value={id}>
              {entityNames?.get(id) ?? id}
            </option>
          ))}
        </select>
        <select value={filters.site} onChange={(e) => set({ site: e.currentTarget.value })} aria-label="Site">
          <option value="">All sites</option>
          {options.sites.map((site) => (
            <option key={site} value={site}>
              {site}
            </option>
          ))}
        </select>
        <label>
          From{' '}
          <input type="date" value={filters.from} onChange={(e) => set({ from: e.currentTarget.value })} />
        </label>
        <label>
          To <input type="date" value={filters.to} onChange={(e) => set({ to: e.currentTarget.value })} />
        </label>
      </div>
      {undo ? (
        <p className="al-undo" role="status">
          Note deleted.{' '}
          <button
            type="button"
            className="al-button"
            data-testid="undo-delete"
            onClick={() => {
              void db.annotations.put(undo);
              setUndo(undefined);
            }}
          >
            Undo
          </button>
        </p>
      ) : null}
      <p className="al-muted">
        {notes === undefined ? 'Loading…' : `${shown.length} of ${notes.length} notes, newest first`}
      </p>
      <ul className="al-note-list">
        {shown.map((note) => (
          <li key={note.id} className="al-note-item" data-testid="all-notes-row" data-note={note.id}>
            <a className="al-note-page" href={note.pageUrl} target="_blank" rel="noopener noreferrer">
              {note.pageTitle || note.pageUrl}
            </a>
            <span className="al-muted"> · {note.site}</span>
            {editing === note.id ? (
              <NoteEditForm note={note} onDone={() => setEditing(undefined)} />
            ) : (
              <>
                <NoteSummary note={note} />
                <div className="al-note-actions">
                  <button type="button" className="al-button" onClick={() => setEditing(note.id)}>
                    Edit
                  </button>
                  <button
                    type="button"
                    className="al-button al-button-danger"
                    onClick={() => void remove(note)}
                  >
                    Delete
                  </button>
                </div>
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function NoteEditForm({ note, onDone }: { note: Annotation; onDone(): void }) {
  const db = useDb();
  const [text, setText] = useState(note.note);
  const [tags, setTags] = useState(note.tags.join(', '));
  const save = async () => {
    const nextTags = [...new Set(tags.split(',').map(normalizeTag).filter(Boolean))];
    await db.annotations.put({ ...note, note: text, tags: nextTags, updatedAt: new Date().toISOString() });
    onDone();
  };
  return (
    <form
      className="al-form al-form-inline"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
      onKeyDown={(event) => {
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void save();
        if (event.key === 'Escape') onDone();
      }}
    >
      <textarea value={text} rows={4} onChange={(e) => setText(e.currentTarget.value)} aria-label="Note" />
      <input
        value={tags}
        onChange={(e) => setTags(e.currentTarget.value)}
        aria-label="Tags, comma-separated"
      />
      <div className="al-note-actions">
        <button type="submit" className="al-button al-button-primary">
          Save
        </button>
        <button type="button" className="al-button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
