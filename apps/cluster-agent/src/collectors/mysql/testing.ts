/** Helpers for the collector's tests: the shared server's address, samples of a collection. */
import mysql from 'mysql2/promise';
import { canConnect } from '@vigil/testkit';
import type { Target } from '../target.ts';

export { samplesOf, valueOf } from '../postgres/testing.ts';

/** The shared MariaDB: root with an empty password, database `test`. */
export const MYSQL_URL = new URL(process.env.VIGIL_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test');

export const sharedTarget = (database = MYSQL_URL.pathname.slice(1) || 'test'): Target => ({
  type: 'mysql',
  host: MYSQL_URL.hostname,
  port: Number(MYSQL_URL.port || 3306),
  credentials: {
    username: decodeURIComponent(MYSQL_URL.username || 'root'),
    password: decodeURIComponent(MYSQL_URL.password),
  },
  params: { database },
});

export function mysqlAvailable(): Promise<boolean> {
  return canConnect(MYSQL_URL.hostname, Number(MYSQL_URL.port || 3306));
}

/** A plain client session to `target` for driving load and locks. */
export function openSession(target: Target): Promise<mysql.Connection> {
  return mysql.createConnection({
    host: target.host,
    port: target.port,
    user: target.credentials?.username ?? 'root',
    password: target.credentials?.password ?? '',
    ...(target.params?.database === undefined ? {} : { database: target.params.database }),
  });
}

/**
 * Polls `check` until it holds; the condition, not a fixed sleep, decides when to go on. The
 * default pause is above 100 ms because InnoDB refreshes its information_schema.INNODB_TRX cache
 * only when it was last read more than 100 ms ago: faster polling would read a stale cache forever.
 */
export async function until(
  check: () => Promise<boolean>,
  what: string,
  { timeoutMs = 10_000, pauseMs = 150 } = {},
): Promise<void> {
  const endMs = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > endMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pauseMs));
  }
}
