/**
 * The queries the query benchmark times, each through the production stores (what the API
 * runs), with parameters that change from sample to sample (a different trace, hour or service,
 * the 24 h window sliding by a second as "now" does) so no sample is a repeat that ClickHouse's
 * query condition cache could answer from the previous one.
 */
import type { LogStore, TraceStore } from '@vigil/storage';
import { summarize, timed, type LatencySummary } from './stats.ts';

export interface QueryContext {
  traces: TraceStore;
  logs: LogStore;
  /** The loaded data's 24 h: [startMs, endMs). */
  startMs: number;
  endMs: number;
  /** Known trace ids in random order: warm-ups first, then one per sample. */
  traceIds: readonly string[];
  /** Body tokens: one line in ~100k, one in ~7, and one that occurs once (a request id). */
  tokens: { rare: string; frequent: string; unique: string };
}

export interface QueryCase {
  name: string;
  /** The product goal for this query's p95, when there is one. */
  goalMs?: number;
  warmups: number;
  samples: number;
  /** Runs sample `i` (warm-ups are i < warmups) and returns how many items came back. */
  run(i: number): Promise<number>;
}

const HOUR_MS = 3_600_000;
const SERVICES = ['checkout', 'payment', 'cart', 'frontend', 'catalog', 'shipping'];

/** Sample i's service: rotates over services of different volume. */
export const sampleService = (i: number): string => SERVICES[i % SERVICES.length]!;

/** Sample i's "last 24 h": the loaded day, slid by i seconds as "now" moves between queries. */
export function dayWindow(
  ctx: Pick<QueryContext, 'startMs' | 'endMs'>,
  i: number,
): { fromMs: number; toMs: number } {
  return { fromMs: ctx.startMs + i * 1000, toMs: ctx.endMs + i * 1000 };
}

export interface CaseResult {
  summary: LatencySummary;
  meanItems: number;
}

/** Times a case: warm-ups discarded, then one timing per sample, and the mean items returned. */
export async function measureCase(c: QueryCase): Promise<CaseResult> {
  const [result] = await measureInterleaved([c]);
  return result!;
}

/**
 * Times alternatives of one query (same samples, `warmups` and `samples` of the first) sample by
 * sample in turn, so a load change on a shared machine hits every alternative alike.
 */
export async function measureInterleaved(alternatives: readonly QueryCase[]): Promise<CaseResult[]> {
  const first = alternatives[0]!;
  const times = alternatives.map((): number[] => []);
  const items = alternatives.map(() => 0);
  for (let i = 0; i < first.warmups + first.samples; i++) {
    for (const [k, c] of alternatives.entries()) {
      const { ms, result } = await timed(() => c.run(i));
      if (i < first.warmups) continue;
      times[k]!.push(ms);
      items[k]! += result;
    }
  }
  return alternatives.map((_, k) => ({
    summary: summarize(times[k]!),
    meanItems: items[k]! / Math.max(1, first.samples),
  }));
}

/** Goals from the product brief (p95 compared against them). */
export const GOALS = { traceByIdMs: 50, traceSearchMs: 100, logSearch24hMs: 500 };

/** The default histogram step the API picks for a window (~120 buckets). */
const histogramStepMs = (windowMs: number): number => Math.max(1000, Math.ceil(windowMs / 120 / 1000) * 1000);

export function queryCases(ctx: QueryContext, samples: number, idSamples: number): QueryCase[] {
  const { traces, logs, startMs, endMs } = ctx;
  // Hour windows spread over the day by a fixed stride, aligned to minutes like a UI's picker.
  const hour = (i: number): { fromMs: number; toMs: number } => {
    const fromMs = startMs + ((i * 397) % (23 * 60)) * 60_000;
    return { fromMs, toMs: fromMs + HOUR_MS };
  };
  const day = (i: number): { fromMs: number; toMs: number } => ({
    fromMs: startMs + i * 1000,
    toMs: endMs + i * 1000,
  });
  const service = (i: number): string => SERVICES[i % SERVICES.length]!;
  const warmups = 3;
  const cases: QueryCase[] = [
    {
      name: 'trace by id',
      goalMs: GOALS.traceByIdMs,
      warmups: 10,
      samples: idSamples,
      run: async (i) => (await traces.getTrace(ctx.traceIds[i % ctx.traceIds.length]!))?.spans.length ?? 0,
    },
  ];
  for (const [label, window] of [
    ['1 h', hour],
    ['24 h', day],
  ] as const) {
    cases.push(
      {
        name: `trace search: service, ${label}`,
        goalMs: GOALS.traceSearchMs,
        warmups,
        samples,
        run: async (i) =>
          (await traces.search({ ...window(i), service: service(i), attributes: {}, limit: 100 })).length,
      },
      {
        name: `trace search: service + duration >= 50 ms, ${label}`,
        goalMs: GOALS.traceSearchMs,
        warmups,
        samples,
        run: async (i) =>
          (
            await traces.search({
              ...window(i),
              service: service(i),
              minDurationMs: 50,
              attributes: {},
              limit: 100,
            })
          ).length,
      },
    );
  }
  for (const [label, window, goalMs] of [
    ['1 h', hour, undefined],
    ['24 h', day, GOALS.logSearch24hMs],
  ] as const) {
    for (const kind of ['unique', 'rare', 'frequent'] as const) {
      cases.push({
        name: `log search: ${kind} token '${ctx.tokens[kind]}', ${label}`,
        ...(goalMs === undefined ? {} : { goalMs }),
        warmups,
        samples,
        run: async (i) =>
          (await logs.search({ ...window(i), search: ctx.tokens[kind], attributes: {}, limit: 100 })).length,
      });
    }
  }
  cases.push(
    {
      name: 'log search: newest 100, no filter, 24 h',
      warmups,
      samples,
      run: async (i) => (await logs.search({ ...day(i), attributes: {}, limit: 100 })).length,
    },
    {
      name: 'log histogram: 24 h, 120 buckets',
      warmups,
      samples,
      run: async (i) =>
        (await logs.histogram({ ...day(i), attributes: {} }, histogramStepMs(endMs - startMs))).buckets
          .length,
    },
  );
  return cases;
}
