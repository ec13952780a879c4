import { describe, expect, it } from 'vitest';
import { gridFor, timeAt, type L7Protocol, type L7Stats, type TimeGrid } from '@vigil/model';
import { burnLookbackMs } from './burn-rate.ts';
import {
  advanceIncidents,
  incidentId,
  initialIncidentState,
  replayIncidents,
  type Incident,
  type IncidentEvent,
  type IncidentState,
} from './incidents.ts';
import { sliceSeries, windowPoints } from './series-window.ts';
import { sloSignals, type SloSignal } from './slo-signals.ts';
import { HOUR_MS, MINUTE_MS, T0_MS, appWithInbound, httpStats } from './testing.ts';

const APP = '/k8s/default/deployment/api';

interface Scenario {
  readonly name: string;
  readonly hours: number;
  readonly stepMs?: number;
  readonly objectivePercent: number;
  /** Both as functions of minutes since T0, so one scenario reads the same on any grid. */
  readonly rps: (minute: number) => number;
  readonly errorShare: (minute: number) => number;
  /** Per incident: [event type, severity, minutes since T0] in order. */
  readonly expected: ReadonlyArray<ReadonlyArray<[IncidentEvent['type'], string, number]>>;
}

const burst = (from: number, to: number, share: number) => (m: number) => (m >= from && m < to ? share : 0);

const SCENARIOS: Scenario[] = [
  {
    name: 'no traffic opens nothing',
    hours: 8,
    objectivePercent: 99,
    rps: () => 0,
    errorShare: () => 0,
    expected: [],
  },
  {
    name: 'steady 100% success opens nothing',
    hours: 8,
    objectivePercent: 99,
    rps: () => 10,
    errorShare: () => 0,
    expected: [],
  },
  {
    name: 'a scrape gap in steady traffic opens nothing',
    hours: 8,
    objectivePercent: 99,
    rps: (m) => (m >= 100 && m < 130 ? NaN : 10),
    errorShare: () => 0,
    expected: [],
  },
  {
    // 5 bad minutes make the hour 1.67% bad (16.7× a 0.1% budget) and it opens. It resolves once
    // every rule's short window is back under its factor: the 5 min window is clean at 374, the
    // 15 min window of the 6× rule (one bad minute in it is 13.3×) at 384, 15 minutes after the
    // last bad minute, while the hour still holds all 10 of them (33.3×).
    name: 'a 10-minute 20% burst opens a critical incident that resolves once the short windows are clean',
    hours: 8,
    objectivePercent: 99.9,
    rps: () => 10,
    errorShare: burst(360, 370, 0.2),
    expected: [
      [
        ['opened', 'critical', 364],
        ['resolved', 'critical', 384],
      ],
    ],
  },
  {
    // 60 points make 15 min, so a single bad 15 s point left in that window is 3.3×, under 6×: it
    // resolves when the second-to-last one (369.5) has left it.
    name: 'the same burst on a 15 s grid opens and resolves within a step of the 1 min grid',
    hours: 8,
    stepMs: 15_000,
    objectivePercent: 99.9,
    rps: () => 10,
    errorShare: burst(360, 370, 0.2),
    expected: [
      [
        ['opened', 'critical', 364.25],
        ['resolved', 'critical', 384.5],
      ],
    ],
  },
  {
    // Points 360 and 365 are bad; the 15 min window (3 steps) is clean at 380.
    name: 'the same burst on a 5 min grid, where the 5 min window is one step',
    hours: 8,
    stepMs: 5 * MINUTE_MS,
    objectivePercent: 99.9,
    rps: () => 10,
    errorShare: burst(360, 370, 0.2),
    expected: [
      [
        ['opened', 'critical', 360],
        ['resolved', 'critical', 380],
      ],
    ],
  },
  {
    // 7% against 99% is 7×: the 6 h window passes 6× after 309 bad minutes; 14.4× is never reached.
    name: 'a slow 7% degradation fires only the 6× rule (warning)',
    hours: 12,
    objectivePercent: 99,
    rps: () => 10,
    errorShare: (m) => (m >= 360 ? 0.07 : 0),
    expected: [[['opened', 'warning', 668]]],
  },
  {
    // Minutes 366–389 have no data, longer than either short window. Were a window without data
    // taken for recovery, or the gap for good traffic, both short windows would be back at 380,
    // inside the gap. It resolves at 390, the first minute with data (and no errors).
    name: 'a gap inside a burst neither resolves the incident nor counts as good traffic',
    hours: 8,
    objectivePercent: 99.9,
    rps: (m) => (m >= 366 && m < 390 ? NaN : 10),
    errorShare: burst(360, 370, 0.2),
    expected: [
      [
        ['opened', 'critical', 364],
        ['resolved', 'critical', 390],
      ],
    ],
  },
  {
    // Requests stop at 370: the 15 min window holds requests counted zero at 384 (a NaN burn
    // rate, but not a gap), which is recovery, although the 6 h window still holds the burst.
    name: 'traffic stopping after a burst resolves once the short windows hold no requests',
    hours: 8,
    objectivePercent: 99.9,
    rps: (m) => (m < 370 ? 10 : 0),
    errorShare: burst(360, 370, 0.2),
    expected: [
      [
        ['opened', 'critical', 364],
        ['resolved', 'critical', 384],
      ],
    ],
  },
  {
    name: 'an hour of 30% errors then a lasting 8.5% steps the incident down from critical to warning',
    hours: 10,
    objectivePercent: 99,
    rps: () => 10,
    errorShare: (m) => (m < 360 ? 0 : m < 420 ? 0.3 : 0.085),
    expected: [
      [
        ['opened', 'critical', 388],
        ['severity_changed', 'warning', 462],
      ],
    ],
  },
];

