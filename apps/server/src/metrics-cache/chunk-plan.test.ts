import { describe, expect, it } from 'vitest';
import {
  applyFetch,
  groupFetches,
  chunkMsFor,
  isComplete,
  planFetches,
  settleMs,
  type ChunkState,
  type Fetch,
} from './chunk-plan.ts';

const S = 15_000;
const MIN = 60_000;
const CHUNK = 600_000;
/** A chunk boundary (1.8e12 is a multiple of 600 s). */
const T0 = 1_800_000_000_000;
const HOUR = 3_600_000;

/** A held chunk at step S: evaluated over [from, through], final through `settled`. */
function held(
  startMs: number,
  fromMs: number,
  throughMs: number,
  settledThroughMs: number,
  { stepMs = S, sealed = false } = {},
): ChunkState {
  return {
    startMs,
    endMs: startMs + chunkMsFor(stepMs),
    stepMs,
    fromMs,
    throughMs,
    settledThroughMs,
    sealed,
  };
}
const SEALED = { sealed: true };

const range = (f: Fetch) => [f.fromMs - T0, f.toMs - T0, f.head] as const;

describe('chunk length', () => {
  it.each([
    [15_000, 600_000],
    [1_000, 600_000],
    [7_000, 602_000],
    [60_000, 600_000],
    [900_000, 900_000],
  ])('at a %i ms step is %i ms, a whole number of steps near ten minutes', (step, chunk) => {
    expect(chunkMsFor(step)).toBe(chunk);
  });
});

describe('planFetches', () => {
  it('fills an empty cache back to the back-fill limit, newest chunk first and marked head', () => {
    const now = T0 + 2 * MIN + 5_000;
    const fetches = planFetches([], { nowMs: now, stepMs: S, backfillMs: HOUR });
    expect(fetches.map(range)).toEqual([
      [0, 2 * MIN, true],
      [-CHUNK, -S, false],
      [-2 * CHUNK, -CHUNK - S, false],
      [-3 * CHUNK, -2 * CHUNK - S, false],
      [-4 * CHUNK, -3 * CHUNK - S, false],
      [-5 * CHUNK, -4 * CHUNK - S, false],
      // The oldest chunk only from the first grid time inside the hour.
      [-HOUR + 2 * MIN + S, -5 * CHUNK - S, false],
    ]);
    for (const f of fetches) {
      expect(f.fromMs).toBeGreaterThanOrEqual(now - HOUR);
      expect(f.fromMs % S).toBe(0);
      expect(f.toMs - f.chunkStartMs).toBeLessThan(CHUNK);
    }
  });

  it('re-evaluates the newest chunk from its settled point through the newest grid time', () => {
    const now = T0 + 2 * MIN + 5_000;
    const chunks = [
      held(T0, T0, T0 + 105_000, T0 + 60_000),
      held(T0 - CHUNK, T0 - CHUNK, T0 - S, T0 - S, SEALED),
    ];
    const fetches = planFetches(chunks, { nowMs: now, stepMs: S, backfillMs: 10 * MIN });
    expect(fetches.map(range)).toEqual([[75_000, 120_000, true]]);
  });

  it('skips complete chunks; only the unsettled points of the head are planned', () => {
    const now = T0 + CHUNK + 50_000; // newest grid time T0 + 645 s; settle 45 s
    const chunks = [
      held(T0 + CHUNK, T0 + CHUNK, T0 + CHUNK + 45_000, T0 + CHUNK - S),
      held(T0, T0, T0 + CHUNK - S, T0 + CHUNK - S, SEALED),
    ];
    expect(planFetches(chunks, { nowMs: now, stepMs: S, backfillMs: 10 * MIN }).map(range)).toEqual([
      [CHUNK, CHUNK + 45_000, true],
    ]);
  });

  it('keeps refreshing the previous chunk while its last points are unsettled (chunk boundary)', () => {
    const now = T0 + 10_000;
    const prev = held(T0 - CHUNK, T0 - CHUNK, T0 - S, T0 - 60_000);
    const fetches = planFetches([prev], { nowMs: now, stepMs: S, backfillMs: 5 * MIN });
    expect(fetches.map(range)).toEqual([
      [0, 0, true],
      [-45_000, -S, true],
    ]);
  });

  it('treats a chunk evaluated at another step as missing', () => {
    const now = T0 + 5 * MIN;
    const other = held(T0, T0, T0 + 5 * MIN, T0 + 4 * MIN, { stepMs: 30_000 });
    const fetches = planFetches([other], { nowMs: now, stepMs: S, backfillMs: 5 * MIN });
    expect(fetches.map(range)).toEqual([[0, 5 * MIN, true]]);
  });

  it('resumes after a restart: a chunk left half done is continued, not refetched', () => {
    const now = T0 + 9 * MIN; // the server was down from T0 + 3 min
    const chunk = held(T0, T0, T0 + 3 * MIN, T0 + 2 * MIN);
    expect(planFetches([chunk], { nowMs: now, stepMs: S, backfillMs: 9 * MIN }).map(range)).toEqual([
      [2 * MIN + S, 9 * MIN, true],
    ]);
  });

  it('seals a chunk with one whole pass once all its points are settled, outside the head', () => {
    const now = T0 + 50_000;
    const prev = held(T0 - CHUNK, T0 - CHUNK, T0 - S, T0 - S);
    const fetches = planFetches([prev, held(T0, T0, T0 + 45_000, T0)], {
      nowMs: now,
      stepMs: S,
      backfillMs: 10 * MIN,
    });
    expect(fetches.map(range)).toEqual([
      [S, 45_000, true],
      [-CHUNK, -S, false],
    ]);
    expect(applyFetch(prev, fetches[1]!, now).sealed).toBe(true);
  });

  it('continues a half-done chunk from its settled point even when the window moved past it', () => {
    const now = T0 + 9 * MIN + 30_000; // down from T0 + 3 min; the 5-minute window starts at 4.5 min
    const chunk = held(T0, T0, T0 + 3 * MIN, T0 + 2 * MIN);
    expect(planFetches([chunk], { nowMs: now, stepMs: S, backfillMs: 5 * MIN }).map(range)).toEqual([
      [2 * MIN + S, 9 * MIN + 30_000, true],
    ]);
  });

  it('fetches at least the newest grid time with no back-fill at all', () => {
    const fetches = planFetches([], { nowMs: T0 + 7 * MIN + 4_000, stepMs: S, backfillMs: 0 });
    expect(fetches.map(range)).toEqual([[7 * MIN, 7 * MIN, true]]);
  });

  it('never reaches before the back-fill window, whatever is missing', () => {
    const now = T0 + 7 * MIN;
    const fetches = planFetches([], { nowMs: now, stepMs: S, backfillMs: 3 * MIN });
    expect(fetches.map(range)).toEqual([[4 * MIN, 7 * MIN, true]]);
  });
});

