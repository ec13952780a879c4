/// <reference types="node" />
/**
 * The settings page's requests against the real server: every call of settings-api.ts — the
 * functions the tabs send through, with the bodies the tabs build — goes through the UI's own
 * fetch client to a real server (embedded ClickHouse, SQLite config DB) as a logged-in Admin.
 * Each answer is compared key by key with the UI's type of it, so a path, a body or a response
 * field that drifts between server and UI fails here (the tabs' component tests answer with a
 * fake fetch and cannot see that). Secrets made here are then used the way the page says to:
 * the API key authenticates an agent, the read token reads, and neither does once revoked.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client.ts';
import { loadServerTesting, type UiTestServer } from '../../e2e/server-fixture.ts';
import { INTEGRATION_TEMPLATES } from './integration-templates.ts';
import { settingsApi } from './settings-api.ts';
import type { AwsView, CheckDefault, IntegrationView, User } from './settings-types.ts';
import { overridesOf, rowsOf } from './threshold-rows.ts';

/**
 * Asserts that `value` has exactly the keys of the UI's type `T` — `shape` must list every one
 * (typecheck), `toEqual` refuses any other (run time) — with these values; `undefined` in
 * `shape` stands for an optional key the server left out.
 */
function expectShape<T>(value: T, shape: { [K in keyof T]-?: unknown }): void {
  expect(value).toEqual(shape);
}

const anyNumber = expect.any(Number) as unknown;
const anyString = expect.any(String) as unknown;