function setUp(s: Scenario): { grid: TimeGrid; signals: readonly SloSignal[] } {
  const grid = gridFor(T0_MS, T0_MS + s.hours * HOUR_MS, s.stepMs ?? MINUTE_MS);
  const minute = (i: number) => (timeAt(grid, i) - T0_MS) / MINUTE_MS;
  const stats = httpStats(
    grid,
    (i) => s.rps(minute(i)),
    (i) => s.errorShare(minute(i)),
  );
  const app = appWithInbound(grid, [new Map<L7Protocol, L7Stats>([['http', stats]])], APP);
  const config = {
    availability: { objectivePercent: s.objectivePercent, sli: { kind: 'inbound' as const } },
    latency: null,
  };
  return { grid, signals: sloSignals(app, config, grid).signals };
}

const summary = (incidents: readonly Incident[]) =>
  incidents.map((inc) => inc.timeline.map((e) => [e.type, e.severity, (e.atMs - T0_MS) / MINUTE_MS]));

/** Runs the machine as the server would: `chunk` points at a time, the state through JSON. */
function advanceInChunks(grid: TimeGrid, signals: readonly SloSignal[], chunk: number) {
  const lookback = windowPoints(grid, burnLookbackMs());
  let state: IncidentState = initialIncidentState(APP);
  const incidents = new Map<string, Incident>();
  const events: Array<{ incidentId: string; event: IncidentEvent }> = [];
  for (let end = chunk - 1; end < grid.points - 1 + chunk; end += chunk) {
    const last = Math.min(end, grid.points - 1);
    const first = Math.max(0, last - chunk - lookback);
    const sub: TimeGrid = { fromMs: timeAt(grid, first), stepMs: grid.stepMs, points: last - first + 1 };
    const subSignals = signals.map((s) => ({
      ...s,
      sli: { total: sliceSeries(s.sli.total, sub), bad: sliceSeries(s.sli.bad, sub) },
    }));
    const run = advanceIncidents(JSON.parse(JSON.stringify(state)) as IncidentState, subSignals, sub);
    state = run.state;
    for (const inc of run.incidents) incidents.set(inc.id, inc);
    events.push(...run.events);
  }
  return { state, incidents: [...incidents.values()], events };
}

