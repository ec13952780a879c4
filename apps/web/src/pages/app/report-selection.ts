/** Which report tab the application page opens (`?report=<name>`, else the worst one). */
import type { ReportView } from '../../api/types.ts';
import { STATUS_RANK } from '../../app/StatusBadge.tsx';

/**
 * The requested report when the application has it; otherwise the first of the worst status
 * among reports with data (what needs looking at), else the first report; undefined for none.
 */
export function selectedReport(reports: readonly ReportView[], requested: string | null): string | undefined {
  if (requested !== null && reports.some((r) => r.name === requested)) return requested;
  let best: ReportView | undefined;
  for (const r of reports) {
    if (r.noData !== undefined) continue;
    if (!best || STATUS_RANK[r.status] > STATUS_RANK[best.status]) best = r;
  }
  return (best ?? reports[0])?.name;
}
