import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { BackgroundService } from '@/lib/background/service';
import { AttributionLensDb } from '@/lib/db';
import { testKnowledgeBase } from '../kb/test-kb';

let service: BackgroundService;
let db: AttributionLensDb;

beforeEach(async () => {
  fakeBrowser.reset();
  db = new AttributionLensDb(`bg-${Math.random()}`);
  service = new BackgroundService(db, testKnowledgeBase);
});

describe('BackgroundService.handle', () => {
  it('answers getPageSetup with the dictionary and the default-site switch', async () => {
    const reply = await service.handle({ type: 'getPageSetup', url: 'https://www.cbc.ca/news/x' }, {});
    expect(reply.ok).toBe(true);
    if (!reply.ok) return;
    const data = reply.data as { enabled: boolean; dictionary: { text: string; entityId: string }[] };
    expect(data.enabled).toBe(true);
    expect(data.dictionary.map((e) => e.text)).toContain('Advanced Persistent Threat 31');
    expect(data.dictionary.some((e) => e.entityId === 'jane-doe')).toBe(false);
    const other = await service.handle({ type: 'getPageSetup', url: 'https://example.org/' }, {});
    expect(other.ok && (other.data as { enabled: boolean }).enabled).toBe(false);
  });

  it('answers getEntityFacts and a typed not-found error', async () => {
    const reply = await service.handle({ type: 'getEntityFacts', id: 'apt31' }, {});
    expect(reply.ok && (reply.data as { entity: { name: string } }).entity.name).toBe('APT31');
    expect(await service.handle({ type: 'getEntityFacts', id: 'unknown-group' }, {})).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'no entity "unknown-group"' },
    });
  });

  it.each([
    [null],
    ['getDictionary'],
    [{ type: 'nope' }],
    [{ type: 'getEntityFacts' }],
    [{ type: 'getEntityFacts', id: '<script>' }],
    [{ type: 'getTabEntities', tabId: -1 }],
    [{ type: 'getPageSetup', url: 'javascript:alert(1)' }],
  ])('rejects the malformed message %j with a typed bad-request error', async (message) => {
    const reply = await service.handle(message, {});
    expect(reply.ok).toBe(false);
    if (!reply.ok) expect(reply.error.code).toBe('bad-request');
  });

  it('stores what a tab mentions and lists it grouped with names and counts', async () => {
    const url = 'https://www.cbc.ca/news/a';
    const stored = await service.handle(
      { type: 'reportPageEntities', url, counts: { apt31: 3, 'cn-mss': 2 } },
      { tab: { id: 7, url } },
    );
    expect(stored).toEqual({ ok: true, data: { stored: 2 } });
    const reply = await service.handle({ type: 'getTabEntities', tabId: 7 }, {});
    expect(reply).toEqual({
      ok: true,
      data: {
        url,
        host: 'www.cbc.ca',
        enabled: true,
        entities: [
          { id: 'apt31', name: 'APT31', kind: 'actor', country: 'CN', count: 3 },
          { id: 'cn-mss', name: 'Ministry of State Security', kind: 'agency', country: 'CN', count: 2 },
        ],
      },
    });
    // A fresh service (service worker restarted) still knows the tab from session storage.
    const restarted = new BackgroundService(db, testKnowledgeBase);
    const again = await restarted.handle({ type: 'getTabEntities', tabId: 7 }, {});
    expect(again.ok && (again.data as { entities: unknown[] }).entities.length).toBe(2);
  });

  it('turns a site off and on, keyed by the default site', async () => {
    const off = await service.handle({ type: 'setSiteEnabled', host: 'www.cbc.ca', enabled: false }, {});
    expect(off).toEqual({ ok: true, data: { host: 'cbc.ca', enabled: false, tabsUpdated: 0 } });
    expect(await service.isSiteEnabled('news.cbc.ca')).toBe(false);
    await service.handle({ type: 'setSiteEnabled', host: 'cbc.ca', enabled: true }, {});
    expect(await service.isSiteEnabled('www.cbc.ca')).toBe(true);
  });

  it('refuses a page report that does not come from a tab', async () => {
    const reply = await service.handle(
      { type: 'reportPageEntities', url: 'https://www.cbc.ca/', counts: {} },
      {},
    );
    expect(reply.ok).toBe(false);
  });
});

describe('BackgroundService annotations', () => {
  const annotation = {
    id: '2f1c7a52-9d4e-4a8b-8f0e-0c1d2e3f4a5b',
    pageUrl: 'https://www.cbc.ca/news/politics/apt31-1.7155000',
    pageTitle: 'Canada targeted by APT31',
    site: 'www.cbc.ca',
    selectors: {
      quote: {
        type: 'TextQuoteSelector',
        exact: 'APT31 also targeted Canada',
        prefix: 'confirmed that ',
        suffix: '.',
      },
      position: { type: 'TextPositionSelector', start: 100, end: 126 },
    },
    note: 'CSE wording is weaker than the U.S.',
    tags: ['cse', 'wording'],
    entityIds: ['apt31', 'cn-mss'],
    claim: { attributor: 'us-doj', actor: 'apt31', confidence: 'almost certain', evidence: 'indictment' },
    createdAt: '2026-11-21T10:00:00.000Z',
    updatedAt: '2026-11-21T10:00:00.000Z',
  };

  it('saves, lists by page and tag, reports anchoring and deletes with the row returned for undo', async () => {
    const tab = { tab: { id: 3, url: annotation.pageUrl } };
    expect(await service.handle({ type: 'saveAnnotation', annotation }, tab)).toEqual({
      ok: true,
      data: { id: annotation.id, updatedAt: annotation.updatedAt },
    });
    const listed = await service.handle({ type: 'getPageAnnotations', url: annotation.pageUrl }, tab);
    expect(listed.ok && listed.data).toEqual([annotation]);
    expect(await service.handle({ type: 'listTags' }, tab)).toEqual({ ok: true, data: ['cse', 'wording'] });
    await service.handle(
      { type: 'reportAnchoring', url: annotation.pageUrl, anchored: [], orphaned: [annotation.id] },
      tab,
    );
    const notes = await service.handle({ type: 'getTabNotes', tabId: 3 }, {});
    expect(notes.ok && notes.data).toEqual({
      url: annotation.pageUrl,
      notes: [annotation],
      orphaned: [annotation.id],
      checked: true,
    });
    const deleted = await service.handle({ type: 'deleteAnnotation', id: annotation.id }, tab);
    expect(deleted.ok && deleted.data).toEqual({ deleted: annotation });
    expect(await db.annotations.count()).toBe(0);
  });

  it.each([
    [{ ...annotation, id: 'not-a-uuid' }],
    [{ ...annotation, pageUrl: 'javascript:alert(1)' }],
    [{ ...annotation, selectors: { quote: { type: 'TextQuoteSelector', exact: '' } } }],
    [{ ...annotation, entityIds: ['<img src=x>'] }],
    [{ ...annotation, extra: 'field' }],
  ])('rejects a malformed annotation without writing (%#)', async (bad) => {
    const reply = await service.handle({ type: 'saveAnnotation', annotation: bad }, {});
    expect(reply.ok).toBe(false);
    expect(await db.annotations.count()).toBe(0);
  });

  it('searches entities by any alias for the editor', async () => {
    const reply = await service.handle({ type: 'searchEntities', query: 'violet' }, {});
    expect(reply.ok && reply.data).toEqual([{ id: 'apt31', name: 'APT31', kind: 'actor', country: 'CN' }]);
  });
});
