// Prints the knowledge-base counts line of ../shared/DESIGN.md ("npm run kb:stats").
import { loadBuiltinKnowledgeBase } from '../lib/kb/seed/index.ts';
import { kbStats } from '../lib/kb/stats.ts';

const args = process.argv.slice(2);
if (args.includes('--import')) {
  console.error('kb:stats --import: the MISP/ATT&CK importers are not built yet (issue 3).');
  process.exit(2);
}
try {
  console.log(JSON.stringify(kbStats(loadBuiltinKnowledgeBase())));
} catch (error) {
  console.error(
    `kb:stats: the built-in knowledge base is invalid: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
}
