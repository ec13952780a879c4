/**
 * The connections' two ends: loopback listeners in the bench (each answers "pong\n" to a
 * client's first bytes and closes when the client does) and the generator child
 * (connection-load.ts) that opens the connections at a fixed rate for a bounded time.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { REPO_ROOT } from '../lib/server-process.ts';
import type { LoadJob, LoadResult } from './connection-load.ts';

export interface Listeners {
  readonly host: string;
  readonly ports: readonly number[];
  accepted(): number;
  close(): Promise<void>;
}

/**
 * `count` listeners on 127.0.0.1: several destinations for the agent's per-destination series,
 * and more 4-tuples for the ephemeral ports that closed connections keep in TIME_WAIT.
 */
export async function startListeners(count: number): Promise<Listeners> {
  let accepted = 0;
  const servers = await Promise.all(
    Array.from({ length: count }, async () => {
      const server = net.createServer((socket) => {
        accepted++;
        socket.once('data', () => socket.write('pong\n'));
        socket.on('error', () => undefined);
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, resolve);
      });
      return server;
    }),
  );
  return {
    host: '127.0.0.1',
    ports: servers.map((s) => (s.address() as net.AddressInfo).port),
    accepted: () => accepted,
    close: async () => {
      await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    },
  };
}

export interface RunningLoad {
  readonly pid: number;
  /** The generator's own account, once it has finished. */
  readonly done: Promise<LoadResult>;
  stop(): void;
}

/** Starts the generator child; it ends by itself after `job.seconds` (plus its drain). */
export function startLoad(job: LoadJob): RunningLoad {
  const script = path.join(REPO_ROOT, 'bench/node-agent/connection-load.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(job)], {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const done = new Promise<LoadResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as LoadResult);
      else reject(new Error(`connection generator exited with ${code}: ${out.slice(-500)}`));
    });
  });
  // Stopped on the way out, nobody waits for it any more.
  done.catch(() => undefined);
  return {
    pid: child.pid ?? -1,
    done,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}
