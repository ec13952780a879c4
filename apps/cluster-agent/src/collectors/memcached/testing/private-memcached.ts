/**
 * A throw-away memcached (`-U 0`: TCP only) on a free loopback port, for tests that stop it or
 * need counters nobody else touches.
 */
import { spawnSync } from 'node:child_process';
import { freeLoopbackPort, startTcpServerProcess, type TcpServerProcess } from '@vigil/testkit';

export type PrivateMemcached = TcpServerProcess;

/** Whether `memcached` can be run here. */
export function memcachedInstalled(): boolean {
  return spawnSync('memcached', ['-V']).status === 0;
}

/** Starts memcached with `extraArgs`, on `port` or a free one; resolves once it accepts connections. */
export async function startPrivateMemcached(
  extraArgs: string[] = [],
  port?: number,
): Promise<PrivateMemcached> {
  port ??= await freeLoopbackPort();
  const args = ['-l', '127.0.0.1', '-p', String(port), '-U', '0'];
  // memcached refuses to run as root unless told which user to stay.
  if (process.getuid?.() === 0) args.push('-u', 'root');
  return startTcpServerProcess('memcached', [...args, ...extraArgs], port);
}
