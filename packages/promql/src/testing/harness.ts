import { Engine, type EngineOptions } from '../eval/engine.ts';
import type { SeriesData } from '../model/series-source.ts';
import { MemorySeriesSource } from '../storage/memory-source.ts';
import { describeResult } from './series-notation.ts';

/** An engine over in-memory series with helpers that return results as comparable text. */
export function testEngine(data: SeriesData[], options: EngineOptions = {}) {
  const engine = new Engine(new MemorySeriesSource(data), options);
  return {
    engine,
    /** `expr` evaluated at `seconds`, as describeResult lines. */
    instant: async (expr: string, seconds: number): Promise<string[]> =>
      describeResult(await engine.instantQuery(expr, seconds * 1000)),
    range: async (expr: string, start: number, end: number, step: number): Promise<string[]> =>
      describeResult(await engine.rangeQuery(expr, start * 1000, end * 1000, step * 1000)),
  };
}
