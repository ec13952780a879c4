import { describe, expect, it } from 'vitest';
import { gridFor } from '@vigil/model';
import {
  burnLookbackMs,
  burnRates,
  burnRateSeries,
  DEFAULT_BURN_RULES,
  FAST_BURN_RULE,
  SLOW_BURN_RULE,
} from './burn-rate.ts';
import { HOUR_MS, MINUTE_MS, T0_MS, seriesOf } from './testing.ts';

const grid = gridFor(T0_MS, T0_MS + 8 * HOUR_MS, MINUTE_MS);
const sli = (rps: (i: number) => number, errorShare: (i: number) => number) => ({
  total: seriesOf(grid, rps),
  bad: seriesOf(grid, (i) => {
    const r = rps(i);
    return Number.isNaN(r) ? NaN : r * errorShare(i);
  }),
});

describe('burnRates', () => {
  it.each([
    ['1% errors against 99% burns at 1×', 99, 0.01, 1],
    ['7% errors against 99% burns at 7×', 99, 0.07, 7],
    ['20% errors against 99.9% burns at 200×', 99.9, 0.2, 200],
    ['no errors burn nothing', 99, 0, 0],
  ])('%s', (_name, objective, share, expected) => {
    const rates = burnRates(
      sli(
        () => 10,
        () => share,
      ),
      objective,
    );
    expect(rates.burnRate(grid.points - 1, HOUR_MS)).toBe(expected);
    expect(rates.goodRatio(grid.points - 1, HOUR_MS)).toBeCloseTo(1 - share, 12);
  });

  it('is NaN without traffic, so no traffic neither fires nor blocks recovery', () => {
    const rates = burnRates(
      sli(
        () => 0,
        () => 0,
      ),
      99,
    );
    expect(rates.burnRate(100, HOUR_MS)).toBeNaN();
    for (const r of rates.readRules(100)) expect(r).toMatchObject({ firing: false, recovered: true });
  });

  it('is NaN over a window of gaps and ignores gaps inside a window', () => {
    const rates = burnRates(
      sli(
        (i) => (i >= 100 && i < 120 ? NaN : 10),
        (i) => (i < 100 ? 0.1 : 0),
      ),
      99,
    );
    expect(rates.burnRate(110, 5 * MINUTE_MS)).toBeNaN();
    // Points 60..99 are 10% errors, 100..109 gaps: 40 of 50 defined points → 10% · 40/50.
    expect(rates.burnRate(109, HOUR_MS)).toBeCloseTo(10, 9);
  });

  it('does not take a short window without data (a scrape gap) for a recovery', () => {
    const rates = burnRates(
      sli(
        (i) => (i >= 105 && i < 120 ? NaN : 10),
        (i) => (i >= 100 && i < 105 ? 0.5 : 0),
      ),
      99.9,
    );
    // The 5 min window holds only the gap from 109 to 119; the first point with data recovers.
    for (let i = 109; i < 120; i++)
      expect(rates.readRules(i)[0]).toMatchObject({ shortBurnRate: NaN, firing: false, recovered: false });
    expect(rates.readRules(120)[0]).toMatchObject({ shortBurnRate: 0, firing: false, recovered: true });
  });

  it('takes a short window with requests counted zero for a recovery, however the long one burns', () => {
    // The same burst, then no requests instead of no data: the 5 min window is empty at 109.
    const rates = burnRates(
      sli(
        (i) => (i >= 105 ? 0 : 10),
        (i) => (i >= 100 && i < 105 ? 0.5 : 0),
      ),
      99.9,
    );
    const fast = (i: number) => rates.readRules(i)[0]!;
    expect(fast(108)).toMatchObject({ shortBurnRate: 500, firing: true, recovered: false });
    expect(fast(109)).toMatchObject({ shortBurnRate: NaN, firing: false, recovered: true });
    // The hour still holds 25 bad requests of 550 (45.5×), far over 14.4×: it does not matter.
    expect(fast(109).longBurnRate).toBeCloseTo(25 / 550 / 0.001, 6);
  });

  it('weights a window by traffic, not by points: 20 bad requests of 600 whatever the spread', () => {
    const rates = burnRates(
      sli(
        (i) => (i >= 60 && i < 70 ? 2 : i < 120 ? 10 : NaN),
        (i) => (i >= 60 && i < 70 ? 1 : 0),
      ),
      99,
    );
    // 50 points × 10 + 10 points × 2 = 520 requests, 20 bad.
    expect(rates.burnRate(119, HOUR_MS)).toBeCloseTo(20 / 520 / 0.01, 9);
  });

  it('fires a rule only when both windows exceed its factor, recovers once its short window is back', () => {
    // A 10-minute 20% burst at 6 h against 99.9%: the 5 min window jumps at once, the hour lags;
    // after the burst the 5 min window is clean within 5 minutes while the hour remembers it.
    const rates = burnRates(
      sli(
        () => 10,
        (i) => (i >= 360 && i < 370 ? 0.2 : 0),
      ),
      99.9,
    );
    const fast = (i: number) => rates.readRules(i)[0]!;
    expect(fast(363)).toMatchObject({ firing: false, recovered: false, shortBurnRate: 160 });
    expect(fast(363).longBurnRate).toBeCloseTo(13.33, 2);
    expect(fast(364)).toMatchObject({ firing: true, recovered: false });
    // One bad minute of five left in the short window: 4% bad, 40×.
    expect(fast(373)).toMatchObject({ firing: true, recovered: false, shortBurnRate: 40 });
    expect(fast(374)).toMatchObject({ firing: false, recovered: true, shortBurnRate: 0 });
    // The hour still holds all 10 bad minutes (33.3×), and at 424 still 5 (16.7×): recovery does
    // not wait for it.
    expect(fast(374).longBurnRate).toBeCloseTo(33.33, 2);
    expect(fast(424).longBurnRate).toBeGreaterThan(FAST_BURN_RULE.factor);
    expect(fast(424)).toMatchObject({ firing: false, recovered: true });

    // The 6× rule never fires here (the 6 h window reaches 5.6×), and its 15 min window holds a
    // bad minute (13.3×) until 383: it recovers 15 minutes after the last bad minute.
    const slow = (i: number) => rates.readRules(i)[1]!;
    expect(slow(364)).toMatchObject({ rule: SLOW_BURN_RULE, firing: false, recovered: false });
    expect(slow(369).longBurnRate).toBeCloseTo(5.56, 2);
    expect(slow(383)).toMatchObject({ firing: false, recovered: false });
    expect(slow(383).shortBurnRate).toBeCloseTo(13.33, 2);
    expect(slow(384)).toMatchObject({ firing: false, recovered: true, shortBurnRate: 0 });
  });

  it('uses one step for windows shorter than a step (5 min grid)', () => {
    const coarse = gridFor(T0_MS, T0_MS + 8 * HOUR_MS, 5 * MINUTE_MS);
    const total = seriesOf(coarse, () => 10);
    const bad = seriesOf(coarse, (i) => (i === 72 ? 2 : 0));
    const rates = burnRates({ total, bad }, 99.9);
    expect(rates.burnRate(72, 5 * MINUTE_MS)).toBe(200);
    expect(rates.burnRate(72, MINUTE_MS)).toBe(200);
    expect(rates.burnRate(73, 5 * MINUTE_MS)).toBe(0);
    expect(rates.burnRate(72, HOUR_MS)).toBeCloseTo(200 / 12, 9);
  });
});

describe('rules', () => {
  it('are Coroot’s: 1 h/5 min at 14.4× (critical), 6 h/15 min at 6× (warning)', () => {
    expect(DEFAULT_BURN_RULES).toEqual([
      { severity: 'critical', longWindowMs: HOUR_MS, shortWindowMs: 5 * MINUTE_MS, factor: 14.4 },
      { severity: 'warning', longWindowMs: 6 * HOUR_MS, shortWindowMs: 15 * MINUTE_MS, factor: 6 },
    ]);
    expect(burnLookbackMs()).toBe(6 * HOUR_MS);
    expect(burnLookbackMs([FAST_BURN_RULE])).toBe(HOUR_MS);
  });
});

describe('burnRateSeries', () => {
  it('gives the trailing burn rate at every point', () => {
    const s = burnRateSeries(
      sli(
        () => 10,
        (i) => (i === 10 ? 0.5 : 0),
      ),
      99,
      5 * MINUTE_MS,
    );
    expect(Array.from(s.values.slice(8, 17), (v) => Math.round(v * 1000) / 1000)).toEqual([
      0, 0, 10, 10, 10, 10, 10, 0, 0,
    ]);
  });
});
