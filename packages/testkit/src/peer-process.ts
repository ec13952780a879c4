/**
 * Starting real peer binaries (VictoriaMetrics, node exporter, …) in tests: a free loopback
 * port, a child process, a readiness URL to poll, and a stop that never leaves the process behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

/** A TCP port on 127.0.0.1 nobody listens on right now. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface PeerProcess {
  readonly pid: number;
  /** The last few KB the process wrote to stderr/stdout, for error messages. */
  output(): string;
  /** SIGTERM, then SIGKILL after 5 s. */
  stop(): Promise<void>;
}

function exited(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Spawns `bin args…` and resolves once `readyUrl` answers 2xx; rejects (after stopping the
 * process) with its output when it exits or is not ready within `timeoutMs`.
 */
export async function startPeer(
  bin: string,
  args: string[],
  readyUrl: string,
  timeoutMs = 30_000,
): Promise<PeerProcess> {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const peer: PeerProcess = {
    pid: child.pid ?? -1,
    output: () => log,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      if (!(await exited(child, 5000))) {
        child.kill('SIGKILL');
        await exited(child, 5000);
      }
    },
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${bin} exited with ${child.exitCode}: ${log}`);
    try {
      if ((await fetch(readyUrl)).ok) return peer;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await peer.stop();
  throw new Error(`${bin} was not ready at ${readyUrl} within ${timeoutMs} ms: ${log}`);
}
