import { describe, expect, it, test } from 'vitest';
import { exportCsv } from '@/lib/export/csv';
import { EXPORT_FORMATS, runExportJob } from '@/lib/export/export-job';
import { exportMarkdown } from '@/lib/export/markdown';
import { sampleAnnotations, sampleContext } from './sample-data';

describe('runExportJob', () => {
  test.each(EXPORT_FORMATS)('produces %s text and reports progress up to the total', (format) => {
    const annotations = sampleAnnotations();
    const calls: [number, number][] = [];
    const text = runExportJob({ format, annotations, context: sampleContext() }, (done, total) =>
      calls.push([done, total]),
    );
    expect(text.length).toBeGreaterThan(0);
    expect(calls.at(-1)).toEqual([annotations.length, annotations.length]);
  });

  it('gives the same text as calling the exporter directly', () => {
    const annotations = sampleAnnotations();
    const context = sampleContext();
    expect(runExportJob({ format: 'csv', annotations, context, bom: true })).toBe(
      exportCsv(annotations, context, { bom: true }),
    );
    expect(runExportJob({ format: 'markdown', annotations, context, groupBy: 'tag' })).toBe(
      exportMarkdown(annotations, context, { groupBy: 'tag' }),
    );
  });
});
