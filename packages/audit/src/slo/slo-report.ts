/**
 * The SLO report of one application: a check per objective (`slo_availability`, `slo_latency`)
 * and the charts behind them.
 *
 * Status rule, per check, judged over the last hour of the report window:
 * - critical — a critical rule (by default the fast burn: 1 h and 5 min windows above 14.4×)
 *   fired at any point of that hour;
 * - warning  — otherwise, a warning rule (by default the slow burn: 6 h and 15 min windows above
 *   6×) fired at any point of that hour;
 * - ok       — neither fired (including: no requests at all — no traffic is not an incident);
 * - unknown  — the objective is off, or its SLI has no data.
 * A burst that ended 40 minutes ago therefore still shows, which is what someone opening the
 * page after an alert expects; one that ended two hours ago does not (the incident list has it).
 *
 * The message quotes the deciding rule's long window at the end of the report window (the last
 * hour when nothing fired), e.g. "availability 96.66% over the last hour, objective 99.9%: error
 * budget burning 33.3× too fast", and says how long ago the rule stopped firing if it has.
 */
import { combine, mapSeries, seriesToJson, timeAt, type Application, type TimeGrid } from '@vigil/model';
import { makeReport, noDataReport, type Chart, type Check, type Report, type Status } from '../report.ts';
import { burnRates, DEFAULT_BURN_RULES, type BurnRule, type RuleReading } from './burn-rate.ts';
import { gridOffset, sliceSeries, windowPoints } from './series-window.ts';
import type { SloConfig } from './slo-config.ts';
import { sloSignals, type CustomSliData, type SloKind, type SloSignal } from './slo-signals.ts';

const HOUR_MS = 3_600_000;

export interface SloReportOptions {
  /** Results of the custom SLI queries, when the config uses them. */
  readonly custom?: CustomSliData;
  /**
   * The part of `grid` to show and judge (default: all of it). Points of `grid` before it only
   * feed the burn-rate windows: give the world 6 h more history than the window shown and no
   * window is clipped.
   */
  readonly window?: TimeGrid;
  readonly rules?: readonly BurnRule[];
  /** What was wrong with the configuration's sources (bad `coroot.com/slo-*` annotations). */
  readonly configErrors?: readonly string[];
}

/**
 * Builds the SLO report of `app`, whose series are on `grid`. When the application has no
 * inbound request metrics (and no custom SLI data) the report is a no-data report saying what to
 * install or enable. Throws RangeError when `options.window` is not a part of `grid` (same step,
 * inside it) or custom series are not on `grid`: caller bugs, not data problems.
 */
export function sloReport(
  app: Application,
  config: SloConfig,
  grid: TimeGrid,
  options: SloReportOptions = {},
): Report {
  const window = options.window ?? grid;
  const rules = options.rules ?? DEFAULT_BURN_RULES;
  const { signals, missing, disabled } = sloSignals(app, config, grid, options.custom);
  if (signals.length === 0 && missing.length > 0) {
    const reasons = [...new Set(missing.map((m) => m.reason))];
    return noDataReport('SLO', `${app.name}: ${reasons.join('; ')}`);
  }

  const checks: Check[] = [];
  for (const kind of ['availability', 'latency'] as const) {
    const signal = signals.find((s) => s.kind === kind);
    if (signal !== undefined) checks.push(judge(signal, grid, window, rules));
    else if (disabled.includes(kind)) checks.push(unknownCheck(kind, `${kind} SLO is off`));
    else {
      const reason = missing.find((m) => m.kind === kind)?.reason ?? 'no data';
      checks.push(unknownCheck(kind, `${kind}: ${reason}`));
    }
  }
  return makeReport('SLO', checks, () => charts(signals, grid, window, rules), options.configErrors);
}

const CHECK_IDS: Record<SloKind, { id: string; title: string }> = {
  availability: { id: 'slo_availability', title: 'Availability' },
  latency: { id: 'slo_latency', title: 'Latency' },
};

function unknownCheck(kind: SloKind, message: string): Check {
  return { ...CHECK_IDS[kind], status: 'unknown', message };
}

const RANK: Record<Status, number> = { unknown: 0, ok: 1, warning: 2, critical: 3 };

