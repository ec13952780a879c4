import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startTestServer,
  TEST_API_KEY,
  TEST_ADMIN_PASSWORD,
  type TestServer,
} from './testing/test-server.ts';

let t: TestServer;
let anon: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.stop();
  await anon?.stop();
});

const status = async (url: string, init?: RequestInit): Promise<number> => (await fetch(url, init)).status;

describe('reading the query API', () => {
  it('needs a login: no credentials get 401 with a message saying how to log in', async () => {
    const res = await fetch(`${t.api}/api/v1/traces`);
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/POST \/api\/v1\/login/);
  });

  it('never accepts an ingestion key for reading', async () => {
    expect(await status(`${t.api}/api/v1/logs`, { headers: { 'X-API-Key': TEST_API_KEY } })).toBe(401);
    expect(
      await status(`${t.api}/api/v1/logs`, { headers: { authorization: `Bearer ${TEST_API_KEY}` } }),
    ).toBe(401);
  });

  it('rejects a wrong password and accepts the right one with a session cookie', async () => {
    const wrong = await fetch(`${t.api}/api/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'not-the-password' }),
    });
    expect(wrong.status).toBe(401);
    const good = await fetch(`${t.api}/api/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }),
    });
    expect(good.status).toBe(200);
    const setCookie = good.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/vigil_session=.+; Path=\/; HttpOnly; SameSite=Lax/);
    const cookie = setCookie.split(';')[0] ?? '';
    expect(await status(`${t.api}/api/v1/traces`, { headers: { cookie } })).toBe(200);
    expect(await status(`${t.api}/api/v1/logout`, { method: 'POST', headers: { cookie } })).toBe(200);
    expect(await status(`${t.api}/api/v1/traces`, { headers: { cookie } })).toBe(401);
  });

  it('lets an Admin create a read token, which works until it is revoked', async () => {
    const cookie = await t.login();
    const created = await fetch(`${t.api}/api/v1/tokens`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ description: 'grafana' }),
    });
    expect(created.status).toBe(201);
    const token = (await created.json()) as { id: string; token: string; role: string };
    expect(token.token).toMatch(/^vr_/);
    expect(token.role).toBe('Viewer');
    const bearer = { authorization: `Bearer ${token.token}` };
    expect(await status(`${t.api}/api/v1/services`, { headers: bearer })).toBe(200);
    // A Viewer token cannot manage tokens.
    expect(await status(`${t.api}/api/v1/tokens`, { headers: bearer })).toBe(403);
    expect(
      await status(`${t.api}/api/v1/tokens/${token.id}`, { method: 'DELETE', headers: { cookie } }),
    ).toBe(204);
    expect(await status(`${t.api}/api/v1/services`, { headers: bearer })).toBe(401);
  });

  it('lets anonymous visitors in with the configured role only', async () => {
    // chDB allows one data directory per process, so the second server shares it, in its own database.
    anon = await startTestServer(
      { VIGIL_AUTH_ANONYMOUS_ROLE: 'Viewer', VIGIL_CLICKHOUSE_DATABASE: 'vigil_anon' },
      t.dataDir,
    );
    expect(await status(`${anon.api}/api/v1/traces`)).toBe(200);
    const me = (await (await fetch(`${anon.api}/api/v1/me`)).json()) as { kind: string; role: string };
    expect(me).toEqual({ kind: 'anonymous', id: 'anonymous', role: 'Viewer' });
    expect(await status(`${anon.api}/api/v1/tokens`)).toBe(403);
  });

  it('validates query parameters with messages', async () => {
    const cookie = await t.login();
    const bad = async (q: string) => {
      const res = await fetch(`${t.api}${q}`, { headers: { cookie } });
      return {
        status: res.status,
        message: ((await res.json()) as { error: { message: string } }).error.message,
      };
    };
    expect(await bad('/api/v1/traces?from=10&to=5')).toEqual({
      status: 400,
      message: expect.stringMatching(/from \(10\) must be before to \(5\)/),
    });
    expect((await bad('/api/v1/traces?status=maybe')).message).toMatch(/status/);
    expect((await bad('/api/v1/traces?limit=0')).status).toBe(400);
    expect((await bad('/api/v1/traces?bogus=1')).message).toMatch(/bogus/);
    expect((await bad('/api/v1/traces/xyz')).message).toMatch(/invalid trace id/);
    expect((await bad('/api/v1/traces/0123456789abcdef0123456789abcdef')).status).toBe(404);
    expect((await bad('/api/v1/logs?traceId=nothex')).message).toMatch(/traceId/);
  });

  it('serves liveness, readiness and self-metrics without a login', async () => {
    expect(await status(`${t.api}/health`)).toBe(200);
    // The web UI where it is built (apps/web/dist), else the home page: either without a login.
    const home = await fetch(`${t.api}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toMatch(/<div id="root"><\/div>|POST \/api\/v1\/login/);
    const ready = await fetch(`${t.api}/ready`);
    expect(ready.status).toBe(200);
    const metrics = await (await fetch(`${t.api}/metrics`)).text();
    expect(metrics).toMatch(/vigil_ingest_queue_items/);
    expect(metrics).toMatch(/vigil_process_resident_memory_bytes/);
  });
});
