/** Gives the main thread back to the page between slices of work. */
export interface Scheduler {
  yield(): Promise<void>;
}

interface SchedulerWithYield {
  yield(): Promise<void>;
}

/**
 * `scheduler.yield()` where the browser has it (Chrome 129+: continues ahead of other tasks),
 * else a MessageChannel task (not clamped to 4 ms like nested setTimeout).
 */
export function taskScheduler(): Scheduler {
  const native = (globalThis as { scheduler?: Partial<SchedulerWithYield> }).scheduler;
  if (native && typeof native.yield === 'function') {
    const yieldFn = native.yield.bind(native);
    return { yield: () => yieldFn() };
  }
  if (typeof MessageChannel === 'function') {
    const channel = new MessageChannel();
    const waiting: (() => void)[] = [];
    channel.port1.onmessage = () => waiting.shift()?.();
    return {
      yield: () =>
        new Promise<void>((resolve) => {
          waiting.push(resolve);
          channel.port2.postMessage(null);
        }),
    };
  }
  return { yield: () => new Promise<void>((resolve) => setTimeout(resolve, 0)) };
}
