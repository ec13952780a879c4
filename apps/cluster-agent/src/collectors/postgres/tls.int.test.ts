import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_URL, postgresAvailable, serviceGate } from '@vigil/testkit';
import type { Collection } from '../collector.ts';
import type { Target } from '../target.ts';
import { createPostgresCollector } from './collector.ts';
import { APPLICATION_NAME } from './connection.ts';
import { valueOf } from './testing.ts';
import { postgresInstalled, startPrivatePostgres, type PrivatePostgres } from './testing/private-postgres.ts';
import { createTestPki, opensslInstalled, type TestPki } from './testing/test-pki.ts';

const available = serviceGate(
  'initdb/postgres and openssl',
  postgresInstalled() && opensslInstalled(),
  'a private TLS Postgres needs initdb, postgres and openssl on PATH',
);
const sharedAvailable = serviceGate(
  'Postgres',
  await postgresAvailable(),
  `nothing answers at ${POSTGRES_URL}`,
);

// TLS for one role and database only; any plain TCP connection is turned away by pg_hba.
const HBA = [
  'local all all trust',
  'hostssl tls_db tls_user 127.0.0.1/32 trust',
  'hostnossl all all 127.0.0.1/32 reject',
].join('\n');

let pki: TestPki;
/** Presents a certificate for 127.0.0.1 (an IP SAN only, as the target is an address). */
let trusted: PrivatePostgres;
/** Presents a certificate, from the same CA, for localhost only: the wrong name for 127.0.0.1. */
let misnamed: PrivatePostgres;

async function startTlsPostgres(altNames: readonly string[]): Promise<PrivatePostgres> {
  const cert = pki.server(altNames[0]?.replace(/^\w+:/, '') ?? 'server', altNames);
  const server = await startPrivatePostgres({
    conf: ['ssl = on', "ssl_cert_file = 'server.crt'", "ssl_key_file = 'server.key'"],
    hba: HBA,
    files: { 'server.crt': cert.certPem, 'server.key': cert.keyPem },
  });
  await asAdmin(server, async (admin) => {
    await admin.query('CREATE ROLE tls_user LOGIN');
    await admin.query('CREATE DATABASE tls_db OWNER tls_user');
  });
  return server;
}

/** A superuser session over the unix socket, which pg_hba trusts. */
async function asAdmin<T>(server: PrivatePostgres, use: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({
    host: server.socketDir,
    port: server.port,
    user: 'postgres',
    database: 'postgres',
  });
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.end();
  }
}

