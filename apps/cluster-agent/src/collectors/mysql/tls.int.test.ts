import { copyFileSync } from 'node:fs';
import path from 'node:path';
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceGate } from '@vigil/testkit';
import type { Collection } from '../collector.ts';
import type { Target } from '../target.ts';
import { createTestPki, opensslInstalled, type TestPki } from '../postgres/testing/test-pki.ts';
import { createMysqlCollector } from './collector.ts';
import { MysqlConnection } from './connection.ts';
import { mariadbInstalled, startPrivateMariadb, type PrivateMariadb } from './testing/private-mariadb.ts';
import { MYSQL_URL, mysqlAvailable, openSession, sharedTarget, valueOf } from './testing.ts';
import { parseMysqlTls } from './tls-options.ts';

const available = serviceGate(
  'mariadbd and openssl',
  mariadbInstalled() && opensslInstalled(),
  'a private TLS MariaDB needs mariadbd, mariadb-install-db and openssl on PATH',
);
const sharedAvailable = serviceGate(
  'MariaDB',
  await mysqlAvailable(),
  `nothing answers at ${MYSQL_URL.host}`,
);

let pki: TestPki;
let server: PrivateMariadb;
let admin: mysql.Connection;
/** The files mariadbd reads its certificate from; a test swaps them and runs FLUSH SSL. */
let certFile = '';
let keyFile = '';

beforeAll(async () => {
  if (!available) return;
  pki = createTestPki();
  // An IP SAN only: the target is an address, and the check must be made against it.
  const cert = pki.server('loopback', ['IP:127.0.0.1']);
  certFile = path.join(pki.dir, 'mariadb.crt');
  keyFile = path.join(pki.dir, 'mariadb.key');
  copyFileSync(cert.certFile, certFile);
  copyFileSync(cert.keyFile, keyFile);
  server = await startPrivateMariadb([
    `--ssl-cert=${certFile}`,
    `--ssl-key=${keyFile}`,
    `--ssl-ca=${pki.caFile}`,
  ]);
  admin = await openSession({
    type: 'mysql',
    host: '127.0.0.1',
    port: server.port,
    credentials: { username: 'root' },
  });
  await admin.query("CREATE USER 'tls_user'@'%' IDENTIFIED BY 'tls-secret' REQUIRE SSL");
}, 60_000);

afterAll(async () => {
  await admin?.end();
  await server?.stop();
  pki?.cleanup();
});

const tlsTarget = (params: Record<string, string>): Target => ({
  type: 'mysql',
  host: '127.0.0.1',
  port: server.port,
  credentials: { username: 'tls_user', password: 'tls-secret' },
  params,
});

async function collectOnce(target: Target): Promise<Collection> {
  const collector = createMysqlCollector(target);
  try {
    return await collector.collect(AbortSignal.timeout(10_000));
  } finally {
    await collector.close();
  }
}

/** The session's cipher, through the connection the collector builds from the same params. */
async function sessionCipher(target: Target): Promise<string> {
  const parsed = parseMysqlTls(target.params);
  if (!parsed.ok) throw new Error(parsed.error);
  const connection = new MysqlConnection({
    host: target.host,
    port: target.port,
    user: target.credentials?.username ?? 'root',
    password: target.credentials?.password,
    timeoutMs: 5000,
    tls: parsed.tls,
  });
  try {
    const rows = await connection.query("SHOW SESSION STATUS LIKE 'Ssl_cipher'", AbortSignal.timeout(5000));
    return String(rows[0]?.Value ?? '');
  } finally {
    await connection.close();
  }
}

describe.skipIf(!available)('the MySQL collector against a MariaDB user that REQUIRE SSL', () => {
  it('connects with tls=true and the CA, on a TLS session', async () => {
    const target = tlsTarget({ tls: 'true', 'ssl-ca': pki.caPem });
    const c = await collectOnce(target);
    expect(valueOf(c, 'mysql_up')).toBe(1);
    expect(await sessionCipher(target)).not.toBe('');
  });

  it('reads the CA from a file path too', async () => {
    const c = await collectOnce(tlsTarget({ tls: 'true', 'ssl-ca': pki.caFile }));
    expect(valueOf(c, 'mysql_up')).toBe(1);
  });

  it.each([
    ['tls=false', { tls: 'false' }],
    ['no tls (plain text, as Coroot defaults)', {}],
  ])('is denied with %s: mysql_up 0 and the server message', async (_, params) => {
    const c = await collectOnce(tlsTarget(params));
    expect(valueOf(c, 'mysql_up')).toBe(0);
    expect(c.error).toMatch(/^Access denied for user 'tls_user'@/);
  });

  it.each(['skip-verify', 'preferred'])('connects with tls=%s, unverified, on a TLS session', async (tls) => {
    const target = tlsTarget({ tls });
    const c = await collectOnce(target);
    expect(valueOf(c, 'mysql_up')).toBe(1);
    expect(await sessionCipher(target)).not.toBe('');
  });

  it.each([
    ['a CA that did not sign it', () => ({ 'ssl-ca': pki.wrongCaPem })],
    ['no CA (Node bundled roots)', () => ({})],
  ])('reports an untrusted certificate with tls=true and %s', async (_, ca) => {
    const c = await collectOnce(tlsTarget({ tls: 'true', ...ca() }));
    expect(valueOf(c, 'mysql_up')).toBe(0);
    expect(c.error).toMatch(/^TLS required \(tls=true\) but the server certificate is not trusted: .+/);
  });

  // Last: it changes the certificate the server presents.
  // localhost, not 127.0.0.1: the name Node checks when nobody tells it the address.
  it('refuses a certificate for localhost at 127.0.0.1 with tls=true, and skip-verify accepts it', async () => {
    const other = pki.server('localhost', ['DNS:localhost']);
    copyFileSync(other.certFile, certFile);
    copyFileSync(other.keyFile, keyFile);
    await admin.query('FLUSH SSL');
    const refused = await collectOnce(tlsTarget({ tls: 'true', 'ssl-ca': pki.caPem }));
    expect(valueOf(refused, 'mysql_up')).toBe(0);
    expect(refused.error).toMatch(
      /^TLS required \(tls=true\) but the server certificate does not match the host name: .*127\.0\.0\.1/,
    );
    const accepted = await collectOnce(tlsTarget({ tls: 'skip-verify' }));
    expect(valueOf(accepted, 'mysql_up')).toBe(1);
  });
});

describe.skipIf(!sharedAvailable)('the MySQL collector against the shared MariaDB (no TLS there)', () => {
  it('falls back to plain text with tls=preferred', async () => {
    const c = await collectOnce({ ...sharedTarget(), params: { tls: 'preferred' } });
    expect(c.error).toBeUndefined();
    expect(valueOf(c, 'mysql_up')).toBe(1);
  });

  it('reports that the server has no TLS with tls=skip-verify', async () => {
    const c = await collectOnce({ ...sharedTarget(), params: { tls: 'skip-verify' } });
    expect(valueOf(c, 'mysql_up')).toBe(0);
    expect(c.error).toBe(
      'TLS required (tls=skip-verify) but the server does not support TLS: Server does not support secure connection',
    );
  });
});
