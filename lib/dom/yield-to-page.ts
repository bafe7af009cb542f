/** Gives the main thread back to the page between slices of work. */
export interface Scheduler {
  yield(): Promise<void>;
}

/** At least this often the page's own timers get a turn (a setTimeout yield), whatever else runs. */
const TIMER_TURN_MS = 40;

/**
 * Yields through a MessageChannel task (not clamped to 4 ms like nested setTimeout) and, at least
 * every 40 ms, through setTimeout so the page's timers and intervals run too. Not
 * `scheduler.yield()`: its continuations run ahead of the page's queued tasks, which starved a
 * page's setInterval for 350 ms on a 100k-node page (tests/e2e/bad-input.test.mjs).
 */
export function taskScheduler(): Scheduler {
  let lastTimerTurn = performance.now();
  const timerTurn = () =>
    new Promise<void>((resolve) => {
      lastTimerTurn = performance.now();
      setTimeout(resolve, 0);
    });
  if (typeof MessageChannel !== 'function') return { yield: timerTurn };
  const channel = new MessageChannel();
  const waiting: (() => void)[] = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  return {
    yield: () => {
      if (performance.now() - lastTimerTurn > TIMER_TURN_MS) return timerTurn();
      return new Promise<void>((resolve) => {
        waiting.push(resolve);
        channel.port2.postMessage(null);
      });
    },
  };
}