beforeAll(async () => {
  if (!available) return;
  pki = createTestPki();
  [trusted, misnamed] = await Promise.all([
    startTlsPostgres(['IP:127.0.0.1']),
    startTlsPostgres(['DNS:localhost']),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all([trusted?.stop(), misnamed?.stop()]);
  pki?.cleanup();
});

const targetAt = (server: PrivatePostgres, params: Record<string, string>): Target => ({
  type: 'postgres',
  host: '127.0.0.1',
  port: server.port,
  credentials: { username: 'tls_user' },
  params: { database: 'tls_db', ...params },
});

/** One round, then `whileOpen` with the collector's connection still open, then close. */
async function collectOnce(
  target: Target,
  whileOpen: (c: Collection) => Promise<void> = async () => undefined,
): Promise<Collection> {
  // Details once, on the first round only: other databases are closed to this role by pg_hba.
  const collector = createPostgresCollector(target, { detailsIntervalMs: 3_600_000, maxDatabases: 1 });
  try {
    const c = await collector.collect(AbortSignal.timeout(10_000));
    await whileOpen(c);
    return c;
  } finally {
    await collector.close();
  }
}

/** `ssl` of the collector's sessions as the server's pg_stat_ssl shows them. */
const collectorSessionsSsl = (server: PrivatePostgres): Promise<boolean[]> =>
  asAdmin(server, async (admin) => {
    const { rows } = await admin.query<{ ssl: boolean }>(
      `SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
        WHERE a.application_name = $1 AND a.datname = 'tls_db'`,
      [APPLICATION_NAME],
    );
    return rows.map((r) => r.ssl);
  });

describe.skipIf(!available)('the Postgres collector against a server that accepts only TLS', () => {
  it('connects with sslmode=require, and the server sees the session as TLS', async () => {
    let sessions: boolean[] = [];
    const c = await collectOnce(targetAt(trusted, { sslmode: 'require' }), async () => {
      sessions = await collectorSessionsSsl(trusted);
    });
    expect(valueOf(c, 'pg_up')).toBe(1);
    expect(sessions).toEqual([true]);
  });

  it.each([
    ['sslmode=disable', { sslmode: 'disable' }],
    ['no sslmode (plain text, as Coroot defaults)', {}],
  ])('is refused by pg_hba with %s: pg_up 0 and the server message', async (_, params) => {
    const c = await collectOnce(targetAt(trusted, params));
    expect(valueOf(c, 'pg_up')).toBe(0);
    expect(c.error).toMatch(/pg_hba\.conf rejects connection .*no encryption/);
  });

  it.each([
    ['inline PEM', () => pki.caPem],
    ['a file path', () => pki.caFile],
  ])('verifies the chain and host with verify-full and the CA as %s', async (_, ca) => {
    const c = await collectOnce(targetAt(trusted, { sslmode: 'verify-full', sslrootcert: ca() }));
    expect(c.error).toBeUndefined();
    expect(valueOf(c, 'pg_up')).toBe(1);
  });

  it.each(['verify-full', 'verify-ca', 'require'])(
    'reports an untrusted certificate with sslmode=%s and a CA that did not sign it',
    async (sslmode) => {
      const c = await collectOnce(targetAt(trusted, { sslmode, sslrootcert: pki.wrongCaPem }));
      expect(valueOf(c, 'pg_up')).toBe(0);
      expect(c.error).toMatch(
        new RegExp(`^TLS required \\(sslmode=${sslmode}\\) but the server certificate is not trusted: .+`),
      );
    },
  );

  it('refuses a certificate for another host name with verify-full', async () => {
    const c = await collectOnce(targetAt(misnamed, { sslmode: 'verify-full', sslrootcert: pki.caPem }));
    expect(valueOf(c, 'pg_up')).toBe(0);
    expect(c.error).toMatch(
      /^TLS required \(sslmode=verify-full\) but the server certificate does not match the host name: .*127\.0\.0\.1/,
    );
  });

  it('accepts a certificate for another host name with verify-ca (chain only)', async () => {
    const c = await collectOnce(targetAt(misnamed, { sslmode: 'verify-ca', sslrootcert: pki.caPem }));
    expect(c.error).toBeUndefined();
    expect(valueOf(c, 'pg_up')).toBe(1);
  });

  it.each(['prefer', 'allow'])('ends up on TLS with sslmode=%s', async (sslmode) => {
    let sessions: boolean[] = [];
    const c = await collectOnce(targetAt(trusted, { sslmode }), async () => {
      sessions = await collectorSessionsSsl(trusted);
    });
    expect(valueOf(c, 'pg_up')).toBe(1);
    expect(sessions).toEqual([true]);
  });

  it('reports an unreadable sslrootcert file instead of connecting without it', async () => {
    const c = await collectOnce(
      targetAt(trusted, { sslmode: 'verify-full', sslrootcert: '/nonexistent/ca.pem' }),
    );
    expect(valueOf(c, 'pg_up')).toBe(0);
    expect(c.error).toBe('sslrootcert: cannot read /nonexistent/ca.pem (ENOENT)');
  });
});

describe.skipIf(!sharedAvailable)('the Postgres collector against the shared server (no TLS there)', () => {
  const url = new URL(POSTGRES_URL);
  const shared = (sslmode: string): Target => ({
    type: 'postgres',
    host: url.hostname,
    port: Number(url.port || 5432),
    credentials: { username: decodeURIComponent(url.username || 'postgres') },
    params: { sslmode },
  });

  it.each(['prefer', 'allow'])('falls back to plain text with sslmode=%s', async (sslmode) => {
    const c = await collectOnce(shared(sslmode));
    expect(valueOf(c, 'pg_up')).toBe(1);
  });

  it('reports that the server has no TLS with sslmode=require', async () => {
    const c = await collectOnce(shared('require'));
    expect(valueOf(c, 'pg_up')).toBe(0);
    expect(c.error).toBe(
      'TLS required (sslmode=require) but the server does not support TLS: The server does not support SSL connections',
    );
  });
});
