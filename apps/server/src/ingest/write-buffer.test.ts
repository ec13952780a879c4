import { describe, expect, it } from 'vitest';
import { failed, ok, retryable, silentLogger, type Outcome } from '@vigil/core';
import { WriteBuffer, type WriteBufferObserver } from './write-buffer.ts';

const observer: WriteBufferObserver = { batchWritten() {}, batchFailed() {}, queueDepth() {} };

function makeBuffer(opts: {
  maxBatchItems?: number;
  maxDelayMs?: number;
  maxBufferedItems?: number;
  outcomes?: Outcome[];
}) {
  const batches: number[][] = [];
  const outcomes = [...(opts.outcomes ?? [])];
  let release: (() => void) | undefined;
  let gate: Promise<void> | undefined;
  const buffer = new WriteBuffer<number>({
    signal: 'test',
    maxBatchItems: opts.maxBatchItems ?? 10,
    maxDelayMs: opts.maxDelayMs ?? 20,
    maxBufferedItems: opts.maxBufferedItems ?? 100,
    observer,
    logger: silentLogger,
    shutdownAttempts: 2,
    async write(batch) {
      if (gate) await gate;
      const outcome = outcomes.shift() ?? ok;
      if (outcome.kind === 'ok') batches.push([...batch]);
      return outcome.kind === 'retryable' ? retryable(outcome.error, 1) : outcome;
    },
  });
  return {
    buffer,
    batches,
    hold: () => {
      gate = new Promise((r) => (release = r));
    },
    release: () => {
      gate = undefined;
      release?.();
    },
  };
}

