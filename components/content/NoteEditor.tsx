import { useEffect, useId, useRef, useState } from 'react';
import { CONFIDENCE_SUGGESTIONS, type NoteDraft, normalizeTag } from '@/lib/annotations/draft';
import { EVIDENCE_KINDS, type EvidenceKind } from '@/lib/annotations/schema';
import type { EntityRef } from '@/lib/kb/facts';
import { KIND_LABELS } from '../EntityFactsView';
import { NoteMarkdown } from '../notes/NoteBody';

const EVIDENCE_LABELS: Record<EvidenceKind, string> = {
  indictment: 'Indictment',
  sanctions: 'Sanctions',
  'joint-advisory': 'Joint advisory',
  'official-statement': 'Official statement',
  'vendor-report': 'Vendor report',
  'anonymous-officials': 'Anonymous officials',
};

export interface NoteEditorProps {
  draft: NoteDraft;
  knownTags: string[];
  saving: boolean;
  error?: string;
  onChange(draft: NoteDraft): void;
  onSave(): void;
  onCancel(): void;
  onDelete?(): void;
  searchEntities(query: string): Promise<EntityRef[]>;
}

/**
 * The annotation editor: note (Markdown with a sanitized preview), tags with autocomplete, linked
 * entities (searchable by any alias) and an optional attribution claim. Ctrl/Cmd+Enter saves, Esc
 * closes (the draft is kept).
 */
