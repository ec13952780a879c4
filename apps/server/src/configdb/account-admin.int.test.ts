import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { POSTGRES_URL, postgresAvailable, serviceGate } from '@vigil/testkit';
import { LAST_ADMIN_MESSAGE } from './account-admin.ts';
import type { ConfigDb } from './config-db.ts';
import { expectError, testBackends, type TestLocation } from './test-backends.ts';

const postgresReady = serviceGate(
  'Postgres',
  await postgresAvailable(),
  `start it with pg_ctlcluster 15 main start; tests connect to ${POSTGRES_URL}`,
);

for (const backend of testBackends(postgresReady)) {
  describe.skipIf(!backend.enabled)(`account administration (${backend.name})`, () => {
    let location: TestLocation;
    let db: ConfigDb;

    beforeEach(async () => {
      location = backend.create();
      db = await location.open(() => Date.UTC(2025, 0, 1));
      await db.ensureProject('default', 'Default');
    });
    afterEach(async () => {
      await db.close();
      await location.cleanup();
    });

    it('creates a project once, and deletes it with its keys', async () => {
      await db.createProject('shop', 'Shop');
      await expectError(db.createProject('shop', 'Again'), 'conflict', 'project "shop" already exists');
      const { key } = await db.createApiKey('shop', { description: 'agents' });
      await db.deleteProject('shop');
      expect(await db.findProjectByApiKey(key)).toBeNull();
      await expectError(db.deleteProject('shop'), 'not_found', 'project "shop" does not exist');
      await expectError(db.createProject('Bad Id', 'x'), 'bad_request', /project id must be/);
    });

    it('never demotes or deletes the last Admin, and allows it once another Admin exists', async () => {
      const admin = await db.ensureAdmin('admin', 'admin-password');
      await expectError(db.setUserRole(admin.id, 'Viewer'), 'conflict', LAST_ADMIN_MESSAGE);
      await expectError(db.deleteUser(admin.id), 'conflict', LAST_ADMIN_MESSAGE);
      expect((await db.setUserRole(admin.id, 'Admin')).role).toBe('Admin');

      const other = await db.createUser({ username: 'bob', password: 'bob-password', role: 'Editor' });
      await expectError(db.setUserRole(admin.id, 'Editor'), 'conflict', LAST_ADMIN_MESSAGE);
      expect((await db.setUserRole(other.id, 'Admin')).role).toBe('Admin');
      expect((await db.setUserRole(admin.id, 'Viewer')).role).toBe('Viewer');
      await expectError(db.deleteUser(other.id), 'conflict', LAST_ADMIN_MESSAGE);
      await db.deleteUser(admin.id);
      expect((await db.listUsers()).map((u) => u.username)).toEqual(['bob']);
      await expectError(db.deleteUser(admin.id), 'not_found', /no user with id/);
      await expectError(db.setUserRole('missing', 'Viewer'), 'not_found', /no user with id/);
    });

    it('changes a password and ends every session but the one kept', async () => {
      const user = await db.createUser({ username: 'carol', password: 'old-password', role: 'Viewer' });
      const kept = await db.createSession(user.id, 60_000);
      const other = await db.createSession(user.id, 60_000);
      await db.setUserPassword(user.id, 'new-password', kept);
      expect(await db.verifyPassword('carol', 'old-password')).toBeNull();
      expect((await db.verifyPassword('carol', 'new-password'))?.id).toBe(user.id);
      expect(await db.findSession(kept)).not.toBeNull();
      expect(await db.findSession(other)).toBeNull();
      await expectError(db.setUserPassword(user.id, 'short'), 'bad_request', /at least 8 characters/);
    });
  });
}
