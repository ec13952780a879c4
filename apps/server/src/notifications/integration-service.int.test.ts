import { randomBytes } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { POSTGRES_URL, postgresAvailable, serviceGate } from '@vigil/testkit';
import type { ConfigDb } from '../configdb/index.ts';
import { testBackends, type TestLocation } from '../configdb/test-backends.ts';
import { parseSecretKey, SecretBox } from '../secrets/index.ts';
import { IntegrationService } from './integration-service.ts';

const postgresReady = serviceGate(
  'Postgres',
  await postgresAvailable(),
  `start it with pg_ctlcluster 15 main start; tests connect to ${POSTGRES_URL}`,
);

const BOT_TOKEN = 'xoxb-1111-2222-secretbottoken';
const HEADER_TOKEN = 'header-secret-0123456789';
const PASSWORD = 'basic-auth-password-42';

const newBox = (): SecretBox =>
  new SecretBox(parseSecretKey(randomBytes(32).toString('hex'), 'VIGIL_SECRET_KEY'));

/** The integrations table as stored, read past the config DB code. */
async function rawRows(location: TestLocation): Promise<Record<string, unknown>[]> {
  const { dataDir, pgSchema } = location.options;
  if (pgSchema === undefined) {
    const db = new Database(path.join(dataDir, 'vigil.db'), { readonly: true });
    try {
      return db.prepare('SELECT * FROM integrations').all() as Record<string, unknown>[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return (await client.query(`SELECT * FROM "${pgSchema}".integrations`)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

for (const backend of testBackends(postgresReady)) {
  describe.skipIf(!backend.enabled)(`integration secrets (${backend.name})`, () => {
    let location: TestLocation;
    let db: ConfigDb;
    let service: IntegrationService;

    beforeEach(async () => {
      location = backend.create();
      db = await location.open(Date.now);
      await db.ensureProject('default', 'Default');
      service = new IntegrationService(db, newBox());
    });
    afterEach(async () => {
      await db.close();
      await location.cleanup();
    });

    it('stores secrets encrypted: no plaintext anywhere in the row', async () => {
      await service.put('default', 'slack', { config: { botToken: BOT_TOKEN, channel: '#ops' } });
      await service.put('default', 'webhook', {
        config: {
          url: 'http://127.0.0.1:9/hook',
          headers: { 'X-Token': HEADER_TOKEN },
          username: 'u',
          password: PASSWORD,
        },
      });
      const rows = await rawRows(location);
      expect(rows).toHaveLength(2);
      const text = JSON.stringify(rows);
      for (const secret of [BOT_TOKEN, HEADER_TOKEN, PASSWORD, 'secretbottoken'])
        expect(text).not.toContain(secret);
      // What is not secret stays readable, for support and for the UI.
      expect(text).toContain('#ops');
      expect(text).toContain('http://127.0.0.1:9/hook');
      for (const row of rows) expect(row.sealed_secrets).toMatch(/^v1\.[0-9a-f]{8}\./);
    });

    it('shows secrets masked and keeps them when an update omits them or sends the mask back', async () => {
      const created = await service.put('default', 'webhook', {
        config: {
          url: 'http://a.example/',
          headers: { 'X-Token': HEADER_TOKEN, 'X-Short': 'abc' },
          username: 'u',
          password: PASSWORD,
        },
      });
      expect(created.config).toEqual({
        url: 'http://a.example/',
        headers: { 'X-Token': '••••6789', 'X-Short': '••••' },
        username: 'u',
        password: '••••d-42',
      });
      // The UI sends back what it read, changing only the URL and dropping one header.
      await service.put('default', 'webhook', {
        config: { ...created.config, url: 'http://b.example/', headers: { 'X-Token': '••••6789' } },
      });
      // A client that knows nothing of secrets changes a flag only.
      await service.put('default', 'webhook', { deployments: false });
      const target = await service.targetOf('default', 'webhook');
      expect(target.config).toEqual({
        url: 'http://b.example/',
        headers: { 'X-Token': HEADER_TOKEN },
        username: 'u',
        password: PASSWORD,
      });
      expect(target.deployments).toBe(false);
    });

    it('removes a secret set to null and refuses a mask with nothing stored behind it', async () => {
      await service.put('default', 'slack', {
        config: { webhookUrl: 'https://hooks.example/services/T/B/XYZXYZXYZXYZ' },
      });
      await expect(
        service.put('default', 'slack', {
          config: { webhookUrl: null, botToken: '••••oken', channel: '#c' },
        }),
      ).rejects.toThrow('botToken: no stored secret to keep; enter the value');
      const switched = await service.put('default', 'slack', {
        config: { webhookUrl: null, botToken: BOT_TOKEN, channel: '#c' },
      });
      expect(switched.config).toEqual({ botToken: '••••oken', channel: '#c' });
    });

    it('reports secrets sealed with another VIGIL_SECRET_KEY clearly, and accepts them entered again', async () => {
      await service.put('default', 'opsgenie', {
        config: { apiKey: 'eb243592-faa2-4ba2-a551-1afdf565c889' },
      });
      const rekeyed = new IntegrationService(db, newBox());
      const view = await rekeyed.get('default', 'opsgenie');
      expect(view.secretsError).toMatch(
        /^the secrets of integration default\/opsgenie were encrypted with key [0-9a-f]{8}, but the key in use \(VIGIL_SECRET_KEY\) is [0-9a-f]{8}: set VIGIL_SECRET_KEY to the key they were encrypted with, or enter the secrets again$/,
      );
      expect(view.config).toEqual({});
      await expect(rekeyed.targetOf('default', 'opsgenie')).rejects.toThrow(/encrypted with key/);
      await expect(rekeyed.put('default', 'opsgenie', { enabled: false })).rejects.toThrow(
        /apiKey.*\(the secrets of integration default\/opsgenie were encrypted with key/,
      );
      const fixed = await rekeyed.put('default', 'opsgenie', {
        config: { apiKey: '11111111-2222-3333-4444-555555555555' },
      });
      expect(fixed.secretsError).toBeUndefined();
      expect(fixed.config).toEqual({ apiKey: '••••5555' });
    });
  });
}
