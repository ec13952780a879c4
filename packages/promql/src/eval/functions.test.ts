import { describe, expect, it } from 'vitest';
import { series } from '../testing/series-notation.ts';
import { testEngine } from '../testing/harness.ts';

const S10 = 10_000;
const { instant, range } = testEngine([
  series('counter{job="a"}', '0+10x10', S10),
  series('reset_counter{job="a"}', '0 10 20 5 15', S10),
  series('late_counter{job="a"}', '100 110 120', S10),
  series('gauge{job="a"}', '10 5 20', S10),
  series('dipping{job="a"}', '0 10 5', S10),
  series('changing{job="a"}', '1 1 2 2 NaN NaN 3', S10),
  series('resetting{job="a"}', '5 3 4 1', S10),
  series('line{job="a"}', '0 10 20', S10),
  series('temp{job="a",zone="x"}', '-1.5 2.5 -0.5', S10),
  series('h_bucket{le="0"}', '0', S10),
  series('h_bucket{le="2"}', '1', S10),
  series('h_bucket{le="4"}', '2', S10),
  series('h_bucket{le="6"}', '3', S10),
  series('h_bucket{le="+Inf"}', '3', S10),
  series('noinf_bucket{le="1"}', '1', S10),
  series('noinf_bucket{le="2"}', '2', S10),
  series('top_bucket{le="1"}', '1', S10),
  series('top_bucket{le="+Inf"}', '10', S10),
  series('neg_bucket{le="-0.2"}', '1', S10),
  series('neg_bucket{le="+Inf"}', '3', S10),
  series('dip_bucket{le="1"}', '5', S10),
  series('dip_bucket{le="2"}', '3', S10),
  series('dip_bucket{le="+Inf"}', '6', S10),
  series('mixed_bucket{le="0.2"}', '1', S10),
  series('mixed_bucket{le="2e-1"}', '1', S10),
  series('mixed_bucket{le="+Inf"}', '4', S10),
  series('info{job="a",instance="h:1"}', '1', S10),
]);

describe('rate, increase, delta and friends', () => {
  it.each([
    // Window [50s, 100s] holds 50..100 exactly: no extrapolation.
    ['rate(counter[50s])', 100, ['{job="a"} 1']],
    ['increase(counter[50s])', 100, ['{job="a"} 50']],
    // Window [35s, 95s]: samples 40..90, extrapolated 5 s to each edge.
    ['increase(counter[1m])', 95, ['{job="a"} 60']],
    ['rate(counter[1m])', 95, ['{job="a"} 1']],
    // A reset adds the value before it: 15 - 0 + 20.
    ['increase(reset_counter[40s])', 40, ['{job="a"} 35']],
    ['resets(reset_counter[40s])', 40, ['{job="a"} 1']],
    // Far from the window start: half a sample interval only (counters start at >= 0 anyway).
    ['increase(late_counter[1m])', 30, ['{job="a"} 35']],
    ['delta(gauge[20s])', 20, ['{job="a"} 10']],
    ['rate(counter[5s])', 100, []],
    ['irate(dipping[30s])', 20, ['{job="a"} 0.5']],
    ['idelta(dipping[30s])', 20, ['{job="a"} -5']],
    ['deriv(line[20s])', 20, ['{job="a"} 1']],
    ['predict_linear(line[20s], 10)', 20, ['{job="a"} 30']],
    ['changes(changing[1m])', 60, ['{job="a"} 3']],
    ['resets(resetting[30s])', 30, ['{job="a"} 2']],
  ])('%s at %ss gives %j', async (expr, at, expected) => {
    expect(await instant(expr, at)).toEqual(expected);
  });
});

describe('aggregations over time', () => {
  it.each([
    ['avg_over_time(gauge[20s])', ['{job="a"} 11.666666666666668']],
    ['min_over_time(gauge[20s])', ['{job="a"} 5']],
    ['max_over_time(gauge[20s])', ['{job="a"} 20']],
    ['sum_over_time(gauge[20s])', ['{job="a"} 35']],
    ['count_over_time(gauge[20s])', ['{job="a"} 3']],
    ['last_over_time(gauge[20s])', ['{__name__="gauge", job="a"} 20']],
    ['quantile_over_time(0.5, gauge[20s])', ['{job="a"} 10']],
    ['quantile_over_time(0.25, gauge[20s])', ['{job="a"} 7.5']],
    ['stdvar_over_time(line[20s])', ['{job="a"} 66.66666666666667']],
    ['stddev_over_time(line[20s])', ['{job="a"} 8.16496580927726']],
    ['present_over_time(gauge[20s])', ['{job="a"} 1']],
    ['absent_over_time(gauge[20s])', []],
    ['absent_over_time(nothing{job="b", x=~"y"}[20s])', ['{job="b"} 1']],
    ['holt_winters(line[20s], 0.5, 0.5)', ['{job="a"} 20']],
  ])('%s gives %j', async (expr, expected) => {
    expect(await instant(expr, 20)).toEqual(expected);
  });

  it('rejects holt_winters factors outside (0, 1)', async () => {
    await expect(instant('holt_winters(line[20s], 1, 0.5)', 20)).rejects.toThrow(
      'invalid smoothing factor. Expected: 0 < sf < 1, got: 1.000000',
    );
  });
});

