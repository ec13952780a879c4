import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { POSTGRES_URL, postgresAvailable, serviceGate } from '@vigil/testkit';
import type { ConfigDb } from './config-db.ts';
import { expectError, raceWorkers, testBackends, type TestLocation } from './test-backends.ts';

const postgresReady = serviceGate(
  'Postgres',
  await postgresAvailable(),
  `start it with pg_ctlcluster 15 main start; tests connect to ${POSTGRES_URL}`,
);

const HOUR_MS = 3_600_000;
const ADMIN_PASSWORD = 'correct horse battery';

for (const backend of testBackends(postgresReady)) {
  describe.skipIf(!backend.enabled)(`config DB contract (${backend.name})`, () => {
    let location: TestLocation;
    let db: ConfigDb;
    let nowMs: number;
    const now = (): number => nowMs;
    const opened: ConfigDb[] = [];
    const open = async (): Promise<ConfigDb> => {
      const instance = await location.open(now);
      opened.push(instance);
      return instance;
    };

    beforeEach(async () => {
      nowMs = Date.UTC(2025, 0, 1);
      location = backend.create();
      db = await open();
      await db.ensureProject('default', 'Default');
    });

    afterEach(async () => {
      for (const instance of opened.splice(0)) await instance.close();
      await location.cleanup();
    });

    describe('migrations', () => {
      it('records each migration once however often the database is opened', async () => {
        const before = await location.migrationIds();
        expect(before.length).toBeGreaterThan(0);
        await db.close();
        const again = await open();
        expect(await location.migrationIds()).toEqual(before);
        expect(await again.getProject('default')).toMatchObject({ id: 'default', name: 'Default' });
      });

      it('lets two instances start at once on a fresh database (replicas racing to migrate)', async () => {
        const fresh = backend.create();
        try {
          const pair = await Promise.all([fresh.open(now), fresh.open(now)]);
          await pair[0].ensureProject('p', 'P');
          expect(await pair[1].getProject('p')).not.toBeNull();
          expect(await fresh.migrationIds()).toEqual(await location.migrationIds());
          for (const instance of pair) await instance.close();
        } finally {
          await fresh.cleanup();
        }
      });

      it('lets two processes start at once on a fresh database', async () => {
        const fresh = backend.create();
        try {
          await raceWorkers(fresh.options, 2);
          const reopened = await fresh.open(now);
          expect(await reopened.findProjectByApiKey('shared-bootstrap-key')).toBe('default');
          expect(await reopened.listApiKeys('default')).toHaveLength(1);
          await reopened.close();
          expect(await fresh.migrationIds()).toEqual(await location.migrationIds());
        } finally {
          await fresh.cleanup();
        }
      });

      it('keeps every kind of data across close and reopen', async () => {
        const key = await db.createApiKey('default', { description: 'agents' });
        const admin = await db.ensureAdmin('admin', ADMIN_PASSWORD);
        const session = await db.createSession(admin.id, HOUR_MS);
        const token = await db.createReadToken({ createdBy: admin.id, description: 'grafana' });
        await db.setSetting('default', 'retention', { days: 7 });
        await db.close();

        const reopened = await open();
        expect(await reopened.findProjectByApiKey(key.key)).toBe('default');
        expect(await reopened.verifyPassword('admin', ADMIN_PASSWORD)).toEqual(admin);
        expect((await reopened.findSession(session))?.user).toEqual(admin);
        expect(await reopened.findReadToken(token.token)).toEqual({ id: token.id, role: 'Viewer' });
        expect(await reopened.getSetting('default', 'retention')).toEqual({ days: 7 });
      });
    });

    describe('projects', () => {
      it('keeps the first name when a project is ensured again', async () => {
        const again = await db.ensureProject('default', 'Renamed');
        expect(again).toEqual({ id: 'default', name: 'Default', createdAt: nowMs });
        await db.ensureProject('staging', 'Staging');
        expect((await db.listProjects()).map((p) => p.id)).toEqual(['default', 'staging']);
        expect(await db.getProject('missing')).toBeNull();
        expect(await db.getProject('Not A Valid Id')).toBeNull();
      });
    });

    describe('ingestion API keys', () => {
      it('returns a generated key once and finds its project by it', async () => {
        const created = await db.createApiKey('default', { description: 'node agents' });
        expect(created.key).toMatch(/^vk_[A-Za-z0-9_-]{32}$/);
        expect(created.key.startsWith(created.prefix)).toBe(true);
        expect(created.prefix.length).toBeLessThan(created.key.length / 2);
        expect(await db.findProjectByApiKey(created.key)).toBe('default');

        const listed = await db.listApiKeys('default');
        expect(listed).toEqual([
          {
            id: created.id,
            projectId: 'default',
            prefix: created.prefix,
            description: 'node agents',
            createdAt: nowMs,
          },
        ]);
        expect(JSON.stringify(listed)).not.toContain(created.key);
      });

      it('stops accepting a key once it is deleted, and only its own project can delete it', async () => {
        await db.ensureProject('other', 'Other');
        const created = await db.createApiKey('default', { key: 'operator-chosen-key', description: '' });
        await expectError(
          db.deleteApiKey('other', created.id),
          'not_found',
          /project "other" has no API key/,
        );
        expect(await db.findProjectByApiKey('operator-chosen-key')).toBe('default');
        await db.deleteApiKey('default', created.id);
        expect(await db.findProjectByApiKey('operator-chosen-key')).toBeNull();
        expect(await db.listApiKeys('default')).toEqual([]);
        await expectError(db.deleteApiKey('default', created.id), 'not_found', created.id);
      });

      it.each([
        ['an unknown key', 'vk_unknown'],
        ['the key in another case', 'OPERATOR-CHOSEN-KEY'],
        ['a prefix of the key', 'operator-chosen'],
        ['an empty string', ''],
        ['an oversized header', 'k'.repeat(100_000)],
      ])('returns null for %s', async (_name, key) => {
        await db.createApiKey('default', { key: 'operator-chosen-key', description: '' });
        expect(await db.findProjectByApiKey(key)).toBeNull();
      });

      it('registers the bootstrap key once however often it is ensured', async () => {
        const first = await db.ensureApiKey('default', 'bootstrap-secret-key');
        nowMs += HOUR_MS;
        const second = await db.ensureApiKey('default', 'bootstrap-secret-key');
        expect(second).toEqual(first);
        expect(await db.listApiKeys('default')).toHaveLength(1);
        expect(first.prefix).toBe('boots');
        expect(await db.findProjectByApiKey('bootstrap-secret-key')).toBe('default');
      });

      it('refuses to register one key for two projects', async () => {
        await db.ensureProject('other', 'Other');
        await db.ensureApiKey('default', 'bootstrap-secret-key');
        await expectError(db.ensureApiKey('other', 'bootstrap-secret-key'), 'conflict', /already registered/);
        await expectError(
          db.createApiKey('other', { key: 'bootstrap-secret-key', description: '' }),
          'conflict',
          'this API key is already registered',
        );
      });

      it('refuses keys for a project that does not exist', async () => {
        await expectError(
          db.createApiKey('nope', { description: '' }),
          'not_found',
          'project "nope" does not exist',
        );
        await expectError(
          db.ensureApiKey('nope', 'bootstrap-key'),
          'not_found',
          'project "nope" does not exist',
        );
      });
    });

    describe('users and passwords', () => {
      it('creates the bootstrap admin and verifies its password', async () => {
        const admin = await db.ensureAdmin('admin', ADMIN_PASSWORD);
        expect(admin).toMatchObject({ username: 'admin', role: 'Admin' });
        expect(await db.getUser(admin.id)).toEqual(admin);
        expect(await db.verifyPassword('admin', ADMIN_PASSWORD)).toEqual(admin);
        expect(await db.verifyPassword('admin', `${ADMIN_PASSWORD}!`)).toBeNull();
        expect(await db.verifyPassword('Admin', ADMIN_PASSWORD)).toBeNull();
        expect(await db.verifyPassword('nobody', ADMIN_PASSWORD)).toBeNull();
        expect(await db.verifyPassword('bad name!', ADMIN_PASSWORD)).toBeNull();
      });

      it('keeps an existing admin password unless asked to reset it', async () => {
        const admin = await db.ensureAdmin('admin', ADMIN_PASSWORD);
        expect(await db.ensureAdmin('admin', 'another password')).toEqual(admin);
        expect(await db.verifyPassword('admin', 'another password')).toBeNull();

        await db.ensureAdmin('admin', 'another password', { resetPassword: true });
        expect(await db.verifyPassword('admin', 'another password')).toEqual(admin);
        expect(await db.verifyPassword('admin', ADMIN_PASSWORD)).toBeNull();
      });

      it('refuses a second user with the same username', async () => {
        await db.createUser({ username: 'bob', password: 'password1', role: 'Viewer' });
        await expectError(
          db.createUser({ username: 'bob', password: 'password2', role: 'Editor' }),
          'conflict',
          'username "bob" is already taken',
        );
        expect((await db.listUsers()).map((u) => [u.username, u.role])).toEqual([['bob', 'Viewer']]);
      });
    });

    describe('sessions', () => {
      it('finds a session until it expires, then forgets it', async () => {
        const user = await db.createUser({ username: 'carol', password: 'password1', role: 'Editor' });
        const token = await db.createSession(user.id, HOUR_MS);
        expect(await db.findSession(token)).toEqual({ user, expiresAt: nowMs + HOUR_MS });

        nowMs += HOUR_MS;
        expect(await db.findSession(token)).toBeNull();
        nowMs -= HOUR_MS; // the expired session was deleted, not merely hidden
        expect(await db.findSession(token)).toBeNull();
      });

      it('forgets a session on logout and ignores tokens it never issued', async () => {
        const user = await db.createUser({ username: 'dave', password: 'password1', role: 'Viewer' });
        const token = await db.createSession(user.id, HOUR_MS);
        await db.deleteSession(token);
        expect(await db.findSession(token)).toBeNull();
        await db.deleteSession(token);
        expect(await db.findSession('never-issued')).toBeNull();
        await expectError(
          db.createSession('no-such-user', HOUR_MS),
          'not_found',
          'user "no-such-user" does not exist',
        );
      });
    });

    describe('read API tokens', () => {
      it('grants Viewer by default and nothing once revoked', async () => {
        const admin = await db.ensureAdmin('admin', ADMIN_PASSWORD);
        const created = await db.createReadToken({ createdBy: admin.id, description: 'grafana' });
        expect(created.token).toMatch(/^vr_[A-Za-z0-9_-]{32}$/);
        expect(await db.findReadToken(created.token)).toEqual({ id: created.id, role: 'Viewer' });

        nowMs += 1000;
        await db.revokeReadToken(created.id);
        expect(await db.findReadToken(created.token)).toBeNull();
        nowMs += 1000;
        await db.revokeReadToken(created.id);
        const [listed] = await db.listReadTokens();
        expect(listed).toMatchObject({ id: created.id, createdBy: admin.id, revokedAt: nowMs - 1000 });
        expect(JSON.stringify(listed)).not.toContain(created.token);
      });

      it('keeps a token to its project and role', async () => {
        const admin = await db.ensureAdmin('admin', ADMIN_PASSWORD);
        const created = await db.createReadToken({
          createdBy: admin.id,
          description: 'ci',
          role: 'Editor',
          projectId: 'default',
        });
        expect(await db.findReadToken(created.token)).toEqual({
          id: created.id,
          role: 'Editor',
          projectId: 'default',
        });
        expect(await db.findReadToken('vr_wrong')).toBeNull();
      });

      it('lets only an Admin create tokens, for projects that exist', async () => {
        const admin = await db.ensureAdmin('admin', ADMIN_PASSWORD);
        const viewer = await db.createUser({ username: 'eve', password: 'password1', role: 'Viewer' });
        await expectError(
          db.createReadToken({ createdBy: viewer.id, description: '' }),
          'forbidden',
          /only an Admin/,
        );
        await expectError(
          db.createReadToken({ createdBy: 'ghost', description: '' }),
          'not_found',
          /"ghost"/,
        );
        await expectError(
          db.createReadToken({ createdBy: admin.id, description: '', projectId: 'nope' }),
          'not_found',
          'project "nope" does not exist',
        );
        await expectError(db.revokeReadToken('missing'), 'not_found', /"missing"/);
      });
    });

    describe('settings', () => {
      it('stores JSON values per project', async () => {
        await db.ensureProject('other', 'Other');
        expect(await db.getSetting('default', 'sla')).toBeUndefined();
        await db.setSetting('default', 'sla', { latencyMs: 500, objective: 99.9 });
        await db.setSetting('default', 'sla', { latencyMs: 250, objective: 99 });
        await db.setSetting('other', 'sla', null);
        expect(await db.getSetting('default', 'sla')).toEqual({ latencyMs: 250, objective: 99 });
        expect(await db.getSetting('other', 'sla')).toBeNull();
        await expectError(db.setSetting('nope', 'sla', 1), 'not_found', 'project "nope" does not exist');
      });
    });

    describe('validation', () => {
      const long = (n: number): string => 'a'.repeat(n);
      it.each<[string, (db: ConfigDb) => Promise<unknown>, string | RegExp]>([
        [
          'a username with a space',
          (d) => d.createUser({ username: 'bad name', password: 'password1', role: 'Viewer' }),
          'username must be 1-64 characters',
        ],
        ['an empty username', (d) => d.ensureAdmin('', ADMIN_PASSWORD), 'username must be 1-64 characters'],
        [
          'a 65-character username',
          (d) => d.createUser({ username: long(65), password: 'password1', role: 'Viewer' }),
          'username must be 1-64',
        ],
        [
          'a 7-character password',
          (d) => d.createUser({ username: 'frank', password: 'short12', role: 'Viewer' }),
          'password must be at least 8 characters',
        ],
        [
          'an unknown role',
          (d) => d.createUser({ username: 'frank', password: 'password1', role: 'Root' as 'Admin' }),
          'role must be one of Admin, Editor, Viewer',
        ],
        [
          'several problems at once',
          (d) => d.createUser({ username: '', password: '', role: 'Viewer' }),
          /username must .*; password must/,
        ],
        [
          'a project id with capitals',
          (d) => d.ensureProject('Prod', 'Prod'),
          'project id must be 1-64 characters',
        ],
        ['an empty project name', (d) => d.ensureProject('prod', '  '), 'project name must not be empty'],
        [
          'an API key with a space',
          (d) => d.createApiKey('default', { key: 'has space', description: '' }),
          'API key must be 1-256 printable ASCII',
        ],
        [
          'a 257-character description',
          (d) => d.createApiKey('default', { description: long(257) }),
          'description must be at most 256',
        ],
        ['a zero session TTL', (d) => d.createSession('someone', 0), 'session TTL must be positive'],
        ['a setting key with a slash', (d) => d.setSetting('default', 'a/b', 1), 'setting key must be 1-128'],
        [
          'a setting value JSON cannot hold',
          (d) => d.setSetting('default', 'k', undefined),
          'setting value must be JSON-serialisable',
        ],
        [
          'a read token with an unknown role',
          (d) => d.createReadToken({ createdBy: 'x', description: '', role: 'Owner' as 'Admin' }),
          'role must be one of',
        ],
      ])('rejects %s with a message saying what is wrong', async (_name, call, message) => {
        await expectError(call(db), 'bad_request', message);
      });
    });
  });
}
