import { v4 as uuidv4 } from 'uuid';
import { browser } from 'wxt/browser';
import { anchor, describeRange, NOTE_TAG } from '../dom/anchoring';
import type { Box } from '../dom/card-placement';
import {
  highlightNote,
  isNoteMutation,
  noteHighlightsOf,
  removeNoteHighlights,
} from '../dom/note-highlighter';
import { readPageMeta } from '../dom/page-meta';
import { ENTITY_ATTRIBUTE, isSkippedElement, MARK_TAG, OWN_UI_ATTRIBUTE } from '../dom/text-index';
import { taskScheduler } from '../dom/yield-to-page';
import type { EntityRef } from '../kb/facts';
import { EntityKind } from '../kb/schema';
import { sendToBackground } from '../messaging-client';
import type { AnnotatorState, UiStore } from '../ui/content-ui-store';
import { draftHasContent, draftKeyOf, NoteDraft, normalizeTag } from './draft';
import { Annotation, type AttributionClaim } from './schema';

/** How long after load (or an SPA navigation) orphans are retried as content arrives. */
const RETRY_WINDOW_MS = 30_000;
const RETRY_BATCH_MS = 400;
const UNDO_MS = 8_000;

function boxOf(rect: DOMRect): Box {
  return { left: rect.left, top: rect.top, width: rect.width, height: rect.height };
}

/** A selection worth annotating: not collapsed, in the page body, not inside inputs or our UI. */
function annotatableRange(doc: Document): Range | undefined {
  const selection = doc.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return undefined;
  const range = selection.getRangeAt(0);
  if (range.toString().trim().length < 2) return undefined;
  const container = range.commonAncestorContainer;
  const element = container.nodeType === Node.ELEMENT_NODE ? (container as Element) : container.parentElement;
  if (!element || !doc.body?.contains(element)) return undefined;
  for (let e: Element | null = element; e; e = e.parentElement) {
    if (isSkippedElement(e) || e.hasAttribute(OWN_UI_ATTRIBUTE)) return undefined;
  }
  return range;
}

/** Entities highlighted inside the range, else in the block around it. */
function entitiesAround(range: Range): EntityRef[] {
  const found = new Map<string, EntityRef>();
  const root = range.commonAncestorContainer;
  const scope = root.nodeType === Node.ELEMENT_NODE ? (root as Element) : root.parentElement;
  const collect = (marks: Iterable<Element>, inside: boolean) => {
    for (const mark of marks) {
      if (inside && !range.intersectsNode(mark)) continue;
      const id = mark.getAttribute(ENTITY_ATTRIBUTE);
      const kind = EntityKind.safeParse(mark.getAttribute('data-attrib-kind'));
      if (id && kind.success && !found.has(id))
        found.set(id, { id, name: mark.textContent ?? id, kind: kind.data });
    }
  };
  const blockOf = (node: Element | null) =>
    node?.closest('p, li, td, th, blockquote, figcaption, h1, h2, h3, h4, h5, h6, div');
  const inScope = scope?.querySelectorAll(MARK_TAG) ?? [];
  collect(scope?.closest(MARK_TAG) ? [scope.closest(MARK_TAG) as Element] : [], false);
  collect(inScope, true);
  if (found.size === 0) collect(blockOf(scope ?? null)?.querySelectorAll(MARK_TAG) ?? [], false);
  return [...found.values()];
}

/**
 * A page's annotations: re-anchors them on load and as content arrives, runs the annotate button
 * and editor (through the UI store), saves and deletes through the background, keeps drafts.
 */
export class PageNotes {
  private notes = new Map<string, Annotation>();
  private orphaned = new Set<string>();
  private pageUrl: string;
  private observer: MutationObserver | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retryUntil = 0;
  private pendingRange: Range | undefined;
  private draftTimer: ReturnType<typeof setTimeout> | undefined;
  private toastTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly scheduler = taskScheduler();
  private readonly abort = new AbortController();

  constructor(
    private readonly doc: Document,
    private readonly store: UiStore,
  ) {
    this.pageUrl = readPageMeta(doc).url;
    const options = { signal: this.abort.signal };
    doc.addEventListener('mouseup', () => setTimeout(() => this.onSelectionSettled(), 0), options);
    doc.addEventListener(
      'keyup',
      (event) => {
        if (event.shiftKey || event.key === 'Shift') this.onSelectionSettled();
      },
      options,
    );
    doc.addEventListener('selectionchange', () => this.onSelectionMaybeCleared(), options);
    doc.addEventListener('click', (event) => this.onNoteClick(event), { ...options, capture: true });
    doc.addEventListener(
      'keydown',
      (event) => {
        if (
          event.key === 'Enter' &&
          event.target instanceof Element &&
          event.target.tagName === 'ATTRIB-NOTE'
        ) {
          this.onNoteClick(event);
        }
      },
      options,
    );
  }

