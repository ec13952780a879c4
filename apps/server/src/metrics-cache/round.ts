/**
 * One refresh round: a set of tasks run with bounded concurrency, their points collected into
 * one {@link WriteBatch} and written together, then the new chunk states returned for the
 * refresher to adopt. A task is one range query; it may span adjacent chunks (the head of a
 * query at a chunk boundary, or the sealing pass of the previous chunk plus the head), and its
 * answer is split by chunk. A query that fails is reported and left as it was; a failed write
 * fails the round (nothing is adopted, so the same fetches run again next time).
 */
import { AppError, errorMessage } from '@vigil/core';
import type { ResultSeries } from '@vigil/promql';
import type { Database } from '@vigil/storage';
import { applyFetch, type Fetch } from './chunk-plan.ts';
import type { CacheEvaluator, RangeQuery } from './evaluator.ts';
import { expandQuery, type RegisteredQuery } from './query-registry.ts';
import { slotCount, WriteBatch, type ChunkRecord, type SeriesMemo } from './write-batch.ts';
import type { WrittenPoints } from './written-points.ts';

export interface RoundTask {
  readonly query: RegisteredQuery;
  /** Contiguous fetches (each starts one step after the previous one ends), oldest first. */
  readonly fetches: readonly Fetch[];
  /** The chunk of each fetch as held before it, if any. */
  readonly chunks: readonly (ChunkRecord | undefined)[];
}

export interface RoundOutcome {
  readonly updated: Array<{ query: RegisteredQuery; chunk: ChunkRecord }>;
  readonly failed: Array<{ query: RegisteredQuery; error: string }>;
  readonly points: number;
}

export interface RoundDeps {
  readonly evaluator: CacheEvaluator;
  readonly db: Database;
  readonly memo: SeriesMemo;
  /** Points written before, so unchanged ones are not written again. */
  readonly written?: WrittenPoints;
  readonly clock: () => number;
  readonly concurrency: number;
  readonly signal: AbortSignal;
}

/** Slot counts after a fetch: the old counts outside the fetched range, the new ones inside. */
function mergeSlots(old: ChunkRecord | undefined, fresh: Uint32Array, fetch: Fetch): Uint32Array {
  if (!old || old.slotPoints.length !== fresh.length) return fresh;
  const out = Uint32Array.from(old.slotPoints);
  const first = Math.round((fetch.fromMs - fetch.chunkStartMs) / fetch.stepMs);
  const last = Math.round((fetch.toMs - fetch.chunkStartMs) / fetch.stepMs);
  for (let i = first; i <= last && i < out.length; i++) out[i] = fresh[i]!;
  return out;
}

/** The part of each series inside [fromMs, toMs] (timestamps are ascending). */
function slice(series: readonly ResultSeries[], fromMs: number, toMs: number): ResultSeries[] {
  const out: ResultSeries[] = [];
  for (const s of series) {
    const ts = s.timestampsMs;
    let lo = 0;
    while (lo < ts.length && ts[lo]! < fromMs) lo++;
    let hi = lo;
    while (hi < ts.length && ts[hi]! <= toMs) hi++;
    if (hi === lo) continue;
    out.push(
      lo === 0 && hi === ts.length
        ? s
        : { metric: s.metric, timestampsMs: ts.slice(lo, hi), values: s.values.slice(lo, hi) },
    );
  }
  return out;
}

async function pool<T>(items: readonly T[], concurrency: number, run: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

export async function runRound(tasks: readonly RoundTask[], deps: RoundDeps): Promise<RoundOutcome> {
  const batch = new WriteBatch(deps.memo, deps.clock(), deps.written);
  const updated: RoundOutcome['updated'] = [];
  const failed: RoundOutcome['failed'] = [];
  if (tasks.length === 0) return { updated, failed, points: 0 };
  const fromMs = Math.min(...tasks.map((t) => t.fetches[0]!.fromMs));
  const toMs = Math.max(...tasks.map((t) => t.fetches[t.fetches.length - 1]!.toMs));

  const evaluate = async (rangeQuery: RangeQuery): Promise<void> =>
    pool(tasks, deps.concurrency, async ({ query, fetches, chunks }) => {
      if (deps.signal.aborted) return;
      const first = fetches[0]!;
      const last = fetches[fetches.length - 1]!;
      const evaluatedAtMs = deps.clock();
      try {
        const result = await rangeQuery(
          expandQuery(query.query, first.stepMs),
          first.fromMs,
          last.toMs,
          first.stepMs,
          { signal: deps.signal },
        );
        if (result.resultType !== 'matrix') {
          throw new AppError('internal', `a range query answered ${result.resultType}, not matrix`);
        }
        fetches.forEach((fetch, i) => {
          const chunk = chunks[i];
          const state = applyFetch(chunk, fetch, evaluatedAtMs);
          const part = fetches.length === 1 ? result.result : slice(result.result, fetch.fromMs, fetch.toMs);
          const fresh = batch.addResult(query.key, part, state);
          const record: ChunkRecord = { ...state, slotPoints: mergeSlots(chunk, fresh, fetch) };
          if (record.slotPoints.length !== slotCount(record)) {
            throw new AppError('internal', 'slot count mismatch');
          }
          batch.addChunk(query.key, record);
          updated.push({ query, chunk: record });
        });
      } catch (err) {
        if (deps.signal.aborted) return;
        failed.push({ query, error: errorMessage(err) });
      }
    });

  const { round } = deps.evaluator;
  if (round) {
    const queries = [...new Set(tasks.map((t) => expandQuery(t.query.query, t.fetches[0]!.stepMs)))];
    await round.call(deps.evaluator, { queries, fromMs, toMs, signal: deps.signal }, evaluate);
  } else {
    await evaluate((...args) => deps.evaluator.rangeQuery(...args));
  }
  if (deps.signal.aborted) {
    batch.discard();
    return { updated: [], failed: [], points: 0 };
  }
  await batch.write(deps.db);
  return { updated, failed, points: batch.points };
}
