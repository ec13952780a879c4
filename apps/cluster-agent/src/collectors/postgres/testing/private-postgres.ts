/**
 * A throw-away Postgres (initdb + postgres) on a free loopback port with its own data directory,
 * for tests that change server settings (ALTER SYSTEM), need roles the shared server should not
 * get, or a server configuration of their own (TLS, pg_hba rules). Trust authentication unless
 * `hba` says otherwise, superuser `postgres`. initdb and postgres refuse to run as root, so as
 * root they run as the `postgres` system user, in a directory it owns.
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, chownSync, accessSync, constants, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freeLoopbackPort, makeTempDir } from '@vigil/testkit';

export interface PrivatePostgres {
  readonly port: number;
  /** The unix socket directory: `host` for a superuser session whatever pg_hba says about TCP. */
  readonly socketDir: string;
  /** `postgres://postgres@127.0.0.1:<port>/<database>`. */
  url(database?: string): string;
  /** Fast shutdown (SIGINT), then waits for the exit. */
  stop(): Promise<void>;
}

const onPath = (command: string): boolean =>
  (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
    try {
      accessSync(path.join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

/** uid/gid of the `postgres` system user when we are root (postgres will not run as root). */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string): number =>
    Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  const gid = id('-g');
  return Number.isInteger(uid) && uid > 0 ? { uid, gid } : undefined;
}

/** Whether initdb and postgres are installed (and, as root, a `postgres` user exists to run them). */
export function postgresInstalled(): boolean {
  return onPath('initdb') && onPath('postgres') && (process.getuid?.() !== 0 || runAs() !== undefined);
}

export interface PrivatePostgresOptions {
  /** Lines appended to postgresql.conf (`ssl = on`, …); relative file names are in the data directory. */
  readonly conf?: readonly string[];
  /** Replaces pg_hba.conf. Keep `local all all trust`: readiness is checked over the socket. */
  readonly hba?: string;
  /**
   * Files written into the data directory before the start, owned by the server's user with mode
   * 0600 (postgres refuses a TLS key file that others may read).
   */
  readonly files?: Readonly<Record<string, string>>;
}

export async function startPrivatePostgres(options: PrivatePostgresOptions = {}): Promise<PrivatePostgres> {
  const { dir, cleanup } = makeTempDir('vigil-postgres-');
  const user = runAs();
  if (user !== undefined) chownSync(dir, user.uid, user.gid);
  const datadir = path.join(dir, 'data');
  const ids = user === undefined ? {} : { uid: user.uid, gid: user.gid };
  const init = spawnSync('initdb', ['-D', datadir, '-U', 'postgres', '--auth=trust', '--no-sync'], {
    encoding: 'utf8',
    cwd: dir,
    ...ids,
  });
  if (init.status !== 0) {
    cleanup();
    throw new Error(`initdb failed (${userInfo().username}): ${init.stderr || init.stdout}`);
  }
  const own = (file: string): void => {
    if (user !== undefined) chownSync(file, user.uid, user.gid);
  };
  for (const [name, content] of Object.entries(options.files ?? {})) {
    const file = path.join(datadir, name);
    writeFileSync(file, content, { mode: 0o600 });
    own(file);
  }
  if (options.hba !== undefined) writeFileSync(path.join(datadir, 'pg_hba.conf'), options.hba);
  if (options.conf !== undefined)
    appendFileSync(path.join(datadir, 'postgresql.conf'), `\n${options.conf.join('\n')}\n`);
  const port = await freeLoopbackPort();
  const child = spawn(
    'postgres',
    ['-D', datadir, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'],
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], ...ids },
  );
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    await exited;
    cleanup();
  };
  const url = (database = 'postgres'): string => `postgres://postgres@127.0.0.1:${port}/${database}`;
  // The port accepts connections before recovery ends ("the database system is starting up").
  // Asked over the socket, which `hba` keeps trusted while TCP may demand TLS.
  const ready = async (): Promise<boolean> => {
    const client = new pg.Client({
      host: dir,
      port,
      user: 'postgres',
      database: 'postgres',
      connectionTimeoutMillis: 1000,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  const deadlineMs = Date.now() + 15_000;
  while (!(await ready())) {
    if (child.exitCode !== null || Date.now() > deadlineMs) {
      await stop();
      throw new Error(`postgres on port ${port} did not start: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port, socketDir: dir, url, stop };
}
