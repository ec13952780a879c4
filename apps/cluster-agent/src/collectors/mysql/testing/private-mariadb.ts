/**
 * A throw-away mariadbd on a free loopback port with its own data directory, for tests that need
 * server settings the shared server does not have (performance_schema ON). `--no-defaults`
 * everywhere: the machine's my.cnf points at the shared server's datadir and port.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { freeLoopbackPort, makeTempDir, startTcpServerProcess, type TcpServerProcess } from '@vigil/testkit';

export type PrivateMariadb = TcpServerProcess;

const onPath = (command: string): boolean =>
  (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
    try {
      accessSync(path.join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

/**
 * Whether mariadbd and mariadb-install-db are installed. Looked up on PATH rather than run: run
 * without --no-defaults, mariadb-install-db reads the machine's my.cnf and acts on the shared
 * server's datadir.
 */
export function mariadbInstalled(): boolean {
  return onPath('mariadbd') && onPath('mariadb-install-db');
}

/** Initializes a data directory and starts mariadbd with `extraArgs`; root has an empty password. */
export async function startPrivateMariadb(extraArgs: string[] = []): Promise<PrivateMariadb> {
  const { dir, cleanup } = makeTempDir('vigil-mariadb-');
  const datadir = path.join(dir, 'data');
  const user = process.getuid?.() === 0 ? ['--user=root'] : [];
  const install = spawnSync(
    'mariadb-install-db',
    [
      '--no-defaults',
      ...user,
      `--datadir=${datadir}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
    ],
    { encoding: 'utf8' },
  );
  if (install.status !== 0) {
    cleanup();
    throw new Error(`mariadb-install-db failed: ${install.stderr || install.stdout}`);
  }
  const port = await freeLoopbackPort();
  const args = [
    '--no-defaults',
    ...user,
    `--datadir=${datadir}`,
    `--socket=${path.join(dir, 'sock')}`,
    `--pid-file=${path.join(dir, 'pid')}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    '--skip-name-resolve',
    '--skip-log-bin',
    '--innodb-buffer-pool-size=16M',
    ...extraArgs,
  ];
  let server: TcpServerProcess;
  try {
    server = await startTcpServerProcess('mariadbd', args, port);
  } catch (err) {
    cleanup();
    throw err;
  }
  return {
    port,
    stop: async () => {
      await server.stop();
      cleanup();
    },
  };
}
