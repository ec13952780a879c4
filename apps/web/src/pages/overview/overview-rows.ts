/**
 * The overview table's logic, apart from React: which report columns exist, filtering by
 * category and name, and sorting by name, category or any report's status.
 */
import type { ApplicationRow, Status } from '../../api/types.ts';

/** The order Coroot shows reports in; others follow alphabetically. */
const REPORT_ORDER = ['SLO', 'Instances', 'CPU', 'Memory', 'Storage', 'Net', 'Logs', 'Deployments'];

const RANK: Record<Status, number> = { critical: 3, warning: 2, unknown: 1, ok: 0 };

/** A sort: a column (`name`, `category`, `status` or a report name) and a direction. */
export interface SortState {
  readonly column: string;
  readonly descending: boolean;
}

/** Every report name any row has, in the display order. */
export function reportColumns(rows: readonly ApplicationRow[]): string[] {
  const names = new Set(rows.flatMap((r) => Object.keys(r.reports)));
  const known = REPORT_ORDER.filter((n) => names.has(n));
  const rest = [...names].filter((n) => !REPORT_ORDER.includes(n)).sort();
  return [...known, ...rest];
}

/** The categories present, sorted, for the filter. */
export function categories(rows: readonly ApplicationRow[]): string[] {
  return [...new Set(rows.map((r) => r.category))].sort();
}

/** The rows in `category` (all when undefined) whose name or id contains `text` (any case). */
export function filterRows(
  rows: readonly ApplicationRow[],
  category: string | undefined,
  text: string,
): ApplicationRow[] {
  const needle = text.trim().toLowerCase();
  return rows.filter(
    (r) =>
      (category === undefined || r.category === category) &&
      (needle === '' || r.name.toLowerCase().includes(needle) || r.id.toLowerCase().includes(needle)),
  );
}

function key(row: ApplicationRow, column: string): string | number {
  if (column === 'name') return row.name.toLowerCase();
  if (column === 'category') return row.category;
  if (column === 'status') return RANK[row.status] ?? 0;
  // A report the application does not have sorts below every status.
  const cell = row.reports[column];
  return cell ? (RANK[cell.status] ?? 0) : -1;
}

/** A sorted copy; ties keep name order so the table does not jump around. */
export function sortRows(rows: readonly ApplicationRow[], sort: SortState): ApplicationRow[] {
  const dir = sort.descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const ka = key(a, sort.column);
    const kb = key(b, sort.column);
    if (ka !== kb) return (ka < kb ? -1 : 1) * dir;
    return a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
  });
}

/** Clicking a column header: the same column flips direction; a new one starts worst/A first. */
export function nextSort(current: SortState, column: string): SortState {
  if (current.column === column) return { column, descending: !current.descending };
  return { column, descending: column !== 'name' && column !== 'category' };
}
