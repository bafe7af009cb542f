import type { z } from 'zod';

/**
 * A knowledge file that cannot be imported: not JSON, not a format we read, or a field of the wrong
 * shape. The message names the file and the first bad path, e.g.
 * `threat-actor.json: values.12.value: Invalid input: expected string, received undefined`.
 */
export class ImportFileError extends Error {
  override readonly name = 'ImportFileError';

  constructor(
    /** The file name as the user picked it. */
    readonly fileName: string,
    /** What is wrong, without the file name: `values.12.value: …` or `is not valid JSON: …`. */
    readonly problem: string,
  ) {
    // "x.json is not valid JSON: …" reads as a sentence; "x.json: values.3.value: …" as a path.
    super(problem.startsWith('is ') ? `${fileName} ${problem}` : `${fileName}: ${problem}`);
  }
}

/** Longest message excerpt we keep from the JSON parser: its snippet of a 50 MB file must not flood a UI. */
const MAX_PROBLEM_LENGTH = 300;

function clip(text: string): string {
  return text.length > MAX_PROBLEM_LENGTH ? `${text.slice(0, MAX_PROBLEM_LENGTH)}…` : text;
}

/** The first issue of a Zod error as `path: message` (`(root)` when the whole value is wrong). */
export function describeFirstIssue(error: z.ZodError, pathPrefix: readonly PropertyKey[] = []): string {
  const issue = error.issues[0];
  if (!issue) return '(root): invalid';
  const path = [...pathPrefix, ...issue.path].map((key) => String(key)).join('.');
  return `${path || '(root)'}: ${clip(issue.message)}`;
}

/** Parses JSON text, or throws an {@link ImportFileError} saying the file is not valid JSON and why. */
export function parseJsonText(text: string, fileName: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ImportFileError(fileName, `is not valid JSON: ${clip(reason)}`);
  }
}
