/**
 * Audits a project's world: every application's reports with the project's thresholds and SLO
 * objectives (the defaults where none were saved). Results are kept per world object, so the
 * overview, the map and an application page built on one world audit it once.
 */
import {
  auditApplication,
  detectDeployments,
  effectiveSloConfig,
  sloReport,
  Thresholds,
  type Deployment,
  type Report,
} from '@vigil/audit';
import type { Application, World } from '@vigil/model';
import type { MetricsQueryService } from '../metrics/query-service.ts';
import { customSli } from './custom-sli.ts';
import type { ProjectSettings } from './project-settings.ts';

export interface AppAudit {
  readonly app: Application;
  readonly reports: readonly Report[];
  readonly deployments: readonly Deployment[];
}

export class AuditService {
  readonly #done = new WeakMap<World, { version: number; audits: Promise<Map<string, AppAudit>> }>();

  constructor(
    private readonly settings: ProjectSettings,
    /** The project's metrics backend, for SLOs written as PromQL (custom-sli.ts). */
    private readonly metrics?: (project: string) => Promise<MetricsQueryService>,
  ) {}

  /** Every application of the world (external ones included), audited. */
  all(project: string, world: World): Promise<Map<string, AppAudit>> {
    const done = this.#done.get(world);
    if (done && done.version === this.settings.version) return done.audits;
    const audits = this.#audit(project, world);
    this.#done.set(world, { version: this.settings.version, audits });
    return audits;
  }

  async #audit(project: string, world: World): Promise<Map<string, AppAudit>> {
    const inspections = await this.settings.inspections(project);
    const slos = await this.settings.slos(project);
    const out = new Map<string, AppAudit>();
    for (const app of world.applications) {
      const thresholds = new Thresholds(inspections.project, inspections.applications[app.id] ?? {});
      const { config, errors } = effectiveSloConfig(app, slos.get(app.id));
      const custom = this.metrics
        ? await customSli(await this.metrics(project), config, world.grid)
        : undefined;
      const slo = sloReport(app, config, world.grid, { ...(custom ? { custom } : {}), configErrors: errors });
      const deployments = detectDeployments(app, world.grid);
      out.set(app.id, {
        app,
        deployments,
        reports: auditApplication(world, app, { thresholds, slo, deployments }),
      });
    }
    return out;
  }
}
