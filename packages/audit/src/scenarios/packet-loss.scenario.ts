/**
 * Scenario: packet loss between the api and redis — TCP retransmits, the round-trip time
 * climbs, redis calls wait for retransmission timeouts.
 * Distractors: a deployment of the batch job, and CPU burn on prometheus.
 */
import { SHOP, type Effect } from '@vigil/testkit/scenarios';
import { minutesBefore, type ScenarioSymptom } from './scenario-kit.ts';

export const effects: Effect[] = [
  {
    kind: 'packet_loss',
    from: SHOP.api,
    to: SHOP.redis,
    fromMs: minutesBefore(30),
    retransmitsPerSecond: 6,
    extraRttSeconds: 0.03,
  },
  // distractors
  { kind: 'deployment', app: SHOP.batch, fromMs: minutesBefore(100), image: 'shop/batch:1.0', errorRate: 0 },
  { kind: 'cpu_burn', app: SHOP.prometheus, fromMs: minutesBefore(25), cores: 0.5 },
];

/** The symptom root-cause analysis is asked to explain. */
export const symptom: ScenarioSymptom = { app: SHOP.frontend, kind: 'latency', fromMs: minutesBefore(30) };
