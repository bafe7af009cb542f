import { useEffect, useState } from 'react';
import { AllNotes } from '../notes/AllNotes';
import { AddEntityPanel } from './AddEntityPanel';
import { ExportPanel } from './ExportPanel';
import { ImportPanel } from './ImportPanel';
import { KnowledgeBrowser } from './KnowledgeBrowser';

const TABS = [
  { id: 'notes', label: 'All notes' },
  { id: 'export', label: 'Export & backup' },
  { id: 'kb', label: 'Knowledge base' },
  { id: 'import', label: 'Import' },
  { id: 'add', label: 'Add your own' },
] as const;
type TabId = (typeof TABS)[number]['id'];

function tabFromHash(): TabId {
  const hash = location.hash.replace(/^#/, '').split('/')[0];
  return TABS.find((tab) => tab.id === hash)?.id ?? 'kb';
}

/** The options page: browse and search the knowledge base, import files, add entities/aliases. */
export function Options() {
  const [tab, setTab] = useState<TabId>(tabFromHash);
  const [selected, setSelected] = useState<string | undefined>(() => {
    const [, id] = location.hash.replace(/^#/, '').split('/');
    return id || undefined;
  });

  useEffect(() => {
    const onHash = () => setTab(tabFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const go = (next: TabId, entity?: string) => {
    setTab(next);
    if (entity !== undefined) setSelected(entity);
    history.replaceState(null, '', `#${next}${entity ? `/${entity}` : ''}`);
  };

  return (
    <div className="al-options al-theme">
      <header className="al-options-header">
        <h1>Attribution Lens</h1>
        <div role="tablist" aria-label="Sections">
          {TABS.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              aria-selected={tab === t.id}
              className={tab === t.id ? 'al-tab al-tab-active' : 'al-tab'}
              onClick={() => go(t.id)}
              data-testid={`tab-${t.id}`}
            >
              {t.label}
            </button>
          ))}
        </div>
      </header>
      <main>
        {tab === 'notes' ? <AllNotes /> : null}
        {tab === 'export' ? <ExportPanel /> : null}
        {tab === 'kb' ? <KnowledgeBrowser selected={selected} onSelect={(id) => go('kb', id)} /> : null}
        {tab === 'import' ? <ImportPanel /> : null}
        {tab === 'add' ? <AddEntityPanel onAdded={(id) => go('kb', id)} /> : null}
      </main>
    </div>
  );
}
