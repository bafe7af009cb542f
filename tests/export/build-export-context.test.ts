import { afterEach, describe, expect, it } from 'vitest';
import { AttributionLensDb, seedBuiltinKnowledgeBase } from '@/lib/db';
import { buildExportContext } from '@/lib/export/build-export-context';
import { buildStixBundle } from '@/lib/export/stix';
import { loadBuiltinKnowledgeBase } from '@/lib/kb/seed';
import { testKnowledgeBase } from '../kb/test-kb';
import { makeAnnotation } from './sample-data';
import { validateStixBundle } from './stix-validator';

let db: AttributionLensDb | undefined;
afterEach(async () => {
  await db?.delete();
  db = undefined;
});

describe('buildExportContext', () => {
  it('reads linked and claim entities with their sponsor, aliases and sources', async () => {
    db = new AttributionLensDb(`context-${Math.random()}`);
    await seedBuiltinKnowledgeBase(db, testKnowledgeBase());
    await db.aliases.add({
      entityId: 'apt31',
      text: 'Bronze Vinewood',
      scheme: 'secureworks',
      origin: 'imported',
      source: 'misp-galaxy threat-actor',
      textLower: 'bronze vinewood',
    });
    const annotation = makeAnnotation({
      entityIds: ['apt31', 'deleted-entity'],
      claim: { attributor: 'us-doj', actor: 'apt31', sponsor: 'Hubei State Security Department' },
    });
    const context = await buildExportContext(db, [annotation], { name: 'Mara K.' });
    expect([...context.entities.keys()].sort()).toEqual(['apt31', 'us-doj']);
    expect(context.creator).toEqual({ name: 'Mara K.' });
    expect(context.entities.get('apt31')).toMatchObject({
      name: 'APT31',
      kind: 'actor',
      sponsor: { id: 'cn-mss-hubei', name: 'Hubei State Security Department', kind: 'agency' },
      aliases: ['Advanced Persistent Threat 31', 'Violet Typhoon', 'Zirconium', 'Bronze Vinewood'],
    });
    expect(context.entities.get('us-doj')?.sponsor).toBeUndefined();
  });

  it('gives the built-in knowledge base’s sources and a bundle that passes the validator', async () => {
    db = new AttributionLensDb(`context-${Math.random()}`);
    await seedBuiltinKnowledgeBase(db, loadBuiltinKnowledgeBase());
    const annotation = makeAnnotation({
      entityIds: ['apt31', 'cn-mss-hubei', 'cn-mss'],
      claim: { attributor: 'us-doj', actor: 'apt31', sponsor: 'cn-mss-hubei', confidence: 'likely' },
    });
    const context = await buildExportContext(db, [annotation]);
    expect(context.entities.get('cn-mss-hubei')?.sources.length).toBeGreaterThan(0);
    expect(validateStixBundle(buildStixBundle([annotation], context))).toEqual([]);
  });
});
