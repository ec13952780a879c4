/**
 * The usual symptoms of an application, from the requests it served: its error rate and p95
 * latency over all inbound protocols. RCA takes any series as its symptom; these are defaults.
 */
import { hasData, type L7Stats, type TimeSeries, type World } from '@vigil/model';
import { errorRatePercent, latencyP95 } from './series-math.ts';

export interface InboundSymptoms {
  /** Failed inbound requests, % of all; null when the application served none we saw. */
  readonly errorRatePercent: TimeSeries | null;
  /** p95 of inbound request latency, seconds; null without latency histograms. */
  readonly latencyP95Seconds: TimeSeries | null;
}

/** Inbound error rate and p95 latency of `applicationId`, summed over instances and protocols. */
export function inboundSymptoms(world: World, applicationId: string): InboundSymptoms {
  const app = world.applications.find((a) => a.id === applicationId);
  const stats: L7Stats[] = app?.instances.flatMap((inst) => [...inst.inbound.values()]) ?? [];
  const errors = errorRatePercent(world.grid, stats);
  const p95 = latencyP95(world.grid, stats);
  return {
    errorRatePercent: hasData(errors) ? errors : null,
    latencyP95Seconds: hasData(p95) ? p95 : null,
  };
}
