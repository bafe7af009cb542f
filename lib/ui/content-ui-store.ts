import type { NoteDraft } from '../annotations/draft';
import type { Box } from '../dom/card-placement';

export type AnnotatorState =
  | { kind: 'idle' }
  | { kind: 'button'; anchor: Box }
  | { kind: 'editor'; anchor: Box; draft: NoteDraft; saving: boolean; error?: string };

export interface Toast {
  id: number;
  message: string;
  actionLabel?: string;
  action?: () => void;
}

/** Everything the in-page UI shows; the content script writes it, React renders it. */
export interface ContentUiState {
  card: { entityId?: string; anchor?: Box; focusRequest: number };
  annotator: AnnotatorState;
  knownTags: string[];
  toast?: Toast;
}

/** A tiny external store for `useSyncExternalStore`. */
export class UiStore {
  private state: ContentUiState = {
    card: { focusRequest: 0 },
    annotator: { kind: 'idle' },
    knownTags: [],
  };
  private readonly listeners = new Set<() => void>();

  get = (): ContentUiState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  update(change: (state: ContentUiState) => ContentUiState): void {
    this.state = change(this.state);
    for (const listener of this.listeners) listener();
  }
}