export function NoteEditor({
  draft,
  knownTags,
  saving,
  error,
  onChange,
  onSave,
  onCancel,
  onDelete,
  searchEntities,
}: NoteEditorProps) {
  const ids = useId();
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const [tagInput, setTagInput] = useState('');
  const [entityQuery, setEntityQuery] = useState('');
  const [entityResults, setEntityResults] = useState<EntityRef[]>([]);
  const [preview, setPreview] = useState(false);
  const [claimOpen, setClaimOpen] = useState(() => Object.values(draft.claim).some(Boolean));

  useEffect(() => {
    noteRef.current?.focus();
  }, []);

  useEffect(() => {
    const query = entityQuery.trim();
    if (query.length < 2) {
      setEntityResults([]);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      searchEntities(query).then(
        (found) => live && setEntityResults(found.filter((e) => !draft.entities.some((d) => d.id === e.id))),
        () => live && setEntityResults([]),
      );
    }, 120);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [entityQuery, searchEntities, draft.entities]);

  const update = (patch: Partial<NoteDraft>) => onChange({ ...draft, ...patch });
  const addTag = (raw: string) => {
    const tag = normalizeTag(raw);
    if (tag && !draft.tags.includes(tag)) update({ tags: [...draft.tags, tag] });
    setTagInput('');
  };
  const claim = draft.claim;
  const entityOptions = draft.entities;

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: keyboard shortcuts for the whole editor.
    <div
      className="al-editor"
      onKeyDown={(event) => {
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          onSave();
        } else if (event.key === 'Escape') {
          event.preventDefault();
          event.stopPropagation();
          onCancel();
        }
      }}
    >
      <header className="al-editor-head">
        <strong>{draft.mode === 'edit' ? 'Edit note' : 'New note'}</strong>
        <button
          type="button"
          className="al-button al-button-quiet"
          onClick={onCancel}
          aria-label="Close editor"
        >
          Esc
        </button>
      </header>
      <blockquote className="al-editor-quote" data-testid="editor-quote">
        {draft.selectors.quote.exact.length > 280
          ? `${draft.selectors.quote.exact.slice(0, 280)}…`
          : draft.selectors.quote.exact}
      </blockquote>

      <div className="al-editor-tabs">
        <button
          type="button"
          className={preview ? 'al-tab' : 'al-tab al-tab-active'}
          onClick={() => setPreview(false)}
        >
          Write
        </button>
        <button
          type="button"
          className={preview ? 'al-tab al-tab-active' : 'al-tab'}
          onClick={() => setPreview(true)}
        >
          Preview
        </button>
      </div>
      {preview ? (
        <div className="al-note-preview" data-testid="note-preview">
          <NoteMarkdown markdown={draft.note} />
        </div>
      ) : (
        <textarea
          ref={noteRef}
          className="al-note-input"
          data-testid="note-input"
          aria-label="Note (Markdown)"
          placeholder="Your note (Markdown). Ctrl+Enter saves."
          rows={4}
          value={draft.note}
          onChange={(event) => update({ note: event.currentTarget.value })}
        />
      )}

      <div className="al-field">
        <label htmlFor={`${ids}-tags`}>Tags</label>
        <div className="al-chips">
          {draft.tags.map((tag) => (
            <span key={tag} className="al-chip" data-testid="tag-chip">
              #{tag}
              <button
                type="button"
                aria-label={`Remove tag ${tag}`}
                onClick={() => update({ tags: draft.tags.filter((t) => t !== tag) })}
              >
                ×
              </button>
            </span>
          ))}
          <input
            id={`${ids}-tags`}
            list={`${ids}-tag-list`}
            data-testid="tag-input"
            value={tagInput}
            placeholder="add tag, Enter"
            onChange={(event) => setTagInput(event.currentTarget.value)}
            onKeyDown={(event) => {
              if ((event.key === 'Enter' || event.key === ',') && !event.ctrlKey && !event.metaKey) {
                event.preventDefault();
                addTag(tagInput);
              } else if (event.key === 'Backspace' && tagInput === '' && draft.tags.length > 0) {
                update({ tags: draft.tags.slice(0, -1) });
              }
            }}
            onBlur={() => tagInput && addTag(tagInput)}
          />
          <datalist id={`${ids}-tag-list`}>
            {knownTags.map((tag) => (
              <option key={tag} value={tag} />
            ))}
          </datalist>
        </div>
      </div>

      <div className="al-field">
        <label htmlFor={`${ids}-entities`}>Linked entities</label>
        <div className="al-chips">
          {draft.entities.map((entity) => (
            <span
              key={entity.id}
              className={`al-chip al-kind-${entity.kind}`}
              data-testid="entity-chip"
              data-entity={entity.id}
            >
              {entity.name}
              <button
                type="button"
                aria-label={`Unlink ${entity.name}`}
                onClick={() => update({ entities: draft.entities.filter((e) => e.id !== entity.id) })}
              >
                ×
              </button>
            </span>
          ))}
          <input
            id={`${ids}-entities`}
            data-testid="entity-search"
            value={entityQuery}
            placeholder="search any alias"
            onChange={(event) => setEntityQuery(event.currentTarget.value)}
          />
        </div>
        {entityResults.length > 0 ? (
          <ul className="al-suggestions">
            {entityResults.map((entity) => (
              <li key={entity.id}>
                <button
                  type="button"
                  onClick={() => {
                    update({ entities: [...draft.entities, entity] });
                    setEntityQuery('');
                  }}
                >
                  {entity.name} <span className="al-muted">{KIND_LABELS[entity.kind]}</span>
                </button>
              </li>
            ))}
          </ul>
        ) : null}
      </div>

      <details
        className="al-claim"
        open={claimOpen}
        onToggle={(event) => setClaimOpen(event.currentTarget.open)}
      >
        <summary>Attribution claim</summary>
        <div className="al-claim-grid">
          {(['attributor', 'actor', 'sponsor'] as const).map((field) => (
            <label key={field}>
              {field === 'attributor' ? 'Who attributes' : field === 'actor' ? 'Actor' : 'Sponsor'}
              <input
                list={`${ids}-claim-entities`}
                data-testid={`claim-${field}`}
                value={claim[field] ?? ''}
                onChange={(event) => update({ claim: { ...claim, [field]: event.currentTarget.value } })}
              />
            </label>
          ))}
          <datalist id={`${ids}-claim-entities`}>
            {entityOptions.map((entity) => (
              <option key={entity.id} value={entity.id}>
                {entity.name}
              </option>
            ))}
          </datalist>
          <label>
            Confidence wording
            <input
              list={`${ids}-confidence`}
              data-testid="claim-confidence"
              value={claim.confidence ?? ''}
              placeholder="e.g. almost certain"
              onChange={(event) => update({ claim: { ...claim, confidence: event.currentTarget.value } })}
            />
            <datalist id={`${ids}-confidence`}>
              {CONFIDENCE_SUGGESTIONS.map((wording) => (
                <option key={wording} value={wording} />
              ))}
            </datalist>
          </label>
          <label>
            Evidence
            <select
              data-testid="claim-evidence"
              value={claim.evidence ?? ''}
              onChange={(event) => {
                const value = event.currentTarget.value as EvidenceKind | '';
                const { evidence: _old, ...rest } = claim;
                update({ claim: value ? { ...rest, evidence: value } : rest });
              }}
            >
              <option value="">—</option>
              {EVIDENCE_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {EVIDENCE_LABELS[kind]}
                </option>
              ))}
            </select>
          </label>
        </div>
      </details>

      {error ? (
        <p className="al-error" role="alert">
          {error}
        </p>
      ) : null}
      <footer className="al-editor-foot">
        {onDelete ? (
          <button
            type="button"
            className="al-button al-button-danger"
            onClick={onDelete}
            data-testid="delete-note"
          >
            Delete
          </button>
        ) : (
          <span className="al-muted">Draft kept if you close this.</span>
        )}
        <button
          type="button"
          className="al-button al-button-primary"
          onClick={onSave}
          disabled={saving}
          data-testid="save-note"
        >
          {saving ? 'Saving…' : 'Save (Ctrl+Enter)'}
        </button>
      </footer>
    </div>
  );
}
