/**
 * Runs a real Prometheus server as a reference peer in tests: backfill samples with
 * `promtool tsdb create-blocks-from openmetrics`, start `prometheus` on the blocks, query its
 * HTTP API, stop it. Both binaries come from the system (Debian's prometheus package).
 */
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { freeLoopbackPort, startPeer, type PeerProcess } from './peer-process.ts';
import { makeTempDir } from './temp-dir.ts';

const execFileAsync = promisify(execFile);

export const PROMETHEUS_BIN = process.env.VIGIL_PROMETHEUS_BIN ?? '/usr/bin/prometheus';
export const PROMTOOL_BIN = process.env.VIGIL_PROMTOOL_BIN ?? '/usr/bin/promtool';

/** Whether both `prometheus` and `promtool` are installed. */
export function prometheusAvailable(): boolean {
  return existsSync(PROMETHEUS_BIN) && existsSync(PROMTOOL_BIN);
}

/**
 * Writes OpenMetrics text (timestamps in seconds, ending with `# EOF`) to a file and turns it
 * into TSDB blocks in `dataDir` with promtool. Rejects with promtool's output on failure.
 */
export async function backfillOpenMetrics(openMetrics: string, dataDir: string): Promise<void> {
  const file = path.join(dataDir, '..', `backfill-${process.pid}-${Date.now()}.om`);
  writeFileSync(file, openMetrics.endsWith('# EOF\n') ? openMetrics : `${openMetrics}# EOF\n`);
  try {
    await execFileAsync(PROMTOOL_BIN, ['tsdb', 'create-blocks-from', 'openmetrics', file, dataDir], {
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`promtool backfill failed: ${e.stderr || e.stdout || e.message}`, { cause: err });
  }
}

export interface PrometheusOptions {
  /** TSDB directory (e.g. with backfilled blocks); a fresh temp directory when unset. */
  dataDir?: string;
  /** Extra command-line flags, e.g. `--query.lookback-delta=1m`. */
  extraArgs?: string[];
  /** How long to wait for /-/ready (default 30 s). */
  startTimeoutMs?: number;
  /** prometheus.yml contents (scrape configs, remote_write); default: no targets. */
  config?: string;
}

export interface PrometheusServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly dataDir: string;
  /** GET `<url><path>` with query parameters; resolves with the parsed JSON body. */
  api(pathname: string, params: Record<string, string>): Promise<unknown>;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and removes directories it created. */
  stop(): Promise<void>;
}

/**
 * Starts Prometheus with no scrape targets on 127.0.0.1 and a free port, with a retention
 * long enough that backfilled blocks are kept, and resolves once /-/ready answers.
 */
export async function startPrometheus(options: PrometheusOptions = {}): Promise<PrometheusServer> {
  const temp = makeTempDir('vigil-prometheus-');
  const dataDir = options.dataDir ?? path.join(temp.dir, 'data');
  const configFile = path.join(temp.dir, 'prometheus.yml');
  writeFileSync(configFile, options.config ?? 'global:\n  scrape_interval: 1h\n  evaluation_interval: 1m\n');
  const port = await freeLoopbackPort();
  const url = `http://127.0.0.1:${port}`;
  const args = [
    `--storage.tsdb.path=${dataDir}`,
    `--config.file=${configFile}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--storage.tsdb.retention.time=100y',
    ...(options.extraArgs ?? []),
  ];
  let peer: PeerProcess;
  try {
    peer = await startPeer(PROMETHEUS_BIN, args, `${url}/-/ready`, options.startTimeoutMs ?? 30_000);
  } catch (err) {
    temp.cleanup();
    throw err;
  }
  const stop = async (): Promise<void> => {
    await peer.stop();
    temp.cleanup();
  };
  return {
    url,
    port,
    pid: peer.pid,
    dataDir,
    async api(pathname, params) {
      const res = await fetch(`${url}${pathname}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params).toString(),
      });
      return res.json();
    },
    stop,
  };
}
