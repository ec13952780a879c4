import { describe, expect, it } from 'vitest';
import { Engine, labelsOf, MemorySeriesSource } from '@vigil/promql';
import type { LabelMatcher } from '@vigil/protocols';
import { DEFAULT_CACHE_QUERIES } from './default-queries.ts';
import { SharedSelectEvaluator } from './evaluator.ts';
import { expandQuery } from './query-registry.ts';

const NOW = 1_800_000_600_000;
const STEP = 15_000;

/** Three containers' CPU counters and RSS gauges over 20 minutes, scraped 2 s off the grid. */
function source(): MemorySeriesSource {
  const src = new MemorySeriesSource();
  for (let c = 0; c < 3; c++) {
    const ts = Array.from({ length: 80 }, (_, i) => NOW - 1_200_000 + 2_000 + i * STEP);
    const base = { container_id: `/docker/c${c}`, machine_id: 'm1' };
    src.add({
      labels: labelsOf({ __name__: 'container_resources_cpu_usage_seconds_total', ...base }),
      timestampsMs: ts,
      values: ts.map((_, i) => i * 0.5 * (c + 1)),
    });
    src.add({
      labels: labelsOf({ __name__: 'container_resources_memory_rss_bytes', ...base }),
      timestampsMs: ts,
      values: ts.map((_, i) => 1e8 + Math.sin(i / 3) * 1e6 * (c + 1)),
    });
  }
  return src;
}

describe('SharedSelectEvaluator', () => {
  const queries = [
    expandQuery(DEFAULT_CACHE_QUERIES.find((q) => q.id === 'container_cpu_usage')!.query, STEP),
    'sum by (machine_id) (rate(container_resources_cpu_usage_seconds_total[1m]))',
    'container_resources_memory_rss_bytes',
    'max_over_time(container_resources_memory_rss_bytes[5m])',
  ];

  // Not prefetched: a selector without a written name, a subquery reaching further back.
  const fallbacks = [
    '{__name__="container_resources_memory_rss_bytes", container_id="/docker/c1"}',
    'max_over_time(rate(container_resources_cpu_usage_seconds_total[1m])[10m:1m])',
  ];

  it('answers every query of a round exactly like the plain engine', async () => {
    const mem = source();
    const store = { select: (m: readonly LabelMatcher[], s: number, e: number) => mem.select(m, s, e) };
    const shared = new SharedSelectEvaluator(store);
    const plain = new Engine(mem);
    const [from, to] = [NOW - 300_000, NOW - 60_000];
    const all = [...queries, ...fallbacks];
    const answers = await shared.round({ queries: all, fromMs: from, toMs: to }, (rangeQuery) =>
      Promise.all(all.map((q) => rangeQuery(q, from, to, STEP))),
    );
    for (const [i, q] of all.entries()) {
      const expected = await plain.rangeQuery(q, from, to, STEP);
      expect(expected.resultType === 'matrix' && expected.result.length).toBeGreaterThan(0);
      expect(answers[i], q).toEqual(expected);
    }
  });

  it('reads every metric of a round in one select, however many queries use it', async () => {
    const mem = source();
    const calls: string[] = [];
    const store = {
      select: (m: readonly LabelMatcher[], s: number, e: number) => {
        calls.push(m.map((x) => x.value).join());
        return mem.select(m, s, e);
      },
    };
    const shared = new SharedSelectEvaluator(store);
    const [from, to] = [NOW - 120_000, NOW];
    await shared.round({ queries, fromMs: from, toMs: to }, async (rangeQuery) => {
      for (const q of queries) await rangeQuery(q, from, to, STEP);
    });
    expect(calls).toEqual([
      'container_resources_cpu_usage_seconds_total|container_resources_memory_rss_bytes',
    ]);
  });
});
