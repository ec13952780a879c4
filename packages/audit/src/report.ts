/**
 * What an inspection produces: for one application, one report per area (CPU, Memory, SLO, …),
 * each a list of checks with a status and a one-line explanation, and the charts that justify
 * them. Statuses order as unknown < ok < warning < critical; a report's status is its worst
 * check's.
 */
import type { SeriesJson } from '@vigil/model';

export type Status = 'unknown' | 'ok' | 'warning' | 'critical';

const RANK: Record<Status, number> = { unknown: 0, ok: 1, warning: 2, critical: 3 };

export function worstStatus(statuses: Iterable<Status>): Status {
  let worst: Status = 'unknown';
  for (const s of statuses) if (RANK[s] > RANK[worst]) worst = s;
  return worst;
}

export const REPORT_NAMES = [
  'SLO',
  'Instances',
  'CPU',
  'Memory',
  'Storage',
  'Net',
  'Logs',
  'Deployments',
  'Postgres',
  'MySQL',
  'Redis',
  'Memcached',
  'MongoDB',
  'DNS',
  'Runtimes',
] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

export interface Check {
  /** Stable id, also the key of its threshold override: `cpu_node`, `memory_oom`, … */
  readonly id: string;
  readonly title: string;
  readonly status: Status;
  /** One line a human reads: "3 of 4 instances restarted in the last hour: OOM kill". */
  readonly message: string;
  /** The threshold the check compared against, in `unit`. */
  readonly threshold?: number;
  /** The value it found (the worst over the window), in `unit`. */
  readonly value?: number;
  readonly unit?: string;
}

export interface ChartLine {
  readonly name: string;
  readonly data: SeriesJson;
}

export interface Chart {
  readonly title: string;
  readonly unit: string;
  readonly lines: readonly ChartLine[];
  /** A horizontal line at the check's threshold, when one applies. */
  readonly threshold?: number;
}

export interface Report {
  readonly name: ReportName;
  readonly status: Status;
  readonly checks: readonly Check[];
  readonly charts: readonly Chart[];
  /** Set when no agent sends what the report needs: says what is missing instead of showing OK. */
  readonly noData?: string;
  /** What the user should fix in how the report is configured, e.g. a bad `coroot.com/slo-*` annotation. */
  readonly notes?: readonly string[];
}

/** A report from its checks (status = worst check), or a no-data report. */
export function makeReport(
  name: ReportName,
  checks: readonly Check[],
  charts: readonly Chart[] | (() => readonly Chart[]) = [],
  notes: readonly string[] = [],
): Report {
  const status = worstStatus(checks.map((c) => c.status));
  const extra = notes.length > 0 ? { notes } : {};
  if (typeof charts !== 'function') return { name, status, checks, charts, ...extra };
  // Charts drawn when first read (an application page, a response): the overview audits every
  // application and reads only statuses, and a thousand apps' chart series were a third of
  // what the audit allocated (bench/model).
  let drawn: readonly Chart[] | undefined;
  return {
    name,
    status,
    checks,
    ...extra,
    get charts() {
      return (drawn ??= charts());
    },
  };
}

export function noDataReport(name: ReportName, why: string): Report {
  return { name, status: 'unknown', checks: [], charts: [], noData: why };
}
