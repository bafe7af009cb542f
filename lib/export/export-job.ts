import type { Annotation } from '../annotations/schema';
import type { ExportContext, ExportProgress } from './context';
import { exportCsv } from './csv';
import { exportMarkdown, type MarkdownGrouping } from './markdown';
import { exportStix } from './stix';
import { exportW3c } from './w3c';

export const EXPORT_FORMATS = ['markdown', 'csv', 'w3c', 'stix'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** One export, as plain data (it crosses into a worker by structured clone). */
export interface ExportJob {
  format: ExportFormat;
  annotations: Annotation[];
  context: ExportContext;
  groupBy?: MarkdownGrouping;
  bom?: boolean;
  exportedAt?: string;
}

/** Messages an export worker posts back. */
export type ExportWorkerMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; text: string }
  | { type: 'error'; message: string };

/** Runs one export to text, reporting progress (the same code in a worker or on the page). */
export function runExportJob(job: ExportJob, onProgress?: ExportProgress): string {
  const progress = onProgress ? { onProgress } : {};
  switch (job.format) {
    case 'markdown':
      return exportMarkdown(job.annotations, job.context, {
        ...progress,
        ...(job.groupBy ? { groupBy: job.groupBy } : {}),
        ...(job.exportedAt ? { exportedAt: job.exportedAt } : {}),
      });
    case 'csv':
      return exportCsv(job.annotations, job.context, { ...progress, bom: job.bom === true });
    case 'w3c':
      return exportW3c(job.annotations, job.context, { ...progress, space: 2 });
    case 'stix':
      return exportStix(job.annotations, job.context, { ...progress, space: 2 });
  }
}
