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
  /**
   * Records that may wait in parked requests for room (see {@link WriteBuffer.offerWithin});
   * default `maxBatchItems`. Bounds the memory held beyond `maxBufferedItems`.
   */
  maxParkedItems?: number;
  /**
   * Inserts that may run at once (default 1). Two let the next batch be encoded and sent while
   * the engine is still writing the previous one; the ordering of batches does not matter to
   * ClickHouse, and forceFlush still waits for every earlier record.
   */
  maxConcurrentWrites?: number;
  /**
   * How many records one item holds, for items that are themselves groups of records (a chunk of
   * column data per request). Such items are never split: a batch takes whole items up to
   * `maxBatchItems` records (one item alone may exceed it). Unset: every item is one record.
   */
  weigh?: (item: T) => number;
}

interface Waiter {
  seq: number;
  resolve(): void;
}

/** A request parked until the buffer has room for its records (see {@link WriteBuffer.offerWithin}). */
interface RoomWaiter<T> {
  items: T[];
  /** Records in `items`. */
  weight: number;
  timer: NodeJS.Timeout;
  resolve(accepted: boolean): void;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Collects records from many requests into batches for ClickHouse, which prefers few large
 * inserts to many small ones. A batch is written when it reaches `maxBatchItems` or its oldest
 * record has waited `maxDelayMs`. At most `maxConcurrentWrites` inserts run at a time, so while
 * they run the next batch grows: the natural batching keeps throughput up when the engine is slow.
 *
 * Memory is bounded: `offer` accepts a request whole or not at all, and refuses once
 * `maxBufferedItems` are waiting, so the caller can answer 429 instead of growing without bound.
 * `offerWithin` lets a request that does not fit wait a little for the insert in flight to finish
 * (up to `maxParkedItems` records wait this way): a client told to retry sleeps for the whole
 * Retry-After second, which under steady overload left the engine idle between batches.
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
  private parked: RoomWaiter<T>[] = [];
  private parkedItems = 0;
  private timer: NodeJS.Timeout | undefined;
  private due = false;
  /** Inserts running now. */
  private running = 0;
  /** Sequence number of the first record not yet taken into a batch. */
  private takenSeq = 0;
  /** Finished batches past the written prefix: start sequence → record count. */
  private readonly finished = new Map<number, number>();
  private stopping = false;
  private closed = false;

  constructor(opts: WriteBufferOptions<T>) {
    this.opts = opts;
  }