describe('applyFetch', () => {
  it('settles the points older than the settle delay at evaluation time, and completes the chunk', () => {
    const fetch: Fetch = {
      chunkStartMs: T0,
      chunkEndMs: T0 + CHUNK,
      fromMs: T0,
      toMs: T0 + 5 * MIN,
      stepMs: S,
      head: true,
    };
    const first = applyFetch(undefined, fetch, T0 + 5 * MIN + 2_000);
    expect(settleMs(S)).toBe(45_000);
    expect(first).toMatchObject({
      fromMs: T0,
      throughMs: T0 + 5 * MIN,
      settledThroughMs: T0 + 4 * MIN + 15_000,
    });
    expect(isComplete(first)).toBe(false);

    const rest = { ...fetch, fromMs: first.settledThroughMs + S, toMs: T0 + CHUNK - S };
    const second = applyFetch(first, rest, T0 + CHUNK + 60_000);
    expect(second).toMatchObject({ fromMs: T0, throughMs: T0 + CHUNK - S, settledThroughMs: T0 + CHUNK - S });
    // Every point is final, but the early ones were settled before late samples could land.
    expect(isComplete(second)).toBe(false);
    const whole = { ...fetch, fromMs: T0, toMs: T0 + CHUNK - S, head: false };
    expect(isComplete(applyFetch(second, whole, T0 + CHUNK + 75_000))).toBe(true);
  });

  it('seals a chunk fetched whole after it settled (back-fill) at once', () => {
    const fetch: Fetch = {
      chunkStartMs: T0,
      chunkEndMs: T0 + CHUNK,
      fromMs: T0 + 2 * MIN,
      toMs: T0 + CHUNK - S,
      stepMs: S,
      head: false,
    };
    expect(applyFetch(undefined, fetch, T0 + HOUR).sealed).toBe(true);
  });

  it('never moves the settled point back', () => {
    const chunk = held(T0, T0, T0 + 5 * MIN, T0 + 4 * MIN);
    const fetch: Fetch = {
      chunkStartMs: T0,
      chunkEndMs: T0 + CHUNK,
      fromMs: T0 + 4 * MIN + S,
      toMs: T0 + 5 * MIN,
      stepMs: S,
      head: true,
    };
    // Evaluated at a clock that went backwards: nothing newly settles, nothing is lost.
    expect(applyFetch(chunk, fetch, T0).settledThroughMs).toBe(T0 + 4 * MIN);
  });
});

describe('groupFetches', () => {
  const plan = (chunks: ChunkState[], nowMs: number, backfillMs = 30 * MIN) =>
    groupFetches(planFetches(chunks, { nowMs, stepMs: S, backfillMs }));
  const spans = (runs: Fetch[][]) =>
    runs.map((r) => [r[0]!.fromMs - T0, r[r.length - 1]!.toMs - T0, r.length]);

  it('runs the head as one range query across a chunk boundary', () => {
    const prev = held(T0 - CHUNK, T0 - CHUNK, T0 - S, T0 - 60_000);
    const { head, backfill } = plan(
      [prev, held(T0 - 2 * CHUNK, T0 - 2 * CHUNK, T0 - CHUNK - S, T0 - CHUNK - S, SEALED)],
      T0 + 10_000,
      20 * MIN,
    );
    expect(spans(head)).toEqual([[-45_000, 0, 2]]);
    expect(backfill).toEqual([]);
  });

  it('takes the sealing pass of the previous chunk into the head query', () => {
    // Due once the previous chunk's last point is a settle delay old; the head then starts at
    // its chunk's start (nothing of it is settled yet), so the two are adjacent.
    const prev = held(T0 - CHUNK, T0 - CHUNK, T0 - S, T0 - S);
    const { head, backfill } = plan([prev, held(T0, T0, T0 + S, T0 - S)], T0 + 30_250, 10 * MIN);
    expect(spans(head)).toEqual([[-CHUNK, 30_000, 2]]);
    expect(backfill).toEqual([]);
  });

  it('leaves older chunks to back-fill, one chunk per query, newest first', () => {
    const { head, backfill } = plan([], T0 + 2 * MIN + 5_000);
    expect(spans(head)).toEqual([[-CHUNK, 2 * MIN, 2]]);
    expect(backfill.map((f) => f.chunkStartMs - T0)).toEqual([-2 * CHUNK, -3 * CHUNK]);
  });
});
