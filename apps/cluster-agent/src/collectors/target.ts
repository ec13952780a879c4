/**
 * A database the cluster agent collects from: what the server's `GET /v1/config` lists (an
 * application instance whose type is a database, listening at `host:port`, with the credentials
 * an Editor saved), or what a pod annotation describes.
 */
export type TargetType = 'postgres' | 'mysql' | 'redis' | 'memcached' | 'mongodb';

export interface Target {
  readonly type: TargetType;
  readonly host: string;
  readonly port: number;
  readonly credentials?: { readonly username?: string; readonly password?: string };
  /** Type-specific parameters (e.g. Postgres `sslmode`, `database`). */
  readonly params?: Readonly<Record<string, string>>;
  /** The application instance it belongs to (`/k8s/ns/pod/container`, `/docker/name`…), when known. */
  readonly instance?: string;
}

/** `host:port` as every collector labels its series (`address`), with IPv6 hosts in brackets. */
export function targetAddress(t: Pick<Target, 'host' | 'port'>): string {
  return t.host.includes(':') ? `[${t.host}]:${t.port}` : `${t.host}:${t.port}`;
}
