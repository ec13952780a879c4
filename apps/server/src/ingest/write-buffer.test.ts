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
