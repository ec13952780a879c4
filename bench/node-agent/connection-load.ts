/**
 * The connection generator, run as its own process so that its CPU is neither the bench's nor
 * the agent's: opens `ratePerSecond` new TCP connections per second to the given loopback ports
 * (round robin) for `seconds`, each one connect → write "ping\n" → read the reply → close.
 * Paced in 100 ms ticks against the schedule since the start (a late tick catches up), with at
 * most `maxInFlight` open at once. Prints one JSON line (LoadResult) and exits; also exits when
 * its stdin closes (the bench is gone).
 *
 * node --import tsx bench/node-agent/connection-load.ts '{"host":"127.0.0.1","ports":[…],…}'
 */
import net from 'node:net';

export interface LoadJob {
  readonly host: string;
  readonly ports: readonly number[];
  readonly ratePerSecond: number;
  readonly seconds: number;
  readonly maxInFlight?: number;
}

export interface LoadResult {
  readonly started: number;
  readonly completed: number;
  readonly failed: number;
  /** Connections due by the schedule but not started: `maxInFlight` were open. */
  readonly skipped: number;
  readonly elapsedMs: number;
  readonly firstError: string | undefined;
}

const TICK_MS = 100;

function runLoad(job: LoadJob): Promise<LoadResult> {
  const maxInFlight = job.maxInFlight ?? 2000;
  let started = 0;
  let completed = 0;
  let failed = 0;
  let skipped = 0;
  let inFlight = 0;
  let firstError: string | undefined;
  const t0 = performance.now();

  const connectOnce = (port: number): void => {
    inFlight++;
    let answered = false;
    const socket = net.connect({ host: job.host, port });
    socket.setTimeout(5000, () => socket.destroy(new Error('timed out')));
    socket.once('connect', () => socket.write('ping\n'));
    socket.once('data', () => {
      answered = true;
      socket.end();
    });
    socket.once('error', (err) => (firstError ??= err.message));
    socket.once('close', () => {
      inFlight--;
      if (answered) completed++;
      else failed++;
    });
  };

  return new Promise((resolve) => {
    const timer = setInterval(() => {
      const elapsedMs = performance.now() - t0;
      const due = Math.floor((Math.min(elapsedMs, job.seconds * 1000) / 1000) * job.ratePerSecond);
      while (started + skipped < due) {
        if (inFlight >= maxInFlight) {
          skipped++;
          continue;
        }
        connectOnce(job.ports[started % job.ports.length]!);
        started++;
      }
      if (elapsedMs < job.seconds * 1000) return;
      clearInterval(timer);
      const endMs = performance.now();
      const drained = setInterval(() => {
        if (inFlight > 0 && performance.now() - endMs < 10_000) return;
        clearInterval(drained);
        resolve({ started, completed, failed, skipped, elapsedMs: endMs - t0, firstError });
      }, 20);
    }, TICK_MS);
  });
}

const job = JSON.parse(process.argv[2] ?? '{}') as LoadJob;
process.stdin.resume();
process.stdin.once('end', () => process.exit(1));
const result = await runLoad(job);
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
