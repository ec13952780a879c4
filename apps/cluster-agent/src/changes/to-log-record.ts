/**
 * A DatabaseChange as the OTLP log record the agent ships, shaped as Coroot's cluster agent sends
 * its database changes (coroot-cluster-agent schema/emitter): resource `service.name` =
 * `DatabaseChanges`; `db.system`, `db.target` (host:port, what Coroot's UI filters a database's
 * changes by), `db.name`, `db_change.object` and `db_change.type`. Coroot's model also reads
 * `db_change.schema`. Coroot puts a unified diff in the body; ours is the change's one-line
 * summary, with the before/after values as attributes.
 */
import type { OutgoingLogRecord } from '@vigil/protocols';
import type { DatabaseChange } from './database-change.ts';

export const DATABASE_CHANGES_SERVICE = 'DatabaseChanges';

/** OTel `db.system` values, as Coroot names them. */
const DB_SYSTEM: Readonly<Record<string, string>> = { postgres: 'postgresql', mysql: 'mysql' };

/** OTel INFO. */
const SEVERITY_INFO = 9;

function hostPort(address: string): { host: string; port: string } {
  const colon = address.lastIndexOf(':');
  if (colon <= 0) return { host: address, port: '' };
  const host = address.slice(0, colon);
  return {
    host: host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host,
    port: address.slice(colon + 1),
  };
}

/** The resource and log record for one change seen on `target` (`type` as in Target, `address` host:port). */
export function changeToLogRecord(
  change: DatabaseChange,
  target: { type: string; address: string },
): { resource: Record<string, string>; record: OutgoingLogRecord } {
  const { host, port } = hostPort(target.address);
  const resource: Record<string, string> = {
    'service.name': DATABASE_CHANGES_SERVICE,
    'db.system': DB_SYSTEM[target.type] ?? target.type,
    'db.target': target.address,
    'net.peer.name': host,
    ...(port === '' ? {} : { 'net.peer.port': port }),
  };
  const attributes: Record<string, string> = {
    ...change.attributes,
    'db.system': resource['db.system'] ?? target.type,
    'db.target': target.address,
    'db_change.kind': change.kind,
    'db_change.type': change.action ?? 'changed',
    'db_change.object': change.objectName ?? change.object.slice(change.object.lastIndexOf(' ') + 1),
    'db_change.description': change.object,
  };
  if (change.database !== undefined) attributes['db.name'] = change.database;
  if (change.schema !== undefined) attributes['db_change.schema'] = change.schema;
  if (change.before !== undefined) attributes['db_change.before'] = change.before;
  if (change.after !== undefined) attributes['db_change.after'] = change.after;
  return {
    resource,
    record: {
      timeUnixNano: BigInt(Math.round(change.timeMs)) * 1_000_000n,
      severityNumber: SEVERITY_INFO,
      severityText: 'INFO',
      body: change.summary,
      attributes,
    },
  };
}
