/**
 * Conformance with a real Prometheus 2.42: the same data is backfilled into Prometheus (promtool)
 * and loaded into a MemorySeriesSource, and every expression of the corpus is evaluated by
 * both, as instant queries at three times and as a range query; results must be equal (see
 * testing/compare.ts). Expressions that must fail must fail in both with the same error type.
 * Vigil's engine runs twice per expression: with the source's window summaries (rate(x[5m])
 * and the like computed per window by the source, as the metric store does in SQL) and on raw
 * samples only; both must match Prometheus.
 */
import {
  backfillOpenMetrics,
  makeTempDir,
  PROMETHEUS_BIN,
  prometheusAvailable,
  serviceGate,
  startPrometheus,
  type PrometheusServer,
} from '@vigil/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from './eval/engine.ts';
import { isPromQLError } from './errors.ts';
import { toPrometheusData, type PrometheusQueryData } from './format/prometheus-json.ts';
import type { QueryResult } from './model/result.ts';
import { MemorySeriesSource } from './storage/memory-source.ts';
import { compareQueryData } from './testing/compare.ts';
import { conformanceCorpus, type CorpusEntry } from './testing/conformance-corpus.ts';
import { generateConformanceData, toOpenMetrics } from './testing/conformance-data.ts';

const available = serviceGate(
  'Prometheus',
  prometheusAvailable(),
  `${PROMETHEUS_BIN} and promtool are needed (Debian package "prometheus")`,
);

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
// Whole days two days back: recent enough for any retention, and the same time of day every run.
const BASE_MS = Math.floor(Date.now() / DAY_MS) * DAY_MS - 2 * DAY_MS;
const AT_SECONDS = (BASE_MS + 70 * MINUTE_MS) / 1000;
const INSTANT_TIMES_MS = [
  BASE_MS + 95 * MINUTE_MS + 7_300,
  BASE_MS + 119 * MINUTE_MS,
  BASE_MS + 24 * MINUTE_MS + 1,
  BASE_MS + 60 * MINUTE_MS,
];
const RANGES = [
  { startMs: BASE_MS + 25 * MINUTE_MS + 500, endMs: BASE_MS + 115 * MINUTE_MS, stepMs: 45_000 },
  { startMs: BASE_MS + 20 * MINUTE_MS, endMs: BASE_MS + 110 * MINUTE_MS, stepMs: 60_000 },
];

type Outcome = { ok: true; data: PrometheusQueryData } | { ok: false; type: string; message: string };

interface PrometheusResponse {
  status: 'success' | 'error';
  data?: PrometheusQueryData;
  errorType?: string;
  error?: string;
}

let prometheus: PrometheusServer | undefined;
let engines: Array<{ name: string; engine: Engine }>;
const temp = makeTempDir('vigil-promql-conformance-');

async function viaPrometheus(path: string, params: Record<string, string>): Promise<Outcome> {
  const body = (await prometheus!.api(path, params)) as PrometheusResponse;
  if (body.status === 'success') return { ok: true, data: body.data! };
  return { ok: false, type: body.errorType ?? 'unknown', message: body.error ?? '' };
}

async function viaEngine(run: () => Promise<QueryResult>): Promise<Outcome> {
  try {
    return { ok: true, data: toPrometheusData(await run()) };
  } catch (err) {
    if (!isPromQLError(err)) throw err;
    return { ok: false, type: err.type, message: err.message };
  }
}

function differences(what: string, expected: Outcome, actual: Outcome, entry: CorpusEntry): string[] {
  if (!expected.ok || !actual.ok) {
    if (expected.ok !== actual.ok) {
      const describe = (o: Outcome): string => (o.ok ? 'a result' : `${o.type} error "${o.message}"`);
      return [`${what}: Prometheus gave ${describe(expected)}, Vigil ${describe(actual)}`];
    }
    if (!expected.ok && !actual.ok && expected.type !== actual.type) {
      return [
        `${what}: error type ${expected.type} ("${expected.message}") vs ${actual.type} ("${actual.message}")`,
      ];
    }
    return [];
  }
  return compareQueryData(expected.data, actual.data, entry.ordered === true).map((d) => `${what}: ${d}`);
}

describe.skipIf(!available)('conformance with Prometheus 2.42', () => {
  beforeAll(async () => {
    const series = generateConformanceData(BASE_MS);
    const dataDir = `${temp.dir}/data`;
    await backfillOpenMetrics(toOpenMetrics(series), dataDir);
    prometheus = await startPrometheus({ dataDir });
    engines = [
      { name: 'windows', engine: new Engine(new MemorySeriesSource(series)) },
      { name: 'samples', engine: new Engine(new MemorySeriesSource(series, { windows: false })) },
      // One engine for the whole corpus, every grid: shared subexpressions must not leak
      // between queries, times or steps.
      { name: 'shared', engine: new Engine(new MemorySeriesSource(series), { shareSubexpressions: true }) },
      // Windows wherever the engine can use them, instant-vector selectors included (what the
      // embedded store does on grids its rollups serve).
      { name: 'all windows', engine: new Engine(new MemorySeriesSource(series, { preferWindows: true })) },
    ];
  });

  afterAll(async () => {
    await prometheus?.stop();
    temp.cleanup();
  });

  const corpus = conformanceCorpus(AT_SECONDS);

  it('has a corpus of at least 200 expressions', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(200);
  });

  it.each(corpus)('evaluates $expr as Prometheus does', async (entry) => {
    const diffs: string[] = [];
    for (const timeMs of INSTANT_TIMES_MS) {
      const expected = await viaPrometheus('/api/v1/query', {
        query: entry.expr,
        time: String(timeMs / 1000),
      });
      for (const { name, engine } of engines) {
        const actual = await viaEngine(() => engine.instantQuery(entry.expr, timeMs));
        diffs.push(...differences(`${name}, instant @${timeMs / 1000}`, expected, actual, entry));
      }
      if (entry.error === true) expect(expected.ok, 'Prometheus should reject this expression').toBe(false);
    }
    if (entry.instant === true) {
      expect(diffs).toEqual([]);
      return;
    }
    for (const range of RANGES) {
      const expected = await viaPrometheus('/api/v1/query_range', {
        query: entry.expr,
        start: String(range.startMs / 1000),
        end: String(range.endMs / 1000),
        step: String(range.stepMs / 1000),
      });
      for (const { name, engine } of engines) {
        const actual = await viaEngine(() =>
          engine.rangeQuery(entry.expr, range.startMs, range.endMs, range.stepMs),
        );
        diffs.push(...differences(`${name}, range step ${range.stepMs / 1000}s`, expected, actual, entry));
      }
    }
    expect(diffs).toEqual([]);
  });
});
