/**
 * The scenarios (the audit's specification) for other packages' tests: the server runs each
 * through remote write and the embedded store, and compares what it says with the kit's
 * in-memory run.
 */
import type { Effect } from '@vigil/testkit/scenarios';
import * as badDeployment from './bad-deployment.scenario.ts';
import * as cpuThrottling from './cpu-throttling.scenario.ts';
import * as diskFilling from './disk-filling.scenario.ts';
import * as errorLogSurge from './error-log-surge.scenario.ts';
import * as oomLoop from './oom-loop.scenario.ts';
import * as packetLoss from './packet-loss.scenario.ts';
import * as slowPostgres from './slow-postgres.scenario.ts';
import type { ScenarioSymptom } from './scenario-kit.ts';

export * from './scenario-kit.ts';

export interface Scenario {
  readonly effects: readonly Effect[];
  /** What root-cause analysis is asked to explain, for scenarios whose fault shows to users. */
  readonly symptom?: ScenarioSymptom;
}

export const SCENARIOS: Readonly<Record<string, Scenario>> = {
  'bad deployment': badDeployment,
  'CPU throttling': cpuThrottling,
  'disk filling up': diskFilling,
  'error-log surge': errorLogSurge,
  'OOM loop': oomLoop,
  'packet loss': packetLoss,
  'slow Postgres': slowPostgres,
};
