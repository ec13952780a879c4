import { describe, expect, it } from 'vitest';
import { series } from '../testing/series-notation.ts';
import { testEngine } from '../testing/harness.ts';

// Samples at 0s, 10s, a staleness marker at 20s, and 2 at 30s.
const stale = testEngine([series('metric', '0 1 stale 2', 10_000), series('single', '7', 10_000)]);

describe('instant vector selectors', () => {
  it.each([
    ['metric', 10, ['{__name__="metric"} 1']],
    ['metric', 20, []],
    ['metric', 25, []],
    ['metric', 30, ['{__name__="metric"} 2']],
    ['metric', 330, ['{__name__="metric"} 2']],
    ['metric', 331, []],
    ['single', 300, ['{__name__="single"} 7']],
    ['single', 300.001, []],
    ['metric offset 10s', 40, ['{__name__="metric"} 2']],
    ['metric offset 15s', 40, []],
    ['metric offset -10s', 0, ['{__name__="metric"} 1']],
    ['metric @ 10', 1000, ['{__name__="metric"} 1']],
    ['metric @ 10.000', 5, ['{__name__="metric"} 1']],
    ['metric @ 40 offset 30s', 1000, ['{__name__="metric"} 1']],
    ['count_over_time(metric[1m])', 30, ['{} 3']],
    ['count_over_time(metric[1s])', 10, ['{} 1']],
    ['count_over_time(metric[1s])', 20, []],
    ['count_over_time(metric[10s])', 20, ['{} 1']],
    ['count_over_time(metric[10s])', 30, ['{} 1']],
    ['count_over_time(metric[30s])', 30, ['{} 3']],
  ])('%s at %ss gives %j', async (expr, at, expected) => {
    expect(await stale.instant(expr, at)).toEqual(expected);
  });

  it('hides a series from the staleness marker until its next sample in a range query', async () => {
    expect(await stale.range('metric', 0, 40, 10)).toEqual(['{__name__="metric"} 0=0 10=1 30=2 40=2']);
  });

  it('returns the samples of a range selector with both window ends included', async () => {
    expect(await stale.instant('metric[30s]', 30)).toEqual(['{__name__="metric"} 0=0 10=1 30=2']);
    expect(await stale.instant('metric[20s] offset 10s', 40)).toEqual(['{__name__="metric"} 10=1 30=2']);
  });
});

describe('subqueries', () => {
  const { instant, range } = testEngine([series('x', '1x300', 1000)]);

  it.each([
    // Steps are multiples of the subquery step since the epoch: 45, 60, 75, 90 for [40s, 100s].
    ['count_over_time(x[1m:15s])', 100, ['{} 4']],
    ['count_over_time(x[1m:15s])', 105, ['{} 5']],
    ['count_over_time(x[1m:15s] offset 10s)', 100, ['{} 5']],
    ['count_over_time(x[1m:15s] @ 105)', 100, ['{} 5']],
    ['count_over_time(x[1m:])', 150, ['{} 1']],
    ['count_over_time(x[2m:])', 150, ['{} 2']],
  ])('%s at %ss gives %j', async (expr, at, expected) => {
    expect(await instant(expr, at)).toEqual(expected);
  });

  it('returns the inner steps of a subquery evaluated on its own', async () => {
    expect(await instant('x[1m:15s]', 100)).toEqual(['{__name__="x"} 45=1 60=1 75=1 90=1']);
  });

  // Outer grid 40, 60, 80, 100, 120: the window [t-1m, t] holds 4, 3 and 4 of its points.
  it('evaluates nested subqueries on their own aligned grids', async () => {
    expect(await range('count_over_time(count_over_time(x[30s:10s])[1m:20s])', 100, 120, 10)).toEqual([
      '{} 100=4 110=3 120=4',
    ]);
  });
});
