import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { createBackup, mergeAnnotations, restoreBackup, serializeBackup } from '@/lib/export/backup';
import { buildExportContext } from '@/lib/export/build-export-context';
import {
  type ExportFormat,
  type ExportJob,
  type ExportWorkerMessage,
  runExportJob,
} from '@/lib/export/export-job';
import { filterAnnotations } from '@/lib/export/filter-annotations';
import { importHypothesis } from '@/lib/export/hypothesis';
import type { MarkdownGrouping } from '@/lib/export/markdown';
import { importW3c } from '@/lib/export/w3c';
import { useDb } from '../useEntityFacts';
import ExportWorker from './export-worker.ts?worker';

type Format = ExportFormat;
const FORMATS: { id: Format; label: string; extension: string; mime: string }[] = [
  { id: 'markdown', label: 'Markdown', extension: 'md', mime: 'text/markdown' },
  { id: 'csv', label: 'CSV (spreadsheet)', extension: 'csv', mime: 'text/csv' },
  { id: 'w3c', label: 'W3C Web Annotation (JSON-LD)', extension: 'jsonld', mime: 'application/ld+json' },
  { id: 'stix', label: 'STIX 2.1 bundle (MISP, OpenCTI)', extension: 'json', mime: 'application/json' },
];

type Status =
  | { kind: 'idle' }
  | { kind: 'busy'; what: string; done?: number; total?: number }
  | { kind: 'ok'; text: string }
  | { kind: 'error'; text: string };

/**
 * Runs an export in a worker (progress, no frozen page); falls back to this thread when workers
 * cannot start.
 */
function exportInWorker(job: ExportJob, onProgress: (done: number, total: number) => void): Promise<string> {
  let worker: Worker;
  try {
    worker = new ExportWorker();
  } catch {
    return Promise.resolve(runExportJob(job, onProgress));
  }
  return new Promise((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<ExportWorkerMessage>) => {
      const message = event.data;
      if (message.type === 'progress') onProgress(message.done, message.total);
      else {
        worker.terminate();
        if (message.type === 'done') resolve(message.text);
        else reject(new Error(message.message));
      }
    };
    worker.onerror = (event) => {
      worker.terminate();
      // A worker that failed to load: do the export here instead.
      event.preventDefault();
      try {
        resolve(runExportJob(job, onProgress));
      } catch (error) {
        reject(error);
      }
    };
    worker.postMessage(job);
  });
}

