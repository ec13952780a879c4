/**
 * All reports of one application, in the order the UI shows them. A report whose data no agent
 * sends says so (status unknown, `noData`) instead of showing OK. Database, DNS and runtime
 * reports appear only where they apply: a database type, DNS traffic, a runtime measured.
 */
import type { Application, World } from '@vigil/model';
import { deploymentsReport } from './deployments/deployments-report.ts';
import type { Deployment } from './deployments/detect.ts';
import { cpuReport } from './inspections/cpu.ts';
import { databaseKinds, databaseReport } from './inspections/databases.ts';
import type { InspectionContext } from './inspections/context.ts';
import { dnsReport } from './inspections/dns.ts';
import { instancesReport } from './inspections/instances.ts';
import { logsReport } from './inspections/logs.ts';
import { memoryReport } from './inspections/memory.ts';
import { netReport } from './inspections/net.ts';
import { runtimesReport } from './inspections/runtimes.ts';
import { storageReport } from './inspections/storage.ts';
import { Thresholds } from './inspections/thresholds.ts';
import type { Report } from './report.ts';

export interface AuditOptions {
  readonly thresholds?: Thresholds;
  /** The SLO report, computed by the caller (it needs the app's SLO configuration). */
  readonly slo?: Report;
  /** Deployments known for the app (default: detected from its instances). */
  readonly deployments?: readonly Deployment[];
}

export function auditApplication(world: World, app: Application, options: AuditOptions = {}): Report[] {
  const ctx: InspectionContext = { world, app, thresholds: options.thresholds ?? new Thresholds() };
  const reports: Report[] = [];
  if (options.slo) reports.push(options.slo);
  reports.push(
    instancesReport(ctx),
    cpuReport(ctx),
    memoryReport(ctx),
    storageReport(ctx),
    netReport(ctx),
    logsReport(ctx),
    deploymentsReport(ctx, options.deployments),
  );
  for (const kind of databaseKinds(app)) reports.push(databaseReport(ctx, kind));
  if (app.instances.some((i) => i.dns !== undefined)) reports.push(dnsReport(ctx));
  const runtimes = runtimesReport(ctx);
  if (runtimes.noData === undefined || app.types.some((t) => ['java', 'python', 'nodejs'].includes(t)))
    reports.push(runtimes);
  return reports;
}
