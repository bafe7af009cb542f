import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { type Box, type Placement, placeCard } from '@/lib/dom/card-placement';
import { EntityFactsView } from './EntityFactsView';
import { useEntityFactsMessage } from './useEntityFactsMessage';

export interface HoverCardProps {
  /** The entity to show, or undefined when the card is hidden. */
  entityId: string | undefined;
  /** Viewport rectangle of the highlight the card belongs to. */
  anchor: Box | undefined;
  /** Incremented to move keyboard focus into the card (Enter on a mark). */
  focusRequest: number;
  onPointer(inside: boolean): void;
  onClose(): void;
  onOpenInPopup(id: string): void;
}

const CARD_WIDTH = 360;
const CARD_EVENTS = 3;

/** The hover card: facts for one highlighted entity, placed next to its highlight. */
export function HoverCard({
  entityId,
  anchor,
  focusRequest,
  onPointer,
  onClose,
  onOpenInPopup,
}: HoverCardProps) {
  const state = useEntityFactsMessage(entityId);
  const cardRef = useRef<HTMLDivElement>(null);
  const [placement, setPlacement] = useState<Placement | undefined>();

  // biome-ignore lint/correctness/useExhaustiveDependencies: re-measure when the content (state) changes.
  useLayoutEffect(() => {
    const card = cardRef.current;
    if (!card || !anchor) return;
    const size = { width: CARD_WIDTH, height: card.scrollHeight };
    setPlacement(placeCard(anchor, size, { width: window.innerWidth, height: window.innerHeight }));
  }, [anchor, state]);

  useEffect(() => {
    if (focusRequest > 0) cardRef.current?.focus();
  }, [focusRequest]);

  // A performance mark when the facts are on screen: tests measure hover → card with it.
  useEffect(() => {
    if (state.status === 'ready' && placement && entityId) {
      performance.mark('attrib-lens:card-shown', { detail: { entity: entityId } });
    }
  }, [state.status, placement, entityId]);

  if (!entityId || !anchor) return null;
  return (
    <div
      ref={cardRef}
      className="al-card al-theme"
      data-testid="attrib-card"
      data-entity={entityId}
      data-side={placement?.side}
      role="dialog"
      aria-label="Attribution Lens facts"
      tabIndex={-1}
      style={{
        left: placement?.left ?? -9999,
        top: placement?.top ?? -9999,
        width: CARD_WIDTH,
        maxHeight: placement ? Math.max(120, placement.maxHeight) : undefined,
        visibility: placement ? 'visible' : 'hidden',
      }}
      onMouseEnter={() => onPointer(true)}
      onMouseLeave={() => onPointer(false)}
      onFocus={() => onPointer(true)}
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) onPointer(false);
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          onClose();
        }
      }}
    >
      {state.status === 'loading' ? <p className="al-muted">Loading…</p> : null}
      {state.status === 'error' ? (
        <p className="al-error" role="alert">
          Could not load facts: {state.message}
        </p>
      ) : null}
      {state.status === 'ready' ? <EntityFactsView facts={state.facts} maxEvents={CARD_EVENTS} /> : null}
      <footer className="al-card-footer">
        <button type="button" className="al-button" onClick={() => onOpenInPopup(entityId)}>
          Open in popup
        </button>
        <button type="button" className="al-button al-button-quiet" onClick={onClose} aria-label="Close">
          Close (Esc)
        </button>
      </footer>
    </div>
  );
}
