import { useCallback, useEffect, useMemo, useState } from 'react';
import { browser } from 'wxt/browser';
import { FOCUS_ENTITY_KEY } from '@/lib/background/focus';
import { originPatternsOf } from '@/lib/background/site-access';
import { buildExportContext } from '@/lib/export/build-export-context';
import { exportMarkdown } from '@/lib/export/markdown';
import type { EntityKind } from '@/lib/kb/schema';
import type { ContentRequest, TabEntities, TabEntity, TabNotes } from '@/lib/messaging';
import { sendToBackground } from '@/lib/messaging-client';
import { defaultSiteOf, siteKeyOf } from '@/lib/sites';
import { EntityFactsView, KIND_LABELS } from './EntityFactsView';
import { NoteSummary } from './notes/NoteBody';
import { useDb, useEntityFacts } from './useEntityFacts';

const KIND_ORDER: EntityKind[] = ['actor', 'agency', 'attributor', 'company', 'campaign', 'person'];
const GROUP_LABELS: Record<EntityKind, string> = {
  actor: 'Threat actors',
  agency: 'State agencies',
  attributor: 'Attributing bodies',
  company: 'Companies',
  campaign: 'Campaigns',
  person: 'People',
};

/** The side panel where the browser has one (Chrome), else the options page's notes tab. */
async function openAllNotes(): Promise<void> {
  const sidePanel = (
    browser as unknown as { sidePanel?: { open(options: { windowId: number }): Promise<void> } }
  ).sidePanel;
  try {
    if (sidePanel) {
      const current = await browser.windows.getCurrent();
      if (current.id !== undefined) {
        await sidePanel.open({ windowId: current.id });
        window.close();
        return;
      }
    }
  } catch {
    // No side panel (or no user gesture left): the options page shows the same list.
  }
  await browser.tabs.create({ url: `${browser.runtime.getURL('/options.html')}#notes` });
}

async function resolveTabId(): Promise<number | undefined> {
  const fromUrl = new URLSearchParams(location.search).get('tab');
  if (fromUrl && /^\d+$/.test(fromUrl)) return Number(fromUrl);
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}

type Load =
  | { status: 'loading' }
  | { status: 'ready'; data: TabEntities }
  | { status: 'error'; message: string };

