import { MARK_TAG } from './text-index';

export interface HoverIntentCallbacks {
  /** A mark was hovered (after a short delay) or focused. */
  show(mark: Element, reason: 'hover' | 'focus'): void;
  /** The pointer left both mark and card, focus left, or Esc was pressed. */
  hide(): void;
  /** Enter on a focused mark: move keyboard focus into the card. */
  enter?(): void;
  /** The pointer entered a mark: a card may follow (start loading what it needs). */
  preview?(mark: Element): void;
}

/** Delay before a hover counts, so sweeping the pointer over text does not flash cards. */
export const SHOW_DELAY_MS = 60;
/** Grace period to move the pointer from the mark onto the card. */
export const HIDE_DELAY_MS = 250;

/**
 * Decides when the hover card shows and hides, from pointer, focus and keyboard events on the
 * document. The card's host reports pointer enter/leave through `cardPointer()`.
 */
export class HoverIntent {
  private showTimer: ReturnType<typeof setTimeout> | undefined;
  private hideTimer: ReturnType<typeof setTimeout> | undefined;
  private current: Element | undefined;
  private overCard = false;
  private readonly abort = new AbortController();

  constructor(
    doc: Document,
    private readonly callbacks: HoverIntentCallbacks,
  ) {
    const options = { capture: true, signal: this.abort.signal };
    doc.addEventListener('mouseover', (event) => this.onOver(event), options);
    doc.addEventListener('mouseout', (event) => this.onOut(event), options);
    doc.addEventListener('focusin', (event) => this.onFocus(event), options);
    doc.addEventListener('focusout', (event) => this.onBlur(event), options);
    doc.addEventListener('keydown', (event) => this.onKey(event), options);
  }

  /** The mark the card is showing, if any. */
  get activeMark(): Element | undefined {
    return this.current;
  }

  /** Pointer entered (true) or left (false) the card. */
  cardPointer(inside: boolean): void {
    this.overCard = inside;
    if (inside) this.cancelHide();
    else this.scheduleHide();
  }

  /** Closes the card now (Esc inside the card, or a close button). */
  close(): void {
    this.cancelShow();
    this.cancelHide();
    if (this.current) {
      this.current = undefined;
      this.callbacks.hide();
    }
  }

  dispose(): void {
    this.abort.abort();
    this.cancelShow();
    this.cancelHide();
  }

  private markOf(target: EventTarget | null): Element | undefined {
    if (!(target instanceof Element)) return undefined;
    return target.closest(MARK_TAG) ?? undefined;
  }

  private onOver(event: Event): void {
    const mark = this.markOf(event.target);
    if (!mark) return;
    this.cancelHide();
    if (mark === this.current) return;
    this.cancelShow();
    this.callbacks.preview?.(mark);
    this.showTimer = setTimeout(() => this.open(mark, 'hover'), SHOW_DELAY_MS);
  }

  private onOut(event: MouseEvent): void {
    const mark = this.markOf(event.target);
    if (!mark) return;
    if (event.relatedTarget instanceof Node && mark.contains(event.relatedTarget)) return;
    this.cancelShow();
    if (mark === this.current && !this.overCard) this.scheduleHide();
  }

  private onFocus(event: Event): void {
    const mark = this.markOf(event.target);
    if (mark) {
      this.cancelHide();
      this.open(mark, 'focus');
    }
  }

  private onBlur(event: FocusEvent): void {
    if (this.markOf(event.target) && this.markOf(event.target) === this.current && !this.overCard) {
      this.scheduleHide();
    }
  }

  private onKey(event: KeyboardEvent): void {
    if (event.key === 'Escape' && this.current) this.close();
    else if (event.key === 'Enter' && this.current && this.markOf(event.target) === this.current) {
      event.preventDefault();
      this.callbacks.enter?.();
    }
  }

  private open(mark: Element, reason: 'hover' | 'focus'): void {
    this.cancelShow();
    this.current = mark;
    this.callbacks.show(mark, reason);
  }

  private scheduleHide(): void {
    this.cancelHide();
    this.hideTimer = setTimeout(() => this.close(), HIDE_DELAY_MS);
  }

  private cancelShow(): void {
    if (this.showTimer !== undefined) clearTimeout(this.showTimer);
    this.showTimer = undefined;
  }

  private cancelHide(): void {
    if (this.hideTimer !== undefined) clearTimeout(this.hideTimer);
    this.hideTimer = undefined;
  }
}
