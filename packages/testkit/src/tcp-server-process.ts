/**
 * A throw-away server process (redis-server, memcached, …) for tests that stop it, give it a
 * password or need counters nobody else touches: started, waited for until it accepts TCP on
 * loopback, killed on `stop`.
 */
import { spawn } from 'node:child_process';
import { canConnect } from './services.ts';

export interface TcpServerProcess {
  readonly port: number;
  /** SIGKILL and wait for the exit; nothing listens on `port` afterwards. */
  stop(): Promise<void>;
}

/** Runs `command args`; resolves once 127.0.0.1:`port` accepts connections (10 s at most). */
export async function startTcpServerProcess(
  command: string,
  args: readonly string[],
  port: number,
): Promise<TcpServerProcess> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('error', (err) => (output += `\n${err.message}`));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  const deadlineMs = Date.now() + 10_000;
  while (!(await canConnect('127.0.0.1', port, 200))) {
    if (child.exitCode !== null || Date.now() > deadlineMs) {
      await stop();
      throw new Error(`${command} on port ${port} did not start: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port, stop };
}