/** The toolbar popup: what the active tab mentions, the facts behind each, the site switch. */
export function Popup() {
  const [tabId, setTabId] = useState<number | undefined>();
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [selected, setSelected] = useState<string | undefined>(
    () => new URLSearchParams(location.search).get('entity') ?? undefined,
  );
  const [busy, setBusy] = useState(false);

  const refresh = useCallback(async (id: number | undefined) => {
    if (id === undefined) {
      setLoad({ status: 'error', message: 'No active tab.' });
      return;
    }
    try {
      setLoad({ status: 'ready', data: await sendToBackground({ type: 'getTabEntities', tabId: id }) });
    } catch (error) {
      setLoad({ status: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  }, []);

  useEffect(() => {
    void resolveTabId().then((id) => {
      setTabId(id);
      void refresh(id);
    });
    // "Open in popup" from a hover card leaves the entity to show in session storage.
    void browser.storage.session.get(FOCUS_ENTITY_KEY).then((stored) => {
      const focus = stored[FOCUS_ENTITY_KEY];
      if (typeof focus === 'string') {
        setSelected(focus);
        void browser.storage.session.remove(FOCUS_ENTITY_KEY);
      }
    });
  }, [refresh]);

  useEffect(() => {
    // New scans on the page (late content) update the list while the popup is open.
    const listener = () => void refresh(tabId);
    browser.storage.session.onChanged.addListener(listener);
    return () => browser.storage.session.onChanged.removeListener(listener);
  }, [refresh, tabId]);

  const groups = useMemo(() => {
    if (load.status !== 'ready') return [];
    const byKind = new Map<EntityKind, TabEntity[]>();
    for (const entity of load.data.entities)
      byKind.set(entity.kind, [...(byKind.get(entity.kind) ?? []), entity]);
    return KIND_ORDER.filter((kind) => byKind.has(kind)).map((kind) => ({
      kind,
      entities: byKind.get(kind) ?? [],
    }));
  }, [load]);

  const toggleSite = async (enabled: boolean) => {
    if (load.status !== 'ready' || !load.data.host) return;
    setBusy(true);
    try {
      const host = load.data.host;
      if (enabled && !defaultSiteOf(host)) {
        // Other sites are opt-in: ask for this one origin (must happen in the click's gesture).
        const granted = await browser.permissions.request({ origins: originPatternsOf(siteKeyOf(host)) });
        if (!granted) {
          setLoad({ status: 'error', message: `Permission to read pages on ${host} was not granted.` });
          return;
        }
      }
      await sendToBackground({ type: 'setSiteEnabled', host, enabled });
      await refresh(tabId);
    } catch (error) {
      setLoad({ status: 'error', message: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  };

  if (selected) {
    return (
      <main className="al-popup al-theme">
        <EntityDetail id={selected} onBack={() => setSelected(undefined)} onSelect={setSelected} />
      </main>
    );
  }

  return (
    <main className="al-popup al-theme">
      <header className="al-popup-header">
        <h1>Attribution Lens</h1>
        {load.status === 'ready' && load.data.host ? (
          <label className="al-switch">
            <input
              type="checkbox"
              role="switch"
              aria-checked={load.data.enabled}
              data-testid="site-switch"
              checked={load.data.enabled}
              disabled={busy}
              onChange={(event) => void toggleSite(event.currentTarget.checked)}
            />
            <span>Highlight on {load.data.host.replace(/^www\./, '')}</span>
          </label>
        ) : null}
      </header>
      {load.status === 'loading' ? <p className="al-muted">Loading…</p> : null}
      {load.status === 'error' ? (
        <p className="al-error" role="alert">
          {load.message}
        </p>
      ) : null}
      {load.status === 'ready' && load.data.entities.length === 0 ? (
        <p className="al-muted" data-testid="empty">
          {load.data.enabled
            ? 'No known actors, agencies or attributing bodies on this page.'
            : load.data.host && !defaultSiteOf(load.data.host)
              ? 'This site is not one of the default news sites. Switch it on to highlight its pages.'
              : 'Highlighting is off for this site.'}
        </p>
      ) : null}
      {groups.map((group) => (
        <section key={group.kind} className="al-group" data-kind={group.kind}>
          <h2>
            {GROUP_LABELS[group.kind]} <span className="al-count">{group.entities.length}</span>
          </h2>
          <ul>
            {group.entities.map((entity) => (
              <li key={entity.id}>
                <button
                  type="button"
                  className="al-row-button"
                  data-testid="entity-row"
                  data-entity={entity.id}
                  onClick={() => setSelected(entity.id)}
                  title={`${KIND_LABELS[entity.kind]}: show facts`}
                >
                  <span className="al-entity-name">{entity.name}</span>
                  {entity.country ? <span className="al-country">{entity.country}</span> : null}
                  <span className="al-count" data-testid="entity-count" title="mentions on this page">
                    {entity.count}×
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
      {tabId !== undefined ? <PageNotesSection tabId={tabId} /> : null}
      <footer className="al-popup-footer">
        <button
          type="button"
          className="al-back"
          data-testid="open-all-notes"
          onClick={() => void openAllNotes()}
        >
          All notes →
        </button>
        <button type="button" className="al-back" onClick={() => void browser.runtime.openOptionsPage()}>
          Knowledge base and import →
        </button>
      </footer>
    </main>
  );
}

function PageNotesSection({ tabId }: { tabId: number }) {
  const db = useDb();
  const [notes, setNotes] = useState<TabNotes | undefined>();
  const [copied, setCopied] = useState<string | undefined>();
  useEffect(() => {
    const load = () =>
      void sendToBackground({ type: 'getTabNotes', tabId }).then(setNotes, () => setNotes(undefined));
    load();
    browser.storage.session.onChanged.addListener(load);
    return () => browser.storage.session.onChanged.removeListener(load);
  }, [tabId]);
  if (!notes || notes.notes.length === 0) return null;
  const orphaned = new Set(notes.orphaned);
  const placed = notes.notes.filter((note) => !orphaned.has(note.id));
  const missing = notes.notes.filter((note) => orphaned.has(note.id));
  const focus = (id: string) => {
    const message: ContentRequest = { type: 'focusNote', id };
    browser.tabs.sendMessage(tabId, message).catch(() => undefined);
  };
  const copyMarkdown = async () => {
    try {
      const context = await buildExportContext(db, notes.notes);
      const title = notes.notes[0]?.pageTitle || 'Notes';
      await navigator.clipboard.writeText(
        exportMarkdown(notes.notes, context, { title, exportedAt: new Date().toISOString() }),
      );
      setCopied('Copied as Markdown.');
    } catch (error) {
      setCopied(`Could not copy: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  return (
    <>
      {placed.length > 0 ? (
        <section className="al-group" data-testid="page-notes">
          <h2>
            Notes on this page <span className="al-count">{placed.length}</span>{' '}
            <button
              type="button"
              className="al-back"
              onClick={() => void copyMarkdown()}
              data-testid="copy-page-markdown"
            >
              Copy as Markdown
            </button>
          </h2>
          {copied ? (
            <p className="al-muted" role="status">
              {copied}
            </p>
          ) : null}
          <ul>
            {placed.map((note) => (
              <li key={note.id}>
                <button
                  type="button"
                  className="al-note-row"
                  data-testid="note-row"
                  data-note={note.id}
                  onClick={() => focus(note.id)}
                >
                  <NoteSummary note={note} />
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {missing.length > 0 ? (
        <section className="al-group" data-testid="orphan-notes">
          <h2>
            Not found on this page <span className="al-count">{missing.length}</span>
          </h2>
          <p className="al-muted">
            The passage changed or has not loaded. These notes are kept; nothing is deleted.
          </p>
          <ul>
            {missing.map((note) => (
              <li
                key={note.id}
                className="al-note-row al-orphan"
                data-testid="orphan-row"
                data-note={note.id}
              >
                <NoteSummary note={note} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

function EntityDetail({ id, onBack, onSelect }: { id: string; onBack(): void; onSelect(id: string): void }) {
  const facts = useEntityFacts(id);
  return (
    <div>
      <button type="button" className="al-back" onClick={onBack} data-testid="back">
        ← Back to this page
      </button>
      {facts === undefined ? <p className="al-muted">Loading…</p> : null}
      {facts === null ? (
        <p className="al-error" role="alert">
          No entity “{id}” in the knowledge base.
        </p>
      ) : null}
      {facts ? <EntityFactsView facts={facts} onSelect={onSelect} /> : null}
    </div>
  );
}
