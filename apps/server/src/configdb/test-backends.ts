import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import pg from 'pg';
import { AppError, silentLogger, type ErrorCode } from '@vigil/core';
import { POSTGRES_URL, makeTempDir, uniqueDatabaseName } from '@vigil/testkit';
import type { ConfigDb, OpenConfigDbOptions } from './config-db.ts';
import { openConfigDb } from './open-config-db.ts';
import { SQLITE_FILE_NAME } from './sqlite-config-db.ts';

/**
 * The two config DB backends as test fixtures, so one contract suite runs against both. Each
 * `create()` gives a fresh, empty location (a temp dir or a Postgres schema) that can be opened
 * several times, to test reopening, and is removed by `cleanup()`.
 */
export interface TestBackend {
  name: 'sqlite' | 'postgres';
  /** False when the service is missing (the gate has printed why, or thrown under CI). */
  enabled: boolean;
  create(): TestLocation;
}

export interface TestLocation {
  /** What to pass to openConfigDb (also from another process) to open this location. */
  options: OpenConfigDbOptions;
  open(now: () => number): Promise<ConfigDb>;
  /** Ids recorded in schema_migrations, read with a separate raw connection. */
  migrationIds(): Promise<number[]>;
  cleanup(): Promise<void>;
}

const sqliteBackend: TestBackend = {
  name: 'sqlite',
  enabled: true,
  create() {
    const { dir, cleanup } = makeTempDir('vigil-configdb-');
    const options: OpenConfigDbOptions = { dataDir: dir };
    return {
      options,
      open: (now) => openConfigDb({ ...options, logger: silentLogger, now }),
      async migrationIds() {
        const db = new Database(`${dir}/${SQLITE_FILE_NAME}`, { readonly: true });
        try {
          const rows = db.prepare('SELECT id FROM schema_migrations ORDER BY id').all() as { id: number }[];
          return rows.map((row) => row.id);
        } finally {
          db.close();
        }
      },
      cleanup: async () => cleanup(),
    };
  },
};

async function withPgClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const postgresBackend = (enabled: boolean): TestBackend => ({
  name: 'postgres',
  enabled,
  create() {
    // A schema per test keeps tests independent on one shared server; the data dir is unused.
    const schema = uniqueDatabaseName('vigil_configdb');
    const { dir, cleanup } = makeTempDir('vigil-configdb-pg-');
    const options: OpenConfigDbOptions = { dataDir: dir, pgUrl: POSTGRES_URL, pgSchema: schema };
    return {
      options,
      open: (now) => openConfigDb({ ...options, logger: silentLogger, now }),
      migrationIds: () =>
        withPgClient(async (client) => {
          const result = await client.query<{ id: number }>(
            `SELECT id FROM "${schema}".schema_migrations ORDER BY id`,
          );
          return result.rows.map((row) => row.id);
        }),
      async cleanup() {
        await withPgClient((client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
        cleanup();
      },
    };
  },
});

/** Both backends; pass whether Postgres passed its service gate. */
export function testBackends(postgresReady: boolean): TestBackend[] {
  return [sqliteBackend, postgresBackend(postgresReady)];
}

const WORKER = fileURLToPath(new URL('./open-worker.fixture.ts', import.meta.url));

/**
 * Starts the worker fixture in `count` processes, releases them together once all are loaded,
 * and resolves when all have exited 0 (rejects with a worker's stderr otherwise).
 */
export async function raceWorkers(options: object, count: number): Promise<void> {
  const workers = Array.from({ length: count }, () => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify(options)]);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = once(child, 'exit').then(([code]) => {
      if (code !== 0) throw new Error(`worker exited with ${String(code)}: ${stderr}`);
    });
    return { child, exited, ready: once(child.stdout, 'data') };
  });
  try {
    await Promise.all(workers.map((w) => Promise.race([w.ready, w.exited])));
  } catch (err) {
    // One worker died while loading; the others would wait for "go" forever.
    for (const w of workers) w.child.kill();
    await Promise.allSettled(workers.map((w) => w.exited));
    throw err;
  }
  for (const w of workers) w.child.stdin.write('go\n');
  // Wait for every worker before reporting a failure, so cleanup never races a live worker.
  const results = await Promise.allSettled(workers.map((w) => w.exited));
  const failure = results.find((r) => r.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
}

/** Resolves to the AppError the promise rejects with; fails the test if it resolves. */
async function appError(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

export async function expectError(
  promise: Promise<unknown>,
  code: ErrorCode,
  message: string | RegExp,
): Promise<void> {
  const err = await appError(promise);
  expect(err.code).toBe(code);
  expect(err.message).toMatch(message);
}
