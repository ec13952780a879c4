/**
 * Scenario: one api instance is OOM-killed every ten minutes (at 50, 40, … 0 minutes before the end) — its memory climbs to the limit,
 * the kernel kills it, it restarts, and requests fail while it does.
 * Distractors: the batch job burns CPU within its limit at the same time, and prometheus's
 * memory grows slowly (under the leak threshold).
 */
import { SHOP, type Effect } from '@vigil/testkit/scenarios';
import { minutesBefore, type ScenarioSymptom } from './scenario-kit.ts';

export const effects: Effect[] = [
  { kind: 'oom_loop', app: SHOP.api, fromMs: minutesBefore(50), everyMs: 10 * 60_000 },
  // distractors
  { kind: 'cpu_burn', app: SHOP.batch, fromMs: minutesBefore(45), untilMs: minutesBefore(20), cores: 1.0 },
  { kind: 'memory_growth', app: SHOP.prometheus, fromMs: minutesBefore(180), bytesPerSecond: 2000 },
];

/** The symptom root-cause analysis is asked to explain. */
export const symptom: ScenarioSymptom = { app: SHOP.frontend, kind: 'errors', fromMs: minutesBefore(50) };
