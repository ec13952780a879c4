import { describe, expect, it } from 'vitest';
import { gridFor, type L7Protocol, type L7Stats, type TimeGrid } from '@vigil/model';
import type { Check } from '../report.ts';
import { sloConfigFromAnnotations } from './slo-annotations.ts';
import { DEFAULT_SLO_CONFIG, type SloConfig } from './slo-config.ts';
import { sloReport } from './slo-report.ts';
import { HOUR_MS, MINUTE_MS, T0_MS, appWithInbound, histogramOf, httpStats, seriesOf } from './testing.ts';

const SHARES = { 0.1: 0.9, 0.25: 0.95, 0.5: 0.995, 1: 1 };

function app(grid: TimeGrid, rps: (i: number) => number, errorShare: (i: number) => number = () => 0) {
  const stats = httpStats(grid, rps, errorShare, histogramOf(grid, rps, SHARES));
  return appWithInbound(grid, [new Map<L7Protocol, L7Stats>([['http', stats]])]);
}

const byId = (checks: readonly Check[]) =>
  Object.fromEntries(checks.map((c) => [c.id, [c.status, c.message]]));
const grid8h = gridFor(T0_MS, T0_MS + 8 * HOUR_MS, MINUTE_MS);
const burst = (i: number) => (i >= 360 && i < 370 ? 0.2 : 0);
const strict = sloConfigFromAnnotations({ 'coroot.com/slo-availability-objective': '99.9%' }).config;