  /** Records in `items`. */
  private weight(items: readonly T[]): number {
    const weigh = this.opts.weigh;
    if (weigh === undefined) return items.length;
    let n = 0;
    for (const item of items) n += weigh(item);
    return n;
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
    const weight = this.weight(items);
    if (weight === 0) return !this.closed;
    if (!this.hasRoomFor(weight)) return false;
    this.chunks.push(items);
    this.queued += weight;
    this.offeredSeq += weight;
    this.opts.observer.queueDepth(this.opts.signal, this.bufferedItems);
    if (this.queued >= this.opts.maxBatchItems) {
      this.due = true;
      this.drain();
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.due = true;
        this.drain();
      }, this.opts.maxDelayMs);
    }
    return true;
  }

  /** Whether a request could be accepted now or parked by {@link offerWithin}. */
  get canAcceptOrPark(): boolean {
    return this.hasRoomFor(1) || (!this.closed && this.parkedItems < this.maxParkedItems);
  }

  /**
   * Like {@link offer}, but a request that does not fit yet waits up to `waitMs` for room, in
   * arrival order. Resolves true once the records are accepted, false when the wait ran out, the
   * parking space (`maxParkedItems`) is taken, or the buffer shut down.
   */
  offerWithin(items: T[], waitMs: number): Promise<boolean> {
    if (this.parked.length === 0 && this.offer(items)) return Promise.resolve(true);
    const weight = this.weight(items);
    if (this.closed || waitMs <= 0 || this.parkedItems + weight > this.maxParkedItems) {
      return Promise.resolve(false);
    }
    return new Promise<boolean>((resolve) => {
      const waiter: RoomWaiter<T> = {
        items,
        weight,
        resolve,
        timer: setTimeout(() => {
          this.unpark(waiter);
          resolve(false);
        }, waitMs),
      };
      this.parked.push(waiter);
      this.parkedItems += weight;
    });
  }

  private get maxConcurrentWrites(): number {
    return this.opts.maxConcurrentWrites ?? 1;
  }

  private get maxParkedItems(): number {
    return this.opts.maxParkedItems ?? this.opts.maxBatchItems;
  }

  private unpark(waiter: RoomWaiter<T>): void {
    const i = this.parked.indexOf(waiter);
    if (i < 0) return;
    this.parked.splice(i, 1);
    this.parkedItems -= waiter.weight;
    clearTimeout(waiter.timer);
  }

  /** Admits parked requests in arrival order while they fit. */
  private admitParked(): void {
    while (this.parked.length > 0) {
      const first = this.parked[0] as RoomWaiter<T>;
      if (!this.offer(first.items)) return;
      this.unpark(first);
      first.resolve(true);
    }
  }

  private refuseParked(): void {
    for (const waiter of [...this.parked]) {
      this.unpark(waiter);
      waiter.resolve(false);
    }
  }

  /** Resolves once everything offered before the call has been written (or given up). */
  forceFlush(): Promise<void> {
    const target = this.offeredSeq;
    if (this.writtenSeq >= target) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.waiters.push({ seq: target, resolve }));
    this.due = true;
    this.drain();
    return done;
  }

  /** Refuses new records, writes everything accepted, then stops. */
  async shutdown(): Promise<void> {
    this.closed = true;
    this.stopping = true;
    this.refuseParked();
    await this.forceFlush();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The next batch and the records it holds. */
  private take(): { batch: T[]; weight: number } {
    const max = this.opts.maxBatchItems;
    const weigh = this.opts.weigh;
    if (weigh !== undefined) {
      // Whole items, up to max records (at least one item).
      const batch: T[] = [];
      let weight = 0;
      while (this.chunks.length > 0) {
        const chunk = this.chunks[0] as T[];
        const w = this.weight(chunk);
        if (batch.length > 0 && weight + w > max) break;
        for (const item of chunk) batch.push(item);
        weight += w;
        this.chunks.shift();
      }
      this.queued -= weight;
      return { batch, weight };
    }
    const first = this.chunks[0];
    if (first && first.length <= max && (this.chunks.length === 1 || first.length === max)) {
      this.chunks.shift();
      this.queued -= first.length;
      return { batch: first, weight: first.length };
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
    return { batch, weight: batch.length };
  }

  /** Starts inserts while batches are due and fewer than `maxConcurrentWrites` run. */
  private drain(): void {
    const max = this.opts.maxBatchItems;
    while (this.running < this.maxConcurrentWrites && this.queued > 0 && (this.due || this.queued >= max)) {
      const { batch, weight } = this.take();
      const startSeq = this.takenSeq;
      this.takenSeq += weight;
      this.inflight += weight;
      this.running++;
      void this.writeWithRetry(batch, weight).then(() => this.batchDone(startSeq, weight));
    }
    if (this.queued === 0) this.due = false;
  }

  private batchDone(startSeq: number, items: number): void {
    this.running--;
    this.inflight -= items;
    // Batches may finish out of order; writtenSeq only advances over a contiguous prefix, so a
    // forceFlush waiter is released only when everything offered before it is written.
    this.finished.set(startSeq, items);
    for (
      let n = this.finished.get(this.writtenSeq);
      n !== undefined;
      n = this.finished.get(this.writtenSeq)
    ) {
      this.finished.delete(this.writtenSeq);
      this.writtenSeq += n;
    }
    this.opts.observer.queueDepth(this.opts.signal, this.bufferedItems);
    this.releaseWaiters();
    this.admitParked();
    this.drain();
  }

  private async writeWithRetry(batch: T[], items: number): Promise<void> {
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
        observer.batchWritten(signal, items, performance.now() - started);
        return;
      }
      const giveUp = outcome.kind === 'failed' || (this.stopping && attempt >= shutdownAttempts);
      observer.batchFailed(signal, items, giveUp);
      if (giveUp) {
        logger.error(
          { signal, items: items, attempt, err: errorMessage(outcome.error) },
          'insert failed for good; these records are lost',
        );
        return;
      }
      const backoffMs =
        (outcome.kind === 'retryable' ? outcome.retryAfterMs : undefined) ??
        Math.min(5000, 100 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
      logger.warn(
        { signal, items: items, attempt, backoffMs, err: errorMessage(outcome.error) },
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
