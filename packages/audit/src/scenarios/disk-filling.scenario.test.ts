/**
 * Scenario: Postgres's data volume fills up (WAL piling up): from 40% to full within the hour.
 * Distractors: packet loss on the frontend → api link two hours earlier (RTT back to normal),
 * and a log burst of warnings on the api.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { SHOP, type Effect } from '@vigil/testkit/scenarios';
import { minutesBefore, runScenario, type ScenarioResult } from './scenario-kit.ts';

const GiB = 1024 ** 3;

const effects: Effect[] = [
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

describe('scenario: disk filling up on postgres', () => {
  let s: ScenarioResult;
  beforeAll(async () => {
    s = await runScenario(effects);
  });

  it('fires the space check as critical, naming the volume', () => {
    expect(s.firing(SHOP.postgres)).toEqual({ storage_space: 'critical' });
    expect(s.check(SHOP.postgres, 'storage_space').message).toMatch(
      /^postgres-r0-0:\/var\/lib\/postgresql\/data is 9\d% full \(20 GiB\)$/,
    );
  });

  it('keeps every other application OK (warnings are not errors)', () => {
    for (const app of [SHOP.frontend, SHOP.api, SHOP.redis, SHOP.batch, SHOP.prometheus])
      expect(s.firing(app)).toEqual({});
  });
});
