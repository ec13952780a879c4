/**
 * Which range queries the cache runs next, as a pure function of what it holds.
 *
 * Time is cut into chunks of about ten minutes, aligned to the Unix epoch and made a whole
 * number of steps, so every chunk's evaluation times sit on one grid (`t % step = 0`):
 *
 *      backfill window (VIGIL_CACHE_BACKFILL)                      now
 *        |<---------------------------------------------------->|
 *   ... [  chunk  ][  chunk  ][  chunk  ][  chunk  ][  chunk ..   ]
 *          ^first          complete (skipped)        ^ settled  ^ through
 *          partial chunk                               \_ re-evaluated _/ every refresh
 *
 * - A chunk the cache does not have is fetched over the part of it inside the backfill window,
 *   up to the newest grid time (`floor(now / step) * step`).
 * - A chunk it has is fetched from just after its *settled* point: points evaluated at least
 *   {@link settleMs} after their own timestamp. Newer points may still change (samples arrive
 *   late: agents push once per scrape interval, the ingest buffer waits, a backend applies
 *   writes asynchronously), so the newest part of the newest chunk is evaluated again on every
 *   refresh, together with the new points.
 * - Once every point of a chunk is older than the settle delay, the chunk is evaluated once
 *   more as a whole and *sealed*: samples that came later than the settle delay but before the
 *   chunk closed (an agent's spool replaying a short outage) still make it in. A chunk fetched
 *   whole after that moment (back-fill) is sealed at once. Sealed chunks are never fetched again.
 * - Chunks whose step differs from the current step count as missing (the step changed).
 * - A fetch is a "head" fetch when it reaches into the unsettled zone; the refresher runs all
 *   head fetches first, every refresh, and spends what time is left on back-filling.
 */

/** What the cache holds of one chunk (one query). All times are grid times, inclusive. */
export interface ChunkState {
  readonly startMs: number;
  /** Exclusive. */
  readonly endMs: number;
  readonly stepMs: number;
  /** First and last evaluated time; the cache holds every grid time in between. */
  readonly fromMs: number;
  readonly throughMs: number;
  /** Last time whose value is final (≤ throughMs); fromMs − stepMs when none is. */
  readonly settledThroughMs: number;
  /** Evaluated as a whole after its last point settled: never fetched again. */
  readonly sealed: boolean;
}

/** One range query to run: [fromMs, toMs] on the step grid, inside one chunk. */
export interface Fetch {
  readonly chunkStartMs: number;
  readonly chunkEndMs: number;
  readonly fromMs: number;
  readonly toMs: number;
  readonly stepMs: number;
  /** Reaches the unsettled zone: run on every refresh before any back-fill. */
  readonly head: boolean;
}

export interface PlanOptions {
  readonly nowMs: number;
  readonly stepMs: number;
  readonly backfillMs: number;
}

/** Target chunk length; the actual one is the nearest whole number of steps. */
export const CHUNK_TARGET_MS = 600_000;

/** Chunk length for a step: a whole number of steps close to ten minutes (at least one step). */
export function chunkMsFor(stepMs: number): number {
  return stepMs * Math.max(1, Math.round(CHUNK_TARGET_MS / stepMs));
}

/**
 * How long after its timestamp a point is final: two scrape intervals (an agent pushes what it
 * scraped once per interval, so a sample can be a whole interval late, and the backend's own
 * ingestion adds a bit) plus 15 s for buffering and clock skew. At a 15 s step that is 45 s:
 * the last four points are evaluated again on every refresh.
 */
export function settleMs(stepMs: number): number {
  return 2 * stepMs + 15_000;
}

/** The newest grid time at or before `nowMs`. */
export function newestGridMs(nowMs: number, stepMs: number): number {
  return Math.floor(nowMs / stepMs) * stepMs;
}

/** Settled point after evaluating [fromMs, toMs] at wall time `evaluatedAtMs`. */
export function settledAfter(
  chunk: Pick<ChunkState, 'settledThroughMs'> | undefined,
  fetch: Pick<Fetch, 'fromMs' | 'toMs' | 'stepMs'>,
  evaluatedAtMs: number,
): number {
  const final = Math.min(fetch.toMs, newestGridMs(evaluatedAtMs - settleMs(fetch.stepMs), fetch.stepMs));
  // The planner starts a fetch at most one step after the settled point, so the settled points
  // stay contiguous from the chunk's first point.
  return Math.max(chunk?.settledThroughMs ?? fetch.fromMs - fetch.stepMs, final);
}

