/**
 * Ships log records to the server as OTLP/protobuf (`POST <collector>/v1/logs`) through the
 * on-disk spool, like the metrics pusher: records are grouped per container, encoded and gzipped
 * into one request per flush (about once a second, or sooner when many are waiting); the request
 * is on disk before it is sent; one loop sends the oldest first and backs off while the server
 * is away or refuses (401/403, 408, 429, 5xx); a 4xx that can never succeed drops the request.
 *
 * ```
 * add(record) ─► memory (bounded) ─► flush ─► encode + gzip ─► DiskSpool ─► sender ─► POST /v1/logs
 * ```
 *
 * What `stop()` leaves unsent stays in the spool for the next process. Records still in memory
 * when the agent is killed are lost; `stop()` flushes them to disk first.
 */
import { gzipSync } from 'node:zlib';
import {
  backoffDelayMs,
  classifyAnswer,
  type DiskSpool,
  type SendOutcome,
  type SpoolSegment,
} from '@vigil/agent-kit';
import { errorMessage, type Logger } from '@vigil/core';
import { encodeLogsExportRequest, type OutgoingLogRecord, type OutgoingResourceLogs } from '@vigil/protocols';

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
  private readonly url: string;
  private readonly headers: Record<string, string>;
  private buffered = new Map<string, OutgoingLogRecord[]>();
  private bufferedCount = 0;
  /** A flush for a full buffer is queued (one is enough). */
  private earlyFlushQueued = false;
  private readonly maxBuffered: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private flushing: Promise<void> = Promise.resolve();
  private stopping = false;
  private wake: (() => void) | undefined;
  private wakeOnFlush = false;
  private readonly loop: Promise<void>;
  private counts = { sentRequests: 0, sentRecords: 0, droppedInvalidRecords: 0, lostRecords: 0 };
  private consecutiveFailures = 0;
  private lastError: string | undefined;

  constructor(private readonly options: LogShipperOptions) {
    const base = new URL(options.collectorUrl);
    this.url = `${base.origin}${base.pathname.replace(/\/+$/, '')}${DEFAULT_LOGS_PATH}`;
    this.headers = {
      'Content-Type': 'application/x-protobuf',
      'Content-Encoding': 'gzip',
      'User-Agent': `vigil-node-agent/${options.version}`,
    };
    if (options.apiKey !== undefined && options.apiKey !== '') this.headers['X-API-Key'] = options.apiKey;
    this.maxBuffered = options.maxBufferedRecords ?? 5000;
    this.initialBackoffMs = options.backoff?.initialMs ?? 1000;
    this.maxBackoffMs = options.backoff?.maxMs ?? Math.max(30_000, this.initialBackoffMs);
    this.loop = this.run();
  }

  /** Queues a record in memory; a full buffer is flushed to the spool in the background. */
  add(containerId: string, record: OutgoingLogRecord): void {
    let list = this.buffered.get(containerId);
    if (list === undefined) this.buffered.set(containerId, (list = []));
    list.push(record);
    if (++this.bufferedCount >= this.maxBuffered && !this.earlyFlushQueued) {
      this.earlyFlushQueued = true;
      void this.flush().finally(() => (this.earlyFlushQueued = false));
    }
  }

  /** Writes the buffered records to the spool as one request; resolves once it is on disk. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.flushNow());
    return this.flushing;
  }

  stats(): LogShipperStats {
    const spool = this.options.spool.stats();
    return {
      ...this.counts,
      queuedSegments: spool.segments,
      queuedBytes: spool.bytes,
      consecutiveFailures: this.consecutiveFailures,
      lastError: this.lastError,
    };
  }

  /** Flushes memory to disk, then stops the sender after the request in flight. */
  async stop(): Promise<void> {
    await this.flush();
    this.stopping = true;
    this.wake?.();
    await this.loop;
  }

  private async flushNow(): Promise<void> {
    if (this.bufferedCount === 0) return;
    const batch = this.buffered;
    const records = this.bufferedCount;
    this.buffered = new Map();
    this.bufferedCount = 0;
    const groups: OutgoingResourceLogs[] = [...batch].map(([containerId, list]) => ({
      resourceAttributes: this.options.resourceOf(containerId),
      scopeName: 'vigil-node-agent',
      scopeVersion: this.options.version,
      records: list,
    }));
    try {
      const body = gzipSync(encodeLogsExportRequest(groups));
      const segment = await this.options.spool.append(body, { timestampMs: Date.now(), samples: records });
      if (segment === undefined) this.counts.lostRecords += records;
    } catch (err) {
      this.counts.lostRecords += records;
      this.options.logger.error(
        { err: errorMessage(err), records },
        'could not spool log records; they are lost',
      );
    }
    if (this.wakeOnFlush) this.wake?.();
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const segment = this.options.spool.oldest();
      if (segment === undefined) {
        await this.pause(undefined);
        continue;
      }
      let delayMs: number | undefined;
      try {
        const body = await this.options.spool.read(segment);
        if (body === undefined) {
          await this.options.spool.remove(segment);
          continue;
        }
        const outcome = await this.send(body);
        delayMs = await this.settle(segment, outcome);
      } catch (err) {
        this.consecutiveFailures++;
        this.lastError = `spool: ${errorMessage(err)}`;
        delayMs = this.backoffMs();
      }
      if (delayMs !== undefined) await this.pause(delayMs);
    }
  }

  private async send(body: Uint8Array): Promise<SendOutcome> {
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: 'POST',
        headers: this.headers,
        body,
        signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 10_000),
      });
    } catch (err) {
      const cause = err instanceof Error ? (err.cause as { code?: string } | undefined)?.code : undefined;
      const message = cause === undefined ? errorMessage(err) : `${errorMessage(err)}: ${cause}`;
      return { kind: 'retryable', status: undefined, message, retryAfterMs: undefined };
    }
    const text = await res.text().catch(() => '');
    return classifyAnswer(res.status, text.slice(0, 4096), res.headers.get('retry-after'));
  }

  private async settle(segment: SpoolSegment, outcome: SendOutcome): Promise<number | undefined> {
    if (outcome.kind === 'sent' || outcome.kind === 'rejected') {
      await this.options.spool.remove(segment);
      if (outcome.kind === 'sent') {
        this.counts.sentRequests++;
        this.counts.sentRecords += segment.samples;
      } else {
        this.counts.droppedInvalidRecords += segment.samples;
        this.lastError = outcome.message;
        this.options.logger.warn(
          { status: outcome.status, answer: outcome.message, records: segment.samples },
          'server refused log records as invalid; dropped them',
        );
      }
      this.consecutiveFailures = 0;
      return undefined;
    }
    this.consecutiveFailures++;
    this.lastError = outcome.message;
    const retryAfterMs = outcome.kind === 'retryable' ? (outcome.retryAfterMs ?? 0) : 0;
    const delayMs = Math.min(this.maxBackoffMs, Math.max(this.backoffMs(), retryAfterMs));
    if (this.consecutiveFailures === 1) {
      this.options.logger.warn(
        { error: outcome.message, delayMs },
        'sending logs failed; keeping them and retrying',
      );
    }
    return delayMs;
  }

  private backoffMs(): number {
    return backoffDelayMs(this.consecutiveFailures, {
      initialMs: this.initialBackoffMs,
      maxMs: this.maxBackoffMs,
    });
  }

  /**
   * Waits `delayMs`, or until a flush when idle (undefined). stop() ends either wait; a flush
   * does not cut a backoff short.
   */
  private pause(delayMs: number | undefined): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (): void => {
        if (timer !== undefined) clearTimeout(timer);
        this.wake = undefined;
        this.wakeOnFlush = false;
        resolve();
      };
      if (delayMs !== undefined) timer = setTimeout(done, delayMs);
      this.wake = done;
      this.wakeOnFlush = delayMs === undefined;
    });
  }
}
