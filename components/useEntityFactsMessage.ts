import { useEffect, useState } from 'react';
import type { EntityFacts } from '@/lib/kb/facts';
import { sendToBackground } from '@/lib/messaging-client';

export type FactsState =
  | { status: 'loading' }
  | { status: 'ready'; facts: EntityFacts }
  | { status: 'error'; message: string };

// Facts do not change while a page is open; one request per entity per page.
const cache = new Map<string, Promise<EntityFacts>>();

/** Starts loading an entity's facts before they are shown (pointer entered a mark). */
export function prefetchEntityFacts(id: string): void {
  if (cache.has(id)) return;
  const request = sendToBackground({ type: 'getEntityFacts', id });
  cache.set(id, request);
  request.catch(() => cache.delete(id));
}

/** Loads an entity's facts from the background (content script side; pages use Dexie directly). */
export function useEntityFactsMessage(id: string | undefined): FactsState {
  const [state, setState] = useState<FactsState>({ status: 'loading' });
  useEffect(() => {
    if (!id) return;
    let live = true;
    prefetchEntityFacts(id);
    const request = cache.get(id);
    if (!request) return;
    setState({ status: 'loading' });
    request.then(
      (facts) => live && setState({ status: 'ready', facts }),
      (error: unknown) =>
        live &&
        setState({ status: 'error', message: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      live = false;
    };
  }, [id]);
  return state;
}