/** Whether the chunk is done: sealed (see the module comment). */
export function isComplete(chunk: ChunkState): boolean {
  return chunk.sealed;
}

/**
 * The fetches that bring one query's cache up to date, newest first. `chunks` are the chunks
 * held for the query (any order, any step).
 */
export function planFetches(chunks: readonly ChunkState[], options: PlanOptions): Fetch[] {
  const { nowMs, stepMs, backfillMs } = options;
  const chunkMs = chunkMsFor(stepMs);
  const lastMs = newestGridMs(nowMs, stepMs);
  // At least the newest grid time, whatever the back-fill setting.
  const firstMs = Math.min(Math.ceil((nowMs - backfillMs) / stepMs) * stepMs, lastMs);
  const unsettledFromMs = lastMs - settleMs(stepMs);
  const settledBeforeMs = newestGridMs(nowMs - settleMs(stepMs), stepMs);
  const held = new Map<number, ChunkState>();
  for (const c of chunks) if (c.stepMs === stepMs) held.set(c.startMs, c);

  const out: Fetch[] = [];
  for (let start = Math.floor(lastMs / chunkMs) * chunkMs; start + chunkMs > firstMs; start -= chunkMs) {
    const chunkLastMs = Math.min(start + chunkMs - stepMs, lastMs);
    const chunk = held.get(start);
    let fromMs = Math.max(start, firstMs);
    if (chunk) {
      if (isComplete(chunk)) continue;
      // All points old enough: the sealing pass over the whole chunk; else the unsettled tail.
      const sealNow = chunkLastMs === start + chunkMs - stepMs && chunkLastMs <= settledBeforeMs;
      // Continue right after the settled point even when the back-fill window has moved past it
      // (after an outage): a chunk's evaluated times must stay contiguous from its first one.
      fromMs = sealNow ? chunk.fromMs : chunk.settledThroughMs + stepMs;
    }
    if (fromMs > chunkLastMs) continue;
    out.push({
      chunkStartMs: start,
      chunkEndMs: start + chunkMs,
      fromMs,
      toMs: chunkLastMs,
      stepMs,
      head: chunkLastMs > unsettledFromMs,
    });
  }
  return out;
}

/** The chunk after a successful fetch. */
export function applyFetch(chunk: ChunkState | undefined, fetch: Fetch, evaluatedAtMs: number): ChunkState {
  const fromMs = chunk ? Math.min(chunk.fromMs, fetch.fromMs) : fetch.fromMs;
  const settledThroughMs = settledAfter(chunk, fetch, evaluatedAtMs);
  const lastMs = fetch.chunkEndMs - fetch.stepMs;
  // Whole chunk in one fetch, every point of it settled by then.
  const sealed = fetch.fromMs <= fromMs && fetch.toMs === lastMs && settledThroughMs >= lastMs;
  return {
    startMs: fetch.chunkStartMs,
    endMs: fetch.chunkEndMs,
    stepMs: fetch.stepMs,
    fromMs,
    throughMs: Math.max(chunk?.throughMs ?? fetch.toMs, fetch.toMs),
    settledThroughMs,
    sealed: sealed || (chunk?.sealed ?? false),
  };
}

/**
 * How a query's fetches (newest first, as planned) run: the head fetches as one range query
 * (split by chunk afterwards), joined by the fetch of the chunk just before them when one is due
 * (its sealing pass, or a missing chunk), because a range query's cost is mostly fixed; the
 * other fetches one chunk per query, newest first. `head` holds runs of contiguous fetches,
 * oldest first; more than one only if the head has a hole (it never has when planned).
 */
export function groupFetches(fetches: readonly Fetch[]): { head: Fetch[][]; backfill: Fetch[] } {
  const heads = fetches.filter((f) => f.head).reverse();
  const backfill = fetches.filter((f) => !f.head);
  const before = backfill[0];
  if (heads[0] && before && before.toMs + before.stepMs === heads[0].fromMs) heads.unshift(backfill.shift()!);
  const head: Fetch[][] = [];
  for (const f of heads) {
    const run = head[head.length - 1];
    const prev = run?.[run.length - 1];
    if (run && prev && prev.toMs + prev.stepMs === f.fromMs) run.push(f);
    else head.push([f]);
  }
  return { head, backfill };
}
