/**
 * What the agent starts for container logs: the collector and, when the agent pushes, the OTLP
 * shipper with its own spool (`<data dir>/logs-spool`; the metrics spool is `<data dir>/spool`).
 * agent.ts calls `sync` after each registry scan, adds `families` to what it collects, and
 * `stop` on shutdown (pending messages completed and written to the spool first).
 */
import { hostname } from 'node:os';
import { openDiskSpool, type MetricFamily, spoolBeside, type PushTarget } from '@vigil/agent-kit';
import type { Logger } from '@vigil/core';
import type { DockerDiscovery } from '../docker/docker-discovery.ts';
import type { LogContainer } from './discovery/log-container.ts';
import { LogCollector, type LogCollectorStatus } from './log-collector.ts';
import { OtlpLogShipper, type LogShipperStats } from './ship/otlp-log-shipper.ts';

export interface NodeLogsOptions {
  readonly docker: Pick<DockerDiscovery, 'lookup' | 'resolve'>;
  readonly logger: Logger;
  readonly version: string;
  /** Undefined: count messages for `/metrics` only, send no records. */
  /** Where to send; the spool is beside the metrics spool. */
  readonly push?: PushTarget;
  readonly journald?: boolean;
  readonly podsLogDir?: string;
}

export interface NodeLogs {
  sync(containers: readonly LogContainer[]): Promise<void>;
  families(labelsOf: (containerId: string) => Readonly<Record<string, string>>): MetricFamily[];
  status(): LogCollectorStatus & { readonly push?: LogShipperStats };
  /** The sources followed now (container id, `source` label, file). */
  sources(): ReturnType<LogCollector['sources']>;
  /** Reads every source now and writes what is complete to the spool (tests; timers do it too). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export async function startNodeLogs(options: NodeLogsOptions): Promise<NodeLogs> {
  const host = hostname();
  let shipper: OtlpLogShipper | undefined;
  const logs = new LogCollector({
    docker: options.docker,
    logger: options.logger.child({ component: 'logs' }),
    ...(options.push === undefined ? {} : { onRecord: (id, record) => shipper?.add(id, record) }),
    ...(options.journald === undefined ? {} : { journald: options.journald }),
    ...(options.podsLogDir === undefined ? {} : { podsLogDir: options.podsLogDir }),
  });
  if (options.push !== undefined) {
    const spool = await openDiskSpool(spoolBeside(options.push, 'logs-spool'), {
      maxBytes: options.push.spoolMaxBytes,
      logger: options.logger,
    });
    shipper = new OtlpLogShipper({
      collectorUrl: options.push.collectorUrl,
      apiKey: options.push.apiKey,
      spool,
      logger: options.logger.child({ component: 'log-shipper' }),
      version: options.version,
      backoff: options.push.backoff,
      resourceOf: (containerId) => ({
        'service.name': logs.appIdOf(containerId),
        'container.id': containerId,
        'host.name': host,
      }),
    });
  }
  await logs.start();
  const flushTimer = setInterval(() => void shipper?.flush(), 1000);
  flushTimer.unref();
  return {
    sync: (containers) => logs.sync(containers),
    families: (labelsOf) => logs.families(labelsOf),
    sources: () => logs.sources(),
    status: () => ({ ...logs.status(), ...(shipper === undefined ? {} : { push: shipper.stats() }) }),
    flush: async () => {
      await logs.pollOnce();
      await shipper?.flush();
    },
    stop: async () => {
      clearInterval(flushTimer);
      await logs.stop();
      await shipper?.stop();
    },
  };
}