describe('histogram_quantile over classic buckets', () => {
  it.each([
    ['histogram_quantile(1/6, h_bucket)', ['{} 1']],
    ['histogram_quantile(0.5, h_bucket)', ['{} 3']],
    ['histogram_quantile(5/6, h_bucket)', ['{} 5']],
    ['histogram_quantile(-0.1, h_bucket)', ['{} -Infinity']],
    ['histogram_quantile(1.01, h_bucket)', ['{} Infinity']],
    ['histogram_quantile(NaN, h_bucket)', ['{} NaN']],
    // No +Inf bucket: no answer.
    ['histogram_quantile(0.5, noinf_bucket)', ['{} NaN']],
    // Ranks in the +Inf bucket give the highest finite bound.
    ['histogram_quantile(0.9, top_bucket)', ['{} 1']],
    // The lowest bucket's bound is <= 0: it is the answer, no interpolation from 0.
    ['histogram_quantile(0, neg_bucket)', ['{} -0.2']],
    // Counts 5, 3, 6 are made monotonic (5, 5, 6) first.
    ['histogram_quantile(0.5, dip_bucket)', ['{} 0.6']],
    // "0.2" and "2e-1" are the same bound; their counts add up.
    ['histogram_quantile(0.25, mixed_bucket)', ['{} 0.1']],
    ['histogram_quantile(0.5, info)', []],
  ])('%s gives %j', async (expr, expected) => {
    expect(await instant(expr, 0)).toEqual(expected);
  });
});

describe('functions of instant vectors', () => {
  it.each([
    ['abs(temp)', ['{job="a", zone="x"} 0.5']],
    ['ceil(temp)', ['{job="a", zone="x"} 0']],
    ['floor(temp)', ['{job="a", zone="x"} -1']],
    ['round(temp)', ['{job="a", zone="x"} 0']],
    ['round(temp, 0.2)', ['{job="a", zone="x"} -0.4']],
    ['clamp(temp, 0, 1)', ['{job="a", zone="x"} 0']],
    ['clamp(temp, 1, 0)', []],
    ['clamp_min(temp, 3)', ['{job="a", zone="x"} 3']],
    ['clamp_max(temp, -3)', ['{job="a", zone="x"} -3']],
    ['sgn(temp)', ['{job="a", zone="x"} -1']],
    ['sqrt(gauge)', ['{job="a"} 4.47213595499958']],
    ['log2(gauge * 0 + 8)', ['{job="a"} 3']],
    ['exp(gauge * 0)', ['{job="a"} 1']],
    ['timestamp(gauge)', ['{job="a"} 20']],
    ['timestamp(gauge offset 10s)', ['{job="a"} 10']],
    ['timestamp(abs(gauge))', ['{job="a"} 20']],
    ['vector(2)', ['{} 2']],
    ['scalar(gauge)', ['20']],
    ['scalar(temp or gauge)', ['NaN']],
    ['time()', ['20']],
    ['absent(gauge)', []],
    ['absent(nothing{job="b", job="c", x="y"})', ['{x="y"} 1']],
    [
      'label_replace(gauge, "dst", "$1-${1}x-$1x", "job", "(.*)")',
      ['{__name__="gauge", dst="a-ax-", job="a"} 20'],
    ],
    ['label_replace(gauge, "job", "", "job", "a")', ['{__name__="gauge"} 20']],
    ['label_replace(gauge, "dst", "x", "job", "b")', ['{__name__="gauge", job="a"} 20']],
    [
      'label_join(info, "both", "/", "job", "instance", "none")',
      ['{__name__="info", both="a/h:1/", instance="h:1", job="a"} 1'],
    ],
    ['year(vector(86400 * 366))', ['{} 1971']],
    ['month(vector(86400 * 31))', ['{} 2']],
    ['day_of_week(vector(0))', ['{} 4']],
    ['days_in_month(vector(86400 * 40))', ['{} 28']],
    ['day_of_year(vector(86400 * 40))', ['{} 41']],
    ['hour(vector(3600 * 25 + 59))', ['{} 1']],
    ['minute(vector(3600 + 120.9))', ['{} 2']],
  ])('%s gives %j', async (expr, expected) => {
    expect(await instant(expr, 20)).toEqual(expected);
  });

  it('orders sort and sort_desc results by value', async () => {
    const e = testEngine([
      series('v{i="1"}', '2', S10),
      series('v{i="2"}', 'NaN', S10),
      series('v{i="3"}', '1', S10),
    ]);
    const order = async (expr: string): Promise<string[]> => {
      const r = await e.engine.instantQuery(expr, 0);
      return r.resultType === 'vector'
        ? r.result.map((s) => s.metric.find((l) => l.name === 'i')!.value)
        : [];
    };
    expect(await order('sort(v)')).toEqual(['3', '1', '2']);
    expect(await order('sort_desc(v)')).toEqual(['1', '3', '2']);
  });

  it('reports the steps with no sample in absent over a range', async () => {
    expect(await range('absent(gauge)', 300, 330, 10)).toEqual(['{} 330=1']);
  });
});
