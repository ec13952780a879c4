/**
 * Root-cause analysis for the API and for incidents: the world is built over the selected window
 * plus a baseline three times as long before it (what the scoring compares against), the
 * deployments detected in it become candidates, and the application's inbound latency or error
 * rate is the symptom.
 */
import { AppError } from '@vigil/core';
import {
  collectCandidates,
  detectDeployments,
  inboundSymptoms,
  rankCauses,
  type RcaResult,
  type SymptomKind,
} from '@vigil/audit';
import type { WorldService } from './world-service.ts';

/** Causes kept in an answer: the rest scored too low to be worth reading. */
const MAX_CAUSES = 30;

export class RcaService {
  constructor(private readonly worlds: WorldService) {}

  async analyse(
    project: string,
    appId: string,
    symptom: SymptomKind,
    fromMs: number,
    toMs: number,
  ): Promise<RcaResult> {
    if (!(toMs > fromMs)) throw new AppError('bad_request', '`to` must be after `from` (Unix milliseconds)');
    const world = await this.worlds.world(project, fromMs - 3 * (toMs - fromMs), toMs);
    if (!world.applications.some((a) => a.id === appId))
      throw new AppError('not_found', `no application "${appId}" in this range`);
    const symptoms = inboundSymptoms(world, appId);
    const series = symptom === 'latency' ? symptoms.latencyP95Seconds : symptoms.errorRatePercent;
    if (!series) {
      throw new AppError(
        'bad_request',
        `"${appId}" served no requests the agents saw: there is no ${symptom} to analyse`,
      );
    }
    const deployments = world.applications.flatMap((a) =>
      detectDeployments(a, world.grid).map((d) => ({
        applicationId: d.applicationId,
        atMs: d.startedAtMs,
        description: `${d.previousImage} → ${d.image}`,
      })),
    );
    const result = rankCauses(
      series,
      collectCandidates(world, appId, { deployments }),
      { fromMs, toMs },
      {
        symptomKind: symptom,
        symptomApplicationId: appId,
        symptomTitle: symptom === 'latency' ? 'the latency' : 'the error rate',
      },
    );
    return { ...result, causes: result.causes.filter((c) => c.score > 0).slice(0, MAX_CAUSES) };
  }
}
