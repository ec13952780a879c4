/**
 * The agent's push path: each interval's families are encoded as one remote write 1.0 request,
 * snappy-compressed and written to the disk spool ({@link RemoteWritePusher.enqueue} returns
 * once the request is on disk); one background loop sends the oldest segment, one request at a
 * time, and deletes it once the server has taken it (or refused it for good). A server outage
 * only makes the spool grow; a SIGKILL loses only what was not yet enqueued; what `stop()`
 * leaves unsent is sent by the next process that opens the spool.
 *
 * ```
 * enqueue ─► encode ─► snappy ─► spool (disk) ─► sender loop ─► POST <collector>/v1/metrics
 *                                   ▲   2xx / 4xx: delete         │
 *                                   └── 401/403, 408, 429, 5xx, no answer: keep, back off
 * ```
 */
import { compressSync } from 'snappy';
import { AppError, badRequest, errorMessage, type Logger } from '@vigil/core';
import { encodeRemoteWrite1 } from '@vigil/protocols';
import type { MetricFamily } from '../exposition/metric-family.ts';
import { backoffDelayMs, backoffPolicy, type BackoffOptions, type BackoffPolicy } from './backoff.ts';
import type { DiskSpool, SpoolSegment } from './disk-spool.ts';
import { checkCommonLabels, familiesToSeries } from './families-to-series.ts';
import { PushCounters, type PusherStats } from './pusher-stats.ts';
import { sendRemoteWrite, type RemoteWriteTarget, type SendOutcome } from './send-remote-write.ts';

export const DEFAULT_WRITE_PATH = '/v1/metrics';
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

export interface PusherOptions {
  /** The server's base URL, e.g. `http://vigil:8080` (a trailing `/` is fine). */
  readonly collectorUrl: string;
  /** Path of the write endpoint under `collectorUrl` (default `/v1/metrics`; Prometheus: `/api/v1/write`). */
  readonly writePath?: string;
  /** Sent as `X-API-Key` when set. */
  readonly apiKey?: string | undefined;
  readonly spool: DiskSpool;
  readonly logger: Logger;
  /** The agent's version, for `User-Agent: <agentName>/<version>`. */
  readonly version: string;
  /** Default `vigil-node-agent`. */
  readonly agentName?: string;
  /** Labels added to every series unless it has its own (machine_id, system_uuid, …). */
  readonly labels?: Readonly<Record<string, string>>;
  readonly backoff?: BackoffOptions;
  /** Longest a request may take, answer included (default 10 s). */
  readonly requestTimeoutMs?: number;
  /** Default: the global fetch. */
  readonly fetch?: typeof fetch;
  /** Source of jitter, [0, 1) (default Math.random). */
  readonly random?: () => number;
}

/** What {@link RemoteWritePusher.enqueue} did with one interval. */
export type EnqueueResult =
  | { readonly kind: 'queued'; readonly samples: number; readonly bytes: number }
  /** Nothing to send (no samples). */
  | { readonly kind: 'empty' }
  /** Not queued: the disk write failed, or the request is larger than the whole spool. */
  | { readonly kind: 'failed'; readonly error: Error };

export interface RemoteWritePusher {
  readonly name: string;
  /** Encodes the families as one request and writes it to the spool; resolves once it is on disk. */
  enqueue(families: readonly MetricFamily[], timestampMs: number): Promise<EnqueueResult>;
  /** Counters for the agent's self-metrics. */
  stats(): PusherStats;
  /** Stops the sender after the request in flight, if any; unsent segments stay on disk. */
  stop(): Promise<void>;
  /** Same as stop(), for the composition root's shutdown order. */
  shutdown(): Promise<void>;
}

/**
 * Starts the sender loop over `options.spool` (which may hold segments of a previous process).
 *
 * @throws AppError (code 'bad_request') for an unusable URL, common label or backoff range.
 */
export function startPusher(options: PusherOptions): RemoteWritePusher {
  return new Pusher(options);
}

