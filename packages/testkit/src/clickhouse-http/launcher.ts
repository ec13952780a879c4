/**
 * Starts the ClickHouse HTTP emulator (server.ts) as a child process for a test: chDB binds one
 * data directory per process, so the engine behind the emulator must not share the test's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '../temp-dir.ts';

export interface ClickHouseEmulatorOptions {
  /** chDB data directory; a fresh temp directory (removed by `stop`) when unset. */
  dataDir?: string;
  /** The one user the emulator accepts (default `default`). */
  user?: string;
  /** Its password (default empty). */
  password?: string;
  /** Setting defaults of an older ClickHouse release, e.g. `24.8` (the `compatibility` setting). */
  compatibility?: string;
  /** The server's time zone (applied as `session_timezone`), e.g. `Asia/Kolkata`. */
  timezone?: string;
  /** Port to listen on (default: any free port). Reuse a stopped emulator's port to restart it. */
  port?: number;
  /** How long to wait for the child to listen (default 30 s: chDB's first start loads the engine). */
  startTimeoutMs?: number;
}

/** A running emulator child process. */
export interface ClickHouseEmulator {
  /** `http://127.0.0.1:<port>`, without credentials. */
  readonly url: string;
  readonly port: number;
  /** The engine's `version()`. */
  readonly version: string;
  readonly pid: number;
  readonly dataDir: string;
  /** The URL with `user:password@` for clients that take credentials in the URL. */
  urlWithCredentials(user?: string, password?: string): string;
  /** Kills the process at once (SIGKILL), as a crashed or unreachable server would look. */
  kill(): Promise<void>;
  /** Stops the process gracefully and removes a temp data directory it created. */
  stop(): Promise<void>;
}

const SERVER_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'server.ts');

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Spawns `node --import tsx server.ts` and resolves once it prints its port. */
export async function startClickHouseEmulator(
  options: ClickHouseEmulatorOptions = {},
): Promise<ClickHouseEmulator> {
  const temp = options.dataDir ? undefined : makeTempDir('vigil-ch-emulator-');
  const dataDir = options.dataDir ?? (temp?.dir as string);
  const user = options.user ?? 'default';
  const password = options.password ?? '';
  const args = ['--import', 'tsx', SERVER_SCRIPT, '--data-dir', dataDir, '--port', String(options.port ?? 0)];
  args.push('--user', user);
  if (options.compatibility) args.push('--compatibility', options.compatibility);
  if (options.timezone) args.push('--timezone', options.timezone);
  args.push('--exit-on-stdin-close');
  // cwd next to the script so `--import tsx` resolves from this repository's node_modules.
  const child = spawn(process.execPath, args, {
    cwd: path.dirname(SERVER_SCRIPT),
    env: { ...process.env, CLICKHOUSE_EMULATOR_PASSWORD: password },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });

  const started = await new Promise<{ port: number; version: string }>((resolve, reject) => {
    let stdout = '';
    const timeoutMs = options.startTimeoutMs ?? 30_000;
    const timer = setTimeout(() => fail(new Error(`no port after ${timeoutMs} ms`)), timeoutMs);
    const fail = (err: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`ClickHouse emulator did not start: ${err.message}\n${stderr}`));
    };
    child.once('error', fail);
    child.once('exit', (code, signal) => fail(new Error(`exited with ${code ?? signal}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const line = stdout.split('\n')[0];
      if (line === undefined || !stdout.includes('\n')) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.removeAllListeners('error');
      try {
        resolve(JSON.parse(line) as { port: number; version: string });
      } catch {
        fail(new Error(`unexpected first line ${JSON.stringify(line)}`));
      }
    });
  });

  const url = `http://127.0.0.1:${started.port}`;
  return {
    url,
    port: started.port,
    version: started.version,
    pid: child.pid as number,
    dataDir,
    urlWithCredentials: (u = user, p = password) =>
      `http://${encodeURIComponent(u)}:${encodeURIComponent(p)}@127.0.0.1:${started.port}`,
    kill: async () => {
      child.kill('SIGKILL');
      await waitForExit(child);
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await waitForExit(child);
        clearTimeout(timer);
      }
      temp?.cleanup();
    },
  };
}
