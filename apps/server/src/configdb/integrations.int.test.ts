import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { POSTGRES_URL, postgresAvailable, serviceGate } from '@vigil/testkit';
import type { ConfigDb, PutIntegrationInput } from './config-db.ts';
import { expectError, testBackends, type TestLocation } from './test-backends.ts';

const postgresReady = serviceGate(
  'Postgres',
  await postgresAvailable(),
  `start it with pg_ctlcluster 15 main start; tests connect to ${POSTGRES_URL}`,
);

const slack: PutIntegrationInput = {
  type: 'slack',
  enabled: true,
  incidents: true,
  deployments: false,
  settings: { channel: '#ops' },
  sealedSecrets: 'v1.sealed',
};

for (const backend of testBackends(postgresReady)) {
  describe.skipIf(!backend.enabled)(`config DB integrations (${backend.name})`, () => {
    let location: TestLocation;
    let db: ConfigDb;
    let nowMs: number;

    beforeEach(async () => {
      nowMs = Date.UTC(2025, 0, 1);
      location = backend.create();
      db = await location.open(() => nowMs);
      await db.ensureProject('default', 'Default');
      await db.ensureProject('other', 'Other');
    });

    afterEach(async () => {
      await db.close();
      await location.cleanup();
    });

    it('creates an integration, lists it per project and reads it back field by field', async () => {
      const created = await db.putIntegration('default', slack);
      expect(created).toEqual({
        projectId: 'default',
        ...slack,
        createdAt: nowMs,
        updatedAt: nowMs,
      });
      await db.putIntegration('default', { ...slack, type: 'opsgenie', enabled: false, settings: {} });
      expect((await db.listIntegrations('default')).map((i) => [i.type, i.enabled])).toEqual([
        ['opsgenie', false],
        ['slack', true],
      ]);
      expect(await db.listIntegrations('other')).toEqual([]);
      expect(await db.getIntegration('other', 'slack')).toBeNull();
    });

    it('replaces an integration on a second put but keeps its creation time and delivery status', async () => {
      await db.putIntegration('default', slack);
      nowMs += 1000;
      await db.recordIntegrationDelivery('default', 'slack', { ok: false, atMs: nowMs, error: 'HTTP 500' });
      await db.recordIntegrationDelivery('default', 'slack', { ok: true, atMs: nowMs + 1 });
      nowMs += 1000;
      const updated = await db.putIntegration('default', {
        ...slack,
        deployments: true,
        settings: { channel: '#deploys' },
        sealedSecrets: 'v1.other',
      });
      expect(updated).toMatchObject({
        deployments: true,
        settings: { channel: '#deploys' },
        sealedSecrets: 'v1.other',
        createdAt: nowMs - 2000,
        updatedAt: nowMs,
        lastError: 'HTTP 500',
        lastErrorAt: nowMs - 1000,
        lastSuccessAt: nowMs - 999,
      });
    });

    it('keeps incident thread references per integration and drops them with it', async () => {
      await db.putIntegration('default', slack);
      expect(await db.getIntegrationThread('default', 'slack', 'inc-1')).toBeNull();
      await db.setIntegrationThread('default', 'slack', 'inc-1', '{"ts":"1.0"}');
      await db.setIntegrationThread('default', 'slack', 'inc-1', '{"ts":"2.0"}');
      expect(await db.getIntegrationThread('default', 'slack', 'inc-1')).toBe('{"ts":"2.0"}');
      await db.deleteIntegrationThread('default', 'slack', 'inc-1');
      expect(await db.getIntegrationThread('default', 'slack', 'inc-1')).toBeNull();

      await db.setIntegrationThread('default', 'slack', 'inc-2', '{"ts":"3.0"}');
      await db.deleteIntegration('default', 'slack');
      await db.putIntegration('default', slack);
      expect(await db.getIntegrationThread('default', 'slack', 'inc-2')).toBeNull();
    });

    it('refuses bad input, missing projects and missing integrations with clear errors', async () => {
      await expectError(
        db.putIntegration('default', { ...slack, type: 'Slack!' }),
        'bad_request',
        /integration type/,
      );
      await expectError(db.putIntegration('missing', slack), 'not_found', 'project "missing" does not exist');
      await expectError(
        db.deleteIntegration('default', 'slack'),
        'not_found',
        'project "default" has no slack integration',
      );
      await expectError(
        db.setIntegrationThread('default', 'slack', 'inc-1', 'x'),
        'not_found',
        'project "default" has no slack integration',
      );
      await expectError(
        db.putIntegration('default', { ...slack, settings: { big: 'x'.repeat(70_000) } }),
        'bad_request',
        'integration settings must be at most 64 KiB as JSON',
      );
      // Recording a delivery for an integration deleted meanwhile is not an error.
      await db.recordIntegrationDelivery('default', 'slack', { ok: true, atMs: nowMs });
    });
  });
}