/** The full write URL: `collectorUrl` (trailing slashes dropped) + `writePath`. */
export function writeUrl(collectorUrl: string, writePath: string = DEFAULT_WRITE_PATH): string {
  const base = new URL(collectorUrl);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw badRequest(`collector URL ${collectorUrl} is not http(s)`);
  }
  if (base.username !== '' || base.password !== '') {
    throw badRequest('collector URL must not carry credentials (fetch refuses them); use the API key');
  }
  const path = writePath.startsWith('/') ? writePath : `/${writePath}`;
  return `${base.origin}${base.pathname.replace(/\/+$/, '')}${path}`;
}

/** A pending wait of the loop: resolved early by stop(), and by enqueue when idle. */
interface Wait {
  readonly resolve: () => void;
  readonly timer: NodeJS.Timeout | undefined;
  readonly wakeOnEnqueue: boolean;
}

class Pusher implements RemoteWritePusher {
  readonly name = 'remote-write-pusher';
  private readonly spool: DiskSpool;
  private readonly logger: Logger;
  private readonly labels: Readonly<Record<string, string>>;
  private readonly target: RemoteWriteTarget;
  private readonly policy: BackoffPolicy;
  private readonly random: () => number;
  private readonly counters = new PushCounters();
  private stopping = false;
  private wait: Wait | undefined;
  private readonly loop: Promise<void>;

  constructor(options: PusherOptions) {
    this.spool = options.spool;
    this.labels = options.labels ?? {};
    checkCommonLabels(this.labels);
    this.policy = backoffPolicy(options.backoff);
    this.random = options.random ?? Math.random;
    const url = writeUrl(options.collectorUrl, options.writePath);
    this.logger = options.logger.child({ component: this.name, url });
    const headers: Record<string, string> = {
      'Content-Type': 'application/x-protobuf',
      'Content-Encoding': 'snappy',
      'X-Prometheus-Remote-Write-Version': '0.1.0',
      'User-Agent': `${options.agentName ?? 'vigil-node-agent'}/${options.version}`,
    };
    if (options.apiKey !== undefined && options.apiKey !== '') headers['X-API-Key'] = options.apiKey;
    this.target = {
      url,
      headers,
      timeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      fetch: options.fetch ?? globalThis.fetch,
    };
    this.loop = this.run();
  }

  async enqueue(families: readonly MetricFamily[], timestampMs: number): Promise<EnqueueResult> {
    let body: Buffer;
    let samples: number;
    try {
      const converted = familiesToSeries(families, timestampMs, this.labels);
      if (converted.skippedSeries > 0) {
        this.counters.skippedSeries += converted.skippedSeries;
        this.logger.warn(
          { series: converted.skippedSeries, reason: converted.firstProblem },
          'series with invalid names left out of the request',
        );
      }
      samples = converted.series.length;
      if (samples === 0) return { kind: 'empty' };
      body = compressSync(encodeRemoteWrite1(converted));
    } catch (err) {
      return this.enqueueFailed(err);
    }
    try {
      const segment = await this.spool.append(body, { timestampMs, samples });
      if (segment === undefined) {
        return this.enqueueFailed(
          new AppError('payload_too_large', `request of ${body.length} bytes exceeds the spool's bound`),
        );
      }
    } catch (err) {
      return this.enqueueFailed(err);
    }
    if (this.wait?.wakeOnEnqueue === true) this.wake();
    return { kind: 'queued', samples, bytes: body.length };
  }

  stats(): PusherStats {
    return this.counters.snapshot(this.spool.stats());
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.loop;
  }

  shutdown(): Promise<void> {
    return this.stop();
  }

