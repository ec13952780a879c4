import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_URL, makeTempDir, postgresAvailable, serviceGate } from '@vigil/testkit';
import { startTestServer, TEST_ADMIN_PASSWORD, TEST_API_KEY } from './testing/test-server.ts';

const available = serviceGate(
  'Postgres',
  await postgresAvailable(),
  `nothing answers at ${POSTGRES_URL}; start it with pg_ctlcluster`,
);
const dbName = `vigil_server_test_${process.pid}`;
const admin = new pg.Client({ connectionString: POSTGRES_URL });
const pgUrl = (() => {
  const u = new URL(POSTGRES_URL);
  u.pathname = `/${dbName}`;
  return u.toString();
})();

beforeAll(async () => {
  if (!available) return;
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName}`);
  await admin.query(`CREATE DATABASE ${dbName}`);
});
afterAll(async () => {
  if (!available) return;
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
});

describe.skipIf(!available)('the server with its config DB in Postgres (VIGIL_PG_URL)', () => {
  it('keeps projects, keys, users and tokens in Postgres across restarts', async () => {
    const tmp = makeTempDir('vigil-pg-');
    try {
      const first = await startTestServer({ VIGIL_PG_URL: pgUrl }, tmp.dir);
      const cookie = await first.login();
      const created = await fetch(`${first.api}/api/v1/tokens`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ description: 'survives restarts' }),
      });
      expect(created.status).toBe(201);
      const { token } = (await created.json()) as { token: string };
      await first.server.shutdown();

      const check = new pg.Client({ connectionString: pgUrl });
      await check.connect();
      const users = await check.query<{ username: string }>('SELECT username FROM users');
      await check.end();
      expect(users.rows.map((r) => r.username)).toContain('admin');

      // The second start must not need the bootstrap settings to find what the first created.
      const second = await startTestServer({ VIGIL_PG_URL: pgUrl }, tmp.dir);
      try {
        expect(
          (await fetch(`${second.api}/api/v1/services`, { headers: { authorization: `Bearer ${token}` } }))
            .status,
        ).toBe(200);
        const login = await fetch(`${second.api}/api/v1/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }),
        });
        expect(login.status).toBe(200);
        const ingest = await fetch(`${second.otlpHttp}/v1/logs`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'X-API-Key': TEST_API_KEY },
          body: '{"resourceLogs":[]}',
        });
        expect(ingest.status).toBe(200);
      } finally {
        await second.server.shutdown();
      }
    } finally {
      tmp.cleanup();
    }
  });
});
