import { useLiveQuery } from 'dexie-react-hooks';
import { useDeferredValue, useState } from 'react';
import type { EntityKind } from '@/lib/kb/schema';
import { addUserAlias, searchEntities } from '@/lib/kb/user-entities';
import { sendToBackground } from '@/lib/messaging-client';
import { EntityFactsView, KIND_LABELS } from '../EntityFactsView';
import { useDb, useEntityFacts } from '../useEntityFacts';

const KINDS: EntityKind[] = ['actor', 'agency', 'attributor', 'company', 'person', 'campaign'];

/** Search the knowledge base by any alias and read an entity's full record. */
export function KnowledgeBrowser({ selected, onSelect }: { selected?: string; onSelect(id: string): void }) {
  const db = useDb();
  const [query, setQuery] = useState('');
  const [kind, setKind] = useState<EntityKind | 'all'>('all');
  const deferredQuery = useDeferredValue(query);
  const results = useLiveQuery(
    async () =>
      (await searchEntities(db, deferredQuery, 400)).filter((e) => kind === 'all' || e.kind === kind),
    [deferredQuery, kind],
  );
  const total = useLiveQuery(() => db.entities.count(), []);

  return (
    <div className="al-browser">
      <section className="al-browser-list" aria-label="Entities">
        <div className="al-search">
          <input
            type="search"
            placeholder="Search any name or alias (e.g. Zirconium, Fancy Bear, MSS)"
            value={query}
            onChange={(event) => setQuery(event.currentTarget.value)}
            aria-label="Search the knowledge base"
            data-testid="kb-search"
            // biome-ignore lint/a11y/noAutofocus: the search box is the page's main control.
            autoFocus
          />
          <select
            value={kind}
            onChange={(event) => setKind(event.currentTarget.value as EntityKind | 'all')}
            aria-label="Kind"
          >
            <option value="all">All kinds</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </div>
        <p className="al-muted">
          {results === undefined ? 'Searching…' : `${results.length} shown of ${total ?? '…'} entities`}
        </p>
        <ul className="al-results">
          {results?.map((entity) => (
            <li key={entity.id}>
              <button
                type="button"
                className={entity.id === selected ? 'al-row-button al-result-active' : 'al-row-button'}
                onClick={() => onSelect(entity.id)}
                data-testid="kb-result"
                data-entity={entity.id}
              >
                <span className="al-entity-name">{entity.name}</span>
                <span className={`al-kind al-kind-${entity.kind}`}>{KIND_LABELS[entity.kind]}</span>
                {entity.country ? <span className="al-country">{entity.country}</span> : null}
              </button>
            </li>
          ))}
        </ul>
      </section>
      <section className="al-browser-detail" aria-label="Entity">
        {selected ? (
          <EntityRecord id={selected} onSelect={onSelect} />
        ) : (
          <p className="al-muted">
            Pick an entity to see its aliases, sponsor chain and attribution timeline.
          </p>
        )}
      </section>
    </div>
  );
}

function EntityRecord({ id, onSelect }: { id: string; onSelect(id: string): void }) {
  const db = useDb();
  const facts = useEntityFacts(id);
  const origin = useLiveQuery(async () => (await db.entities.get(id))?.origin, [id]);
  const [alias, setAlias] = useState('');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | undefined>();

  if (facts === undefined) return <p className="al-muted">Loading…</p>;
  if (facts === null) return <p className="al-error">No entity “{id}”.</p>;

  const add = async () => {
    try {
      await addUserAlias(db, id, alias);
      await sendToBackground({ type: 'kbChanged' }).catch(() => undefined);
      setMessage({ kind: 'ok', text: `Added “${alias.trim()}”. It is highlighted on the next page load.` });
      setAlias('');
    } catch (error) {
      setMessage({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
    }
  };

  return (
    <div>
      <p className="al-muted">
        {origin === 'builtin' ? 'Built-in record' : origin === 'imported' ? 'Imported record' : 'Your record'}{' '}
        · id <code>{id}</code>
      </p>
      <EntityFactsView facts={facts} onSelect={onSelect} />
      <form
        className="al-inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          void add();
        }}
      >
        <label>
          Add an alias{' '}
          <input
            value={alias}
            onChange={(event) => setAlias(event.currentTarget.value)}
            data-testid="alias-input"
          />
        </label>
        <button type="submit" className="al-button" disabled={alias.trim().length < 2}>
          Add
        </button>
      </form>
      {message ? (
        <p className={message.kind === 'ok' ? 'al-ok' : 'al-error'} role="status">
          {message.text}
        </p>
      ) : null}
    </div>
  );
}
