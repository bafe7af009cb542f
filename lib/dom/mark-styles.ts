/**
 * Page-level CSS for highlights. Only paint (background, underline, outline): nothing that changes
 * layout. Installed as an adopted style sheet so no element is added to the page.
 */
export const MARK_CSS = `
attrib-mark {
  background-color: rgba(250, 204, 21, 0.28);
  text-decoration: underline 2px rgba(202, 138, 4, 0.85);
  text-underline-offset: 2px;
  text-decoration-skip-ink: none;
  border-radius: 2px;
  box-decoration-break: clone;
  -webkit-box-decoration-break: clone;
  cursor: help;
}
attrib-mark[data-attrib-kind="actor"] { background-color: rgba(239, 68, 68, 0.2); text-decoration-color: rgba(220, 38, 38, 0.8); }
attrib-mark[data-attrib-kind="agency"] { background-color: rgba(249, 115, 22, 0.2); text-decoration-color: rgba(234, 88, 12, 0.8); }
attrib-mark[data-attrib-kind="attributor"] { background-color: rgba(59, 130, 246, 0.18); text-decoration-color: rgba(37, 99, 235, 0.8); }
attrib-mark[data-attrib-kind="company"] { background-color: rgba(168, 85, 247, 0.18); text-decoration-color: rgba(147, 51, 234, 0.8); }
attrib-mark[data-attrib-kind="campaign"] { background-color: rgba(20, 184, 166, 0.2); text-decoration-color: rgba(13, 148, 136, 0.8); }
attrib-mark:hover { filter: saturate(1.6); }
attrib-mark:focus-visible { outline: 2px solid #2563eb; outline-offset: 1px; }
attrib-note {
  background-color: rgba(34, 197, 94, 0.22);
  box-shadow: inset 0 -2px 0 rgba(22, 163, 74, 0.7);
  cursor: pointer;
}
attrib-note[data-attrib-flash] { animation: attrib-lens-flash 1.2s ease-out 2; }
@keyframes attrib-lens-flash { 0% { background-color: rgba(34, 197, 94, 0.75); } 100% { background-color: rgba(34, 197, 94, 0.22); } }
attrib-note:focus-visible { outline: 2px solid #16a34a; outline-offset: 1px; }
@media (forced-colors: active) {
  attrib-mark { forced-color-adjust: none; background-color: Mark; color: MarkText; }
}
`;

let installed: CSSStyleSheet | undefined;

/** Adds the highlight style sheet to the document (idempotent). */
export function installMarkStyles(doc: Document): void {
  if (installed) return;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(MARK_CSS);
  doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  installed = sheet;
}

/** Removes the highlight style sheet. */
export function uninstallMarkStyles(doc: Document): void {
  if (!installed) return;
  const sheet = installed;
  doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
  installed = undefined;
}
