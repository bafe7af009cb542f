import { createRoot, type Root } from 'react-dom/client';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { HoverCard, type HoverCardProps } from '@/components/HoverCard';
import cardCss from '@/components/hover-card.css?inline';
import type { Box } from '@/lib/dom/card-placement';
import { HoverIntent } from '@/lib/dom/hover-intent';
import { installMarkStyles, uninstallMarkStyles } from '@/lib/dom/mark-styles';
import { PageHighlighter } from '@/lib/dom/page-highlighter';
import { ENTITY_ATTRIBUTE, OWN_UI_ATTRIBUTE } from '@/lib/dom/text-index';
import { ContentRequest } from '@/lib/messaging';
import { sendToBackground } from '@/lib/messaging-client';
import { DEFAULT_SITE_MATCHES } from '@/lib/sites';

export default defineContentScript({
  matches: DEFAULT_SITE_MATCHES,
  runAt: 'document_idle',
  // The card's CSS is inlined into its shadow root: no web-accessible file for pages to probe.
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

async function run(ctx: ContentScriptContext): Promise<void> {
  const setup = await sendToBackground({ type: 'getPageSetup', url: location.href });
  let lastReport = '';
  const report = (counts: Record<string, number>) => {
    const key = JSON.stringify(counts);
    if (key === lastReport || ctx.isInvalid) return;
    lastReport = key;
    sendToBackground({ type: 'reportPageEntities', url: location.href, counts }).catch(() => undefined);
  };
  const highlighter = new PageHighlighter(document, setup.dictionary, { onScanned: report });

  // The card lives in a closed shadow root under <html>, outside <body>, mounted on first use.
  let cardRoot: Root | undefined;
  let cardProps: Omit<HoverCardProps, 'onPointer' | 'onClose' | 'onOpenInPopup'> = {
    entityId: undefined,
    anchor: undefined,
    focusRequest: 0,
  };
  const intent = new HoverIntent(document, {
    show: (mark) => {
      const rect = mark.getBoundingClientRect();
      const anchor: Box = { left: rect.left, top: rect.top, width: rect.width, height: rect.height };
      void renderCard({ ...cardProps, entityId: mark.getAttribute(ENTITY_ATTRIBUTE) ?? undefined, anchor });
    },
    hide: () => void renderCard({ ...cardProps, entityId: undefined, anchor: undefined }),
    enter: () => void renderCard({ ...cardProps, focusRequest: cardProps.focusRequest + 1 }),
  });
  ctx.onInvalidated(() => intent.dispose());

  const mountCard = async (): Promise<Root> => {
    if (cardRoot) return cardRoot;
    const ui = await createShadowRootUi(ctx, {
      name: 'attrib-lens-card',
      mode: 'closed',
      css: cardCss,
      position: 'inline',
      anchor: document.documentElement,
      append: 'last',
      isolateEvents: ['keydown', 'keyup', 'keypress'],
      onMount(container, _shadow, host) {
        host.setAttribute(OWN_UI_ATTRIBUTE, '');
        host.style.setProperty('position', 'fixed', 'important');
        host.style.setProperty('inset', '0 auto auto 0', 'important');
        host.style.setProperty('z-index', '2147483647', 'important');
        return createRoot(container);
      },
      onRemove(root) {
        root?.unmount();
      },
    });
    ui.mount();
    cardRoot = ui.mounted as Root;
    return cardRoot;
  };

  async function renderCard(next: typeof cardProps): Promise<void> {
    cardProps = next;
    if (!next.entityId && !cardRoot) return;
    const root = await mountCard();
    root.render(
      <HoverCard
        {...cardProps}
        onPointer={(inside) => intent.cardPointer(inside)}
        onClose={() => intent.close()}
        onOpenInPopup={(id) => {
          sendToBackground({ type: 'openInPopup', id }).catch(() => undefined);
        }}
      />,
    );
  }

  const enable = (on: boolean) => {
    if (on && !highlighter.isRunning) {
      installMarkStyles(document);
      void highlighter.start();
    } else if (!on && highlighter.isRunning) {
      intent.close();
      highlighter.stop();
      uninstallMarkStyles(document);
    }
  };

  browser.runtime.onMessage.addListener((message: unknown) => {
    const parsed = ContentRequest.safeParse(message);
    if (!parsed.success || parsed.data.type !== 'setHighlighting') return undefined;
    enable(parsed.data.enabled);
    return Promise.resolve({ ok: true, data: { enabled: highlighter.isRunning } });
  });
  ctx.onInvalidated(() => enable(false));
  // Single-page apps change the URL without reloading: the popup must list under the new URL.
  ctx.addEventListener(window, 'wxt:locationchange', () => {
    lastReport = '';
    if (highlighter.isRunning) report(highlighter.countMentions());
  });

  enable(setup.enabled);
}
