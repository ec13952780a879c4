import type { Logger } from '@vigil/core';
import type { MetricStore } from '@vigil/storage';

/** How often the builder looks for closed or dirty buckets. */
const INTERVAL_MS = 60_000;
/** One run builds for at most this long, so a long backlog is worked off in slices. */
const BUDGET_MS = 30_000;

/**
 * Runs the embedded metric store's rollup builder in the background (MetricStore.rollups):
 * once at start (a store written before rollups existed is built from its oldest sample), then
 * every minute. A failed run is logged and retried at the next tick; queries fall back to
 * samples for whatever is not built.
 */
export class RollupSchedule {
  readonly #timer: NodeJS.Timeout;
  #stopped = false;
  #running: Promise<void> | undefined;
  #lastError = '';

  constructor(
    private readonly store: MetricStore,
    private readonly logger: Logger,
    intervalMs = INTERVAL_MS,
  ) {
    this.#timer = setInterval(() => this.#tick(), intervalMs);
    this.#timer.unref();
    this.#tick();
  }

  #tick(): void {
    const builder = this.store.rollups;
    if (this.#stopped || this.#running || builder === undefined) return;
    this.#running = builder
      .catchUp({ budgetMs: BUDGET_MS })
      .then(
        (result) => {
          this.#lastError = '';
          if (result.built + result.rebuilt > 12) {
            this.logger.info({ ...result }, 'metric rollups built');
          }
        },
        (err: unknown) => {
          const message = err instanceof Error ? err.message : String(err);
          // Once per distinct error, not every minute while ClickHouse is down.
          if (message !== this.#lastError)
            this.logger.warn({ err: message }, 'building metric rollups failed');
          this.#lastError = message;
        },
      )
      .finally(() => {
        this.#running = undefined;
      });
  }

  /** Stops the schedule and waits for a run in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#running;
  }
}
