import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceGate } from '@vigil/testkit';
import type { Collection } from '../collector.ts';
import type { Target } from '../target.ts';
import { createMysqlCollector, type MysqlCollectorOptions } from './collector.ts';
import { MYSQL_URL, mysqlAvailable, openSession, sharedTarget, valueOf } from './testing.ts';

const available = serviceGate('MariaDB', await mysqlAvailable(), `nothing answers at ${MYSQL_URL.host}`);
const deadline = (ms = 5000): AbortSignal => AbortSignal.timeout(ms);
const local = (port: number): Target => ({ type: 'mysql', host: '127.0.0.1', port });

async function collectOnce(
  target: Target,
  signal = deadline(),
  options: MysqlCollectorOptions = {},
): Promise<Collection> {
  const collector = createMysqlCollector(target, options);
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
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the MySQL collector when the server cannot be collected', () => {
  // Accepts TCP connections and never says a word (MySQL servers speak first), like a hung server.
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

  it('reports mysql_up 0 and ECONNREFUSED when nothing listens', async () => {
    const c = await collectOnce(local(await closedPort()));
    expect(valueOf(c, 'mysql_up')).toBe(0);
    expect(c.error).toMatch(/ECONNREFUSED/);
  });

  it('resolves at the deadline with mysql_up 0 when the server never answers', async () => {
    const startMs = performance.now();
    const c = await collectOnce(local(silentPort), deadline(300));
    expect(performance.now() - startMs).toBeLessThan(2000);
    expect(valueOf(c, 'mysql_up')).toBe(0);
    expect(c.error).toMatch(/aborted at the deadline/);
  });

  it('gives up at its own connect timeout when that comes before the deadline', async () => {
    const c = await collectOnce(local(silentPort), deadline(10_000), { timeoutMs: 300 });
    expect(valueOf(c, 'mysql_up')).toBe(0);
    expect(c.error).toMatch(/ETIMEDOUT|timeout/i);
  });

  it('reports mysql_up 0 at once when the signal has already fired', async () => {
    const c = await collectOnce(sharedTarget(), AbortSignal.abort(new Error('too late')));
    expect(valueOf(c, 'mysql_up')).toBe(0);
    expect(c.error).toContain('too late');
  });
});

describe.skipIf(!available)('the MySQL collector with refused credentials', () => {
  const user = 'vigil_ca_test';
  const hosts = ['%', 'localhost'];

  beforeAll(async () => {
    const admin = await openSession(sharedTarget());
    try {
      for (const host of hosts)
        await admin.query(`CREATE USER IF NOT EXISTS ?@? IDENTIFIED BY ?`, [user, host, 'right-password']);
    } finally {
      await admin.end();
    }
  });
  afterAll(async () => {
    const admin = await openSession(sharedTarget());
    try {
      for (const host of hosts) await admin.query('DROP USER IF EXISTS ?@?', [user, host]);
    } finally {
      await admin.end();
    }
  });

  it("reports mysql_up 0 with the server's Access denied message for a wrong password", async () => {
    const c = await collectOnce({
      ...sharedTarget(),
      credentials: { username: user, password: 'wrong-password' },
    });
    expect(valueOf(c, 'mysql_up')).toBe(0);
    expect(c.error).toMatch(/^Access denied for user 'vigil_ca_test'@'[^']+' \(using password: YES\)$/);
  });

  it('reports the server message for a database that does not exist', async () => {
    const c = await collectOnce(sharedTarget('vigil_no_such_db'));
    expect(valueOf(c, 'mysql_up')).toBe(0);
    expect(c.error).toBe("Unknown database 'vigil_no_such_db'");
  });
});
