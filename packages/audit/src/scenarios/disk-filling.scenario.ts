/**
 * Scenario: Postgres's data volume fills up (WAL piling up): from 40% to full within the hour.
 * Distractors: packet loss on the frontend → api link two hours earlier (RTT back to normal),
 * and a log burst of warnings on the api.
 */
import { SHOP, type Effect } from '@vigil/testkit/scenarios';
import { minutesBefore } from './scenario-kit.ts';

const GiB = 1024 ** 3;

export const effects: Effect[] = [
  { kind: 'disk_fill', app: SHOP.postgres, fromMs: minutesBefore(60), bytesPerSecond: (11.5 * GiB) / 3600 },
  // distractors
  {
    kind: 'log_surge',
    app: SHOP.api,
    fromMs: minutesBefore(40),
    level: 'warning',
    hash: '5eed5eed5eed5eed',
    sample: 'cache miss ratio high',
    perSecond: 2,
  },
  { kind: 'cpu_burn', app: SHOP.batch, fromMs: minutesBefore(120), untilMs: minutesBefore(100), cores: 1.5 },
];