function judge(signal: SloSignal, grid: TimeGrid, window: TimeGrid, rules: readonly BurnRule[]): Check {
  const rates = burnRates(signal.sli, signal.objectivePercent, rules);
  const endIndex = gridOffset(grid, window) + window.points - 1;
  const firstJudged = Math.max(gridOffset(grid, window), endIndex - windowPoints(grid, HOUR_MS) + 1);

  // The most severe rule that fired in the last hour, and the last point it fired at.
  let deciding: { reading: RuleReading; lastIndex: number } | null = null;
  for (let i = firstJudged; i <= endIndex; i++) {
    for (const reading of rates.readRules(i)) {
      if (!reading.firing) continue;
      if (deciding === null || RANK[reading.rule.severity] >= RANK[deciding.reading.rule.severity])
        deciding = { reading, lastIndex: i };
    }
  }

  const status: Status = deciding?.reading.rule.severity ?? 'ok';
  const windowMs = deciding?.reading.rule.longWindowMs ?? HOUR_MS;
  const good = rates.goodRatio(endIndex, windowMs);
  const burn = rates.burnRate(endIndex, windowMs);
  const objective = `objective ${formatNumber(signal.objectivePercent)}%`;
  let message: string;
  if (Number.isNaN(good)) {
    message = `no requests over the last ${formatWindow(windowMs)}, ${objective}`;
  } else {
    const what =
      signal.kind === 'availability'
        ? `availability ${formatPercent(good)}`
        : `latency: ${formatPercent(good)} of requests faster than ${formatMs(signal.thresholdMs!)}${boundaryNote(signal)}`;
    message = `${what} over the last ${formatWindow(windowMs)}, ${objective}`;
    if (burn > 1) message += `: error budget burning ${formatNumber(burn, 3)}× too fast`;
  }
  if (deciding !== null && deciding.lastIndex < endIndex) {
    const { rule } = deciding.reading;
    const minutesAgo = Math.round((timeAt(grid, endIndex) - timeAt(grid, deciding.lastIndex)) / 60_000);
    message += `; above ${formatNumber(rule.factor)}× over both ${formatSpan(rule.longWindowMs)} and ${formatSpan(rule.shortWindowMs)} until ${minutesAgo} min ago`;
  }
  return {
    ...CHECK_IDS[signal.kind],
    status,
    message,
    threshold: signal.objectivePercent,
    ...(Number.isNaN(good) ? {} : { value: roundTo(good * 100, 4) }),
    unit: '%',
  };
}

/** Says which bucket stood in for the threshold when it is not a histogram boundary. */
function boundaryNote(signal: SloSignal): string {
  const used = (signal.boundariesSeconds ?? []).filter(
    (le) => Math.abs(le * 1000 - signal.thresholdMs!) > 1e-6,
  );
  if (used.length === 0) return '';
  return ` (read at the ${used.map((le) => formatMs(le * 1000)).join(', ')} histogram bucket${used.length > 1 ? 's' : ''})`;
}

function charts(
  signals: readonly SloSignal[],
  grid: TimeGrid,
  window: TimeGrid,
  rules: readonly BurnRule[],
): Chart[] {
  const out: Chart[] = [];
  const availability = signals.find((s) => s.kind === 'availability');
  if (availability !== undefined) {
    const total = sliceSeries(availability.sli.total, window);
    const failed = sliceSeries(availability.sli.bad, window);
    out.push({
      title: 'Requests',
      unit: 'req/s',
      lines: [
        { name: 'ok', data: seriesToJson(combine(total, failed, (t, f) => t - f)) },
        { name: 'failed', data: seriesToJson(failed) },
      ],
    });
  }
  const latency = signals.find((s) => s.kind === 'latency');
  if (latency !== undefined) {
    const total = sliceSeries(latency.sli.total, window);
    const slow = sliceSeries(latency.sli.bad, window);
    // Per point, so a chart shows when it dipped; a step without requests is a gap, not 100%.
    const compliance = combine(total, slow, (t, s) => (t > 0 ? 100 * (1 - s / t) : NaN));
    out.push({
      title: 'Latency compliance',
      unit: '%',
      lines: [{ name: `faster than ${formatMs(latency.thresholdMs!)}`, data: seriesToJson(compliance) }],
      threshold: latency.objectivePercent,
    });
  }
  if (signals.length > 0) {
    const offset = gridOffset(grid, window);
    const hourRule = rules.find((r) => r.longWindowMs === HOUR_MS);
    out.push({
      title: 'Error budget burn rate, 1 h window',
      unit: '×',
      lines: signals.map((s) => {
        const rates = burnRates(s.sli, s.objectivePercent, []);
        return {
          name: s.kind,
          data: seriesToJson(
            mapSeries(sliceSeries(s.sli.total, window), (_, i) => rates.burnRate(offset + i, HOUR_MS)),
          ),
        };
      }),
      ...(hourRule === undefined ? {} : { threshold: hourRule.factor }),
    });
  }
  return out;
}

/** 0.96667 → "96.66%": rounded down, so any bad request keeps it below 100%. */
function formatPercent(ratio: number): string {
  return `${formatNumber(Math.floor(ratio * 10_000 + 1e-6) / 100)}%`;
}

function formatNumber(x: number, significant?: number): string {
  return String(significant === undefined ? roundTo(x, 4) : Number(x.toPrecision(significant)));
}

function roundTo(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${formatNumber(ms)} ms` : `${formatNumber(ms / 1000)} s`;
}

/** "1 h", "15 min": a window named in a rule. */
function formatSpan(ms: number): string {
  return ms % HOUR_MS === 0 ? `${ms / HOUR_MS} h` : `${formatNumber(ms / 60_000)} min`;
}

/** "hour", "6 hours", "15 min": the end of "over the last …". */
function formatWindow(ms: number): string {
  if (ms === HOUR_MS) return 'hour';
  if (ms % HOUR_MS === 0) return `${ms / HOUR_MS} hours`;
  return `${formatNumber(ms / 60_000)} min`;
}
