/**
 * A throw-away redis-server on a free loopback port, for tests that stop it, set a password or
 * need counters nobody else touches. Nothing is persisted (`--save ''`, no AOF).
 */
import { spawnSync } from 'node:child_process';
import { freeLoopbackPort, startTcpServerProcess, type TcpServerProcess } from '@vigil/testkit';

export type PrivateRedis = TcpServerProcess;

/** Whether `redis-server` can be run here. */
export function redisServerInstalled(): boolean {
  return spawnSync('redis-server', ['--version']).status === 0;
}

/** Starts redis-server with `extraArgs`, on `port` or a free one; resolves once it accepts connections. */
export async function startPrivateRedis(extraArgs: string[] = [], port?: number): Promise<PrivateRedis> {
  port ??= await freeLoopbackPort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  return startTcpServerProcess('redis-server', [...args, ...extraArgs], port);
}
