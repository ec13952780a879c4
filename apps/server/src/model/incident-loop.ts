/**
 * The background loop that turns SLO burn rates into incidents and rollouts into deployment
 * records, for every project, once a minute: it builds the world over the burn-rate lookback (6 h)
 * up to what the metrics cache has evaluated, advances each application's incident state machine
 * from where the last run stopped (@vigil/audit advanceIncidents), stores incidents (with a
 * root-cause analysis when one opens) and deployments in the config DB, and notifies the
 * project's integrations. One run at a time; a failing project is logged and skipped.
 */
import { errorMessage, type Logger } from '@vigil/core';
import {
  advanceIncidents,
  burnLookbackMs,
  effectiveSloConfig,
  detectDeployments,
  initialIncidentState,
  sloSignals,
  type Incident,
  type IncidentState,
} from '@vigil/audit';
import type { ConfigDb } from '../configdb/index.ts';
import type { MetricsQueryService } from '../metrics/query-service.ts';
import type { MetricsCaches } from '../metrics-cache/metrics-caches.ts';
import { customSli } from './custom-sli.ts';
import type { NotificationDispatcher } from '../notifications/index.ts';
import type { ProjectSettings } from './project-settings.ts';
import type { RcaService } from './rca-service.ts';
import type { WorldService } from './world-service.ts';

export interface IncidentLoopDeps {
  readonly db: ConfigDb;
  readonly caches: MetricsCaches;
  readonly worlds: WorldService;
  readonly settings: ProjectSettings;
  readonly rca: RcaService;
  readonly dispatcher: NotificationDispatcher;
  /** The project's metrics backend, for SLOs written as PromQL. */
  readonly metrics?: (project: string) => Promise<MetricsQueryService>;
  readonly logger: Logger;
  readonly intervalMs: number;
  /** Incidents and deployments this much older than the loop's start are recorded without a notification. */
  readonly quietHistoryMs: number;
  readonly clock?: () => number;
}

export class IncidentLoop {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  readonly #clock: () => number;
  readonly #startedAtMs: number;

  constructor(private readonly deps: IncidentLoopDeps) {
    this.#clock = deps.clock ?? Date.now;
    this.#startedAtMs = this.#clock();
  }

  start(): void {
    this.#timer = setInterval(() => void this.runOnce(), this.deps.intervalMs);
    this.#timer.unref();
  }

  async shutdown(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  /** One pass over every project; concurrent calls share the pass in flight. */
  runOnce(): Promise<void> {
    this.#running ??= this.#pass().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #pass(): Promise<void> {
    for (const project of await this.deps.db.listProjects()) {
      try {
        await this.#project(project.id);
      } catch (err) {
        this.deps.logger.warn(
          { project: project.id, err: errorMessage(err) },
          'incident loop: project skipped',
        );
      }
    }
  }

  async #project(project: string): Promise<void> {
    const cache = await this.deps.caches.existing(project);
    const status = await cache.status();
    // Points once judged are never judged again: wait until the cache holds the whole lookback.
    if (status.backfillPending > 0) return;
    const through = Math.min(...status.queries.map((q) => q.cachedThroughMs ?? -Infinity));
    if (!Number.isFinite(through)) return;
    // The cache holds no more than its back-fill window: a shorter lookback is all there is.
    const from = Math.max(through - burnLookbackMs(), this.#clock() - status.backfillMs + status.stepMs);
    const world = await this.deps.worlds.world(project, from, through);
    if (world.incomplete.some((id) => id.startsWith('l7_'))) return;
    const slos = await this.deps.settings.slos(project);
    for (const app of world.applications) {
      if (app.kind === 'external') continue;
      const { config } = effectiveSloConfig(app, slos.get(app.id));
      const custom = this.deps.metrics
        ? await customSli(await this.deps.metrics(project), config, world.grid)
        : undefined;
      const { signals } = sloSignals(app, config, world.grid, custom);
      const stored = (await this.deps.db.getIncidentState(project, app.id)) as IncidentState | undefined;
      if (signals.length === 0 && !stored?.open) continue;
      const run = advanceIncidents(stored ?? initialIncidentState(app.id), signals, world.grid);
      for (const incident of run.incidents) await this.#store(project, incident, run.events);
      await this.deps.db.putIncidentState(project, app.id, run.state);
    }
    for (const app of world.applications) {
      for (const d of detectDeployments(app, world.grid)) {
        const quiet = d.startedAtMs < this.#startedAtMs - this.deps.quietHistoryMs;
        const { created } = await this.deps.db.upsertDeployment(project, {
          id: d.id,
          appId: d.applicationId,
          startedAtMs: d.startedAtMs,
          finishedAtMs: d.finishedAtMs ?? null,
          state: d.state,
          body: d,
          notifiedAtMs: quiet ? this.#clock() : null,
        });
        if (!created || quiet) continue;
        this.deps.dispatcher.notify({
          kind: 'deployment',
          project,
          applicationId: d.applicationId,
          title: `${d.applicationId}: ${d.previousImage} → ${d.image}`,
          summary: `rollout of ${d.image} started`,
          severity: 'info',
          atMs: d.startedAtMs,
          deploymentId: d.id,
        });
        await this.deps.db.markDeploymentNotified(project, d.id, this.#clock());
      }
    }
  }

  async #store(
    project: string,
    incident: Incident,
    events: ReadonlyArray<{ incidentId: string; event: Incident['timeline'][number] }>,
  ): Promise<void> {
    const previous = await this.deps.db.getIncident(project, incident.id);
    const body = (previous?.body ?? {}) as { rca?: unknown };
    let rca = body.rca;
    if (rca === undefined) {
      const kind = incident.timeline[0]?.reasons.some((r) => r.slo === 'availability') ? 'errors' : 'latency';
      const to = incident.resolvedAtMs ?? this.#clock();
      rca = await this.deps.rca
        .analyse(
          project,
          incident.appId,
          kind,
          incident.openedAtMs - 5 * 60_000,
          Math.max(to, incident.openedAtMs + 60_000),
        )
        .catch((err: unknown) => ({ error: errorMessage(err) }));
    }
    await this.deps.db.upsertIncident(project, {
      id: incident.id,
      appId: incident.appId,
      openedAtMs: incident.openedAtMs,
      resolvedAtMs: incident.resolvedAtMs,
      severity: incident.severity,
      worstSeverity: incident.worstSeverity,
      body: { timeline: incident.timeline, rca },
    });
    for (const { incidentId, event } of events) {
      if (incidentId !== incident.id || event.type === 'severity_changed') continue;
      // History judged on the first run after an install is stored, not announced.
      if (event.atMs < this.#startedAtMs - this.deps.quietHistoryMs) continue;
      const reasons = event.reasons
        .map((r) => `${r.slo}: ${r.longBurnRate.toFixed(1)}× over the long window`)
        .join('; ');
      this.deps.dispatcher.notify({
        kind: event.type === 'opened' ? 'incident_opened' : 'incident_resolved',
        project,
        applicationId: incident.appId,
        title: `${incident.appId}: SLO ${event.type === 'opened' ? 'violated' : 'recovered'}`,
        summary:
          event.type === 'opened' ? `error budget burning too fast (${reasons})` : 'the SLO is met again',
        severity: event.severity,
        atMs: event.atMs,
        incidentId: incident.id,
      });
    }
  }
}
