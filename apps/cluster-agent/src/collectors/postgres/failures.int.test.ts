import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_URL, postgresAvailable, serviceGate } from '@vigil/testkit';
import type { Collection } from '../collector.ts';
import { createPostgresCollector } from './collector.ts';
import { APPLICATION_NAME } from './connection.ts';
import { valueOf } from './testing.ts';

const available = serviceGate('Postgres', await postgresAvailable(), `nothing answers at ${POSTGRES_URL}`);
const url = new URL(POSTGRES_URL);
const host = url.hostname;
const port = Number(url.port || 5432);
const user = decodeURIComponent(url.username || 'postgres');
const deadline = (ms = 5000): AbortSignal => AbortSignal.timeout(ms);

async function collectOnce(
  target: Parameters<typeof createPostgresCollector>[0],
  signal = deadline(),
  options = {},
): Promise<Collection> {
  const collector = createPostgresCollector(target, options);
  try {
    return await collector.collect(signal);
  } finally {
    await collector.close();
  }
}

/** A port nothing listens on: bind an ephemeral one, then let it go. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: free } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return free;
}

describe('the Postgres collector when the server cannot be collected', () => {
  // Accepts TCP connections and never says a word, like a hung server or a black-holing proxy.
  const silent = net.createServer(() => undefined);
  const held: net.Socket[] = [];
  let silentPort = 0;
  beforeAll(async () => {
    silent.on('connection', (s) => held.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    for (const s of held) s.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('reports pg_up 0 and ECONNREFUSED when nothing listens', async () => {
    const c = await collectOnce({ type: 'postgres', host: '127.0.0.1', port: await closedPort() });
    expect(valueOf(c, 'pg_up')).toBe(0);
    expect(c.error).toMatch(/ECONNREFUSED/);
  });

  it('resolves at the deadline with pg_up 0 when the server never answers', async () => {
    const startMs = performance.now();
    const c = await collectOnce({ type: 'postgres', host: '127.0.0.1', port: silentPort }, deadline(300));
    expect(performance.now() - startMs).toBeLessThan(2000);
    expect(valueOf(c, 'pg_up')).toBe(0);
    expect(c.error).toMatch(/aborted at the deadline/);
  });

  it('gives up at its own connect timeout when that comes before the deadline', async () => {
    const c = await collectOnce({ type: 'postgres', host: '127.0.0.1', port: silentPort }, deadline(10_000), {
      timeoutMs: 300,
    });
    expect(valueOf(c, 'pg_up')).toBe(0);
    expect(c.error).toMatch(/timeout/i);
  });

  it('reports pg_up 0 at once when the signal has already fired', async () => {
    const c = await collectOnce({ type: 'postgres', host, port }, AbortSignal.abort(new Error('too late')));
    expect(valueOf(c, 'pg_up')).toBe(0);
    expect(c.error).toContain('too late');
  });

  it.skipIf(!available)('reports the server message for a database that does not exist', async () => {
    const c = await collectOnce({
      type: 'postgres',
      host,
      port,
      credentials: { username: user },
      params: { database: 'vigil_no_such_db' },
    });
    expect(valueOf(c, 'pg_up')).toBe(0);
    expect(c.error).toBe('database "vigil_no_such_db" does not exist');
  });

  // Trust authentication accepts any password, so a refused login is a role that does not exist.
  it.skipIf(!available)('reports the server message for a role that does not exist', async () => {
    const c = await collectOnce({
      type: 'postgres',
      host,
      port,
      credentials: { username: 'vigil_no_such_role', password: 'x' },
      params: { database: 'postgres' },
    });
    expect(valueOf(c, 'pg_up')).toBe(0);
    expect(c.error).toBe('role "vigil_no_such_role" does not exist');
  });

  it.skipIf(!available)('reconnects on the next call after its session was killed', async () => {
    const collector = createPostgresCollector({
      type: 'postgres',
      host,
      port,
      credentials: { username: user },
    });
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    try {
      expect(valueOf(await collector.collect(deadline()), 'pg_up')).toBe(1);
      const killed = await admin.query<{ pid: number }>(
        `SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE application_name = $1 AND datname = 'postgres' AND usename = $2`,
        [APPLICATION_NAME, user],
      );
      expect(killed.rows.length).toBeGreaterThanOrEqual(1);
      // The call that meets the dead session may fail; the one after it must connect again.
      const first = await collector.collect(deadline());
      const up = valueOf(first, 'pg_up') === 1 ? first : await collector.collect(deadline());
      expect(valueOf(up, 'pg_up')).toBe(1);
      expect(up.error).toBeUndefined();
    } finally {
      await admin.end();
      await collector.close();
    }
  });
});
