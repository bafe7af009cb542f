import { clipReason } from '../../describe-issue';

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

/** Re-exported: import code and tests name it from here. */
export { describeFirstIssue } from '../../describe-issue';

/** Parses JSON text, or throws an {@link ImportFileError} saying the file is not valid JSON and why. */
export function parseJsonText(text: string, fileName: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ImportFileError(fileName, `is not valid JSON: ${clipReason(reason)}`);
  }
}
