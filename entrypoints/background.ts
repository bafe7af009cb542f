import { BackgroundService } from '@/lib/background/service';
import { AttributionLensDb } from '@/lib/db';
import { loadBuiltinKnowledgeBase } from '@/lib/kb/seed';
import type { ContentRequest } from '@/lib/messaging';

const ANNOTATE_MENU_ID = 'annotate-selection';

export default defineBackground(() => {
  const service = new BackgroundService(new AttributionLensDb(), loadBuiltinKnowledgeBase);
  const openAnnotator = (tabId: number | undefined) => {
    if (tabId === undefined) return;
    const message: ContentRequest = { type: 'openAnnotator' };
    browser.tabs.sendMessage(tabId, message).catch(() => undefined);
  };

  browser.runtime.onInstalled.addListener(() => {
    void service.ensureSeeded();
    browser.contextMenus.create({
      id: ANNOTATE_MENU_ID,
      title: 'Annotate selection',
      contexts: ['selection'],
    });
  });
  browser.contextMenus.onClicked.addListener((info, tab) => {
    if (info.menuItemId === ANNOTATE_MENU_ID) openAnnotator(tab?.id);
  });
  browser.commands.onCommand.addListener((command, tab) => {
    if (command !== ANNOTATE_MENU_ID) return;
    if (tab?.id !== undefined) openAnnotator(tab.id);
    else
      void browser.tabs
        .query({ active: true, currentWindow: true })
        .then(([active]) => openAnnotator(active?.id));
  });
  browser.runtime.onMessage.addListener((message, sender) => service.handle(message, sender));
  browser.tabs.onRemoved.addListener((tabId) => {
    void service.forgetTab(tabId);
  });
});
