/** The neighbourhood's peers: each connection's application named and coloured from the overview. */
import type { ApplicationRow, ConnectionView } from '../../api/types.ts';
import type { Peer } from './neighbourhood-layout.ts';

/** `/k8s/shop/postgres` → `postgres`: a readable name for a peer the overview does not list. */
export function nameFromId(appId: string): string {
  const parts = appId.split('/').filter((p) => p !== '');
  return parts[parts.length - 1] ?? appId;
}

/**
 * Peers of `connections`, leaving out the application itself (a workload calling its own
 * service is not a neighbour). `rows` is the overview of the same range, undefined while it
 * loads or if it failed: then every peer gets a link, as its page most likely exists.
 */
export function peersOf(
  selfId: string,
  connections: readonly ConnectionView[],
  rows: readonly ApplicationRow[] | undefined,
): Peer[] {
  const byId = new Map(rows?.map((r) => [r.id, r]));
  return connections
    .filter((c) => c.appId !== selfId)
    .map((connection) => {
      const row = byId.get(connection.appId);
      return {
        appId: connection.appId,
        name: row?.name ?? nameFromId(connection.appId),
        status: row?.status ?? 'unknown',
        known: rows === undefined || row !== undefined,
        connection,
      };
    });
}
