/** Gives the main thread back to the page between slices of work. */
export interface Scheduler {
  yield(): Promise<void>;
  /** Resolves once the browser has rendered a frame (layout of DOM changes made so far). */
  frame(): Promise<void>;
}

/** A frame that never comes (hidden tab: no rendering, no requestAnimationFrame) is not waited for. */
const FRAME_WAIT_LIMIT_MS = 50;

function renderedFrame(): Promise<void> {
  if (typeof requestAnimationFrame !== 'function' || document.visibilityState === 'hidden') {
    return new Promise((resolve) => setTimeout(resolve, 0));
  }
  return new Promise((resolve) => {
    const timeout = setTimeout(resolve, FRAME_WAIT_LIMIT_MS);
    // rAF runs before the frame's style and layout; the task after it runs once they are done.
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(timeout);
        resolve();
      }, 0),
    );
  });
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
  const frame = () => {
    lastTimerTurn = performance.now();
    return renderedFrame();
  };
  if (typeof MessageChannel !== 'function') return { yield: timerTurn, frame };
  const channel = new MessageChannel();
  const waiting: (() => void)[] = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  return {
    frame,
    yield: () => {
      if (performance.now() - lastTimerTurn > TIMER_TURN_MS) return timerTurn();
      return new Promise<void>((resolve) => {
        waiting.push(resolve);
        channel.port2.postMessage(null);
      });
    },
  };
}
