/** Session-storage key the popup reads to open on one entity (set by "open in popup"). */
export const FOCUS_ENTITY_KEY = 'focusEntity';
