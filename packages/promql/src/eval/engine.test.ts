import type { LabelMatcher } from '@vigil/protocols';
import { describe, expect, it } from 'vitest';
import { isPromQLError } from '../errors.ts';
import type { SelectHints, SeriesData, SeriesSource } from '../model/series-source.ts';
import { MemorySeriesSource } from '../storage/memory-source.ts';
import { series } from '../testing/series-notation.ts';
import { Engine } from './engine.ts';

interface Call {
  matchers: string;
  startMs: number;
  endMs: number;
  hints: SelectHints | undefined;
}

/** A source that records its calls and answers from memory (after `delayMs`, if given). */
function recordingSource(data: SeriesData[], delayMs = 0): { source: SeriesSource; calls: Call[] } {
  const memory = new MemorySeriesSource(data);
  const calls: Call[] = [];
  const source: SeriesSource = {
    async select(matchers: readonly LabelMatcher[], startMs, endMs, signal, hints) {
      calls.push({
        matchers: matchers.map((m) => `${m.name}${m.op}${m.value}`).join(','),
        startMs,
        endMs,
        hints,
      });
      if (delayMs > 0) {
        await new Promise((resolve, reject) => {
          const timer = setTimeout(resolve, delayMs);
          signal?.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(signal.reason as Error);
          });
        });
      }
      return memory.select(matchers, startMs, endMs, signal);
    },
  };
  return { source, calls };
}

const data = [series('x{job="a"}', '0+1x100', 10_000), series('x{job="b"}', '0+2x100', 10_000)];

describe('Engine', () => {
  it('fetches each selector once, over the union of the windows it needs', async () => {
    const { source, calls } = recordingSource(data);
    await new Engine(source).instantQuery('rate(x[5m]) / x offset 1m', 600_000);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ matchers: '__name__=x', startMs: 240_000, endMs: 600_000 });
  });

  it('passes Prometheus-style select hints for pushing work down', async () => {
    const { source, calls } = recordingSource(data);
    const engine = new Engine(source);
    await engine.rangeQuery('sum by (job) (x{job="a"}) + rate(x[1m])', 600_000, 900_000, 30_000);
    const hints = Object.fromEntries(calls.map((c) => [c.matchers, c.hints]));
    expect(hints['job=a,__name__=x']).toEqual({
      startMs: 300_000,
      endMs: 900_000,
      stepMs: 30_000,
      rangeMs: 0,
      func: 'sum',
      by: true,
      grouping: ['job'],
    });
    expect(hints['__name__=x']).toMatchObject({ startMs: 540_000, rangeMs: 60_000, func: 'rate', by: false });
  });

  it('asks for window summaries only where a summary answers the function', async () => {
    const memory = new MemorySeriesSource(data);
    const raw: string[] = [];
    const windowed: string[] = [];
    const source: SeriesSource = {
      select(matchers, startMs, endMs, signal) {
        raw.push(matchers.map((m) => `${m.name}${m.op}${m.value}`).join(','));
        return memory.select(matchers, startMs, endMs, signal);
      },
      selectWindows(request, signal) {
        windowed.push(
          `${request.matchers.map((m) => `${m.name}${m.op}${m.value}`).join(',')} ` +
            `${request.firstEndMs}+${request.stepMs}x${request.steps} [${request.rangeMs}]`,
        );
        return memory.selectWindows!(request, signal);
      },
    };
    const engine = new Engine(source);
    const query =
      'sum(rate(x{job="a"}[1m])) + sum(max_over_time(x{job="b"}[2m] offset 1m)) + sum(avg_over_time(x[1m]))' +
      ' + sum(max_over_time(rate(x{job="b"}[1m])[5m:1m])) + sum(last_over_time(x{job="a"}[1m] @ 300))';
    const pushed = await engine.rangeQuery(query, 600_000, 900_000, 30_000);
    expect(windowed.sort()).toEqual([
      'job=a,__name__=x 600000+30000x11 [60000]',
      'job=b,__name__=x 540000+30000x11 [120000]',
    ]);
    // avg_over_time has no summary form; a subquery and `@` change the grid.
    expect(raw.sort()).toEqual(['__name__=x', 'job=a,__name__=x', 'job=b,__name__=x']);
    expect(pushed.result).toHaveLength(1);
    const samplesOnly = new Engine(new MemorySeriesSource(data, { windows: false }));
    expect(pushed).toEqual(await samplesOnly.rangeQuery(query, 600_000, 900_000, 30_000));
  });

  it('moves selector windows by subquery range, offsets and @', async () => {
    const { source, calls } = recordingSource(data);
    await new Engine(source).instantQuery(
      'max_over_time(x{job="a"}[10m:1m] offset 5m) + x{job="b"} @ 100',
      3_600_000,
    );
    expect(calls.map((c) => [c.startMs, c.endMs])).toEqual([
      [3_600_000 - 300_000 - 600_000 - 300_000, 3_600_000 - 300_000],
      [100_000 - 300_000, 100_000],
    ]);
  });

  it('fails a query that would hold more samples than allowed', async () => {
    const engine = new Engine(new MemorySeriesSource(data), { maxSamples: 50 });
    await expect(engine.instantQuery('x[5m]', 600_000)).rejects.toThrow(
      'query processing would load too many samples into memory in query execution',
    );
    await expect(engine.instantQuery('x', 600_000)).resolves.toMatchObject({ resultType: 'vector' });
  });

  it('times out slow queries and reports it as a timeout', async () => {
    const { source } = recordingSource(data, 1000);
    const err: unknown = await new Engine(source, { timeoutMs: 50 })
      .instantQuery('x', 0)
      .catch((e: unknown) => e);
    expect(isPromQLError(err) && err.type).toBe('timeout');
  });

  it('stops when the caller aborts', async () => {
    const { source } = recordingSource(data, 1000);
    const controller = new AbortController();
    const pending = new Engine(source).instantQuery('x', 0, { signal: controller.signal });
    controller.abort();
    const err: unknown = await pending.catch((e: unknown) => e);
    expect(isPromQLError(err) && err.type).toBe('canceled');
  });

  it.each([
    [
      'x[5m]',
      0,
      60_000,
      15_000,
      'invalid expression type "range vector" for range query, must be Scalar or instant Vector',
    ],
    ['"s"', 0, 60_000, 15_000, 'invalid expression type "string" for range query'],
    ['x', 0, 60_000, 0, 'zero or negative query resolution step widths are not accepted'],
    ['x', 60_000, 0, 1000, 'end timestamp must not be before start time'],
    ['x', 0, 11_001_000, 1000, 'exceeded maximum resolution of 11,000 points per timeseries'],
  ])('rejects the range query %s [%d, %d] step %d', async (expr, start, end, step, message) => {
    await expect(new Engine(new MemorySeriesSource(data)).rangeQuery(expr, start, end, step)).rejects.toThrow(
      message,
    );
  });

  it('returns a scalar range query as one series without labels', async () => {
    const r = await new Engine(new MemorySeriesSource([])).rangeQuery('1 + 1', 0, 20_000, 10_000);
    expect(r).toEqual({
      resultType: 'matrix',
      result: [{ metric: [], timestampsMs: [0, 10_000, 20_000], values: [2, 2, 2] }],
    });
  });

  it('sorts range query results by labels', async () => {
    const r = await new Engine(new MemorySeriesSource(data)).rangeQuery('sort_desc(x)', 0, 10_000, 10_000);
    expect(
      r.resultType === 'matrix' && r.result.map((s) => s.metric.find((l) => l.name === 'job')!.value),
    ).toEqual(['a', 'b']);
  });

  it('reports a parse error with its position', async () => {
    const err: unknown = await new Engine(new MemorySeriesSource([]))
      .instantQuery('sum(x', 0)
      .catch((e: unknown) => e);
    expect(isPromQLError(err) && [err.type, err.position?.column]).toEqual(['bad_data', 6]);
  });
});

