import { useState } from 'react';
import type { EntityKind } from '@/lib/kb/schema';
import { addUserEntity } from '@/lib/kb/user-entities';
import { sendToBackground } from '@/lib/messaging-client';
import { KIND_LABELS } from '../EntityFactsView';
import { useDb } from '../useEntityFacts';

const KINDS = [
  'actor',
  'agency',
  'attributor',
  'company',
  'campaign',
] as const satisfies readonly EntityKind[];

/** Form to add an entity of the user's own, highlighted from the next page load. */
export function AddEntityPanel({ onAdded }: { onAdded(id: string): void }) {
  const db = useDb();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<(typeof KINDS)[number]>('actor');
  const [country, setCountry] = useState('');
  const [aliases, setAliases] = useState('');
  const [summary, setSummary] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);

  const save = async () => {
    setSaving(true);
    setError(undefined);
    try {
      const id = await addUserEntity(db, {
        name,
        kind,
        country,
        summary,
        aliases: aliases
          .split(/[,\n]/)
          .map((a) => a.trim())
          .filter(Boolean),
      });
      await sendToBackground({ type: 'kbChanged' }).catch(() => undefined);
      onAdded(id);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      className="al-form"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <h2>Add your own entity</h2>
      <p className="al-muted">
        Kept on this device, never overwritten by updates, highlighted on the next page load.
      </p>
      <label>
        Name
        <input
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          data-testid="new-name"
        />
      </label>
      <label>
        Kind
        <select value={kind} onChange={(e) => setKind(e.currentTarget.value as (typeof KINDS)[number])}>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Country (two letters, optional)
        <input value={country} maxLength={2} onChange={(e) => setCountry(e.currentTarget.value)} />
      </label>
      <label>
        Aliases (comma-separated)
        <input
          value={aliases}
          onChange={(e) => setAliases(e.currentTarget.value)}
          data-testid="new-aliases"
        />
      </label>
      <label>
        Notes (optional)
        <textarea value={summary} rows={3} onChange={(e) => setSummary(e.currentTarget.value)} />
      </label>
      {error ? (
        <p className="al-error" role="alert">
          {error}
        </p>
      ) : null}
      <button
        type="submit"
        className="al-button al-button-primary"
        disabled={saving || name.trim().length < 2}
      >
        {saving ? 'Saving…' : 'Add entity'}
      </button>
    </form>
  );
}