  /** Loads the page's annotations and places them; retries orphans while content arrives. */
  async load(): Promise<void> {
    this.pageUrl = readPageMeta(this.doc).url;
    const list = await sendToBackground({ type: 'getPageAnnotations', url: this.pageUrl });
    for (const note of this.notes.keys()) removeNoteHighlights(this.doc, note);
    this.notes = new Map(list.map((note) => [note.id, note]));
    this.orphaned = new Set(this.notes.keys());
    await this.anchorOrphans();
    this.startRetryWindow();
    sendToBackground({ type: 'listTags' }).then(
      (tags) => this.store.update((s) => ({ ...s, knownTags: tags })),
      () => undefined,
    );
  }

  /** The URL changed without a reload (single-page app): the notes of the new page. */
  async onLocationChange(): Promise<void> {
    const url = readPageMeta(this.doc).url;
    if (url === this.pageUrl) return;
    await this.load();
  }

  dispose(): void {
    this.abort.abort();
    this.observer?.disconnect();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    for (const id of this.notes.keys()) removeNoteHighlights(this.doc, id);
  }

  /** Context menu, keyboard shortcut or the button: open the editor on the current selection. */
  async openAnnotator(): Promise<void> {
    const range = annotatableRange(this.doc) ?? this.pendingRange;
    if (!range) {
      this.toast('Select some text on the page first, then annotate it.');
      return;
    }
    const selectors = describeRange(this.doc.body, range);
    const stored = await this.readDraft();
    const now = new Date().toISOString();
    const draft: NoteDraft =
      stored && stored.mode === 'create' && stored.selectors.quote.exact === selectors.quote.exact
        ? stored
        : {
            // crypto.randomUUID exists only in secure contexts; many news pages are still http.
            annotationId: uuidv4(),
            mode: 'create',
            selectors,
            note: '',
            tags: [],
            entities: entitiesAround(range),
            claim: {},
            createdAt: now,
          };
    this.pendingRange = range.cloneRange();
    this.setAnnotator({ kind: 'editor', anchor: boxOf(range.getBoundingClientRect()), draft, saving: false });
  }

  /** Opens an existing note in the editor. */
  openNote(id: string): void {
    const note = this.notes.get(id);
    if (!note) return;
    const first = noteHighlightsOf(this.doc, id)[0];
    const anchorBox = first
      ? boxOf(first.getBoundingClientRect())
      : { left: 24, top: 24, width: 0, height: 0 };
    const draft: NoteDraft = {
      annotationId: note.id,
      mode: 'edit',
      selectors: note.selectors,
      note: note.note,
      tags: note.tags,
      entities: note.entityIds.map((entityId) => ({ id: entityId, name: entityId, kind: 'actor' as const })),
      claim: note.claim ?? {},
      createdAt: note.createdAt,
    };
    this.setAnnotator({ kind: 'editor', anchor: anchorBox, draft, saving: false });
    // Show real names for the linked ids.
    void Promise.all(
      note.entityIds.map((entityId) =>
        sendToBackground({ type: 'getEntityFacts', id: entityId }).then(
          (facts) => ({ id: facts.entity.id, name: facts.entity.name, kind: facts.entity.kind }),
          () => ({ id: entityId, name: entityId, kind: 'actor' as const }),
        ),
      ),
    ).then((entities) => {
      const state = this.store.get().annotator;
      if (state.kind === 'editor' && state.draft.annotationId === id) {
        this.setAnnotator({ ...state, draft: { ...state.draft, entities } });
      }
    });
  }

  changeDraft(draft: NoteDraft): void {
    const state = this.store.get().annotator;
    if (state.kind !== 'editor') return;
    this.setAnnotator({ ...state, draft, error: undefined });
    // Typed text goes to storage at once (debounced) so an accidental close loses nothing.
    if (this.draftTimer) clearTimeout(this.draftTimer);
    this.draftTimer = setTimeout(() => void this.writeDraft(draft), 250);
  }

