/**
 * Scenario: the api starts logging errors about its payment provider (five a second), without
 * failing requests.
 * Distractors: throttling on the batch job an hour earlier, and slower redis (still fast).
 */
import { SHOP, type Effect } from '@vigil/testkit/scenarios';
import { minutesBefore } from './scenario-kit.ts';

export const effects: Effect[] = [
  {
    kind: 'log_surge',
    app: SHOP.api,
    fromMs: minutesBefore(20),
    level: 'error',
    hash: 'feedfacefeedface',
    sample: 'payment provider timeout after 5000 ms',
    perSecond: 5,
  },
  // distractors
  {
    kind: 'cpu_throttling',
    app: SHOP.batch,
    fromMs: minutesBefore(90),
    untilMs: minutesBefore(80),
    throttledSecondsPerSecond: 0.02,
    slowdown: 1,
  },
  { kind: 'slow_service', app: SHOP.redis, fromMs: minutesBefore(30), slowdown: 2 },
];
