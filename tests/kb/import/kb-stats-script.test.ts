import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../../..');
const TSX_CLI = path.join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const fixture = (name: string) => path.join('tests/fixtures/kb', name);

function kbStats(...args: string[]) {
  const run = spawnSync(process.execPath, [TSX_CLI, 'scripts/kb-stats.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { status: run.status, lines: run.stdout.trim().split('\n'), stderr: run.stderr };
}

const CONTRACT_KEYS = [
  'actors',
  'agencies',
  'attributors',
  'companies',
  'people',
  'aliases',
  'events',
  'sourcedEvents',
];

describe('scripts/kb-stats.ts', () => {
  it('prints the contract line, then the summed import result, and gives the same counts for a doubled import', () => {
    const once = kbStats(
      '--import',
      fixture('misp-threat-actor.json'),
      fixture('attack-enterprise-bundle.json'),
    );
    expect(once.status).toBe(0);
    expect(once.lines).toHaveLength(2);
    expect(Object.keys(JSON.parse(once.lines[0] ?? '{}'))).toEqual(CONTRACT_KEYS);
    expect(Object.keys(JSON.parse(once.lines[1] ?? '{}'))).toEqual(['added', 'merged', 'skipped']);
    const twice = kbStats(
      '--import',
      fixture('misp-threat-actor.json'),
      fixture('attack-enterprise-bundle.json'),
      fixture('misp-threat-actor.json'),
      fixture('attack-enterprise-bundle.json'),
    );
    expect(twice.lines[0]).toBe(once.lines[0]);
    expect(JSON.parse(twice.lines[1] ?? '{}').added).toBe(JSON.parse(once.lines[1] ?? '{}').added);
  });

  it('exits with code 1 and names the file when a file cannot be imported', () => {
    const run = kbStats('--import', fixture('misp-threat-actor.json'), 'package.json');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('package.json is not a MISP galaxy cluster file or an ATT&CK STIX bundle');
  });
});
