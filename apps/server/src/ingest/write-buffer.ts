import { errorMessage, type Logger, type Outcome } from '@vigil/core';

/** What a write buffer reports about itself; self-metrics implement it. */
export interface WriteBufferObserver {
  batchWritten(signal: string, items: number, durationMs: number): void;
  batchFailed(signal: string, items: number, final: boolean): void;
  queueDepth(signal: string, items: number): void;
}

export interface WriteBufferOptions<T> {
  /** Signal name for logs and metrics: 'traces', 'logs'. */
  signal: string;
  maxBatchItems: number;
  maxDelayMs: number;
  /** Items waiting or being written at most; `offer` refuses beyond it. */
  maxBufferedItems: number;
  write(batch: T[]): Promise<Outcome>;
  observer: WriteBufferObserver;
  logger: Logger;
  /** Attempts per batch during shutdown before it is given up (default 5). */
  shutdownAttempts?: number;
}

interface Waiter {
  seq: number;
  resolve(): void;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Collects records from many requests into batches for ClickHouse, which prefers few large
 * inserts to many small ones. A batch is written when it reaches `maxBatchItems` or its oldest
 * record has waited `maxDelayMs`. One insert runs at a time, so while it runs the next batch
 * grows: the natural batching keeps throughput up when the engine is slow.
 *
 * Memory is bounded: `offer` accepts a request whole or not at all, and refuses once
 * `maxBufferedItems` are waiting, so the caller can answer 429 instead of growing without bound.
 * Retryable insert failures are retried with backoff; records that were accepted are only given
 * up when the engine rejects them as invalid (a bug, logged loudly) or during shutdown after
 * `shutdownAttempts` attempts.
 *
 *   offer ─► [chunk][chunk][chunk] ─take(maxBatchItems)─► write ─ok─► writtenSeq += n
 *                                                          └retryable─► backoff, same batch
 */
export class WriteBuffer<T> {
  private readonly opts: WriteBufferOptions<T>;
  private chunks: T[][] = [];
  private queued = 0;
  private inflight = 0;
  private offeredSeq = 0;
  private writtenSeq = 0;
  private waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private due = false;
  private draining = false;
  private stopping = false;
  private closed = false;

  constructor(opts: WriteBufferOptions<T>) {
    this.opts = opts;
  }

  /** Records accepted and not yet written. */
  get bufferedItems(): number {
    return this.queued + this.inflight;
  }

  /** Whether `count` more records would fit right now. */
  hasRoomFor(count: number): boolean {
    return !this.closed && this.bufferedItems + count <= this.opts.maxBufferedItems;
  }

  /**
   * Accepts all of `items` or none. Returns false when the buffer is full or shut down.
   * Once this returns true the records are the buffer's responsibility.
   */
  offer(items: T[]): boolean {
    if (items.length === 0) return !this.closed;
    if (!this.hasRoomFor(items.length)) return false;
    this.chunks.push(items);
    this.queued += items.length;
    this.offeredSeq += items.length;
    this.opts.observer.queueDepth(this.opts.signal, this.bufferedItems);
    if (this.queued >= this.opts.maxBatchItems) {
      this.due = true;
      void this.drain();
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.due = true;
        void this.drain();
      }, this.opts.maxDelayMs);
    }
    return true;
  }

  /** Resolves once everything offered before the call has been written (or given up). */
  forceFlush(): Promise<void> {
    const target = this.offeredSeq;
    if (this.writtenSeq >= target) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.waiters.push({ seq: target, resolve }));
    this.due = true;
    void this.drain();
    return done;
  }

  /** Refuses new records, writes everything accepted, then stops. */
  async shutdown(): Promise<void> {
    this.closed = true;
    this.stopping = true;
    await this.forceFlush();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private take(): T[] {
    const max = this.opts.maxBatchItems;
    const first = this.chunks[0];
    if (first && first.length <= max && (this.chunks.length === 1 || first.length === max)) {
      this.chunks.shift();
      this.queued -= first.length;
      return first;
    }
    const batch: T[] = [];
    while (batch.length < max && this.chunks.length > 0) {
      const chunk = this.chunks[0] as T[];
      const room = max - batch.length;
      if (chunk.length <= room) {
        for (const item of chunk) batch.push(item);
        this.chunks.shift();
      } else {
        for (let i = 0; i < room; i++) batch.push(chunk[i] as T);
        this.chunks[0] = chunk.slice(room);
      }
    }
    this.queued -= batch.length;
    return batch;
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queued > 0 && (this.due || this.queued >= this.opts.maxBatchItems)) {
        const batch = this.take();
        this.inflight = batch.length;
        await this.writeWithRetry(batch);
        this.inflight = 0;
        this.writtenSeq += batch.length;
        this.opts.observer.queueDepth(this.opts.signal, this.bufferedItems);
        this.releaseWaiters();
      }
      if (this.queued === 0) this.due = false;
    } finally {
      this.draining = false;
    }
    if (this.queued > 0 && this.due) void this.drain();
  }

  private async writeWithRetry(batch: T[]): Promise<void> {
    const { signal, logger, observer } = this.opts;
    const shutdownAttempts = this.opts.shutdownAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      let outcome: Outcome;
      try {
        outcome = await this.opts.write(batch);
      } catch (e) {
        outcome = { kind: 'retryable', error: e instanceof Error ? e : new Error(String(e)) };
      }
      if (outcome.kind === 'ok') {
        observer.batchWritten(signal, batch.length, performance.now() - started);
        return;
      }
      const giveUp = outcome.kind === 'failed' || (this.stopping && attempt >= shutdownAttempts);
      observer.batchFailed(signal, batch.length, giveUp);
      if (giveUp) {
        logger.error(
          { signal, items: batch.length, attempt, err: errorMessage(outcome.error) },
          'insert failed for good; these records are lost',
        );
        return;
      }
      const backoffMs =
        (outcome.kind === 'retryable' ? outcome.retryAfterMs : undefined) ??
        Math.min(5000, 100 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
      logger.warn(
        { signal, items: batch.length, attempt, backoffMs, err: errorMessage(outcome.error) },
        'insert failed; retrying',
      );
      await sleep(backoffMs);
    }
  }

  private releaseWaiters(): void {
    if (this.waiters.length === 0) return;
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      if (this.writtenSeq >= w.seq) w.resolve();
      else still.push(w);
    }
    this.waiters = still;
  }
}
