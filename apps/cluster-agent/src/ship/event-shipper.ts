/**
 * The cluster agent's events — Kubernetes Events and database changes — go to the server as
 * OTLP logs (`POST <collector>/v1/logs`) through their own disk spool, batched like the node
 * agent's logs. Each stream has one `service.name` (`KubernetesEvents`, `DatabaseChanges`), which
 * is how the server and the UI find them; the resource may add attributes of its own (the
 * cluster, the database address).
 *
 *   ship(resource, record) ─► BatchShipper (memory → gzip protobuf → DiskSpool → POST /v1/logs)
 */
import { BatchShipper, openDiskSpool, type BatchShipperStats } from '@vigil/agent-kit';
import type { Logger } from '@vigil/core';
import { encodeLogsExportRequest, type OutgoingLogRecord } from '@vigil/protocols';

export type { OutgoingLogRecord } from '@vigil/protocols';

export interface EventShipperOptions {
  readonly collectorUrl: string;
  readonly apiKey?: string | undefined;
  /** The spool's directory (its own, not the metrics spool's). */
  readonly spoolDir: string;
  readonly spoolMaxBytes: number;
  readonly logger: Logger;
  readonly version: string;
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  /** How often what is in memory is written to the spool (default 1 s). */
  readonly flushIntervalMs?: number;
}

/** Where events go: the real shipper, or a list in tests. */
export interface EventSink {
  /** Queues one record of the resource (`service.name` and the rest). */
  ship(resource: Readonly<Record<string, string>>, record: OutgoingLogRecord): void;
}

export interface EventShipper extends EventSink {
  /** Writes what is in memory to the spool (resolves once it is on disk). */
  flush(): Promise<void>;
  stats(): BatchShipperStats;
  stop(): Promise<void>;
}

export async function startEventShipper(options: EventShipperOptions): Promise<EventShipper> {
  const spool = await openDiskSpool(options.spoolDir, { maxBytes: options.spoolMaxBytes });
  // Batches are keyed by the resource's attributes, in a stable order.
  const resources = new Map<string, Readonly<Record<string, string>>>();
  const shipper = new BatchShipper<OutgoingLogRecord>({
    collectorUrl: options.collectorUrl,
    path: '/v1/logs',
    apiKey: options.apiKey,
    spool,
    logger: options.logger,
    version: options.version,
    agentName: 'vigil-cluster-agent',
    what: 'events',
    encode: (batch) =>
      encodeLogsExportRequest(
        [...batch].map(([key, records]) => ({
          resourceAttributes: resources.get(key) ?? {},
          scopeName: 'vigil-cluster-agent',
          scopeVersion: options.version,
          records,
        })),
      ),
    ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
  });
  // Events are few and should not wait for a full batch: what came in goes to disk each second.
  const flushTimer = setInterval(() => void shipper.flush(), options.flushIntervalMs ?? 1000);
  flushTimer.unref();
  // Resources seen are few (one per stream and database); flushing forgets none that are queued.
  return {
    ship(resource, record) {
      const key = JSON.stringify(Object.entries(resource).sort(([a], [b]) => (a < b ? -1 : 1)));
      if (!resources.has(key)) resources.set(key, resource);
      shipper.add(key, record);
    },
    flush: () => shipper.flush(),
    stats: () => shipper.stats(),
    stop: () => {
      clearInterval(flushTimer);
      return shipper.stop();
    },
  };
}

/** OTel severity numbers for the levels the agent's events use. */
export const SEVERITY = {
  info: { severityNumber: 9, severityText: 'INFO' },
  warning: { severityNumber: 13, severityText: 'WARN' },
} as const;
