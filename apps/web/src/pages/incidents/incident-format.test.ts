import { describe, expect, test } from 'vitest';
import {
  filterIncidents,
  formatDuration,
  incidentSummaryText,
  isRcaResult,
  reasonText,
  type IncidentFilter,
} from './incident-format.ts';
import type { BurnReason } from '@vigil/spec';

describe('formatDuration', () => {
  test.each([
    [0, '0 s'],
    [45_000, '45 s'],
    [12 * 60_000 + 20_000, '12 min'],
    [3 * 3_600_000, '3 h'],
    [3 * 3_600_000 + 20 * 60_000, '3 h 20 min'],
    [2 * 86_400_000 + 4 * 3_600_000, '2 d 4 h'],
    [-5, '0 s'],
  ])('%i ms → %s', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });
});

const fast: BurnReason = {
  slo: 'availability',
  severity: 'critical',
  factor: 14.4,
  longWindowMs: 3_600_000,
  shortWindowMs: 300_000,
  longBurnRate: 16.24,
  shortBurnRate: 21.4,
};
const slow: BurnReason = {
  ...fast,
  severity: 'warning',
  factor: 6,
  longWindowMs: 21_600_000,
  shortWindowMs: 900_000,
  longBurnRate: 7.1,
  shortBurnRate: 9,
};

test('reasonText states the burn over both windows and the rule’s factor', () => {
  expect(reasonText(fast)).toBe('availability: burning 16.2× over 1 h (5 min: 21.4×), fires at 14.4×');
});

describe('incidentSummaryText', () => {
  test.each<[string, BurnReason[], string]>([
    ['the fastest burn per objective at opening', [fast, slow], 'availability budget burning 16.2×'],
    [
      'both objectives',
      [slow, { ...fast, slo: 'latency', longBurnRate: 30 }],
      'availability budget burning 7.1×, latency budget burning 30.0×',
    ],
    ['no reasons', [], 'SLO violated'],
  ])('%s', (_name, reasons, expected) => {
    expect(
      incidentSummaryText({ timeline: [{ atMs: 0, type: 'opened', severity: 'critical', reasons }] }),
    ).toBe(expected);
  });
});

describe('filterIncidents', () => {
  const list = [
    { id: 'a', resolvedAtMs: null },
    { id: 'b', resolvedAtMs: 5 },
  ];
  test.each<[IncidentFilter, string[]]>([
    ['all', ['a', 'b']],
    ['open', ['a']],
    ['resolved', ['b']],
  ])('%s → %o', (filter, ids) => {
    expect(filterIncidents(list, filter).map((i) => i.id)).toEqual(ids);
  });
});

test('isRcaResult tells an analysis from a stored failure', () => {
  expect(isRcaResult(null)).toBe(false);
  expect(isRcaResult({ error: 'no requests' })).toBe(false);
  expect(
    isRcaResult({
      window: { fromMs: 0, toMs: 1 },
      baseline: { fromMs: 0, toMs: 1 },
      symptom: { series: { fromMs: 0, stepMs: 1, values: [] }, onsetMs: 0 },
      causes: [],
    }),
  ).toBe(true);
});
