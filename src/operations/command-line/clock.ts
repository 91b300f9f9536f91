/** Time as a command sees it; injected so tests can step through a 30-minute wait or a ten-minute drill instantly. */
export interface Clock {
  /** Milliseconds since the Unix epoch (used for timestamps and for differences). */
  now(): number;
  /** Resolves after `ms`, or as soon as `signal` aborts (never rejects). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * Wall-clock time that never jumps: the process's start time plus a monotonic counter, so an
 * NTP correction during a run does not stretch or shrink a measured interval.
 */
export const systemClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) {
        resolve();
        return;
      }
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      signal?.addEventListener("abort", done, { once: true });
    }),
};
