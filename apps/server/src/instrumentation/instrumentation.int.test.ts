import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { World } from '@vigil/model';
import type { ConfigDb } from '../configdb/index.ts';
import { testBackends, type TestLocation } from '../configdb/test-backends.ts';
import { parseSecretKey, SecretBox } from '../secrets/index.ts';
import { databaseTargets } from './database-targets.ts';
import { InstrumentationSettings, type Instrumentation } from './instrumentation-settings.ts';

const box = new SecretBox(parseSecretKey(randomBytes(32).toString('hex'), 'VIGIL_SECRET_KEY'));
const [sqlite] = testBackends(false);

describe('instrumentation settings (SQLite config DB)', () => {
  let location: TestLocation;
  let db: ConfigDb;
  let settings: InstrumentationSettings;
  beforeEach(async () => {
    location = sqlite!.create();
    db = await location.open(Date.now);
    await db.ensureProject('default', 'Default');
    settings = new InstrumentationSettings(db, box);
  });
  afterEach(async () => {
    await db.close();
    await location.cleanup();
  });

  it('seals the password, never shows it, keeps it when left out and clears it with ""', async () => {
    const view = await settings.set('default', '/k8s/db/pg', {
      credentials: { username: 'vigil', password: 's3cret' },
      params: { sslmode: 'disable' },
    });
    expect(view).toEqual({
      credentials: { username: 'vigil', passwordSet: true },
      params: { sslmode: 'disable' },
      disabled: false,
    });
    expect(JSON.stringify(await db.getSetting('default', 'instrumentation'))).not.toContain('s3cret');
    expect((await settings.all('default')).get('/k8s/db/pg')!.password).toBe('s3cret');
    await settings.set('default', '/k8s/db/pg', { port: 6432, credentials: { username: 'vigil' } });
    expect((await settings.all('default')).get('/k8s/db/pg')).toMatchObject({
      port: 6432,
      password: 's3cret',
    });
    await settings.set('default', '/k8s/db/pg', { credentials: { password: '' } });
    expect((await settings.all('default')).get('/k8s/db/pg')!.password).toBeUndefined();
  });

  it('refuses what it cannot use, saying what', async () => {
    await expect(settings.set('default', '/a', { type: 'oracle' })).rejects.toThrow(
      /type must be one of postgres/,
    );
    await expect(settings.set('default', '/a', { port: 0 })).rejects.toThrow(/port/);
  });
});

describe('database targets from the model', () => {
  const instance = (id: string, node: string, listens: string[]) => ({ id, node, listens });
  const world = {
    nodes: [{ name: 'node-a', ips: ['10.0.0.11'] }],
    applications: [
      {
        id: '/k8s/db/pg',
        kind: 'kubernetes',
        types: ['postgres'],
        instances: [instance('/k8s/db/pg-0/postgres', 'node-a', ['10.42.0.5:5432', '10.42.0.5:9187'])],
      },
      {
        id: '/host/redis',
        kind: 'process',
        types: ['redis'],
        instances: [instance('/host/redis', 'node-a', ['0.0.0.0:6379'])],
      },
      {
        id: '/k8s/db/mysql',
        kind: 'kubernetes',
        types: ['mysql'],
        instances: [instance('/k8s/db/mysql-0/mysql', 'node-a', ['10.42.0.7:3306'])],
      },
      {
        id: '/k8s/shop/api',
        kind: 'kubernetes',
        types: ['golang'],
        instances: [instance('/k8s/shop/api-0/api', 'node-a', ['10.42.0.9:8080'])],
      },
      { id: 'external:10.9.9.9:5432', kind: 'external', types: ['postgres'], instances: [] },
    ],
  } as unknown as World;

  it("lists database instances on their type's port, with what was saved for them", () => {
    const saved = new Map<string, Instrumentation>([
      ['/k8s/db/pg', { username: 'vigil', password: 'p', params: { database: 'shop' }, disabled: false }],
      ['/k8s/db/mysql', { params: {}, disabled: true }],
    ]);
    expect(databaseTargets(world, saved)).toEqual([
      {
        type: 'postgres',
        host: '10.42.0.5',
        port: '5432',
        credentials: { username: 'vigil', password: 'p' },
        params: { database: 'shop' },
        instance: '/k8s/db/pg-0/postgres',
      },
      // A wildcard listen is reached at the node's address.
      {
        type: 'redis',
        host: '10.0.0.11',
        port: '6379',
        credentials: { username: '', password: '' },
        params: {},
        instance: '/host/redis',
      },
    ]);
  });
});
