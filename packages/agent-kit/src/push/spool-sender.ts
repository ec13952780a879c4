/**
 * Sends what a {@link DiskSpool} holds to one HTTP endpoint, oldest first, one request at a time:
 * the loop behind every agent shipper that is not remote write (OTLP logs and traces, pprof
 * profiles). The shipper encodes and appends; this loop reads, POSTs and removes.
 *
 * ```
 * shipper.append ─► DiskSpool ─► SpoolSender ─► POST <url>
 *                                   │ 2xx: remove · 4xx that can never pass: remove (counted)
 *                                   └ no answer, 401/403, 408, 429, 5xx: keep, back off, retry
 * ```
 *
 * The answer's meaning is {@link classifyAnswer}'s, as for remote write. A segment's body may
 * carry its own request line (see {@link SpoolSenderOptions.request}): profiles put the query
 * string of their container there. `stop()` ends the loop after the request in flight; what is
 * unsent stays on disk for the next process.
 */
import { errorMessage, type Logger } from '@vigil/core';
import { backoffDelayMs } from './backoff.ts';
import type { DiskSpool, SpoolSegment } from './disk-spool.ts';
import { classifyAnswer, type SendOutcome } from './send-remote-write.ts';

export interface SpoolSenderOptions {
  readonly spool: DiskSpool;
  /** The full URL requests go to, unless `request` says otherwise. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Turns a spooled body into the request to send (default: the body as is, to `url`). */
  readonly request?: (body: Uint8Array) => { readonly url: string; readonly body: Uint8Array };
  readonly logger: Logger;
  /** What a segment's `samples` count, for logs: "log records", "spans", "profiles". */
  readonly what: string;
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  readonly requestTimeoutMs?: number;
}

export interface SpoolSenderStats {
  readonly sentRequests: number;
  /** Sum of the sent segments' `samples`. */
  readonly sentItems: number;
  /** Items in requests the server refused as invalid (dropped). */
  readonly droppedInvalidItems: number;
  readonly queuedSegments: number;
  readonly queuedBytes: number;
  readonly consecutiveFailures: number;
  readonly lastError: string | undefined;
}

export class SpoolSender {
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private stopping = false;
  private wakeUp: (() => void) | undefined;
  private idle = false;
  private readonly loop: Promise<void>;
  private sentRequests = 0;
  private sentItems = 0;
  private droppedInvalidItems = 0;
  private consecutiveFailures = 0;
  private lastError: string | undefined;

  constructor(private readonly options: SpoolSenderOptions) {
    this.initialBackoffMs = options.backoff?.initialMs ?? 1000;
    this.maxBackoffMs = options.backoff?.maxMs ?? Math.max(30_000, this.initialBackoffMs);
    this.loop = this.run();
  }

  /** Something was appended: an idle loop looks at the spool now (a backoff is not cut short). */
  wake(): void {
    if (this.idle) this.wakeUp?.();
  }

  stats(): SpoolSenderStats {
    const spool = this.options.spool.stats();
    return {
      sentRequests: this.sentRequests,
      sentItems: this.sentItems,
      droppedInvalidItems: this.droppedInvalidItems,
      queuedSegments: spool.segments,
      queuedBytes: spool.bytes,
      consecutiveFailures: this.consecutiveFailures,
      lastError: this.lastError,
    };
  }

  /** Ends the loop after the request in flight. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeUp?.();
    await this.loop;
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
        const request = this.options.request?.(body) ?? { url: this.options.url, body };
        const outcome = await this.send(request.url, request.body);
        delayMs = await this.settle(segment, outcome);
      } catch (err) {
        this.consecutiveFailures++;
        this.lastError = `spool: ${errorMessage(err)}`;
        delayMs = this.backoffMs();
      }
      if (delayMs !== undefined) await this.pause(delayMs);
    }
  }

  private async send(url: string, body: Uint8Array): Promise<SendOutcome> {
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: this.options.headers,
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
        this.sentRequests++;
        this.sentItems += segment.samples;
      } else {
        this.droppedInvalidItems += segment.samples;
        this.lastError = outcome.message;
        this.options.logger.warn(
          { status: outcome.status, answer: outcome.message, items: segment.samples },
          `server refused ${this.options.what} as invalid; dropped them`,
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
        `sending ${this.options.what} failed; keeping them and retrying`,
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

  /** Waits `delayMs`, or until `wake()` when idle (undefined); `stop()` ends either wait. */
  private pause(delayMs: number | undefined): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (): void => {
        if (timer !== undefined) clearTimeout(timer);
        this.wakeUp = undefined;
        this.idle = false;
        resolve();
      };
      if (delayMs !== undefined) timer = setTimeout(done, delayMs);
      this.wakeUp = done;
      this.idle = delayMs === undefined;
    });
  }
}