  private enqueueFailed(err: unknown): EnqueueResult {
    const error = err instanceof Error ? err : new Error(String(err));
    this.counters.enqueueFailures++;
    this.counters.noteError(`enqueue: ${error.message}`);
    this.logger.error({ err: error }, 'could not queue the metrics of this interval; they are lost');
    return { kind: 'failed', error };
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const segment = this.spool.oldest();
      if (segment === undefined) {
        await this.pause(undefined, true);
        continue;
      }
      let delayMs: number | undefined;
      try {
        delayMs = await this.sendOne(segment);
      } catch (err) {
        // File system trouble (e.g. the spool directory made read-only): keep the loop alive.
        this.counters.consecutiveFailures++;
        this.counters.noteError(`spool: ${errorMessage(err)}`);
        delayMs = backoffDelayMs(this.counters.consecutiveFailures, this.policy, this.random);
        this.logger.error({ err, delayMs }, 'spool error in the sender; retrying');
      }
      if (delayMs !== undefined) await this.pause(delayMs, false);
    }
  }

  /** Sends a segment and settles it; resolves with the backoff to wait, if any. */
  private async sendOne(segment: SpoolSegment): Promise<number | undefined> {
    const body = await this.spool.read(segment);
    if (body === undefined) {
      // Dropped over the bound meanwhile (then remove is a no-op), or deleted behind our back:
      // forget it, or the loop would pick it again at once, forever.
      await this.spool.remove(segment);
      return undefined;
    }
    const outcome = await sendRemoteWrite(this.target, body);
    return this.settle(segment, body.length, outcome);
  }

  private async settle(
    segment: SpoolSegment,
    bytes: number,
    outcome: SendOutcome,
  ): Promise<number | undefined> {
    const c = this.counters;
    if (outcome.kind === 'sent' || outcome.kind === 'rejected') {
      await this.spool.remove(segment);
      if (outcome.kind === 'sent') {
        if (c.consecutiveFailures > 0) {
          this.logger.info({ failedAttempts: c.consecutiveFailures }, 'remote write delivers again');
        }
        c.sentRequests++;
        c.sentSamples += segment.samples;
        c.sentBytes += bytes;
      } else {
        c.droppedInvalidRequests++;
        c.droppedInvalidSamples += segment.samples;
        c.noteError(outcome.message);
        this.logger.warn(
          {
            status: outcome.status,
            answer: outcome.message,
            samples: segment.samples,
            segment: segment.fileName,
          },
          'server refused the request as invalid; dropped it',
        );
      }
      c.consecutiveFailures = 0;
      c.unauthorizedStreak = false;
      return undefined;
    }
    c.consecutiveFailures++;
    c.noteError(outcome.message);
    const backoffMs = backoffDelayMs(c.consecutiveFailures, this.policy, this.random);
    if (outcome.kind === 'unauthorized') {
      const fields = { status: outcome.status, answer: outcome.message, delayMs: backoffMs };
      if (!c.unauthorizedStreak) {
        this.logger.warn(fields, 'server refused the API key; keeping the data and retrying');
      } else {
        this.logger.debug(fields, 'API key still refused');
      }
      c.unauthorizedStreak = true;
      return backoffMs;
    }
    c.unauthorizedStreak = false;
    // Retry-After is a floor ("not before"), never a reason to wait longer than maxMs.
    const delayMs = Math.min(this.policy.maxMs, Math.max(backoffMs, outcome.retryAfterMs ?? 0));
    const fields = {
      status: outcome.status,
      error: outcome.message,
      retryAfterMs: outcome.retryAfterMs,
      delayMs,
      consecutiveFailures: c.consecutiveFailures,
      queuedSegments: this.spool.stats().segments,
    };
    if (c.consecutiveFailures === 1)
      this.logger.warn(fields, 'remote write failed; keeping the data and retrying');
    else this.logger.debug(fields, 'remote write failed again');
    return delayMs;
  }

  private pause(delayMs: number | undefined, wakeOnEnqueue: boolean): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = delayMs === undefined ? undefined : setTimeout(() => this.wake(), delayMs);
      this.wait = { resolve, timer, wakeOnEnqueue };
    });
  }

  private wake(): void {
    const wait = this.wait;
    if (wait === undefined) return;
    this.wait = undefined;
    if (wait.timer !== undefined) clearTimeout(wait.timer);
    wait.resolve();
  }
}
