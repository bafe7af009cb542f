import { createRoot, type Root } from 'react-dom/client';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { ContentUi, type ContentUiActions } from '@/components/content/ContentUi';
import uiCss from '@/components/hover-card.css?inline';
import { prefetchEntityFacts } from '@/components/useEntityFactsMessage';
import { PageNotes } from '@/lib/annotations/page-notes';
import { HoverIntent } from '@/lib/dom/hover-intent';
import { installMarkStyles, uninstallMarkStyles } from '@/lib/dom/mark-styles';
import { PageHighlighter } from '@/lib/dom/page-highlighter';
import { ENTITY_ATTRIBUTE, OWN_UI_ATTRIBUTE } from '@/lib/dom/text-index';
import { ContentRequest } from '@/lib/messaging';
import { sendToBackground } from '@/lib/messaging-client';
import { DEFAULT_SITE_MATCHES } from '@/lib/sites';
import { UiStore } from '@/lib/ui/content-ui-store';

export default defineContentScript({
  matches: DEFAULT_SITE_MATCHES,
  // Before the page is parsed: the dictionary is fetched and compiled while the page loads, and
  // highlighting starts at DOMContentLoaded. Not earlier: wrapping names while the parser runs
  // spared the browser a second layout (measured in commit e4f0598, since removed), but marks made
  // before a server-rendered React page hydrates make its hydration fail.
  runAt: 'document_start',
  // The UI's CSS is inlined into its shadow root: no web-accessible file for pages to probe.
  cssInjectionMode: 'manual',
  async main(ctx) {
    // Injected again into a tab that already runs it (opt-in sites): the first copy stays in charge.
    const marker = globalThis as { __attributionLensStarted?: boolean };
    if (marker.__attributionLensStarted) return;
    marker.__attributionLensStarted = true;
    // Nothing here may throw into the page: every failure ends quietly (the page is not ours).
    try {
      await run(ctx);
    } catch (error) {
      console.debug('[Attribution Lens] not started:', error);
    }
  },
});

/** Resolves once the document is parsed (at once when it already is). */
function domContentLoaded(): Promise<void> {
  if (document.readyState !== 'loading') return Promise.resolve();
  return new Promise((resolve) =>
    document.addEventListener('DOMContentLoaded', () => resolve(), { once: true }),
  );
}

async function run(ctx: ContentScriptContext): Promise<void> {
  // Start-up phases as performance marks (tests and the bench read them; they cost nothing).
  performance.mark('attrib-lens:start');
  const setup = await sendToBackground({ type: 'getPageSetup', url: location.href });
  performance.mark('attrib-lens:setup');
  let lastReport = '';
  const report = (counts: Record<string, number>) => {
    const key = `${location.href} ${JSON.stringify(counts)}`;
    if (key === lastReport || ctx.isInvalid) return;
    lastReport = key;
    sendToBackground({ type: 'reportPageEntities', url: location.href, counts }).catch(() => undefined);
  };
  const highlighter = new PageHighlighter(document, setup.dictionary, { onScanned: report });
  // Compiled while the page still loads (marks 'attrib-lens:compiled'); the page is not touched.
  if (setup.enabled) void highlighter.prepare();
  await domContentLoaded();
  const store = new UiStore();
  let notes: PageNotes | undefined;

  const intent = new HoverIntent(document, {
    show: (mark) => {
      const rect = mark.getBoundingClientRect();
      const anchor = { left: rect.left, top: rect.top, width: rect.width, height: rect.height };
      const entityId = mark.getAttribute(ENTITY_ATTRIBUTE) ?? undefined;
      store.update((s) => ({ ...s, card: { ...s.card, entityId, anchor } }));
    },
    hide: () => store.update((s) => ({ ...s, card: { focusRequest: s.card.focusRequest } })),
    enter: () => store.update((s) => ({ ...s, card: { ...s.card, focusRequest: s.card.focusRequest + 1 } })),
    preview: (mark) => {
      const id = mark.getAttribute(ENTITY_ATTRIBUTE);
      if (id) prefetchEntityFacts(id);
    },
  });
  ctx.onInvalidated(() => intent.dispose());

  const actions: ContentUiActions = {
    cardPointer: (inside) => intent.cardPointer(inside),
    closeCard: () => intent.close(),
    openInPopup: (id) => {
      sendToBackground({ type: 'openInPopup', id }).catch(() => undefined);
    },
    openAnnotator: () => {
      notes
        ?.openAnnotator()
        .catch((error: unknown) => console.debug('[Attribution Lens] annotate failed:', error));
    },
    changeDraft: (draft) => notes?.changeDraft(draft),
    saveDraft: () => void notes?.saveDraft(),
    closeEditor: () => notes?.closeEditor(),
    deleteNote: (id) => void notes?.deleteNote(id),
    searchEntities: (query) => sendToBackground({ type: 'searchEntities', query, limit: 12 }),
  };

  // One closed shadow root under <html> (outside <body>) holds the card, annotate button and editor.
  // Created in parallel with the first scan: highlights must not wait for the UI.
  const uiReady = createShadowRootUi<Root>(ctx, {
    name: 'attrib-lens-ui',
    mode: 'closed',
    css: uiCss,
    position: 'inline',
    anchor: document.documentElement,
    append: 'last',
    isolateEvents: ['keydown', 'keyup', 'keypress'],
    onMount(container, _shadow, host) {
      host.setAttribute(OWN_UI_ATTRIBUTE, '');
      host.style.setProperty('position', 'fixed', 'important');
      host.style.setProperty('inset', '0 auto auto 0', 'important');
      host.style.setProperty('z-index', '2147483647', 'important');
      const root = createRoot(container);
      root.render(<ContentUi store={store} actions={actions} />);
      return root;
    },
    onRemove(root) {
      root?.unmount();
    },
  });

  const enable = (on: boolean) => {
    if (on && !highlighter.isRunning) {
      installMarkStyles(document);
      void highlighter.start();
      void uiReady.then((ui) => ui.mount());
      notes = new PageNotes(document, store);
      notes.load().catch(() => undefined);
    } else if (!on && highlighter.isRunning) {
      intent.close();
      notes?.dispose();
      notes = undefined;
      highlighter.stop();
      void uiReady.then((ui) => ui.remove());
      uninstallMarkStyles(document);
    }
  };

  browser.runtime.onMessage.addListener((message: unknown) => {
    const parsed = ContentRequest.safeParse(message);
    if (!parsed.success) return undefined;
    const request = parsed.data;
    switch (request.type) {
      case 'setHighlighting':
        enable(request.enabled);
        return Promise.resolve({ ok: true, data: { enabled: highlighter.isRunning } });
      case 'openAnnotator':
        void notes?.openAnnotator();
        return Promise.resolve({ ok: true, data: { opened: notes !== undefined } });
      case 'focusNote':
        return Promise.resolve({ ok: true, data: { found: notes?.focusNote(request.id) ?? false } });
      case 'notesChanged':
        void notes?.load();
        return Promise.resolve({ ok: true, data: {} });
    }
  });
  ctx.onInvalidated(() => enable(false));
  // Single-page apps change the URL without reloading: list entities and notes under the new URL.
  ctx.addEventListener(window, 'wxt:locationchange', () => {
    lastReport = '';
    if (highlighter.isRunning) report(highlighter.countMentions());
    void notes?.onLocationChange();
  });

  enable(setup.enabled);
}
