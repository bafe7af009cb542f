import { browser } from 'wxt/browser';
import { type AttributionLensDb, seedBuiltinKnowledgeBase } from '../db';
import { describeFirstIssue } from '../describe-issue';
import { type EntityFacts, getEntityFacts } from '../kb/facts';
import type { KnowledgeBase } from '../kb/schema';
import { searchEntities } from '../kb/user-entities';
import { buildDictionary, type Dictionary } from '../match/dictionary';
import {
  BackgroundRequest,
  type BackgroundResponses,
  type ContentRequest,
  MessageError,
  type Reply,
  type TabEntities,
} from '../messaging';
import { defaultSiteOf, siteKeyOf } from '../sites';
import { FOCUS_ENTITY_KEY } from './focus';
import { hasSiteAccess, startOnSite, stopOnSite } from './site-access';

interface TabReport {
  url: string;
  counts: Record<string, number>;
  /** Canonical URL the page's annotations are stored under, and which of them were placed. */
  notesUrl?: string;
  anchored?: string[];
  orphaned?: string[];
}

/** What a message arrived with: the sending tab, when a content script sent it. */
export interface MessageSender {
  tab?: { id?: number; url?: string };
}

const TAB_REPORTS_KEY = 'tabReports';

/**
 * The background's logic, independent of how it is wired: seeds the DB, answers typed requests,
 * remembers what each tab mentions. `entrypoints/background.ts` only connects it to browser events.
 */
export class BackgroundService {
  private dictionary: Promise<Dictionary> | undefined;
  private readonly factsCache = new Map<string, EntityFacts>();
  private ready: Promise<void> | undefined;
  private readonly tabReports = new Map<number, TabReport>();
  private restoredReports: Promise<void> | undefined;

  constructor(
    private readonly db: AttributionLensDb,
    private readonly loadBuiltin: () => KnowledgeBase,
  ) {}

  /** Seeds or refreshes the built-in KB once per service-worker life (cheap when up to date). */
  ensureSeeded(): Promise<void> {
    this.ready ??= seedBuiltinKnowledgeBase(this.db, this.loadBuiltin()).then((wrote) => {
      if (wrote) this.invalidateDictionary();
    });
    return this.ready;
  }

  /** Parses and answers one message; never throws. */
  async handle(message: unknown, sender: MessageSender): Promise<Reply<unknown>> {
    const parsed = BackgroundRequest.safeParse(message);
    if (!parsed.success) {
      return { ok: false, error: { code: 'bad-request', message: describeFirstIssue(parsed.error) } };
    }
    try {
      await this.ensureSeeded();
      return { ok: true, data: await this.answer(parsed.data, sender) };
    } catch (error) {
      if (error instanceof MessageError)
        return { ok: false, error: { code: error.code, message: error.message } };
      return {
        ok: false,
        error: { code: 'internal', message: error instanceof Error ? error.message : String(error) },
      };
    }
  }

  private async answer(
    request: BackgroundRequest,
    sender: MessageSender,
  ): Promise<BackgroundResponses[BackgroundRequest['type']]> {
    switch (request.type) {
      case 'getPageSetup': {
        const host = new URL(request.url).hostname;
        return { host, enabled: await this.isSiteEnabled(host), dictionary: await this.getDictionary() };
      }
      case 'getEntityFacts': {
        // Facts change only with the KB: cache them (the hover card asks on every hover).
        let facts = this.factsCache.get(request.id);
        if (!facts) {
          facts = await getEntityFacts(this.db, request.id);
          if (facts) this.factsCache.set(request.id, facts);
        }
        if (!facts) throw new MessageError('not-found', `no entity "${request.id}"`);
        return facts;
      }
      case 'reportPageEntities': {
        const tabId = sender.tab?.id;
        if (tabId === undefined)
          throw new MessageError('bad-request', 'reportPageEntities must come from a tab');
        await this.restoreReports();
        const previous = this.tabReports.get(tabId);
        this.tabReports.set(tabId, { ...previous, url: request.url, counts: request.counts });
        await this.persistReports();
        return { stored: Object.keys(request.counts).length };
      }
      case 'getTabEntities':
        return this.getTabEntities(request.tabId);
      case 'setSiteEnabled':
        return this.setSiteEnabled(request.host, request.enabled);
      case 'saveAnnotation': {
        const annotation = request.annotation;
        await this.db.annotations.put(annotation);
        return { id: annotation.id, updatedAt: annotation.updatedAt };
      }
      case 'deleteAnnotation': {
        const existing = (await this.db.annotations.get(request.id)) ?? null;
        await this.db.annotations.delete(request.id);
        return { deleted: existing };
      }
      case 'getPageAnnotations':
        return this.db.annotations.where('pageUrl').equals(request.url).sortBy('createdAt');
      case 'listTags': {
        const tags = await this.db.annotations.orderBy('tags').uniqueKeys();
        return tags.map(String).sort((a, b) => a.localeCompare(b));
      }
      case 'searchEntities':
        return (await searchEntities(this.db, request.query, request.limit)).map((entity) => ({
          id: entity.id,
          name: entity.name,
          kind: entity.kind,
          ...(entity.country ? { country: entity.country } : {}),
        }));
      case 'reportAnchoring': {
        const tabId = sender.tab?.id;
        if (tabId === undefined)
          throw new MessageError('bad-request', 'reportAnchoring must come from a tab');
        await this.restoreReports();
        const previous = this.tabReports.get(tabId) ?? { url: request.url, counts: {} };
        this.tabReports.set(tabId, {
          ...previous,
          notesUrl: request.url,
          anchored: request.anchored,
          orphaned: request.orphaned,
        });
        await this.persistReports();
        return { stored: request.anchored.length + request.orphaned.length };
      }
      case 'getTabNotes': {
        await this.restoreReports();
        const report = this.tabReports.get(request.tabId);
        const url = report?.notesUrl ?? null;
        const notes = url ? await this.db.annotations.where('pageUrl').equals(url).sortBy('createdAt') : [];
        return { url, notes, orphaned: report?.orphaned ?? [], checked: report?.notesUrl !== undefined };
      }
      case 'kbChanged':
        this.invalidateDictionary();
        return { entities: await this.db.entities.count() };
      case 'openInPopup': {
        await browser.storage.session.set({ [FOCUS_ENTITY_KEY]: request.id });
        try {
          await browser.action.openPopup();
          return { opened: 'popup' };
        } catch {
          // openPopup needs a focused window and a recent user gesture; a tab always works.
          const tabQuery = sender.tab?.id === undefined ? '' : `&tab=${sender.tab.id}`;
          await browser.tabs.create({
            url: `${browser.runtime.getURL('/popup.html')}?entity=${request.id}${tabQuery}`,
          });
          return { opened: 'tab' };
        }
      }
    }
  }