describe('sloReport', () => {
  it.each<
    [string, TimeGrid, ReturnType<typeof app>, SloConfig, TimeGrid | undefined, Record<string, unknown>]
  >([
    [
      'no traffic is ok, and says so',
      grid8h,
      app(grid8h, () => 0),
      DEFAULT_SLO_CONFIG,
      undefined,
      {
        slo_availability: ['ok', 'no requests over the last hour, objective 99%'],
        slo_latency: ['ok', 'no requests over the last hour, objective 99%'],
      },
    ],
    [
      'steady success is ok',
      grid8h,
      app(grid8h, () => 10),
      DEFAULT_SLO_CONFIG,
      undefined,
      {
        slo_availability: ['ok', 'availability 100% over the last hour, objective 99%'],
        slo_latency: [
          'ok',
          'latency: 99.5% of requests faster than 500 ms over the last hour, objective 99%',
        ],
      },
    ],
    [
      'a 10-minute 20% burst 20 minutes before the end is critical',
      grid8h,
      app(grid8h, () => 10, burst),
      strict,
      gridFor(T0_MS + 5 * HOUR_MS, T0_MS + 6.5 * HOUR_MS, MINUTE_MS),
      {
        slo_availability: [
          'critical',
          'availability 96.66% over the last hour, objective 99.9%: error budget burning 33.3× too fast; ' +
            'above 14.4× over both 1 h and 5 min until 17 min ago',
        ],
      },
    ],
    [
      'the same burst is ok once it is more than an hour old',
      grid8h,
      app(grid8h, () => 10, burst),
      strict,
      undefined,
      { slo_availability: ['ok', 'availability 100% over the last hour, objective 99.9%'] },
    ],
    [
      'a slow 7% degradation is a warning over six hours',
      gridFor(T0_MS, T0_MS + 12 * HOUR_MS, MINUTE_MS),
      app(
        gridFor(T0_MS, T0_MS + 12 * HOUR_MS, MINUTE_MS),
        () => 10,
        (i) => (i >= 360 ? 0.07 : 0),
      ),
      { ...DEFAULT_SLO_CONFIG, latency: null },
      undefined,
      {
        slo_availability: [
          'warning',
          'availability 93% over the last 6 hours, objective 99%: error budget burning 7× too fast',
        ],
        slo_latency: ['unknown', 'latency SLO is off'],
      },
    ],
    [
      'a latency threshold between buckets is read at the bucket below, and says so',
      grid8h,
      app(grid8h, () => 10),
      {
        ...DEFAULT_SLO_CONFIG,
        latency: { objectivePercent: 99, thresholdMs: 300, sli: { kind: 'inbound' } },
      },
      undefined,
      {
        slo_latency: [
          'ok',
          'latency: 95% of requests faster than 300 ms (read at the 250 ms histogram bucket) over the last hour, ' +
            'objective 99%: error budget burning 5× too fast',
        ],
      },
    ],
    [
      '10% of requests over a 100 ms threshold burns the latency budget 10×: warning',
      grid8h,
      app(grid8h, () => 10),
      sloConfigFromAnnotations({ 'coroot.com/slo-latency-threshold': '100ms' }).config,
      undefined,
      {
        slo_latency: [
          'warning',
          'latency: 90% of requests faster than 100 ms over the last 6 hours, objective 99%: error budget burning 10× too fast',
        ],
      },
    ],
  ])('%s', (_name, grid, application, config, window, expected) => {
    const report = sloReport(application, config, grid, window === undefined ? {} : { window });
    expect(report.name).toBe('SLO');
    expect(byId(report.checks)).toMatchObject(expected);
    const worst = report.checks.map((c) => c.status);
    expect(worst).toContain(report.status);
  });

  it('says what to install when the application has no inbound L7 metrics', () => {
    const report = sloReport(appWithInbound(grid8h, [new Map()]), DEFAULT_SLO_CONFIG, grid8h);
    expect(report.status).toBe('unknown');
    expect(report.checks).toEqual([]);
    expect(report.noData).toMatch(
      /^api: no inbound request metrics: run the Vigil node agent with L7 tracing \(VIGIL_L7/,
    );
    expect(report.noData).toContain('custom SLI');
  });

  it('reports the value and objective in percent on the check', () => {
    const report = sloReport(
      app(grid8h, () => 10, burst),
      strict,
      grid8h,
      {
        window: gridFor(T0_MS + 5 * HOUR_MS, T0_MS + 6.5 * HOUR_MS, MINUTE_MS),
      },
    );
    expect(report.checks[0]).toMatchObject({ id: 'slo_availability', threshold: 99.9, unit: '%' });
    expect(report.checks[0]!.value).toBeCloseTo(96.6667, 3);
  });

  it('charts requests by ok/failed, latency compliance and the burn rate over the window only', () => {
    const window = gridFor(T0_MS + 5.5 * HOUR_MS, T0_MS + 6.5 * HOUR_MS, MINUTE_MS);
    const report = sloReport(
      app(grid8h, () => 10, burst),
      strict,
      grid8h,
      { window },
    );
    expect(report.charts.map((c) => [c.title, c.unit, c.lines.map((l) => l.name)])).toEqual([
      ['Requests', 'req/s', ['ok', 'failed']],
      ['Latency compliance', '%', ['faster than 500 ms']],
      ['Error budget burn rate, 1 h window', '×', ['availability', 'latency']],
    ]);
    const [requests, latency, burn] = report.charts;
    const failed = requests!.lines[1]!.data;
    expect(failed.fromMs).toBe(window.fromMs);
    expect(failed.values).toHaveLength(61);
    expect(failed.values[29]).toBe(0); // 5h59
    expect(failed.values[30]).toBeCloseTo(2, 9); // 6h00, the burst
    expect(requests!.lines[0]!.data.values[30]).toBeCloseTo(8, 9);
    expect(latency!.threshold).toBe(99);
    expect(latency!.lines[0]!.data.values[0]).toBeCloseTo(99.5, 9);
    // The burn rate at the window's first point sees the hour before it (lookback), not nothing.
    expect(burn!.lines[0]!.data.values[0]).toBe(0);
    expect(burn!.lines[0]!.data.values[60]).toBeCloseTo(33.33, 2);
  });

  it('judges a custom PromQL success/total pair from the series it is handed', () => {
    const grid = grid8h;
    const config: SloConfig = {
      availability: {
        objectivePercent: 99,
        sli: { kind: 'promql', successQuery: 'sum(rate(ok[1m]))', totalQuery: 'sum(rate(all[1m]))' },
      },
      latency: null,
    };
    const custom = { availability: { success: seriesOf(grid, () => 8), total: seriesOf(grid, () => 10) } };
    const report = sloReport(appWithInbound(grid, []), config, grid, { custom });
    expect(byId(report.checks).slo_availability).toEqual([
      'critical',
      'availability 80% over the last hour, objective 99%: error budget burning 20× too fast',
    ]);
    const missing = sloReport(appWithInbound(grid, []), config, grid);
    expect(missing.noData).toBe('api: the custom availability queries (success/total) returned no data');
  });

  it('marks latency unknown when the inbound metrics carry no histogram', () => {
    const stats = httpStats(grid8h, () => 10);
    const report = sloReport(
      appWithInbound(grid8h, [new Map([['http', stats]])]),
      DEFAULT_SLO_CONFIG,
      grid8h,
    );
    expect(byId(report.checks)).toEqual({
      slo_availability: ['ok', 'availability 100% over the last hour, objective 99%'],
      slo_latency: [
        'unknown',
        'latency: the inbound request metrics carry no latency histogram (no `_duration_seconds` buckets)',
      ],
    });
    expect(report.status).toBe('ok');
  });

  it('reads through gaps: an hour with a scrape gap reports on the minutes it has', () => {
    const report = sloReport(
      app(
        grid8h,
        (i) => (i >= 450 && i < 470 ? NaN : 10),
        (i) => (i >= 440 ? 0.005 : 0),
      ),
      DEFAULT_SLO_CONFIG,
      grid8h,
    );
    // The last hour has 40 defined minutes (20 are a gap), 21 of them at 0.5% errors: 1.05 bad
    // requests/s-minutes of 400, where counting the gap as good traffic would say 99.82%.
    expect(byId(report.checks).slo_availability).toEqual([
      'ok',
      'availability 99.73% over the last hour, objective 99%',
    ]);
  });
});

describe('sloReport input checks', () => {
  it('refuses a window that is not part of the grid and custom series on another grid', () => {
    const application = app(grid8h, () => 10);
    const other = gridFor(T0_MS, T0_MS + HOUR_MS, 30_000);
    expect(() => sloReport(application, DEFAULT_SLO_CONFIG, grid8h, { window: other })).toThrow(RangeError);
    const config: SloConfig = {
      availability: { objectivePercent: 99, sli: { kind: 'promql', successQuery: 'a', totalQuery: 'b' } },
      latency: null,
    };
    const custom = { availability: { success: seriesOf(other, () => 1), total: seriesOf(other, () => 1) } };
    expect(() => sloReport(application, config, grid8h, { custom })).toThrow(/custom success series/);
  });
});