describe('WriteBuffer', () => {
  it('writes full batches as soon as they fill and keeps order', async () => {
    const { buffer, batches } = makeBuffer({ maxBatchItems: 3, maxDelayMs: 10_000 });
    expect(buffer.offer([1, 2])).toBe(true);
    expect(buffer.offer([3, 4, 5, 6, 7])).toBe(true);
    await buffer.forceFlush();
    expect(batches.flat()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(batches.every((b) => b.length <= 3)).toBe(true);
  });

  it('writes a partial batch once the oldest record has waited maxDelayMs', async () => {
    const { buffer, batches } = makeBuffer({ maxBatchItems: 100, maxDelayMs: 15 });
    buffer.offer([1]);
    expect(batches).toEqual([]);
    await new Promise((r) => setTimeout(r, 60));
    expect(batches).toEqual([[1]]);
  });

  it('refuses a request that does not fit whole, and accepts again after draining', async () => {
    const t = makeBuffer({ maxBatchItems: 5, maxBufferedItems: 6, maxDelayMs: 10_000 });
    t.hold();
    expect(t.buffer.offer([1, 2, 3, 4, 5])).toBe(true);
    expect(t.buffer.offer([6, 7])).toBe(false);
    expect(t.buffer.offer([6])).toBe(true);
    expect(t.buffer.bufferedItems).toBe(6);
    t.release();
    await t.buffer.forceFlush();
    expect(t.buffer.bufferedItems).toBe(0);
    expect(t.buffer.offer([7, 8])).toBe(true);
    await t.buffer.forceFlush();
    expect(t.batches.flat()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('retries a retryable failure with the same batch before moving on', async () => {
    const { buffer, batches } = makeBuffer({
      maxBatchItems: 2,
      outcomes: [retryable(new Error('down')), retryable(new Error('down')), ok],
    });
    buffer.offer([1, 2, 3]);
    await buffer.forceFlush();
    expect(batches).toEqual([[1, 2], [3]]);
  });

  it('drops a batch the engine rejects as invalid and keeps serving', async () => {
    const { buffer, batches } = makeBuffer({ maxBatchItems: 2, outcomes: [failed(new Error('bad row'))] });
    buffer.offer([1, 2, 3]);
    await buffer.forceFlush();
    expect(batches).toEqual([[3]]);
  });

  it('shutdown writes everything accepted and then refuses new records', async () => {
    const { buffer, batches } = makeBuffer({ maxBatchItems: 1000, maxDelayMs: 10_000 });
    buffer.offer([1, 2, 3]);
    await buffer.shutdown();
    expect(batches.flat()).toEqual([1, 2, 3]);
    expect(buffer.offer([4])).toBe(false);
  });
});

/** A buffer whose writes finish only when the test says so, one controllable promise per batch. */
function manualBuffer(opts: {
  maxBatchItems: number;
  maxBufferedItems: number;
  concurrent: number;
  parked?: number;
}) {
  const pending: { batch: number[]; finish: () => void }[] = [];
  const written: number[][] = [];
  const buffer = new WriteBuffer<number>({
    signal: 'test',
    maxBatchItems: opts.maxBatchItems,
    maxDelayMs: 10_000,
    maxBufferedItems: opts.maxBufferedItems,
    maxConcurrentWrites: opts.concurrent,
    maxParkedItems: opts.parked,
    observer,
    logger: silentLogger,
    write: (batch) =>
      new Promise<Outcome>((resolve) => {
        pending.push({
          batch: [...batch],
          finish: () => {
            written.push([...batch]);
            resolve(ok);
          },
        });
      }),
  });
  const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
  return { buffer, pending, written, tick };
}

describe('WriteBuffer with concurrent inserts', () => {
  it('runs up to maxConcurrentWrites inserts at once', async () => {
    const t = manualBuffer({ maxBatchItems: 2, maxBufferedItems: 100, concurrent: 2 });
    t.buffer.offer([1, 2, 3, 4, 5, 6]);
    await t.tick();
    expect(t.pending.map((p) => p.batch)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    t.pending[0]!.finish();
    await t.tick();
    expect(t.pending.map((p) => p.batch)).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
  });

  it('releases forceFlush only when every earlier batch is written, even if a later one finished first', async () => {
    const t = manualBuffer({ maxBatchItems: 2, maxBufferedItems: 100, concurrent: 2 });
    t.buffer.offer([1, 2, 3, 4]);
    let flushed = false;
    const flush = t.buffer.forceFlush().then(() => (flushed = true));
    await t.tick();
    t.pending[1]!.finish(); // [3, 4] finishes before [1, 2]
    await t.tick();
    expect(flushed).toBe(false);
    t.pending[0]!.finish();
    await flush;
    expect(t.written).toEqual([
      [3, 4],
      [1, 2],
    ]);
    expect(t.buffer.bufferedItems).toBe(0);
  });
});

describe('WriteBuffer.offerWithin', () => {
  it('parks a request that does not fit and accepts it once an insert frees room', async () => {
    const t = manualBuffer({ maxBatchItems: 2, maxBufferedItems: 2, concurrent: 1 });
    expect(await t.buffer.offerWithin([1, 2], 1000)).toBe(true);
    await t.tick();
    let accepted: boolean | undefined;
    void t.buffer.offerWithin([3], 1000).then((a) => (accepted = a));
    await t.tick();
    expect(accepted).toBeUndefined();
    t.pending[0]!.finish();
    await t.tick();
    expect(accepted).toBe(true);
    expect(t.buffer.bufferedItems).toBe(1);
  });

  it('answers false when the wait runs out, and never stores the refused records', async () => {
    const t = manualBuffer({ maxBatchItems: 2, maxBufferedItems: 2, concurrent: 1 });
    t.buffer.offer([1, 2]);
    expect(await t.buffer.offerWithin([3], 20)).toBe(false);
    t.pending[0]!.finish();
    await t.buffer.forceFlush();
    expect(t.written.flat()).toEqual([1, 2]);
  });

  it('refuses at once when the parking space is taken, and admits parked requests in arrival order', async () => {
    const t = manualBuffer({ maxBatchItems: 2, maxBufferedItems: 2, concurrent: 1, parked: 2 });
    t.buffer.offer([1, 2]);
    const order: number[] = [];
    const a = t.buffer.offerWithin([3], 1000).then((ok) => ok && order.push(3));
    const b = t.buffer.offerWithin([4], 1000).then((ok) => ok && order.push(4));
    expect(t.buffer.canAcceptOrPark).toBe(false);
    expect(await t.buffer.offerWithin([5], 1000)).toBe(false);
    await t.tick();
    t.pending[0]!.finish();
    await Promise.all([a, b]);
    expect(order).toEqual([3, 4]);
  });

  it('refuses parked requests when the buffer shuts down', async () => {
    const t = manualBuffer({ maxBatchItems: 2, maxBufferedItems: 2, concurrent: 1 });
    t.buffer.offer([1, 2]);
    const parked = t.buffer.offerWithin([3], 10_000);
    await t.tick();
    const done = t.buffer.shutdown();
    expect(await parked).toBe(false);
    t.pending[0]!.finish();
    await done;
    expect(t.written.flat()).toEqual([1, 2]);
  });
});
