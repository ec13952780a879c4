/**
 * Ships log records to the server as OTLP/protobuf (`POST <collector>/v1/logs`) through the
 * on-disk spool, like the metrics pusher: records are grouped per container, encoded and gzipped
 * into one request per flush (about once a second, or sooner when many are waiting); the request
 * is on disk before it is sent; one loop sends the oldest first and backs off while the server
 * is away or refuses (401/403, 408, 429, 5xx); a 4xx that can never succeed drops the request.
 * The batching and sending are agent-kit's BatchShipper's; this file says what a batch looks like.
 */
import { type DiskSpool, BatchShipper } from '@vigil/agent-kit';
import type { Logger } from '@vigil/core';
import { encodeLogsExportRequest, type OutgoingLogRecord } from '@vigil/protocols';

export const DEFAULT_LOGS_PATH = '/v1/logs';

export interface LogShipperOptions {
  /** The server's base URL; requests go to `<url>/v1/logs`. */
  readonly collectorUrl: string;
  readonly apiKey?: string | undefined;
  readonly spool: DiskSpool;
  readonly logger: Logger;
  readonly version: string;
  /** Resource attributes of a container's records (service.name, container.id, host.name). */
  readonly resourceOf: (containerId: string) => Readonly<Record<string, string>>;
  /** Records held in memory before a flush is forced (default 5000). */
  readonly maxBufferedRecords?: number;
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  readonly requestTimeoutMs?: number;
}

export interface LogShipperStats {
  readonly sentRequests: number;
  readonly sentRecords: number;
  readonly droppedInvalidRecords: number;
  /** Records not written to the spool (disk error, or over its whole bound). */
  readonly lostRecords: number;
  readonly queuedSegments: number;
  readonly queuedBytes: number;
  readonly consecutiveFailures: number;
  readonly lastError: string | undefined;
}

export class OtlpLogShipper {
  private readonly shipper: BatchShipper<OutgoingLogRecord>;

  constructor(options: LogShipperOptions) {
    this.shipper = new BatchShipper<OutgoingLogRecord>({
      collectorUrl: options.collectorUrl,
      path: DEFAULT_LOGS_PATH,
      apiKey: options.apiKey,
      spool: options.spool,
      logger: options.logger,
      version: options.version,
      what: 'log records',
      encode: (batch) =>
        encodeLogsExportRequest(
          [...batch].map(([containerId, records]) => ({
            resourceAttributes: options.resourceOf(containerId),
            scopeName: 'vigil-node-agent',
            scopeVersion: options.version,
            records,
          })),
        ),
      ...(options.maxBufferedRecords === undefined ? {} : { maxBuffered: options.maxBufferedRecords }),
      ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
      ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
    });
  }

  /** Queues a record in memory; a full buffer is flushed to the spool in the background. */
  add(containerId: string, record: OutgoingLogRecord): void {
    this.shipper.add(containerId, record);
  }

  /** Writes the buffered records to the spool as one request; resolves once it is on disk. */
  flush(): Promise<void> {
    return this.shipper.flush();
  }

  stats(): LogShipperStats {
    const s = this.shipper.stats();
    return {
      sentRequests: s.sentRequests,
      sentRecords: s.sentItems,
      droppedInvalidRecords: s.droppedInvalidItems,
      lostRecords: s.lostItems,
      queuedSegments: s.queuedSegments,
      queuedBytes: s.queuedBytes,
      consecutiveFailures: s.consecutiveFailures,
      lastError: s.lastError,
    };
  }

  /** Flushes memory to disk, then stops the sender after the request in flight. */
  stop(): Promise<void> {
    return this.shipper.stop();
  }
}
