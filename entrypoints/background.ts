import { BackgroundService } from '@/lib/background/service';
import { AttributionLensDb } from '@/lib/db';
import { loadBuiltinKnowledgeBase } from '@/lib/kb/seed';

export default defineBackground(() => {
  const service = new BackgroundService(new AttributionLensDb(), loadBuiltinKnowledgeBase);

  browser.runtime.onInstalled.addListener(() => {
    void service.ensureSeeded();
  });
  browser.runtime.onMessage.addListener((message, sender) => service.handle(message, sender));
  browser.tabs.onRemoved.addListener((tabId) => {
    void service.forgetTab(tabId);
  });
});
