// Elements inside the extension's CLOSED shadow root, reached through CDP (DOM.getDocument with
// pierce: true sees closed roots; page scripts and Playwright selectors do not).

/** Viewport box {left, top, right, bottom} of the first node whose `attribute` equals `value`, or null. */
export async function closedShadowBox(page, attribute, value) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    const stack = [root];
    while (stack.length) {
      const node = stack.pop();
      const attrs = node.attributes ?? [];
      for (let i = 0; i < attrs.length; i += 2) {
        if (attrs[i] === attribute && attrs[i + 1] === value) {
          const { model } = await cdp.send('DOM.getBoxModel', { nodeId: node.nodeId });
          const [x1, y1, , , x3, y3] = model.border;
          return { left: x1, top: y1, right: x3, bottom: y3 };
        }
      }
      stack.push(...(node.children ?? []), ...(node.shadowRoots ?? []));
    }
    return null;
  } finally {
    await cdp.detach().catch(() => {});
  }
}
