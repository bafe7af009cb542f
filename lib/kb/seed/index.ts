import { describeFirstIssue } from '../../describe-issue';
import { type KnowledgeBase, SeedFile } from '../schema';
import attributors from './attributors.json';
import china from './china.json';
import criminal from './criminal.json';
import iran from './iran.json';
import northKorea from './north-korea.json';
import otherStates from './other-states.json';
import russia from './russia.json';

/** Every built-in seed file, in load order. Add a new file here and in tests/kb/seed.test.ts follows. */
export const SEED_FILES: Record<string, unknown> = {
  'attributors.json': attributors,
  'china.json': china,
  'russia.json': russia,
  'north-korea.json': northKorea,
  'iran.json': iran,
  'other-states.json': otherStates,
  'criminal.json': criminal,
};

/** Parses every seed file; throws with the file name and the first bad path on a bad row. */
export function loadBuiltinKnowledgeBase(): KnowledgeBase {
  const kb: KnowledgeBase = { entities: [], events: [] };
  for (const [file, content] of Object.entries(SEED_FILES)) {
    const parsed = SeedFile.safeParse(content);
    if (!parsed.success) throw new Error(`${file}: ${describeFirstIssue(parsed.error)}`);
    kb.entities.push(...parsed.data.entities);
    kb.events.push(...parsed.data.events);
  }
  return kb;
}
