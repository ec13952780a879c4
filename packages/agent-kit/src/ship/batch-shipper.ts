/**
 * Batches what the agent makes itself (log records, spans) per container, encodes each batch into
 * one request body, writes it to a disk spool and lets a SpoolSender POST it: the common part of
 * the OTLP logs and traces shippers.
 *
 * ```
 * add(container, item) ─► memory (bounded) ─► flush ─► encode + gzip ─► DiskSpool ─► SpoolSender ─► POST
 * ```
 *
 * A full buffer flushes early. What `stop()` leaves unsent stays in the spool for the next
 * process; items still in memory when the agent is killed are lost, `stop()` writes them first.
 */
import { gzipSync } from 'node:zlib';
import type { DiskSpool } from '../push/disk-spool.ts';
import { writeUrl } from '../push/remote-write-pusher.ts';
import { SpoolSender, type SpoolSenderStats } from '../push/spool-sender.ts';
import { errorMessage, type Logger } from '@vigil/core';
import { shipperHeaders } from './push-target.ts';

export interface BatchShipperOptions<T> {
  /** The server's base URL. */
  readonly collectorUrl: string;
  /** Appended to the base URL: `/v1/logs`, `/v1/traces`. */
  readonly path: string;
  readonly apiKey?: string | undefined;
  readonly spool: DiskSpool;
  readonly logger: Logger;
  readonly version: string;
  /** Sent as `User-Agent: <agentName>/<version>` (default `vigil-node-agent`). */
  readonly agentName?: string;
  /** For logs: "log records", "spans". */
  readonly what: string;
  /** One request body (protobuf, not yet compressed) for a batch: container id → its items. */
  readonly encode: (batch: ReadonlyMap<string, readonly T[]>) => Uint8Array;
  /** Items held in memory before a flush is forced (default 5000). */
  readonly maxBuffered?: number;
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  readonly requestTimeoutMs?: number;
}

export interface BatchShipperStats extends SpoolSenderStats {
  /** Items not written to the spool (encoding or disk error, or over its whole bound). */
  readonly lostItems: number;
}

export class BatchShipper<T> {
  private buffered = new Map<string, T[]>();
  private bufferedCount = 0;
  /** A flush for a full buffer is queued (one is enough). */
  private earlyFlushQueued = false;
  private readonly maxBuffered: number;
  private flushing: Promise<void> = Promise.resolve();
  private readonly sender: SpoolSender;
  private lostItems = 0;

  constructor(private readonly options: BatchShipperOptions<T>) {
    this.maxBuffered = options.maxBuffered ?? 5000;
    this.sender = new SpoolSender({
      spool: options.spool,
      url: writeUrl(options.collectorUrl, options.path),
      headers: shipperHeaders('application/x-protobuf', { ...options, gzip: true }),
      logger: options.logger,
      what: options.what,
      ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
      ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
    });
  }

  /** Queues an item in memory; a full buffer is flushed to the spool in the background. */
  add(containerId: string, item: T): void {
    let list = this.buffered.get(containerId);
    if (list === undefined) this.buffered.set(containerId, (list = []));
    list.push(item);
    if (++this.bufferedCount >= this.maxBuffered && !this.earlyFlushQueued) {
      this.earlyFlushQueued = true;
      void this.flush().finally(() => (this.earlyFlushQueued = false));
    }
  }

  /** Writes the buffered items to the spool as one request; resolves once it is on disk. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.flushNow());
    return this.flushing;
  }

  stats(): BatchShipperStats {
    return { ...this.sender.stats(), lostItems: this.lostItems };
  }

  /** Flushes memory to disk, then stops the sender after the request in flight. */
  async stop(): Promise<void> {
    await this.flush();
    await this.sender.stop();
  }

  private async flushNow(): Promise<void> {
    if (this.bufferedCount === 0) return;
    const batch = this.buffered;
    const count = this.bufferedCount;
    this.buffered = new Map();
    this.bufferedCount = 0;
    try {
      const body = gzipSync(this.options.encode(batch));
      const segment = await this.options.spool.append(body, { timestampMs: Date.now(), samples: count });
      if (segment === undefined) this.lostItems += count;
    } catch (err) {
      this.lostItems += count;
      this.options.logger.error(
        { err: errorMessage(err), items: count },
        `could not spool ${this.options.what}; they are lost`,
      );
    }
    this.sender.wake();
  }
}