describe('shared subexpressions (shareSubexpressions)', () => {
  // label_replace builds new label sets on every evaluation: one array shared by two queries
  // proves the second reused the first one's value.
  const relabel = 'label_replace(rate(x[1m]), "team", "t-$1", "job", "(.*)")';

  it('evaluates a subexpression once for the queries of one engine', async () => {
    const engine = new Engine(new MemorySeriesSource(data), { shareSubexpressions: true });
    const first = await engine.rangeQuery(relabel, 60_000, 120_000, 10_000);
    const again = await engine.rangeQuery(`(${relabel})`, 60_000, 120_000, 10_000);
    expect(first.resultType === 'matrix' && first.result.length).toBe(2);
    expect(first.resultType === 'matrix' && again.resultType === 'matrix').toBe(true);
    if (first.resultType !== 'matrix' || again.resultType !== 'matrix') return;
    expect(again.result[0]!.metric).toBe(first.result[0]!.metric);
    expect(again.result).toEqual(first.result);
  });

  it('keeps values apart per grid and never shares without the option', async () => {
    const shared = new Engine(new MemorySeriesSource(data), { shareSubexpressions: true });
    const plain = new Engine(new MemorySeriesSource(data));
    const a = await shared.rangeQuery(relabel, 60_000, 120_000, 10_000);
    const b = await shared.rangeQuery(relabel, 70_000, 130_000, 20_000);
    expect(b).toEqual(await plain.rangeQuery(relabel, 70_000, 130_000, 20_000));
    expect(a.resultType === 'matrix' && b.resultType === 'matrix' && a.result[0]!.metric).not.toBe(
      b.resultType === 'matrix' && b.result[0]!.metric,
    );
    const p1 = await plain.instantQuery(relabel, 120_000);
    const p2 = await plain.instantQuery(relabel, 120_000);
    expect(p1.resultType === 'vector' && p2.resultType === 'vector' && p1.result[0]!.metric).not.toBe(
      p2.resultType === 'vector' && p2.result[0]!.metric,
    );
  });
});

describe('series from the source', () => {
  it('merges parts of one series returned separately, first sample winning', async () => {
    const parts = [series('m{a="1"}', '1 2 _ _', 10_000), series('m{a="1"}', '_ 9 3 4', 10_000)];
    const r = await new Engine(new MemorySeriesSource(parts)).rangeQuery('m', 0, 30_000, 10_000);
    expect(r.resultType === 'matrix' && r.result.map((s) => s.values)).toEqual([[1, 2, 3, 4]]);
  });
});