function download(text: string, fileName: string, mime: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${mime};charset=utf-8` }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Lets the browser paint the busy state before synchronous export work starts. */
const nextFrame = () => new Promise<void>((resolve) => setTimeout(resolve, 16));

/** Export notes in four formats with filters; full backup and restore; import W3C/Hypothesis notes. */
export function ExportPanel() {
  const db = useDb();
  const notes = useLiveQuery(() => db.annotations.toArray(), []);
  const [format, setFormat] = useState<Format>('markdown');
  const [grouping, setGrouping] = useState<MarkdownGrouping>('page');
  const [bom, setBom] = useState(true);
  const [filter, setFilter] = useState({ from: '', to: '', site: '', tag: '', entityId: '' });
  const entityNames = useLiveQuery(async () => {
    const ids = [...new Set((notes ?? []).flatMap((n) => n.entityIds))];
    const rows = await db.entities.bulkGet(ids);
    return rows
      .filter((row) => row !== undefined)
      .map((row) => ({ id: row.id, name: row.name }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }, [notes]);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const sites = [...new Set((notes ?? []).map((n) => n.site))].sort();
  const tags = [...new Set((notes ?? []).flatMap((n) => n.tags))].sort();
  const selected = notes
    ? filterAnnotations(notes, Object.fromEntries(Object.entries(filter).filter(([, v]) => v)))
    : [];

  const run = async (what: string, work: () => Promise<string>) => {
    setStatus({ kind: 'busy', what });
    await nextFrame();
    try {
      setStatus({ kind: 'ok', text: await work() });
    } catch (error) {
      setStatus({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
    }
  };

  const exportNotes = (copy: boolean) =>
    run(copy ? 'Copying…' : 'Exporting…', async () => {
      const chosen = FORMATS.find((f) => f.id === format) ?? FORMATS[0];
      if (!chosen) throw new Error('unknown format');
      const context = await buildExportContext(db, selected);
      const exportedAt = new Date().toISOString();
      const what = copy ? 'Copying…' : 'Exporting…';
      const text = await exportInWorker(
        { format, annotations: selected, context, groupBy: grouping, bom: bom && !copy, exportedAt },
        (done, total) => setStatus({ kind: 'busy', what, done, total }),
      );
      if (copy) await navigator.clipboard.writeText(text);
      else
        download(text, `attribution-lens-notes-${exportedAt.slice(0, 10)}.${chosen.extension}`, chosen.mime);
      return `${copy ? 'Copied' : 'Exported'} ${selected.length} notes as ${chosen.label}.`;
    });

  const backup = () =>
    run('Making the backup…', async () => {
      const data = await createBackup(db);
      download(
        serializeBackup(data),
        `attribution-lens-backup-${data.exportedAt.slice(0, 10)}.json`,
        'application/json',
      );
      return `Backup saved: ${data.data.annotations.length} notes, ${data.data.userEntities.length} own entities, ${data.data.importedEntities.length} imported entities, ${data.data.aliases.length} aliases.`;
    });

  const restore = (file: File) =>
    run('Restoring…', async () => {
      const report = await restoreBackup(db, await file.text());
      const line = (
        name: string,
        c: { added: number; updated: number; unchanged: number; skipped: number },
      ) => `${name}: ${c.added} added, ${c.updated} updated, ${c.unchanged} unchanged, ${c.skipped} skipped`;
      return `Restored ${file.name} (backup version ${report.version}). ${line('Notes', report.annotations)}. ${line('Entities', report.entities)}. ${line('Aliases', report.aliases)}.`;
    });

  const importNotes = (file: File) =>
    run('Importing notes…', async () => {
      const text = await file.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        throw new Error(
          `${file.name} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      const isW3c = typeof json === 'object' && json !== null && !Array.isArray(json) && 'type' in json;
      const annotations = isW3c ? importW3c(json) : importHypothesis(json);
      const counts = await mergeAnnotations(db, annotations);
      return `Imported ${file.name} (${isW3c ? 'W3C Web Annotation' : 'Hypothesis'}): ${counts.added} added, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.skipped} skipped.`;
    });

  const busy = status.kind === 'busy';
  return (
    <section className="al-form al-export" aria-label="Export and backup">
      <h2>Export notes</h2>
      <div className="al-filters">
        <label>
          From{' '}
          <input
            type="date"
            value={filter.from}
            onChange={(e) => setFilter({ ...filter, from: e.currentTarget.value })}
          />
        </label>
        <label>
          To{' '}
          <input
            type="date"
            value={filter.to}
            onChange={(e) => setFilter({ ...filter, to: e.currentTarget.value })}
          />
        </label>
        <select
          value={filter.site}
          onChange={(e) => setFilter({ ...filter, site: e.currentTarget.value })}
          aria-label="Site"
        >
          <option value="">All sites</option>
          {sites.map((site) => (
            <option key={site}>{site}</option>
          ))}
        </select>
        <select
          value={filter.tag}
          onChange={(e) => setFilter({ ...filter, tag: e.currentTarget.value })}
          aria-label="Tag"
        >
          <option value="">All tags</option>
          {tags.map((tag) => (
            <option key={tag} value={tag}>
              #{tag}
            </option>
          ))}
        </select>
        <select
          value={filter.entityId}
          onChange={(e) => setFilter({ ...filter, entityId: e.currentTarget.value })}
          aria-label="Entity"
        >
          <option value="">All entities</option>
          {(entityNames ?? []).map((entity) => (
            <option key={entity.id} value={entity.id}>
              {entity.name}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="al-formats">
        <legend>Format</legend>
        {FORMATS.map((f) => (
          <label key={f.id}>
            <input
              type="radio"
              name="format"
              checked={format === f.id}
              onChange={() => setFormat(f.id)}
              data-testid={`format-${f.id}`}
            />{' '}
            {f.label}
          </label>
        ))}
      </fieldset>
      {format === 'markdown' ? (
        <label>
          Group by{' '}
          <select value={grouping} onChange={(e) => setGrouping(e.currentTarget.value as MarkdownGrouping)}>
            <option value="page">page</option>
            <option value="tag">tag</option>
            <option value="entity">entity</option>
            <option value="all">one list</option>
          </select>
        </label>
      ) : null}
      {format === 'csv' ? (
        <label>
          <input type="checkbox" checked={bom} onChange={(e) => setBom(e.currentTarget.checked)} /> UTF-8 BOM
          (for Excel)
        </label>
      ) : null}
      <div className="al-note-actions">
        <button
          type="button"
          className="al-button al-button-primary"
          disabled={busy || selected.length === 0}
          onClick={() => void exportNotes(false)}
          data-testid="export-download"
        >
          Download {selected.length} notes
        </button>
        <button
          type="button"
          className="al-button"
          disabled={busy || selected.length === 0}
          onClick={() => void exportNotes(true)}
        >
          Copy
        </button>
      </div>

      <h2>Backup and restore</h2>
      <p className="al-muted">
        A backup holds all your notes, your own entities and aliases, imported knowledge and site settings.
        Restoring merges by id (the newer version of a note wins); restoring the same file twice changes
        nothing; a bad file changes nothing.
      </p>
      <div className="al-note-actions">
        <button
          type="button"
          className="al-button"
          disabled={busy}
          onClick={() => void backup()}
          data-testid="backup-download"
        >
          Download backup
        </button>
        <label className="al-button">
          Restore from file…
          <input
            type="file"
            accept=".json,application/json"
            hidden
            disabled={busy}
            data-testid="restore-file"
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              e.currentTarget.value = '';
              if (file) void restore(file);
            }}
          />
        </label>
        <label className="al-button">
          Import W3C / Hypothesis notes…
          <input
            type="file"
            accept=".json,.jsonld,application/json,application/ld+json"
            hidden
            disabled={busy}
            data-testid="import-notes-file"
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              e.currentTarget.value = '';
              if (file) void importNotes(file);
            }}
          />
        </label>
      </div>
      <p
        className={status.kind === 'error' ? 'al-error' : status.kind === 'ok' ? 'al-ok' : 'al-muted'}
        role={status.kind === 'error' ? 'alert' : 'status'}
        data-testid="export-status"
      >
        {status.kind === 'busy' ? (
          <>
            {status.total ? <progress value={status.done} max={status.total} /> : <progress />} {status.what}
            {status.total ? ` ${status.done} / ${status.total}` : ''}
          </>
        ) : status.kind === 'idle' ? (
          ''
        ) : status.kind === 'error' ? (
          `Nothing changed: ${status.text}`
        ) : (
          status.text
        )}
      </p>
    </section>
  );
}
