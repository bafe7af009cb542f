/// <reference lib="webworker" />
// Runs an export off the page's main thread so the options page stays responsive and can show
// real progress for large sets.
import { type ExportJob, type ExportWorkerMessage, runExportJob } from '@/lib/export/export-job';

const post = (message: ExportWorkerMessage) => postMessage(message);

addEventListener('message', (event: MessageEvent<ExportJob>) => {
  try {
    const text = runExportJob(event.data, (done, total) => post({ type: 'progress', done, total }));
    post({ type: 'done', text });
  } catch (error) {
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
});