  /** Forgets a closed tab. */
  async forgetTab(tabId: number): Promise<void> {
    await this.restoreReports();
    if (this.tabReports.delete(tabId)) await this.persistReports();
  }

  /** Call after imports or user edits: the next page gets a fresh dictionary. */
  invalidateDictionary(): void {
    this.dictionary = undefined;
    this.factsCache.clear();
  }

  /** The compiled-from dictionary of every highlighted name, rebuilt after the KB changes. */
  getDictionary(): Promise<Dictionary> {
    this.dictionary ??= Promise.all([this.db.entities.toArray(), this.db.aliases.toArray()]).then(
      ([rows, aliases]) => buildDictionary(rows, aliases),
    );
    return this.dictionary;
  }

  async isSiteEnabled(host: string): Promise<boolean> {
    const row = await this.db.sites.get(siteKeyOf(host));
    return row?.enabled ?? defaultSiteOf(host) !== undefined;
  }

  private async setSiteEnabled(
    host: string,
    enabled: boolean,
  ): Promise<BackgroundResponses['setSiteEnabled']> {
    const key = siteKeyOf(host);
    const optIn = defaultSiteOf(host) === undefined;
    if (optIn && enabled && !(await hasSiteAccess(key))) {
      throw new MessageError('bad-request', `Attribution Lens has no permission to read pages on ${key}`);
    }
    const siteTabs: number[] = [];
    for (const tab of await browser.tabs.query({})) {
      if (tab.id === undefined || !tab.url) continue;
      try {
        if (siteKeyOf(new URL(tab.url).hostname) === key) siteTabs.push(tab.id);
      } catch {
        // about:blank and other URLs without a host.
      }
    }
    await this.db.sites.put({ host: key, enabled });
    if (optIn) {
      if (enabled) await startOnSite(key, siteTabs);
      else await stopOnSite(key);
    }
    let tabsUpdated = 0;
    const message: ContentRequest = { type: 'setHighlighting', enabled };
    for (const tabId of siteTabs) {
      try {
        await browser.tabs.sendMessage(tabId, message);
        tabsUpdated++;
      } catch {
        // No content script in that tab (not injected yet, or a page we do not run on).
      }
    }
    if (!enabled) {
      await this.restoreReports();
      for (const tabId of siteTabs) this.tabReports.delete(tabId);
      await this.persistReports();
    }
    return { host: key, enabled, tabsUpdated };
  }

  private async getTabEntities(tabId: number): Promise<TabEntities> {
    await this.restoreReports();
    const report = this.tabReports.get(tabId);
    let url: string | null = report?.url ?? null;
    if (!url) {
      try {
        url = (await browser.tabs.get(tabId)).url ?? null;
      } catch {
        url = null;
      }
    }
    let host: string | null = null;
    try {
      host = url ? new URL(url).hostname || null : null;
    } catch {
      host = null;
    }
    const enabled = host ? await this.isSiteEnabled(host) : false;
    const counts = report?.counts ?? {};
    const rows = await this.db.entities.bulkGet(Object.keys(counts));
    const entities = rows
      .filter((row) => row !== undefined)
      .map((row) => ({
        id: row.id,
        name: row.name,
        kind: row.kind,
        ...(row.country ? { country: row.country } : {}),
        count: counts[row.id] ?? 0,
      }))
      .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
    return { url, host, enabled, entities };
  }

  private restoreReports(): Promise<void> {
    // The service worker may have been stopped since the reports came in; session storage survives.
    this.restoredReports ??= browser.storage.session
      .get(TAB_REPORTS_KEY)
      .then((stored) => {
        const saved = stored[TAB_REPORTS_KEY] as Record<string, TabReport> | undefined;
        for (const [tabId, report] of Object.entries(saved ?? {})) {
          if (!this.tabReports.has(Number(tabId))) this.tabReports.set(Number(tabId), report);
        }
      })
      .catch(() => undefined);
    return this.restoredReports;
  }

  private async persistReports(): Promise<void> {
    await browser.storage.session.set({ [TAB_REPORTS_KEY]: Object.fromEntries(this.tabReports) });
  }
}
