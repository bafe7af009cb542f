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
