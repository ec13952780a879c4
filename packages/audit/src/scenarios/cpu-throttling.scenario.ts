/**
 * Scenario: the api's CPU limit is too tight for its load — it is throttled, its requests slow
 * down six times, and the frontend's latency follows.
 * Distractors: the batch job burns CPU half an hour before (within its limit), and prometheus
 * logs warnings about a slow scrape target.
 */
import { SHOP, type Effect } from '@vigil/testkit/scenarios';
import { minutesBefore, type ScenarioSymptom } from './scenario-kit.ts';

export const effects: Effect[] = [
  {
    kind: 'cpu_throttling',
    app: SHOP.api,
    fromMs: minutesBefore(40),
    throttledSecondsPerSecond: 0.4,
    slowdown: 6,
  },
  // distractors
  { kind: 'cpu_burn', app: SHOP.batch, fromMs: minutesBefore(90), untilMs: minutesBefore(70), cores: 1.2 },
  {
    kind: 'log_surge',
    app: SHOP.prometheus,
    fromMs: minutesBefore(60),
    level: 'warning',
    hash: 'a1b2c3d4e5f60718',
    sample: 'scrape of target took longer than 10s',
    perSecond: 0.5,
  },
];

/** The symptom root-cause analysis is asked to explain. */
export const symptom: ScenarioSymptom = { app: SHOP.frontend, kind: 'latency', fromMs: minutesBefore(40) };
