import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.stop();
});

interface Answer<T> {
  status: number;
  body: T;
}
type ErrorBody = { error: { code: string; message: string } };

/** Sends JSON as `cookie` (the admin's session by default); 204 answers have no body. */
async function send<T = unknown>(method: string, path: string, body?: unknown, cookie?: string) {
  const headers: Record<string, string> = { cookie: cookie ?? (await t.login()) };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${t.api}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text === '' ? undefined : JSON.parse(text)) as T } as Answer<T>;
}

async function loginAs(username: string, password: string): Promise<string> {
  const res = await fetch(`${t.api}/api/v1/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  expect(res.status).toBe(200);
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

/** Posts an empty OTLP/JSON metrics request with `key`; resolves to the status. */
async function ingest(key: string): Promise<number> {
  const res = await fetch(`${t.otlpHttp}/v1/metrics`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-API-Key': key },
    body: JSON.stringify({ resourceMetrics: [] }),
  });
  await res.arrayBuffer();
  return res.status;
}

async function viewerCookie(username: string): Promise<string> {
  const created = await send('POST', '/api/v1/users', {
    username,
    password: 'viewer-password',
    role: 'Viewer',
  });
  expect(created.status).toBe(201);
  return loginAs(username, 'viewer-password');
}

describe('projects', () => {
  it('creates a project, lists it, refuses a taken id, and deletes it', async () => {
    const created = await send<{ id: string; name: string }>('POST', '/api/v1/projects', {
      id: 'shop',
      name: 'Shop',
    });
    expect(created).toMatchObject({ status: 201, body: { id: 'shop', name: 'Shop' } });
    const list = await send<{ projects: Array<{ id: string }> }>('GET', '/api/v1/projects');
    expect(list.body.projects.map((p) => p.id)).toEqual(['default', 'shop']);
    const again = await send<ErrorBody>('POST', '/api/v1/projects', { id: 'shop', name: 'Shop 2' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe('project "shop" already exists');
    expect((await send('DELETE', '/api/v1/projects/shop')).status).toBe(204);
    expect((await send('DELETE', '/api/v1/projects/shop')).status).toBe(404);
  });

  it('explains a bad project id, and never deletes the default project', async () => {
    const bad = await send<ErrorBody>('POST', '/api/v1/projects', { id: 'Bad Id', name: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/project id must be 1-64 characters of a-z/);
    const missing = await send<ErrorBody>('POST', '/api/v1/projects', { name: 'x' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toBe('invalid project: id: id is required');
    const def = await send<ErrorBody>('DELETE', '/api/v1/projects/default');
    expect(def.status).toBe(409);
  });

  it('lets a Viewer list projects but not create them', async () => {
    const cookie = await viewerCookie('project-viewer');
    expect((await send('GET', '/api/v1/projects', undefined, cookie)).status).toBe(200);
    const refused = await send<ErrorBody>('POST', '/api/v1/projects', { id: 'x', name: 'x' }, cookie);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe('this needs the Admin role; you have Viewer');
  });
});

describe('ingestion API keys', () => {
  it('shows a new key once, lists only its prefix, and refuses it at ingestion once revoked', async () => {
    const path = '/api/v1/projects/default/api-keys';
    const created = await send<{ id: string; key: string; prefix: string }>('POST', path, {
      description: 'node agents in eu-west',
    });
    expect(created.status).toBe(201);
    const { id, key, prefix } = created.body;
    expect(key).toMatch(/^vk_[A-Za-z0-9_-]{32}$/);
    expect(key.startsWith(prefix)).toBe(true);

    const listed = await send<{ keys: Array<Record<string, unknown>> }>('GET', path);
    const row = listed.body.keys.find((k) => k.id === id);
    expect(row).toMatchObject({ prefix, description: 'node agents in eu-west' });
    expect(JSON.stringify(listed.body)).not.toContain(key);

    expect((await send('DELETE', `${path}/${id}`)).status).toBe(204);
    // Never used before revocation, so the ingest auth cache holds nothing for it.
    expect(await ingest(key)).toBe(401);
  });

  it('accepts a key at ingestion until it is revoked, then refuses it', async () => {
    const path = '/api/v1/projects/default/api-keys';
    const { body } = await send<{ id: string; key: string }>('POST', path, { description: 'used' });
    expect(await ingest(body.key)).toBe(200);
    expect((await send('DELETE', `${path}/${body.id}`)).status).toBe(204);
    // The ingest auth cache had the key (it was just used): revoking forgets it, so the very
    // next request is refused, not one after the cache's 10 s.
    expect(await ingest(body.key)).toBe(401);
  });

  it('needs a description and an Admin', async () => {
    const path = '/api/v1/projects/default/api-keys';
    const empty = await send<ErrorBody>('POST', path, { description: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/description must not be empty/);
    const chosen = await send<ErrorBody>('POST', path, { description: 'x', key: 'my-own-key' });
    expect(chosen.status).toBe(400);
    const cookie = await viewerCookie('key-viewer');
    expect((await send('GET', path, undefined, cookie)).status).toBe(403);
    expect((await send('POST', path, { description: 'x' }, cookie)).status).toBe(403);
    expect((await send('GET', '/api/v1/projects/nope/api-keys')).status).toBe(404);
  });
});

describe('users', () => {
  it('creates a user, changes the role and password, and deletes the user', async () => {
    const created = await send<{ id: string; role: string }>('POST', '/api/v1/users', {
      username: 'alice',
      password: 'alice-password',
      role: 'Editor',
    });
    expect(created.status).toBe(201);
    expect(JSON.stringify(created.body)).not.toContain('password');
    const { id } = created.body;
    const old = await loginAs('alice', 'alice-password');
    const changed = await send<{ role: string }>('PUT', `/api/v1/users/${id}`, {
      role: 'Viewer',
      password: 'new-alice-password',
    });
    expect(changed).toMatchObject({ status: 200, body: { role: 'Viewer' } });
    // A new password ends the sessions opened with the old one.
    expect((await send('GET', '/api/v1/me', undefined, old)).status).toBe(401);
    await loginAs('alice', 'new-alice-password');
    const users = await send<{ users: Array<{ username: string; role: string }> }>('GET', '/api/v1/users');
    expect(users.body.users).toContainEqual(expect.objectContaining({ username: 'alice', role: 'Viewer' }));
    expect((await send('DELETE', `/api/v1/users/${id}`)).status).toBe(204);
  });

  it('explains bad input and refuses non-Admins', async () => {
    const short = await send<ErrorBody>('POST', '/api/v1/users', {
      username: 'bob',
      password: 'short',
      role: 'Viewer',
    });
    expect(short.status).toBe(400);
    expect(short.body.error.message).toBe('invalid user: password: password must be at least 8 characters');
    const role = await send<ErrorBody>('POST', '/api/v1/users', {
      username: 'bob',
      password: 'long-enough',
      role: 'Owner',
    });
    expect(role.body.error.message).toBe('invalid user: role: role must be one of Admin, Editor, Viewer');
    const nothing = await send<ErrorBody>('PUT', '/api/v1/users/whoever', {});
    expect(nothing.body.error.message).toBe('invalid user: nothing to change: send role and/or password');
    const cookie = await viewerCookie('user-viewer');
    expect((await send('GET', '/api/v1/users', undefined, cookie)).status).toBe(403);
  });

  it('never demotes or deletes the last Admin', async () => {
    const users = await send<{ users: Array<{ id: string; username: string }> }>('GET', '/api/v1/users');
    const admin = users.body.users.find((u) => u.username === 'admin');
    if (admin === undefined) throw new Error('no bootstrap admin');
    const demote = await send<ErrorBody>('PUT', `/api/v1/users/${admin.id}`, { role: 'Editor' });
    expect(demote.status).toBe(409);
    expect(demote.body.error.message).toBe(
      'at least one Admin must remain: make another user an Admin first',
    );
    // An Admin read token is an Admin that is not the user, so the rule is what refuses.
    const token = await send<{ token: string }>('POST', '/api/v1/tokens', { role: 'Admin' });
    const asToken = async (method: string, path: string): Promise<Answer<ErrorBody>> => {
      const res = await fetch(`${t.api}${path}`, {
        method,
        headers: { authorization: `Bearer ${token.body.token}` },
      });
      const text = await res.text();
      return { status: res.status, body: (text === '' ? undefined : JSON.parse(text)) as ErrorBody };
    };
    const lastDelete = await asToken('DELETE', `/api/v1/users/${admin.id}`);
    expect(lastDelete.status).toBe(409);
    expect(lastDelete.body.error.message).toMatch(/^at least one Admin must remain/);
    // With two Admins one may go.
    const other = await send<{ id: string }>('POST', '/api/v1/users', {
      username: 'second-admin',
      password: 'second-password',
      role: 'Admin',
    });
    expect((await asToken('DELETE', `/api/v1/users/${other.body.id}`)).status).toBe(204);
    const self = await send<ErrorBody>('DELETE', `/api/v1/users/${admin.id}`);
    expect(self.body.error.message).toBe('you cannot delete your own account: ask another Admin');
  });
});

describe('status', () => {
  it('reports the backends and the metrics cache to a Viewer', async () => {
    const cookie = await viewerCookie('status-viewer');
    const res = await send<Record<string, Record<string, unknown>>>(
      'GET',
      '/api/v1/status',
      undefined,
      cookie,
    );
    expect(res.status).toBe(200);
    expect(res.body.configDb).toMatchObject({ kind: 'sqlite', ok: true });
    expect(res.body.telemetry).toMatchObject({ kind: 'chdb', ok: true });
    expect(res.body.metrics).toMatchObject({ kind: 'embedded', ok: true });
    expect(res.body.cache).toHaveProperty('enabled');
    const bad = await send<ErrorBody>('GET', '/api/v1/status?project=', undefined, cookie);
    expect(bad.status).toBe(400);
  });
});
