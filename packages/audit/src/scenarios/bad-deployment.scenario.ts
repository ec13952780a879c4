/**
 * Scenario: a new api version (2.8.0) fails 30% of requests with 5xx; forty minutes later it is
 * rolled back to 2.7.1.
 * Distractors: prometheus warns about a slow target, and the batch job burns CPU from five
 * minutes after the rollout on.
 */
import { SHOP, type Effect } from '@vigil/testkit/scenarios';
import { minutesBefore, type ScenarioSymptom } from './scenario-kit.ts';

export const effects: Effect[] = [
  {
    kind: 'deployment',
    app: SHOP.api,
    fromMs: minutesBefore(80),
    untilMs: minutesBefore(40),
    image: 'shop/api:2.8.0',
    errorRate: 0.3,
  },
  { kind: 'deployment', app: SHOP.api, fromMs: minutesBefore(40), image: 'shop/api:2.7.1', errorRate: 0 },
  // distractors
  {
    kind: 'log_surge',
    app: SHOP.prometheus,
    fromMs: minutesBefore(70),
    level: 'warning',
    hash: 'a1b2c3d4e5f60718',
    sample: 'scrape of target took longer than 10s',
    perSecond: 0.5,
  },
  { kind: 'cpu_burn', app: SHOP.batch, fromMs: minutesBefore(75), cores: 0.8 },
];

/** The symptom root-cause analysis is asked to explain. */
export const symptom: ScenarioSymptom = {
  app: SHOP.frontend,
  kind: 'errors',
  fromMs: minutesBefore(80),
  toMs: minutesBefore(40),
};
