/**
 * Responses shaped exactly as apps/server/src/api/incident-routes.ts answers them, for the page
 * tests (imported only by tests): the slow-Postgres story of packages/audit's scenarios, where
 * the api's latency SLO burns because Postgres waits on its disk.
 */
import type { IncidentDetail, IncidentSummary, RankedCause, SloSettingsResponse } from '@vigil/spec';

const OPENED_MS = 1_718_003_400_000;
const STEP_MS = 60_000;
const series = (values: Array<number | null>) => ({
  fromMs: OPENED_MS - 20 * STEP_MS,
  stepMs: STEP_MS,
  values,
});
const ramp = (base: number, peak: number, at: number) =>
  Array.from({ length: 30 }, (_, i) => (i < at ? base : peak) + (i % 3) * base * 0.05);
const window = { fromMs: OPENED_MS - 5 * 60_000, toMs: OPENED_MS + 25 * 60_000 };

const latencyOpened = {
  slo: 'latency' as const,
  severity: 'critical' as const,
  factor: 14.4,
  longWindowMs: 3_600_000,
  shortWindowMs: 300_000,
  longBurnRate: 18.73,
  shortBurnRate: 41.2,
};

function cause(
  rank: number,
  over: Partial<RankedCause> & Pick<RankedCause, 'id' | 'title' | 'explanation'>,
): RankedCause {
  return {
    rank,
    kind: 'disk_delay',
    applicationId: '/docker/postgres',
    applicationName: 'postgres',
    unit: 's/s',
    depth: 1,
    score: 0.8,
    relay: false,
    parts: {
      anomaly: 0.9,
      zScore: 11.2,
      baselineMedian: 0.01,
      windowMean: 0.4,
      correlation: 0.86,
      timing: 1,
      onsetMs: OPENED_MS - 4 * 60_000,
      leadMs: 120_000,
    },
    evidence: { series: series(ramp(0.01, 0.4, 14)), window },
    ...over,
  };
}

/** The stored incident with its timeline and RCA (`GET /api/v1/incidents/<id>`). */
export const INCIDENT: IncidentDetail = {
  id: '5f0c2a9d83b1e774',
  appId: '/k8s/shop/api',
  openedAtMs: OPENED_MS,
  resolvedAtMs: OPENED_MS + 42 * 60_000,
  severity: 'warning',
  worstSeverity: 'critical',
  timeline: [
    { atMs: OPENED_MS, type: 'opened', severity: 'critical', reasons: [latencyOpened] },
    {
      atMs: OPENED_MS + 27 * 60_000,
      type: 'severity_changed',
      severity: 'warning',
      reasons: [
        {
          ...latencyOpened,
          severity: 'warning',
          factor: 6,
          longWindowMs: 21_600_000,
          shortWindowMs: 900_000,
          longBurnRate: 6.4,
          shortBurnRate: 7.9,
        },
      ],
    },
    { atMs: OPENED_MS + 42 * 60_000, type: 'resolved', severity: 'warning', reasons: [] },
  ],
  rca: {
    window,
    baseline: { fromMs: window.fromMs - 90 * 60_000, toMs: window.fromMs },
    symptom: { series: series(ramp(0.045, 0.82, 15)), onsetMs: OPENED_MS - 2 * 60_000 },
    focus: { path: ['/k8s/shop/api', '/docker/postgres'], focus: '/docker/postgres' },
    causes: [
      cause(1, {
        id: 'disk_delay:/docker/postgres:',
        title: 'disk I/O wait',
        score: 0.81,
        explanation: 'postgres: disk I/O wait rose 40× 2 min before the latency',
      }),
      cause(2, {
        id: 'node_disk_io:/docker/postgres:nvme0n1',
        kind: 'node_disk_io',
        title: 'node disk nvme0n1 busy',
        unit: '%',
        score: 0.64,
        explanation: 'postgres: node disk nvme0n1 busy rose from 12% to 97% 2 min before the latency',
        explainedBy: 'disk_delay:/docker/postgres:',
        evidence: { series: series(ramp(12, 97, 14)), window },
      }),
      cause(3, {
        id: 'l7_latency:/k8s/shop/api->/docker/postgres:postgres',
        kind: 'l7_latency',
        applicationId: '/docker/postgres',
        fromApplicationId: '/k8s/shop/api',
        title: 'postgres latency p95',
        unit: 's',
        score: 0.37,
        relay: true,
        explanation: 'postgres: postgres latency p95 rose 18× together with the latency',
        parts: {
          anomaly: 0.8,
          zScore: 8,
          baselineMedian: 0.004,
          windowMean: 0.072,
          correlation: 0.9,
          timing: 1,
          onsetMs: OPENED_MS - 2 * 60_000,
          leadMs: 0,
        },
        evidence: { series: series(ramp(0.004, 0.072, 15)), window },
      }),
    ],
  },
};

/** `GET /api/v1/incidents`: the list drops `rca` (undefined disappears in JSON). */
export const INCIDENT_LIST: IncidentSummary[] = [
  {
    id: 'a1b2c3d4e5f60718',
    appId: '/docker/checkout',
    openedAtMs: OPENED_MS + 50 * 60_000,
    resolvedAtMs: null,
    severity: 'warning',
    worstSeverity: 'warning',
    timeline: [
      {
        atMs: OPENED_MS + 50 * 60_000,
        type: 'opened',
        severity: 'warning',
        reasons: [
          {
            ...latencyOpened,
            slo: 'availability',
            severity: 'warning',
            factor: 6,
            longWindowMs: 21_600_000,
            shortWindowMs: 900_000,
            longBurnRate: 6.9,
            shortBurnRate: 8.3,
          },
        ],
      },
    ],
  },
  (({ rca: _rca, ...rest }) => rest)(INCIDENT),
];

/** `GET /api/v1/apps/<appId>/slo` with the defaults. */
export const DEFAULT_SLO: SloSettingsResponse = {
  config: {
    availability: { objectivePercent: 99 },
    latency: { objectivePercent: 99, thresholdMs: 500 },
  },
  default: true,
};
