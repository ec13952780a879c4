/**
 * Error-budget burn rates and the multi-window rules that turn them into alerts (Google SRE
 * workbook, ch. 5). With an objective of 99% the budget is 1% bad requests; a burn rate of 1
 * spends exactly the budget over the SLO period, 14.4 spends a 30-day budget's 2% in one hour.
 *
 * ```
 *   bad/total over the window
 *   ------------------------- = burn rate        rule fires  ⇔  long > factor AND short > factor
 *      1 − objective                             recovered   ⇔  short ≤ factor
 *                                                               OR short window's requests
 *                                                                  counted zero
 * ```
 *
 * The long window makes a rule significant (enough budget spent), the short one makes it current
 * (still burning now). Recovery reads the short window alone: the long one remembers a burst for
 * hours after the errors stopped (a burst stays in the 1 h window for an hour after it ends),
 * while the short one says whether the budget is burning now, the SRE workbook's reason for it.
 * A rule therefore recovers about one short window after the bad requests stop: 5 min for the
 * 14.4× rule, 15 min for the 6× rule. Windows are trailing, end at the point judged, and are
 * counted in grid steps (windowPoints): on a 5 min grid the 5 min window is one step.
 *
 * No traffic is not an incident: a window without requests has a NaN burn rate, which never
 * fires, and a short window whose requests are all gone (counted zero) recovers the rule like a
 * clean one, whatever the long window still holds. A short window with no data at all (a scrape
 * gap, the agent restarting) is not evidence of recovery: the rule stays unrecovered until a
 * point with data enters the short window again.
 */
import { emptySeries, type TimeSeries } from '@vigil/model';
import type { SliSeries } from './sli.ts';
import { errorBudget } from './slo-config.ts';
import { prefixSums, windowPoints, windowSum, type PrefixSums } from './series-window.ts';

export type Severity = 'warning' | 'critical';

export interface BurnRule {
  readonly severity: Severity;
  readonly longWindowMs: number;
  readonly shortWindowMs: number;
  /** Burn rate both windows must exceed to fire; the short window at or under it recovers. */
  readonly factor: number;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** Fast burn: 2% of a 30-day budget in an hour. Pages. */
export const FAST_BURN_RULE: BurnRule = {
  severity: 'critical',
  longWindowMs: HOUR_MS,
  shortWindowMs: 5 * MINUTE_MS,
  factor: 14.4,
};

/** Slow burn: 5% of a 30-day budget in six hours. */
export const SLOW_BURN_RULE: BurnRule = {
  severity: 'warning',
  longWindowMs: 6 * HOUR_MS,
  shortWindowMs: 15 * MINUTE_MS,
  factor: 6,
};

/** The rules of the inspections table, most severe first. */
export const DEFAULT_BURN_RULES: readonly BurnRule[] = [FAST_BURN_RULE, SLOW_BURN_RULE];

/**
 * History needed before the first point judged so that no window is clipped: the longest window.
 * The server fetches SLI series from `evaluatedThroughMs − burnLookbackMs(rules)`.
 */
export function burnLookbackMs(rules: readonly BurnRule[] = DEFAULT_BURN_RULES): number {
  let ms = 0;
  for (const r of rules) ms = Math.max(ms, r.longWindowMs, r.shortWindowMs);
  return ms;
}

/** One rule read at one point. */
export interface RuleReading {
  readonly rule: BurnRule;
  readonly longBurnRate: number;
  readonly shortBurnRate: number;
  readonly firing: boolean;
  /**
   * The short window at or under the factor, or without requests (counted zero). The long window
   * is left out on purpose: it remembers a burst for hours after the errors stopped, and the short
   * window exists to say that burning has stopped now (the SRE workbook's reason for it).
   */
  readonly recovered: boolean;
}

/** Burn rates of one SLI against one objective, at any point and over any window, in O(1). */
export interface BurnRates {
  /** Burn rate over the `windowMs` ending at point `endIndex`; NaN without traffic or data. */
  burnRate(endIndex: number, windowMs: number): number;
  /** Share of good requests over the window, 0…1; NaN without traffic or data. */
  goodRatio(endIndex: number, windowMs: number): number;
  /** Every rule read at `endIndex`, in the order given. */
  readRules(endIndex: number): RuleReading[];
}

export function burnRates(
  sli: SliSeries,
  objectivePercent: number,
  rules: readonly BurnRule[] = DEFAULT_BURN_RULES,
): BurnRates {
  const grid = sli.total.grid;
  const budget = errorBudget(objectivePercent);
  const total = prefixSums(sli.total);
  const bad = prefixSums(sli.bad);
  const badRatio = (endIndex: number, windowMs: number): number =>
    windowBadRatio(total, bad, endIndex, windowPoints(grid, windowMs));
  const burnRate = (endIndex: number, windowMs: number): number =>
    roundBurn(badRatio(endIndex, windowMs) / budget);
  return {
    burnRate,
    goodRatio: (endIndex, windowMs) => 1 - badRatio(endIndex, windowMs),
    readRules(endIndex) {
      return rules.map((rule) => {
        const longBurnRate = burnRate(endIndex, rule.longWindowMs);
        const shortBurnRate = burnRate(endIndex, rule.shortWindowMs);
        return {
          rule,
          longBurnRate,
          shortBurnRate,
          firing: longBurnRate > rule.factor && shortBurnRate > rule.factor,
          // A short window with no data at all (a scrape gap, NaN) does not count as recovery.
          recovered: Number.isNaN(shortBurnRate)
            ? windowSum(total, endIndex, windowPoints(grid, rule.shortWindowMs)) === 0
            : shortBurnRate <= rule.factor,
        };
      });
    },
  };
}

/** The burn rate over a trailing `windowMs` at every point, for charts. */
export function burnRateSeries(sli: SliSeries, objectivePercent: number, windowMs: number): TimeSeries {
  const rates = burnRates(sli, objectivePercent, []);
  const out = emptySeries(sli.total.grid);
  for (let i = 0; i < out.values.length; i++) out.values[i] = rates.burnRate(i, windowMs);
  return out;
}

function windowBadRatio(total: PrefixSums, bad: PrefixSums, endIndex: number, points: number): number {
  const t = windowSum(total, endIndex, points);
  if (!(t > 0)) return NaN;
  const b = windowSum(bad, endIndex, points);
  return Number.isNaN(b) ? 0 : Math.min(1, Math.max(0, b / t));
}

/**
 * Window sums come from prefix sums, so the same window read from series that start at different
 * points (a full replay vs an incremental run) can differ in the last bits. Rounding to 1e-9 makes
 * the rule decisions of both runs identical except in the vanishing case of a value straddling a
 * rounding edge exactly at the factor.
 */
function roundBurn(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}