  /** Esc or close: the editor goes, a non-empty new-note draft stays in storage. */
  closeEditor(): void {
    const state = this.store.get().annotator;
    if (state.kind === 'editor' && state.draft.mode === 'create' && draftHasContent(state.draft)) {
      void this.writeDraft(state.draft);
      this.toast('Draft kept: select the same passage and annotate to continue.');
    }
    this.setAnnotator({ kind: 'idle' });
  }

  async saveDraft(): Promise<void> {
    const state = this.store.get().annotator;
    if (state.kind !== 'editor' || state.saving) return;
    const { draft } = state;
    const meta = readPageMeta(this.doc);
    const now = new Date().toISOString();
    const claim = cleanClaim(draft.claim);
    const parsed = Annotation.safeParse({
      id: draft.annotationId,
      pageUrl: meta.url,
      pageTitle: meta.title,
      site: meta.site,
      ...(meta.publishedDate ? { publishedDate: meta.publishedDate } : {}),
      selectors: draft.selectors,
      note: draft.note,
      tags: [...new Set(draft.tags.map(normalizeTag).filter(Boolean))],
      entityIds: draft.entities.map((entity) => entity.id),
      ...(claim ? { claim } : {}),
      createdAt: draft.createdAt ?? now,
      updatedAt: now,
    });
    if (!parsed.success) {
      this.setAnnotator({
        ...state,
        error: `Cannot save: ${parsed.error.issues[0]?.message ?? 'invalid note'}`,
      });
      return;
    }
    this.setAnnotator({ ...state, saving: true });
    try {
      await sendToBackground({ type: 'saveAnnotation', annotation: parsed.data });
    } catch (error) {
      // Nothing is lost: the editor stays open with the text and the draft stays in storage.
      this.setAnnotator({
        ...state,
        saving: false,
        error: `Not saved: ${error instanceof Error ? error.message : String(error)}`,
      });
      return;
    }
    const annotation = parsed.data;
    const isNew = !this.notes.has(annotation.id);
    this.notes.set(annotation.id, annotation);
    if (isNew && this.pendingRange) {
      highlightNote(this.pendingRange, annotation.id);
      this.orphaned.delete(annotation.id);
    } else if (isNew) {
      this.orphaned.add(annotation.id);
      await this.anchorOrphans();
    }
    this.pendingRange = undefined;
    if (draft.mode === 'create') await browser.storage.local.remove(draftKeyOf(this.pageUrl));
    this.doc.getSelection()?.removeAllRanges();
    this.setAnnotator({ kind: 'idle' });
    this.toast(isNew ? 'Note saved.' : 'Note updated.');
    this.report();
    this.store.update((s) => ({
      ...s,
      knownTags: [...new Set([...s.knownTags, ...annotation.tags])].sort(),
    }));
  }

  /** Deletes a note, with an undo that restores it exactly. */
  async deleteNote(id: string): Promise<void> {
    const { deleted } = await sendToBackground({ type: 'deleteAnnotation', id });
    removeNoteHighlights(this.doc, id);
    this.notes.delete(id);
    this.orphaned.delete(id);
    this.setAnnotator({ kind: 'idle' });
    this.report();
    if (!deleted) return;
    this.toast('Note deleted.', 'Undo', async () => {
      await sendToBackground({ type: 'saveAnnotation', annotation: deleted });
      this.notes.set(deleted.id, deleted);
      this.orphaned.add(deleted.id);
      await this.anchorOrphans();
      this.report();
    });
  }

  /** Popup "Notes on this page": scroll to a note and flash it. */
  focusNote(id: string): boolean {
    const highlights = noteHighlightsOf(this.doc, id);
    const first = highlights[0];
    if (!first) return false;
    first.scrollIntoView({ behavior: 'smooth', block: 'center' });
    for (const element of highlights) {
      element.removeAttribute('data-attrib-flash');
      void (element as HTMLElement).offsetWidth;
      element.setAttribute('data-attrib-flash', '');
      setTimeout(() => element.removeAttribute('data-attrib-flash'), 2600);
    }
    (first as HTMLElement).focus({ preventScroll: true });
    return true;
  }

  private onSelectionSettled(): void {
    const state = this.store.get().annotator;
    if (state.kind === 'editor') return;
    const range = annotatableRange(this.doc);
    if (!range) {
      if (state.kind === 'button') this.setAnnotator({ kind: 'idle' });
      return;
    }
    this.pendingRange = range.cloneRange();
    const rects = range.getClientRects();
    const last = rects[rects.length - 1] ?? range.getBoundingClientRect();
    this.setAnnotator({ kind: 'button', anchor: boxOf(last) });
  }

