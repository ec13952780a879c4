import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@vigil/core';
import { ReadAuth, SESSION_COOKIE } from '../auth/read-auth.ts';
import type { Role } from '../configdb/index.ts';
import { installJsonErrorHandler } from '../http/json-errors.ts';
import { startHarness, type Harness } from '../notifications/testing/harness.ts';
import { Receiver } from '../notifications/testing/receiver.ts';
import { notificationRoutes } from './notification-routes.ts';

let h: Harness;
let app: FastifyInstance;
let receiver: Receiver;
const cookies = {} as Record<Role, string>;
let stagingToken: string;

beforeAll(async () => {
  h = await startHarness();
  await h.db.ensureProject('staging', 'Staging');
  receiver = await Receiver.start(() => ({ status: 200, body: 'ok' }));
  for (const role of ['Admin', 'Editor', 'Viewer'] as const) {
    const user = await h.db.createUser({ username: role.toLowerCase(), password: 'password-123', role });
    cookies[role] = `${SESSION_COOKIE}=${await h.db.createSession(user.id, 3_600_000)}`;
  }
  const admin = await h.db.verifyPassword('admin', 'password-123');
  stagingToken = (
    await h.db.createReadToken({
      createdBy: admin?.id ?? '',
      description: 'ci',
      role: 'Editor',
      projectId: 'staging',
    })
  ).token;
  app = Fastify();
  installJsonErrorHandler(app, silentLogger);
  await app.register(notificationRoutes, {
    auth: new ReadAuth(h.db, undefined),
    integrations: h.integrations,
    dispatcher: h.dispatcher,
  });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await receiver?.close();
  await h?.close();
});

const BASE = '/api/v1/projects/default/integrations';

async function call(
  method: 'GET' | 'PUT' | 'DELETE' | 'POST',
  url: string,
  role: Role | null,
  payload?: unknown,
) {
  const res = await app.inject({
    method,
    url,
    headers: role === null ? {} : { cookie: cookies[role] },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  return {
    status: res.statusCode,
    body: res.body === '' ? undefined : (res.json() as Record<string, unknown>),
  };
}

describe('notification integration API', () => {
  it('lets an Editor create an integration and shows it to a Viewer with secrets masked', async () => {
    const put = await call('PUT', `${BASE}/slack`, 'Editor', {
      deployments: false,
      config: { botToken: 'xoxb-1111-2222-abcdefghijkl', channel: '#ops', apiUrl: `${receiver.url}/api` },
    });
    expect(put.status).toBe(200);
    const listed = await call('GET', BASE, 'Viewer');
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({
      integrations: [
        {
          type: 'slack',
          enabled: true,
          incidents: true,
          deployments: false,
          config: { botToken: '••••ijkl', channel: '#ops', apiUrl: `${receiver.url}/api` },
          createdAtMs: expect.any(Number),
          updatedAtMs: expect.any(Number),
          lastSuccessAtMs: null,
          lastError: null,
        },
      ],
      types: ['webhook', 'slack', 'teams', 'pagerduty', 'opsgenie'],
    });
    expect(JSON.stringify(listed.body)).not.toContain('abcdefgh');
  });

  it('needs Editor to change or test, and a login to read', async () => {
    expect((await call('GET', BASE, null)).status).toBe(401);
    expect((await call('PUT', `${BASE}/webhook`, 'Viewer', { config: { url: 'http://x/' } })).status).toBe(
      403,
    );
    expect((await call('DELETE', `${BASE}/slack`, 'Viewer')).status).toBe(403);
    expect((await call('POST', `${BASE}/slack/test`, 'Viewer')).status).toBe(403);
  });

  it('keeps a token bound to one project out of the others', async () => {
    const res = await app.inject({
      method: 'GET',
      url: BASE,
      headers: { authorization: `Bearer ${stagingToken}` },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({
      error: { code: 'forbidden', message: 'this token may only access project "staging"' },
    });
    const own = await app.inject({
      method: 'GET',
      url: '/api/v1/projects/staging/integrations',
      headers: { authorization: `Bearer ${stagingToken}` },
    });
    expect(own.statusCode).toBe(200);
  });

  it.each([
    [
      'an unknown type',
      `${BASE}/sms`,
      { config: {} },
      'unknown integration type "sms"; known types: webhook, slack, teams, pagerduty, opsgenie',
    ],
    [
      'a flag that is not a boolean',
      `${BASE}/webhook`,
      { enabled: 'yes', config: { url: 'http://x/' } },
      'enabled: enabled must be true or false',
    ],
    ['an unknown top-level field', `${BASE}/webhook`, { cfg: {} }, 'Unrecognized key: "cfg"'],
    [
      'an invalid config',
      `${BASE}/teams`,
      { config: { webhookUrl: 'not a url' } },
      'invalid teams configuration: webhookUrl: webhookUrl must be an http:// or https:// URL',
    ],
    [
      'a body that is not an object',
      `${BASE}/webhook`,
      [1, 2],
      'the body must be a JSON object with enabled, incidents, deployments and config',
    ],
  ])('answers 400 with what is wrong for %s', async (_name, url, payload, message) => {
    const res = await call('PUT', url, 'Admin', payload);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'bad_request', message } });
  });

  it('answers 404 for a missing project or integration', async () => {
    expect((await call('GET', '/api/v1/projects/nope/integrations', 'Viewer')).body).toEqual({
      error: { code: 'not_found', message: 'project "nope" does not exist' },
    });
    expect((await call('POST', `${BASE}/teams/test`, 'Editor')).body).toEqual({
      error: { code: 'not_found', message: 'project "default" has no teams integration' },
    });
  });

  it("sends a test notification and answers 200, or 502 with the receiver's error", async () => {
    await call('PUT', `${BASE}/webhook`, 'Editor', {
      enabled: false,
      config: { url: `${receiver.url}/hook` },
    });
    const okRes = await call('POST', `${BASE}/webhook/test`, 'Editor');
    expect(okRes).toEqual({ status: 200, body: { ok: true, attempts: 1 } });
    expect(receiver.requests.at(-1)?.body).toMatchObject({
      kind: 'test',
      project: 'default',
      title: 'Test notification from Vigil',
      summary: 'If you can read this, the webhook integration of project "default" works.',
    });

    receiver.answerNext({ status: 503, body: 'maintenance window' });
    const failed = await call('POST', `${BASE}/webhook/test`, 'Editor');
    expect(failed).toEqual({
      status: 502,
      body: {
        error: {
          code: 'delivery_failed',
          message: 'HTTP 503 Service Unavailable: maintenance window',
        },
      },
    });
    const view = await call('GET', `${BASE}/webhook`, 'Viewer');
    expect(view.body?.lastError).toEqual({
      message: 'HTTP 503 Service Unavailable: maintenance window',
      atMs: expect.any(Number),
    });
    expect(view.body?.lastSuccessAtMs).toEqual(expect.any(Number));
  });

  it('deletes an integration', async () => {
    await call('PUT', `${BASE}/pagerduty`, 'Editor', {
      config: { routingKey: 'R0123456789abcdefABCDEF012345678' },
    });
    expect((await call('DELETE', `${BASE}/pagerduty`, 'Editor')).status).toBe(204);
    expect((await call('GET', `${BASE}/pagerduty`, 'Viewer')).status).toBe(404);
    expect((await call('DELETE', `${BASE}/pagerduty`, 'Editor')).status).toBe(404);
  });
});