describe('replayIncidents', () => {
  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', (_name, scenario) => {
    const { grid, signals } = setUp(scenario);
    const run = replayIncidents(APP, signals, grid);
    expect(summary(run.incidents)).toEqual(scenario.expected);
    expect(run.state.evaluatedThroughMs).toBe(timeAt(grid, grid.points - 1));
    const stillOpen = run.incidents.find((i) => i.resolvedAtMs === null);
    expect(run.state.open).toEqual(stillOpen ?? null);
  });

  it('names incidents by (application, opened at) and records why they opened', () => {
    const { grid, signals } = setUp(SCENARIOS[3]!);
    const [incident] = replayIncidents(APP, signals, grid).incidents;
    const openedAtMs = T0_MS + 364 * MINUTE_MS;
    expect(incident).toMatchObject({
      id: incidentId(APP, openedAtMs),
      appId: APP,
      openedAtMs,
      resolvedAtMs: T0_MS + 384 * MINUTE_MS,
      severity: 'critical',
      worstSeverity: 'critical',
    });
    expect(incident!.id).toMatch(/^[0-9a-f]{16}$/);
    expect(incidentId(APP, openedAtMs)).not.toBe(incidentId('/k8s/default/deployment/web', openedAtMs));
    const [reason] = incident!.timeline[0]!.reasons;
    expect(reason).toMatchObject({
      slo: 'availability',
      severity: 'critical',
      factor: 14.4,
      shortBurnRate: 200,
    });
    expect(reason!.longBurnRate).toBeCloseTo(16.67, 2);
  });

  it('keeps the worst severity when an incident steps down', () => {
    const { grid, signals } = setUp(SCENARIOS[SCENARIOS.length - 1]!);
    const [incident] = replayIncidents(APP, signals, grid).incidents;
    expect(incident).toMatchObject({ severity: 'warning', worstSeverity: 'critical', resolvedAtMs: null });
  });
});

describe('advanceIncidents', () => {
  it.each(
    SCENARIOS.filter((s) => s.expected.length > 0).flatMap((s) =>
      [1, 7, 60].map((chunk) => [`${s.name}, ${chunk} step(s) per run`, s, chunk] as const),
    ),
  )('gives the same result as a full replay: %s', (_name, scenario, chunk) => {
    const { grid, signals } = setUp(scenario);
    const replay = replayIncidents(APP, signals, grid);
    const incremental = advanceInChunks(grid, signals, chunk);
    expect(incremental.incidents).toEqual(replay.incidents);
    expect(incremental.events).toEqual(replay.events);
    expect(incremental.state).toEqual(replay.state);
  });

  it('does nothing when no new point has arrived', () => {
    const { grid, signals } = setUp(SCENARIOS[6]!);
    const first = replayIncidents(APP, signals, grid);
    const again = advanceIncidents(first.state, signals, grid);
    expect(again).toEqual({ state: first.state, incidents: [], events: [] });
  });

  it('resolves an open incident once its SLO is gone (no signals)', () => {
    const { grid, signals } = setUp(SCENARIOS[6]!);
    const open = replayIncidents(APP, signals, grid).state;
    const next = gridFor(open.evaluatedThroughMs!, open.evaluatedThroughMs! + 2 * MINUTE_MS, MINUTE_MS);
    const run = advanceIncidents(open, [], next);
    expect(run.events.map((e) => [e.event.type, e.event.atMs])).toEqual([
      ['resolved', open.evaluatedThroughMs! + MINUTE_MS],
    ]);
    expect(run.state.open).toBeNull();
  });

  it('refuses signals on another grid', () => {
    const { grid, signals } = setUp(SCENARIOS[1]!);
    const other = gridFor(T0_MS, T0_MS + HOUR_MS, MINUTE_MS);
    expect(() => advanceIncidents(initialIncidentState(APP), signals, other)).toThrow(RangeError);
    expect(grid.points).toBeGreaterThan(other.points);
  });

  it('judges every objective: a latency breach opens an incident while availability is fine', () => {
    const { grid, signals: healthy } = setUp(SCENARIOS[1]!);
    const slow = setUp(SCENARIOS[3]!).signals.map((s) => ({ ...s, kind: 'latency' as const }));
    const run = replayIncidents(APP, [...healthy, ...slow], grid);
    expect(summary(run.incidents)).toEqual(SCENARIOS[3]!.expected);
    expect(run.incidents[0]!.timeline[0]!.reasons.map((r) => r.slo)).toEqual(['latency']);
  });
});