/** The server's message of a refused call. */
async function refusal(call: Promise<unknown>): Promise<{ status: number; message: string }> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(err)}`);
  return { status: err.status, message: err.message };
}

/** A webhook receiver on loopback that answers `status` and keeps the bodies it got. */
async function startReceiver(status: number): Promise<{ url: string; bodies: unknown[]; server: Server }> {
  const bodies: unknown[] = [];
  const read = async (req: IncomingMessage): Promise<string> => {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    return text;
  };
  const server = createServer((req, res) => {
    void read(req).then((text) => {
      bodies.push(JSON.parse(text) as unknown);
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'no_service');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies, server };
}

describe('the settings page against the real server', () => {
  let vigil: UiTestServer;
  let realFetch: typeof fetch;
  let cookie: string;

  beforeAll(async () => {
    const { startTestServer, TEST_ADMIN_PASSWORD } = await loadServerTesting();
    vigil = await startTestServer();
    realFetch = globalThis.fetch;
    const login = await realFetch(`${vigil.api}/api/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }),
    });
    expect(login.status).toBe(200);
    cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    // The UI's client fetches same-origin paths with the browser's cookie: send those to the
    // server with the admin's session. Absolute URLs (the server's own deliveries) go as they are.
    vi.stubGlobal('fetch', (input: string | URL | Request, init?: RequestInit) => {
      if (typeof input !== 'string' || !input.startsWith('/')) return realFetch(input, init);
      const headers = new Headers(init?.headers);
      headers.set('cookie', cookie);
      return realFetch(`${vigil.api}${input}`, { ...init, headers });
    });
  });

  afterAll(async () => {
    vi.unstubAllGlobals();
    await vigil?.stop();
  });

  it('lists, creates and deletes projects, and refuses to delete the default one', async () => {
    const { projects } = await settingsApi.projects();
    expect(projects.map((p) => p.id)).toContain('default');
    const fallback = projects.find((p) => p.id === 'default');
    expectShape(fallback!, { id: 'default', name: anyString, createdAt: anyNumber });

    const created = await settingsApi.createProject({ id: 'shop-eu', name: 'Shop EU' });
    expectShape(created, { id: 'shop-eu', name: 'Shop EU', createdAt: anyNumber });
    expect(await refusal(settingsApi.createProject({ id: 'shop-eu', name: 'again' }))).toMatchObject({
      status: 409,
    });

    await settingsApi.deleteProject('shop-eu');
    expect((await settingsApi.projects()).projects.map((p) => p.id)).not.toContain('shop-eu');
    const kept = await refusal(settingsApi.deleteProject('default'));
    expect(kept).toEqual({ status: 409, message: 'the default project "default" cannot be deleted' });
  });

  it('creates an API key that an agent can use until it is revoked', async () => {
    await settingsApi.createProject({ id: 'keys', name: 'keys' });
    const created = await settingsApi.createApiKey('keys', 'prod node agents');
    expectShape(created, {
      id: anyString,
      projectId: 'keys',
      prefix: anyString,
      description: 'prod node agents',
      createdAt: anyNumber,
      key: anyString,
    });
    expect(created.key.startsWith(created.prefix)).toBe(true);

    const { keys } = await settingsApi.apiKeys('keys');
    expect(keys).toHaveLength(1);
    const { key: _secret, ...listed } = created;
    expectShape(keys[0]!, listed);
    expect(JSON.stringify(keys)).not.toContain(created.key);

    // The cluster agent's config endpoint is what the install command's key is sent to.
    const asAgent = () => realFetch(`${vigil.api}/v1/config`, { headers: { 'x-api-key': created.key } });
    expect((await asAgent()).status).toBe(200);
    await settingsApi.revokeApiKey('keys', created.id);
    expect((await settingsApi.apiKeys('keys')).keys).toEqual([]);
    expect((await asAgent()).status).toBe(401);
    expect((await refusal(settingsApi.createApiKey('keys', '  '))).status).toBe(400);
  });

  it('creates a read token scoped to a project that reads until it is revoked', async () => {
    const created = await settingsApi.createReadToken({
      description: 'grafana',
      role: 'Viewer',
      projectId: 'default',
    });
    const me = await settingsApi.me();
    expectShape(me, { kind: 'user', id: anyString, role: 'Admin' });
    const info = {
      id: created.id,
      role: 'Viewer',
      projectId: 'default',
      prefix: created.prefix,
      description: 'grafana',
      createdBy: me.id,
      createdAt: created.createdAt,
    };
    expectShape(created, { ...info, revokedAt: undefined, token: anyString });

    const asScript = () =>
      realFetch(`${vigil.api}/api/v1/me`, { headers: { authorization: `Bearer ${created.token}` } });
    expect(await (await asScript()).json()).toEqual({ kind: 'token', id: created.id, role: 'Viewer' });

    await settingsApi.revokeReadToken(created.id);
    const listed = (await settingsApi.readTokens()).tokens.find((t) => t.id === created.id);
    expectShape(listed!, { ...info, revokedAt: anyNumber });
    expect((await asScript()).status).toBe(401);
  });

  it('creates a user, changes their role and password, keeps the last Admin, and deletes them', async () => {
    const user = await settingsApi.createUser({
      username: 'alice',
      password: 'alice-password',
      role: 'Viewer',
    });
    const alice: User = { id: user.id, username: 'alice', role: 'Viewer', createdAt: user.createdAt };
    expectShape(user, alice);
    expectShape(await settingsApi.updateUser(user.id, { role: 'Editor' }), { ...alice, role: 'Editor' });
    expectShape(await settingsApi.updateUser(user.id, { password: 'a-new-password' }), {
      ...alice,
      role: 'Editor',
    });
    const login = await realFetch(`${vigil.api}/api/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice', password: 'a-new-password' }),
    });
    expect(login.status).toBe(200);

    const me = await settingsApi.me();
    const lastAdmin = await refusal(settingsApi.updateUser(me.id, { role: 'Viewer' }));
    expect(lastAdmin).toEqual({
      status: 409,
      message: 'at least one Admin must remain: make another user an Admin first',
    });
    expect((await refusal(settingsApi.deleteUser(me.id))).status).toBe(409);

    await settingsApi.deleteUser(user.id);
    const { users } = await settingsApi.users();
    expect(users.map((u) => u.username)).toEqual(['admin']);
  });

  it('saves thresholds edited in the form and reads back what it saved', async () => {
    const answer = await settingsApi.inspections('default');
    const [id, check] = Object.entries(answer.defaults)[0]!;
    expectShape<CheckDefault>(check, {
      report: anyString,
      title: anyString,
      unit: anyString,
      warning: anyNumber,
      critical: 'critical' in check ? anyNumber : undefined,
    });
    // Every default has only the fields the form reads.
    for (const d of Object.values(answer.defaults)) {
      expect(
        Object.keys(d).filter((k) => !['report', 'title', 'unit', 'warning', 'critical'].includes(k)),
      ).toEqual([]);
    }
    expect(answer.project).toEqual({});

    const rows = rowsOf(answer);
    rows[id] = { warning: String(check.warning + 1), critical: '', disabled: true };
    const result = overridesOf(rows);
    if (!result.ok) throw new Error(`the form refused ${result.invalid}`);
    expect(await settingsApi.saveInspections('default', result.overrides)).toEqual({
      [id]: { warning: check.warning + 1, disabled: true },
    });
    const saved = await settingsApi.inspections('default');
    expect(saved.project).toEqual(result.overrides);
    expect(rowsOf(saved)[id]).toEqual(rows[id]);
  });

  it('reports the backends and the metrics cache in the shape the status tab reads', async () => {
    const status = await settingsApi.status('default');
    const backend = { kind: anyString, target: undefined, ok: true, latencyMs: anyNumber, error: undefined };
    expectShape(status, {
      project: 'default',
      configDb: { ...backend, kind: 'sqlite' },
      telemetry: { ...backend, kind: 'chdb' },
      metrics: { ...backend, kind: 'embedded' },
      cache: expect.objectContaining({ enabled: true }) as unknown,
    });
    const { cache } = status;
    if (!cache.enabled || 'error' in cache)
      throw new Error(`the cache is not running: ${JSON.stringify(cache)}`);
    expectShape(cache, {
      enabled: true,
      stepMs: anyNumber,
      refreshMs: anyNumber,
      maxLagMs: cache.maxLagMs === null ? null : anyNumber,
      lastRefresh:
        cache.lastRefresh === null
          ? null
          : { startedAtMs: anyNumber, durationMs: anyNumber, points: anyNumber, queries: anyNumber },
      backfillPending: anyNumber,
      queries: anyNumber,
      failingQueries: [],
    });
  });

  it('has a template for every integration type, each accepted once its placeholders are filled', async () => {
    const receiver = await startReceiver(200);
    try {
      const { integrations, types } = await settingsApi.integrations('default');
      expect(integrations).toEqual([]);
      expect(Object.keys(INTEGRATION_TEMPLATES).sort()).toEqual([...types].sort());
      // What a user types over the placeholders.
      const filled: Record<string, unknown> = {
        webhookUrl: receiver.url,
        url: receiver.url,
        routingKey: 'R0123456789abcdef0123456789ABCDE',
        apiKey: 'opsgenie-api-key',
      };
      for (const type of types) {
        const template = INTEGRATION_TEMPLATES[type] ?? {};
        const config = Object.fromEntries(Object.keys(template).map((k) => [k, filled[k] ?? template[k]]));
        const view = await settingsApi.saveIntegration('default', type, {
          enabled: true,
          incidents: true,
          deployments: false,
          config,
        });
        expectShape<IntegrationView>(view, {
          type,
          enabled: true,
          incidents: true,
          deployments: false,
          config: expect.any(Object) as unknown,
          createdAtMs: anyNumber,
          updatedAtMs: anyNumber,
          lastSuccessAtMs: null,
          lastError: null,
          secretsError: undefined,
        });
      }
      expect((await settingsApi.integrations('default')).integrations.map((i) => i.type).sort()).toEqual(
        [...types].sort(),
      );
    } finally {
      for (const type of Object.keys(INTEGRATION_TEMPLATES)) {
        await settingsApi.deleteIntegration('default', type).catch(() => undefined);
      }
      receiver.server.close();
    }
  });

  it('sends a test notification, and says what the receiver answered when it refuses', async () => {
    const ok = await startReceiver(200);
    const refusing = await startReceiver(404);
    try {
      const settings = { enabled: true, incidents: true, deployments: false };
      await settingsApi.saveIntegration('default', 'webhook', { ...settings, config: { url: ok.url } });
      expect(await settingsApi.testIntegration('default', 'webhook')).toEqual({ ok: true, attempts: 1 });
      expect(ok.bodies).toHaveLength(1);
      const [view] = (await settingsApi.integrations('default')).integrations;
      expect(view?.lastSuccessAtMs).toEqual(anyNumber);

      await settingsApi.saveIntegration('default', 'webhook', { ...settings, config: { url: refusing.url } });
      const refused = await refusal(settingsApi.testIntegration('default', 'webhook'));
      expect(refused.status).toBe(502);
      expect(refused.message).toMatch(/404/);
      expect(refusing.bodies.length).toBeGreaterThan(0);
    } finally {
      await settingsApi.deleteIntegration('default', 'webhook');
      ok.server.close();
      refusing.server.close();
    }
  });

  it('keeps the AWS secret and tag filters when the form is saved without them', async () => {
    const empty = await settingsApi.aws('default');
    expectShape<AwsView>(empty, {
      configured: false,
      region: undefined,
      accessKeyId: undefined,
      secretAccessKeySet: false,
      rdsTagFilters: {},
      elasticacheTagFilters: {},
    });
    const first = await settingsApi.saveAws('default', {
      region: 'eu-west-1',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      rdsTagFilters: { env: 'prod' },
      elasticacheTagFilters: {},
    });
    // The form sends back what it was shown, and no secret when the field was left empty.
    const again = await settingsApi.saveAws('default', {
      region: 'eu-central-1',
      accessKeyId: first.accessKeyId!,
      rdsTagFilters: first.rdsTagFilters,
      elasticacheTagFilters: first.elasticacheTagFilters,
    });
    expectShape(again, {
      configured: true,
      region: 'eu-central-1',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKeySet: true,
      rdsTagFilters: { env: 'prod' },
      elasticacheTagFilters: {},
    });
    await settingsApi.clearAws('default');
    expect((await settingsApi.aws('default')).configured).toBe(false);
  });

  it('stores database credentials for the cluster agent without ever showing the password', async () => {
    const appId = 'default:shop:StatefulSet:postgres';
    expectShape(await settingsApi.instrumentation('default', appId), {
      type: undefined,
      port: undefined,
      credentials: { username: undefined, passwordSet: false },
      params: {},
      disabled: false,
    });
    const input = {
      port: 5432,
      credentials: { username: 'vigil', password: 's3cret-pass' },
      disabled: false,
    };
    const saved = await settingsApi.saveInstrumentation('default', appId, input);
    const expected = {
      type: undefined,
      port: 5432,
      credentials: { username: 'vigil', passwordSet: true },
      params: {},
      disabled: false,
    };
    expectShape(saved, expected);
    // Saved again with the password field left empty: the stored one stays.
    const kept = await settingsApi.saveInstrumentation('default', appId, {
      ...input,
      credentials: { username: 'vigil' },
    });
    expectShape(kept, expected);
    expect(JSON.stringify(await settingsApi.instrumentation('default', appId))).not.toContain('s3cret');

    // The tab's list of databases: nothing was seen on this fresh server.
    expect((await settingsApi.applications('default')).applications).toEqual([]);
  });
});
