/**
 * The cluster agent: one per cluster, it collects what node agents cannot see — the inside of
 * databases — from the targets the server lists (`GET /v1/config`) or the environment names.
 *
 *   every interval: targets → one collection round (collection-round.ts) + the sources' series
 *                   (Kubernetes objects, AWS) → pusher.enqueue (remote write through the disk
 *                   spool, as the node agent's); database changes → onChanges
 *   HTTP :10301:    /metrics (the last round), /health (targets with their last error, push state)
 */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import {
  formatExposition,
  openDiskSpool,
  startPusher,
  type MetricFamily,
  type RemoteWritePusher,
} from '@vigil/agent-kit';
import type { Logger } from '@vigil/core';
import type { DatabaseChange } from './changes/database-change.ts';
import { CollectionRounds, mergeFamilies } from './collection-round.ts';
import type { Target } from './collectors/target.ts';
import type { CollectorRegistry } from './collectors/registry.ts';
import type { TargetSource } from './targets/target-source.ts';

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export const AGENT_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export interface ClusterAgentOptions {
  readonly listen: { readonly host: string; readonly port: number };
  readonly scrapeIntervalMs: number;
  readonly targets: TargetSource;
  readonly collectors: CollectorRegistry;
  /** Where and how to push; undefined: `/metrics` only. */
  readonly push?: {
    readonly collectorUrl: string;
    readonly apiKey?: string | undefined;
    readonly spoolDir: string;
    readonly spoolMaxBytes: number;
  };
  readonly logger: Logger;
  /** Series other parts keep up to date (Kubernetes objects, AWS), added to every round. */
  readonly sources?: readonly FamilySource[];
  /** Receives the schema and settings changes collectors see (DatabaseChanges logs). */
  readonly onChanges?: (target: Target, changes: readonly DatabaseChange[]) => void;
  /** Other parts' state for `/health`, by name (`kubernetes`, `aws`, `profiles`, `events`). */
  readonly health?: Readonly<Record<string, () => unknown>>;
}

/** A part whose series join each round (read when the round ends, so never older than it). */
export interface FamilySource {
  readonly name: string;
  families(): MetricFamily[];
}

export interface RunningClusterAgent {
  readonly port: number;
  /** Runs a round now (tests; the timer runs them on its own). */
  collectOnce(): Promise<MetricFamily[]>;
  stop(): Promise<void>;
}

export async function startClusterAgent(options: ClusterAgentOptions): Promise<RunningClusterAgent> {
  const { logger } = options;
  const rounds = new CollectionRounds(options.collectors, logger, options.onChanges);
  // A round must end before the next starts: each target gets at most 80% of the interval.
  const deadlineMs = Math.max(500, Math.floor(options.scrapeIntervalMs * 0.8));
  let pusher: RemoteWritePusher | undefined;
  if (options.push) {
    const spool = await openDiskSpool(options.push.spoolDir, { maxBytes: options.push.spoolMaxBytes });
    pusher = startPusher({
      collectorUrl: options.push.collectorUrl,
      apiKey: options.push.apiKey,
      spool,
      logger,
      version: AGENT_VERSION,
      agentName: 'vigil-cluster-agent',
      labels: { job: 'vigil-cluster-agent' },
    });
  }
  let last: MetricFamily[] = [];
  let running: Promise<MetricFamily[]> | undefined;
  const collectOnce = (): Promise<MetricFamily[]> => {
    running ??= (async () => {
      try {
        const collected = await rounds.run(await options.targets.current(), deadlineMs);
        const families = mergeFamilies([...collected, ...sourceFamilies(options.sources ?? [], logger)]);
        last = families;
        if (pusher) {
          const r = await pusher.enqueue(families, Date.now());
          if (r.kind === 'failed')
            logger.error({ err: r.error.message }, 'could not queue metrics for the server');
        }
        return families;
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  const timer = setInterval(() => {
    collectOnce().catch((err: unknown) => logger.error({ err: (err as Error).message }, 'collection failed'));
  }, options.scrapeIntervalMs);

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://agent');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (url.pathname === '/metrics') {
      res.writeHead(200, { 'content-type': EXPOSITION_CONTENT_TYPE });
      res.end(req.method === 'HEAD' ? undefined : formatExposition(last));
      return;
    }
    if (url.pathname === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          status: 'ok',
          version: AGENT_VERSION,
          targets: rounds.states,
          push: pusher?.stats(),
          ...Object.fromEntries(Object.entries(options.health ?? {}).map(([name, read]) => [name, read()])),
        }),
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: /metrics and /health are served\n');
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.listen.port, options.listen.host, () => resolve());
    });
  } catch (err) {
    clearInterval(timer);
    await pusher?.stop();
    throw new Error(
      `cannot listen on ${options.listen.host}:${options.listen.port}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  const address = server.address();
  void collectOnce().catch((err: unknown) =>
    logger.error({ err: (err as Error).message }, 'collection failed'),
  );
  return {
    port: typeof address === 'object' && address ? address.port : options.listen.port,
    collectOnce,
    async stop() {
      clearInterval(timer);
      await running?.catch(() => undefined);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rounds.close();
      await pusher?.shutdown();
    },
  };
}

/** The sources' series; one that throws costs only its own series (logged). */
function sourceFamilies(sources: readonly FamilySource[], logger: Logger): MetricFamily[] {
  return sources.flatMap((source) => {
    try {
      return source.families();
    } catch (err) {
      logger.error({ err: (err as Error).message, source: source.name }, 'could not read series');
      return [];
    }
  });
}
