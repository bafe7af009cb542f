import { useState } from 'react';
import { importKnowledgeFile } from '@/lib/kb/import/apply';
import { sendToBackground } from '@/lib/messaging-client';
import { useDb } from '../useEntityFacts';

type FileState =
  | { status: 'waiting' }
  | { status: 'reading' }
  | { status: 'importing'; done: number; total: number }
  | { status: 'done'; added: number; merged: number; skipped: number }
  | { status: 'failed'; message: string };

/**
 * Imports MISP galaxy threat-actor files and ATT&CK STIX bundles the user already has. Each file is
 * one transaction: a bad file is reported with its first bad path and changes nothing.
 */
export function ImportPanel() {
  const db = useDb();
  const [files, setFiles] = useState<{ name: string; state: FileState }[]>([]);
  const [busy, setBusy] = useState(false);

  const run = async (picked: File[]) => {
    setBusy(true);
    const list = picked.map((file) => ({ name: file.name, state: { status: 'waiting' } as FileState }));
    setFiles(list);
    const update = (index: number, state: FileState) =>
      setFiles((current) => current.map((entry, i) => (i === index ? { ...entry, state } : entry)));
    for (const [index, file] of picked.entries()) {
      update(index, { status: 'reading' });
      try {
        const text = await file.text();
        const result = await importKnowledgeFile(db, text, file.name, (done, total) =>
          update(index, { status: 'importing', done, total }),
        );
        update(index, { status: 'done', ...result });
      } catch (error) {
        update(index, { status: 'failed', message: error instanceof Error ? error.message : String(error) });
      }
    }
    await sendToBackground({ type: 'kbChanged' }).catch(() => undefined);
    setBusy(false);
  };

  return (
    <section className="al-form">
      <h2>Import threat-actor lists</h2>
      <p className="al-muted">
        MISP galaxy cluster files (<code>threat-actor.json</code>, <code>mitre-intrusion-set.json</code>) and
        MITRE ATT&amp;CK STIX 2.1 bundles (<code>enterprise-attack.json</code>). Names that match a known
        group are added to it as aliases; new groups are added as imported entities. Built-in facts and your
        notes are never changed. Importing the same file again changes nothing.
      </p>
      <label className="al-file">
        <input
          type="file"
          accept=".json,application/json"
          multiple
          disabled={busy}
          data-testid="import-file"
          onChange={(event) => {
            const picked = [...(event.currentTarget.files ?? [])];
            event.currentTarget.value = '';
            if (picked.length > 0) void run(picked);
          }}
        />
      </label>
      <ul className="al-import-list" aria-live="polite">
        {files.map((file) => (
          <li key={file.name} data-testid="import-result" data-status={file.state.status}>
            <strong>{file.name}</strong> <ImportStatus state={file.state} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function ImportStatus({ state }: { state: FileState }) {
  switch (state.status) {
    case 'waiting':
      return <span className="al-muted">waiting</span>;
    case 'reading':
      return <span className="al-muted">reading…</span>;
    case 'importing':
      return (
        <span>
          <progress value={state.done} max={Math.max(1, state.total)} /> {state.done} / {state.total}
        </span>
      );
    case 'done':
      return (
        <span className="al-ok">
          {state.added} added, {state.merged} merged into known entities, {state.skipped} skipped
        </span>
      );
    case 'failed':
      return (
        <span className="al-error" role="alert">
          not imported, nothing changed: {state.message}
        </span>
      );
  }
}