  private onSelectionMaybeCleared(): void {
    if (this.store.get().annotator.kind !== 'button') return;
    const selection = this.doc.getSelection();
    if (!selection || selection.isCollapsed) this.setAnnotator({ kind: 'idle' });
  }

  private onNoteClick(event: Event): void {
    const target = event.target instanceof Element ? event.target.closest(NOTE_TAG) : null;
    if (!target) return;
    const selection = this.doc.getSelection();
    if (selection && !selection.isCollapsed) return;
    const id = target.getAttribute('data-attrib-note');
    if (id) {
      event.preventDefault();
      this.openNote(id);
    }
  }

  private async anchorOrphans(): Promise<void> {
    const body = this.doc.body;
    if (!body) return;
    for (const id of [...this.orphaned]) {
      const note = this.notes.get(id);
      if (!note) continue;
      let placed: Awaited<ReturnType<typeof anchor>> = null;
      try {
        placed = await anchor(body, note.selectors, {
          yieldFn: () => this.scheduler.yield(),
          signal: this.abort.signal,
        });
      } catch {
        placed = null;
      }
      if (placed && this.notes.has(id) && noteHighlightsOf(this.doc, id).length === 0) {
        this.withoutObserver(() => highlightNote(placed.range, id));
        this.orphaned.delete(id);
      }
    }
    this.report();
  }

  private startRetryWindow(): void {
    this.retryUntil = Date.now() + RETRY_WINDOW_MS;
    if (this.observer || !this.doc.body) return;
    this.observer = new MutationObserver((records) => {
      if (this.orphaned.size === 0 || Date.now() > this.retryUntil) return;
      // New page content, not our own highlighting (entity marks, note splits and merges).
      const external = records.some(
        (record) =>
          !isNoteMutation(record) &&
          [...record.addedNodes].some(
            (node) =>
              !(
                node instanceof Element &&
                (node.tagName === 'ATTRIB-MARK' || node.tagName === 'ATTRIB-NOTE')
              ),
          ),
      );
      if (!external || this.retryTimer) return;
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        void this.anchorOrphans();
      }, RETRY_BATCH_MS);
    });
    this.observer.observe(this.doc.body, { childList: true, subtree: true, characterData: true });
  }

  private withoutObserver(change: () => void): void {
    const observer = this.observer;
    observer?.takeRecords();
    change();
    observer?.takeRecords();
  }

  private report(): void {
    const anchored = [...this.notes.keys()].filter((id) => !this.orphaned.has(id));
    sendToBackground({
      type: 'reportAnchoring',
      url: this.pageUrl,
      anchored,
      orphaned: [...this.orphaned],
    }).catch(() => undefined);
  }

  private async readDraft(): Promise<NoteDraft | undefined> {
    try {
      const key = draftKeyOf(this.pageUrl);
      const stored = (await browser.storage.local.get(key))[key];
      const parsed = NoteDraft.safeParse(stored);
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  private async writeDraft(draft: NoteDraft): Promise<void> {
    if (draft.mode !== 'create') return;
    try {
      await browser.storage.local.set({ [draftKeyOf(this.pageUrl)]: draft });
    } catch {
      // Storage full or unavailable: the editor still holds the text.
    }
  }

  private setAnnotator(annotator: AnnotatorState): void {
    this.store.update((s) => ({ ...s, annotator }));
  }

  private toast(message: string, actionLabel?: string, action?: () => void | Promise<void>): void {
    const id = Date.now();
    if (this.toastTimer) clearTimeout(this.toastTimer);
    this.store.update((s) => ({
      ...s,
      toast: {
        id,
        message,
        ...(actionLabel && action
          ? {
              actionLabel,
              action: () => {
                this.store.update((st) => ({ ...st, toast: undefined }));
                void action();
              },
            }
          : {}),
      },
    }));
    this.toastTimer = setTimeout(
      () => this.store.update((s) => (s.toast?.id === id ? { ...s, toast: undefined } : s)),
      UNDO_MS,
    );
  }
}

/** Drops empty claim fields; undefined when nothing is left. */
function cleanClaim(claim: AttributionClaim): AttributionClaim | undefined {
  const entries = Object.entries(claim).filter(
    ([, value]) => typeof value === 'string' && value.trim() !== '',
  );
  if (entries.length === 0) return undefined;
  return Object.fromEntries(entries.map(([key, value]) => [key, String(value).trim()])) as AttributionClaim;
}
