/**
 * The pusher's counters, for the agent's self-metrics. Counts start at zero in each process;
 * the spool's own figures (queued, dropped over the bound) come from {@link SpoolStats}.
 */
import type { SpoolStats } from './disk-spool.ts';

export interface PusherStats {
  /** Requests waiting on disk, and their size. */
  readonly queuedSegments: number;
  readonly queuedBytes: number;
  /** Requests the server accepted (2xx), their samples and compressed bytes. */
  readonly sentRequests: number;
  readonly sentSamples: number;
  readonly sentBytes: number;
  /** Requests the server refused as invalid (4xx other than 401/403/408/429), deleted unsent. */
  readonly droppedInvalidRequests: number;
  readonly droppedInvalidSamples: number;
  /** Requests dropped unsent to keep the spool under its bound (the oldest; or one larger than the bound). */
  readonly droppedOverLimitSegments: number;
  readonly droppedOverLimitBytes: number;
  readonly droppedOverLimitSamples: number;
  /** Series left out at encoding because of invalid metric or label names. */
  readonly skippedSeries: number;
  /** Intervals that could not be queued (disk write failed, request over the bound). */
  readonly enqueueFailures: number;
  /** Failed attempts since the last request the server answered for good (0 when healthy). */
  readonly consecutiveFailures: number;
  /** The most recent failure, e.g. `503: overloaded` or `fetch failed: ECONNREFUSED`. */
  readonly lastError: string | undefined;
  readonly lastErrorAtMs: number | undefined;
}

/** Mutable counters behind {@link PusherStats}. */
export class PushCounters {
  sentRequests = 0;
  sentSamples = 0;
  sentBytes = 0;
  droppedInvalidRequests = 0;
  droppedInvalidSamples = 0;
  skippedSeries = 0;
  enqueueFailures = 0;
  consecutiveFailures = 0;
  /** Whether the current run of failures is 401/403 (logged once per run). */
  unauthorizedStreak = false;
  private lastError: string | undefined;
  private lastErrorAtMs: number | undefined;

  noteError(message: string): void {
    this.lastError = message;
    this.lastErrorAtMs = Date.now();
  }

  snapshot(spool: SpoolStats): PusherStats {
    return {
      queuedSegments: spool.segments,
      queuedBytes: spool.bytes,
      sentRequests: this.sentRequests,
      sentSamples: this.sentSamples,
      sentBytes: this.sentBytes,
      droppedInvalidRequests: this.droppedInvalidRequests,
      droppedInvalidSamples: this.droppedInvalidSamples,
      droppedOverLimitSegments: spool.droppedSegments,
      droppedOverLimitBytes: spool.droppedBytes,
      droppedOverLimitSamples: spool.droppedSamples,
      skippedSeries: this.skippedSeries,
      enqueueFailures: this.enqueueFailures,
      consecutiveFailures: this.consecutiveFailures,
      lastError: this.lastError,
      lastErrorAtMs: this.lastErrorAtMs,
    };
  }
}
