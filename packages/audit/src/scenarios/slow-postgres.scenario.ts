/**
 * Scenario: a slow query plan on Postgres for 35 minutes — every query takes a hundred times longer;
 * the api waits for it (three queries per request) and so does the frontend, whose latency SLO
 * breaks until the plan is fixed.
 * Distractors: an error-log burst on the batch job two hours earlier, and extra CPU on the
 * frontend (within its limit) starting five minutes before the slowdown.
 */
import { SHOP, type Effect } from '@vigil/testkit/scenarios';
import { minutesBefore, type ScenarioSymptom } from './scenario-kit.ts';

export const effects: Effect[] = [
  {
    kind: 'slow_service',
    app: SHOP.postgres,
    fromMs: minutesBefore(60),
    untilMs: minutesBefore(25),
    slowdown: 100,
  },
  // distractors
  {
    kind: 'log_surge',
    app: SHOP.batch,
    fromMs: minutesBefore(150),
    untilMs: minutesBefore(140),
    level: 'error',
    hash: '0badc0de0badc0de',
    sample: 'job failed: input file missing',
    perSecond: 1,
  },
  { kind: 'cpu_burn', app: SHOP.frontend, fromMs: minutesBefore(65), cores: 0.3 },
];

/** The symptom root-cause analysis is asked to explain. */
export const symptom: ScenarioSymptom = {
  app: SHOP.frontend,
  kind: 'latency',
  fromMs: minutesBefore(60),
  toMs: minutesBefore(25),
};
