import { useLayoutEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { NoteDraft } from '@/lib/annotations/draft';
import { type Box, placeCard } from '@/lib/dom/card-placement';
import type { EntityRef } from '@/lib/kb/facts';
import type { UiStore } from '@/lib/ui/content-ui-store';
import { HoverCard } from '../HoverCard';
import { NoteEditor } from './NoteEditor';

export interface ContentUiActions {
  cardPointer(inside: boolean): void;
  closeCard(): void;
  openInPopup(id: string): void;
  openAnnotator(): void;
  changeDraft(draft: NoteDraft): void;
  saveDraft(): void;
  closeEditor(): void;
  deleteNote(id: string): void;
  searchEntities(query: string): Promise<EntityRef[]>;
}

const EDITOR_WIDTH = 380;

/** The extension's whole in-page UI (inside one closed shadow root): card, annotate button, editor, toast. */
export function ContentUi({ store, actions }: { store: UiStore; actions: ContentUiActions }) {
  const state = useSyncExternalStore(store.subscribe, store.get);
  const { card, annotator, toast } = state;
  return (
    <>
      <HoverCard
        entityId={card.entityId}
        anchor={card.anchor}
        focusRequest={card.focusRequest}
        onPointer={actions.cardPointer}
        onClose={actions.closeCard}
        onOpenInPopup={actions.openInPopup}
      />
      {annotator.kind === 'button' ? (
        <button
          type="button"
          className="al-annotate-button al-theme"
          data-testid="annotate-button"
          style={{ left: annotator.anchor.left, top: annotator.anchor.top + annotator.anchor.height + 6 }}
          // Keep the page selection: a mousedown on the button would clear it.
          onMouseDown={(event) => event.preventDefault()}
          onClick={actions.openAnnotator}
        >
          ✎ Annotate
        </button>
      ) : null}
      {annotator.kind === 'editor' ? (
        <Floating anchor={annotator.anchor} width={EDITOR_WIDTH}>
          <NoteEditor
            draft={annotator.draft}
            knownTags={state.knownTags}
            saving={annotator.saving}
            error={annotator.error}
            onChange={actions.changeDraft}
            onSave={actions.saveDraft}
            onCancel={actions.closeEditor}
            onDelete={
              annotator.draft.mode === 'edit'
                ? () => actions.deleteNote(annotator.draft.annotationId)
                : undefined
            }
            searchEntities={actions.searchEntities}
          />
        </Floating>
      ) : null}
      {toast ? (
        <div className="al-toast al-theme" role="status" data-testid="toast">
          <span>{toast.message}</span>
          {toast.action ? (
            <button type="button" className="al-button" onClick={toast.action} data-testid="toast-action">
              {toast.actionLabel}
            </button>
          ) : null}
        </div>
      ) : null}
    </>
  );
}

/** A panel placed next to an anchor rectangle, never over it, kept on screen. */
function Floating({ anchor, width, children }: { anchor: Box; width: number; children: React.ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [position, setPosition] = useState<{ left: number; top: number; maxHeight: number } | undefined>();
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const placed = placeCard(
      anchor,
      { width, height: element.scrollHeight },
      { width: innerWidth, height: innerHeight },
    );
    setPosition({ left: placed.left, top: placed.top, maxHeight: Math.max(200, placed.maxHeight) });
  }, [anchor, width]);
  return (
    <div
      ref={ref}
      className="al-floating al-theme"
      data-testid="note-editor"
      role="dialog"
      aria-label="Annotation editor"
      style={{
        width,
        left: position?.left ?? -9999,
        top: position?.top ?? -9999,
        maxHeight: position?.maxHeight,
        // Not visibility:hidden before measuring: a hidden textarea cannot take focus.
        opacity: position ? 1 : 0,
      }}
    >
      {children}
    </div>
  );
}
