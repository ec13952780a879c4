/** Sorting of the nodes table (pure, so it is tested without rendering). */
import type { NodeRow } from './node-types.ts';

/** The sortable columns. */
export type NodeColumn = 'name' | 'status' | 'cpu' | 'memory' | 'network' | 'containers';

/** Which column sorts the table, and which way. */
export interface NodeSort {
  readonly column: NodeColumn;
  readonly descending: boolean;
}

/** The name a person knows a node by: its hostname, else the machine id. */
export const displayName = (n: NodeRow): string => n.hostname || n.name;

/** Bytes per second both ways (a missing direction counts as none); null when neither is known. */
export function networkTotal(n: NodeRow): number | null {
  const rx = n.networkReceivedBytesPerSecond;
  const tx = n.networkTransmittedBytesPerSecond;
  if (rx === null && tx === null) return null;
  return (rx ?? 0) + (tx ?? 0);
}

const KEYS: Record<NodeColumn, (n: NodeRow) => string | number | null> = {
  name: displayName,
  // Down first when descending: that is the row that needs attention.
  status: (n) => (n.up ? 0 : 1),
  cpu: (n) => n.cpuUsagePercent,
  memory: (n) => n.memoryUsedPercent,
  network: networkTotal,
  containers: (n) => n.instances,
};

/**
 * Rows sorted by `sort`; rows without a figure (null) go last either way, and ties fall back to
 * the name so the order is stable between refreshes.
 */
export function sortNodes(rows: readonly NodeRow[], sort: NodeSort): NodeRow[] {
  const key = KEYS[sort.column];
  const sign = sort.descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka === null || kb === null) {
      if (ka !== kb) return ka === null ? 1 : -1;
    } else if (ka !== kb) {
      const cmp = typeof ka === 'string' ? ka.localeCompare(String(kb)) : ka - (kb as number);
      return sign * cmp;
    }
    return displayName(a).localeCompare(displayName(b));
  });
}

/** Clicking a header: the same column flips direction; a new one starts with the biggest first (names A→Z). */
export function nextNodeSort(current: NodeSort, column: NodeColumn): NodeSort {
  if (current.column === column) return { column, descending: !current.descending };
  return { column, descending: column !== 'name' };
}
