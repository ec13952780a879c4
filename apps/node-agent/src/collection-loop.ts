/**
 * The agent's interval clock: one collection cycle per interval, never two at once, and none
 * lost when a cycle overruns its interval.
 *
 * On a saturated node the agent (which runs at a lower CPU priority, see process-priority.ts)
 * may take longer than an interval to scan procfs, run `ss` and build its series, e.g. while a
 * server that just came back ingests the agent's spool. Two things used to turn that into holes
 * in every series: a tick that found a cycle still running was dropped (the next sample came two
 * intervals later), and samples carried the time the cycle *ended*, so a slow cycle pushed its
 * sample further from the one before. Here a tick that arrives during a cycle starts a new cycle
 * as soon as that one ends, and each cycle is handed the time it started (as Prometheus stamps a
 * scrape with its start time), so samples stay one interval apart however long a cycle takes,
 * and a late one is at most one cycle late.
 *
 * ```
 * interval:   |---------|---------|---------|
 * cycles:     [a]       [b-------- -]  [c]  [d]      b overran: c starts when b ends, not at the
 * stamps:      a         b          c        d       next tick (the tick during b is not lost)
 * ```
 */

export interface CollectionLoopOptions<T> {
  readonly intervalMs: number;
  /** One cycle; `startedAtMs` is the timestamp its samples carry. */
  readonly runCycle: (startedAtMs: number) => Promise<T>;
  /** A timer-started cycle failed (a triggered one rejects to its caller instead). */
  readonly onError: (err: unknown) => void;
  /** Default Date.now. */
  readonly now?: () => number;
}

export interface CollectionLoop<T> {
  /** Runs a cycle now, or if one is running, as soon as it ends; resolves with that cycle's result. */
  trigger(): Promise<T>;
  /** No more ticks; resolves once the cycle in flight, if any, has ended. */
  stop(): Promise<void>;
}

export function startCollectionLoop<T>(options: CollectionLoopOptions<T>): CollectionLoop<T> {
  const now = options.now ?? Date.now;
  let running: Promise<T> | undefined;
  // A tick (or trigger) that came while a cycle ran: the cycle that runs right after it.
  let queued: Promise<T> | undefined;
  let stopped = false;

  const runNow = (): Promise<T> => {
    const cycle = options.runCycle(now()).finally(() => {
      running = undefined;
    });
    running = cycle;
    return cycle;
  };
  const trigger = (): Promise<T> => {
    if (running === undefined) return runNow();
    // Whether the running cycle succeeds or fails, the queued one runs after it.
    const settled = (): undefined => undefined;
    queued ??= running.then(settled, settled).then(() => {
      queued = undefined;
      return stopped ? Promise.reject(new Error('the collection loop stopped')) : runNow();
    });
    return queued;
  };
  const timer = setInterval(() => {
    trigger().catch((err: unknown) => {
      if (!stopped) options.onError(err);
    });
  }, options.intervalMs);

  return {
    trigger,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await queued?.catch(() => undefined);
      await running?.catch(() => undefined);
    },
  };
}
