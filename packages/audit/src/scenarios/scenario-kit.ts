/**
 * Runs one scenario: the shop (testkit scenarios/shop.ts) over three hours with the scenario's
 * effects, written as its agents would push it, evaluated through the model's own PromQL queries,
 * built into a world and audited. Faults start in the last hour.
 */
import { buildWorld, gridFor, type Application, type ModelDataSource, type World } from '@vigil/model';
import { PromqlModelSource } from '@vigil/model/testing';
import { shopSystem, simulate, type Effect, type RawSeries } from '@vigil/testkit/scenarios';
import { auditApplication } from '../audit-app.ts';
import { detectDeployments } from '../deployments/detect.ts';
import { collectCandidates } from '../rca/candidates.ts';
import { rankCauses, type RcaResult } from '../rca/score.ts';
import { inboundSymptoms } from '../rca/symptoms.ts';
import { replayIncidents, type Incident } from '../slo/incidents.ts';
import { DEFAULT_SLO_CONFIG } from '../slo/slo-config.ts';
import { sloSignals } from '../slo/slo-signals.ts';
import { sloReport } from '../slo/slo-report.ts';
import type { Check, Report, ReportName, Status } from '../report.ts';

const MINUTE = 60_000;
/** Window end; faults are placed relative to it. */
export const T = Date.UTC(2026, 10, 20, 12, 0, 0);
export const WINDOW_MS = 180 * MINUTE;
export const WINDOW_FROM = T - WINDOW_MS;
export const STEP_MS = MINUTE;

export const minutesBefore = (m: number) => T - m * MINUTE;

export interface ScenarioResult {
  readonly world: World;
  app(id: string): Application;
  reports(id: string): Report[];
  report(id: string, name: ReportName): Report;
  check(id: string, checkId: string): Check;
  /** SLO incidents of the app over the window (default objectives: 99% available, 99% under 500 ms). */
  incidents(id: string): readonly Incident[];
  /**
   * Root-cause analysis of the app's inbound latency or error rate over [fromMs, toMs], with the
   * deployments detected in the world as candidates.
   */
  rca(symptom: ScenarioSymptom): RcaResult;
  /** `{checkId: status}` of every check of the app that is not OK. */
  firing(id: string): Record<string, Status>;
}

/** An application's inbound latency or error rate over [fromMs, toMs] (to the window's end by default). */
export interface ScenarioSymptom {
  readonly app: string;
  readonly kind: 'latency' | 'errors';
  readonly fromMs: number;
  readonly toMs?: number;
}

/** The 1-based rank of the first cause on any of `apps`, Infinity when none is listed. */
export function firstRankOn(result: RcaResult, apps: readonly string[]): number {
  return result.causes.find((c) => apps.includes(c.applicationId))?.rank ?? Infinity;
}

/** The simulated metrics a scenario's agents send: from ten minutes before the window to its end. */
export function scenarioHistory(effects: readonly Effect[], endMs = T, seed = 1): RawSeries[] {
  return simulate(shopSystem(), effects, {
    fromMs: endMs - WINDOW_MS - 10 * MINUTE,
    toMs: endMs,
    scrapeMs: 15_000,
    seed,
  });
}

/**
 * The scenario's effects moved to a window ending at `endMs` instead of {@link T} (the server
 * test writes each scenario's history to its own hours of the real clock).
 */
export function movedEffects(effects: readonly Effect[], endMs: number): Effect[] {
  const d = endMs - T;
  return effects.map((e) => ({
    ...e,
    fromMs: e.fromMs + d,
    ...(e.untilMs === undefined ? {} : { untilMs: e.untilMs + d }),
  }));
}

export function movedSymptom(symptom: ScenarioSymptom, endMs: number): ScenarioSymptom {
  const d = endMs - T;
  return {
    ...symptom,
    fromMs: symptom.fromMs + d,
    ...(symptom.toMs === undefined ? {} : { toMs: symptom.toMs + d }),
  };
}

/**
 * The scenario evaluated in memory: its history through the model's own PromQL queries, built
 * into a world and audited. `source` replaces the in-memory evaluation (the server's test passes
 * its metrics cache, to check the embedded store gives the same answers); `endMs` is where the
 * window ends (effects must then be {@link movedEffects}).
 */
export async function runScenario(
  effects: readonly Effect[],
  options: { seed?: number; endMs?: number; source?: ModelDataSource } = {},
): Promise<ScenarioResult> {
  const endMs = options.endMs ?? T;
  const source = options.source ?? new PromqlModelSource(scenarioHistory(effects, endMs, options.seed ?? 1));
  const world = await buildWorld(source, gridFor(endMs - WINDOW_MS, endMs, STEP_MS));
  const cache = new Map<string, Report[]>();
  const app = (id: string) => {
    const a = world.applications.find((x) => x.id === id);
    if (!a) throw new Error(`no application ${id} in the world`);
    return a;
  };
  const reports = (id: string) => {
    let r = cache.get(id);
    if (!r) {
      const slo = sloReport(app(id), DEFAULT_SLO_CONFIG, world.grid);
      const deployments = detectDeployments(app(id), world.grid);
      cache.set(id, (r = auditApplication(world, app(id), { slo, deployments })));
    }
    return r;
  };
  const report = (id: string, name: ReportName) => {
    const r = reports(id).find((x) => x.name === name);
    if (!r) throw new Error(`${id} has no ${name} report`);
    return r;
  };
  return {
    world,
    app,
    reports,
    report,
    check: (id, checkId) => {
      for (const r of reports(id)) for (const c of r.checks) if (c.id === checkId) return c;
      throw new Error(`${id} has no check ${checkId}`);
    },
    incidents: (id) =>
      replayIncidents(id, sloSignals(app(id), DEFAULT_SLO_CONFIG, world.grid).signals, world.grid).incidents,
    rca: ({ app: id, kind: symptom, fromMs, toMs = endMs }) => {
      const symptoms = inboundSymptoms(world, id);
      const series = symptom === 'latency' ? symptoms.latencyP95Seconds : symptoms.errorRatePercent;
      if (!series) throw new Error(`${id} has no inbound ${symptom} to analyse`);
      const deployments = world.applications.flatMap((a) =>
        detectDeployments(a, world.grid).map((d) => ({
          applicationId: d.applicationId,
          atMs: d.startedAtMs,
          description: `${d.previousImage} → ${d.image}`,
        })),
      );
      return rankCauses(
        series,
        collectCandidates(world, id, { deployments }),
        { fromMs, toMs },
        { symptomKind: symptom, symptomApplicationId: id },
      );
    },
    firing: (id) =>
      Object.fromEntries(
        reports(id)
          .flatMap((r) => r.checks)
          .filter((c) => c.status === 'warning' || c.status === 'critical')
          .map((c) => [c.id, c.status]),
      ),
  };
}
