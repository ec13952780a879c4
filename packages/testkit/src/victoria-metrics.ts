/** A real VictoriaMetrics (Debian's `victoria-metrics` package) as a reference peer in tests. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { freeLoopbackPort, startPeer } from './peer-process.ts';
import { makeTempDir } from './temp-dir.ts';

export const VICTORIA_METRICS_BIN = process.env.VIGIL_VICTORIA_METRICS_BIN ?? '/usr/bin/victoria-metrics';

export function victoriaMetricsAvailable(): boolean {
  return existsSync(VICTORIA_METRICS_BIN);
}

export interface VictoriaMetricsServer {
  /** `http://127.0.0.1:<port>`; remote write at `/api/v1/write`, Prometheus API under `/api/v1`. */
  readonly url: string;
  readonly pid: number;
  /** Makes just-written samples searchable now (VictoriaMetrics caches for ~1 s otherwise). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts VictoriaMetrics single-node on loopback with its own data directory. */
export async function startVictoriaMetrics(extraArgs: string[] = []): Promise<VictoriaMetricsServer> {
  const temp = makeTempDir('vigil-vm-');
  const port = await freeLoopbackPort();
  const url = `http://127.0.0.1:${port}`;
  const peer = await startPeer(
    VICTORIA_METRICS_BIN,
    [
      `-storageDataPath=${path.join(temp.dir, 'data')}`,
      `-httpListenAddr=127.0.0.1:${port}`,
      '-retentionPeriod=100y',
      // Queries see samples as soon as they are written (default: 30 s in the future is hidden).
      '-search.latencyOffset=0s',
      '-search.disableCache',
      ...extraArgs,
    ],
    `${url}/health`,
  ).catch((e: unknown) => {
    temp.cleanup();
    throw e;
  });
  return {
    url,
    pid: peer.pid,
    async flush() {
      await fetch(`${url}/internal/force_flush`);
      await fetch(`${url}/internal/resetRollupResultCache`);
    },
    async stop() {
      await peer.stop();
      temp.cleanup();
    },
  };
}
