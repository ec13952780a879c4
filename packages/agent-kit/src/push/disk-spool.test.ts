import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '@vigil/testkit';
import { openDiskSpool } from './disk-spool.ts';
import { formatSegmentName, parseSegmentName } from './segment-name.ts';
import { captureLogger } from './testing/test-helpers.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
const tempDir = (): string => {
  const t = makeTempDir('vigil-spool-');
  cleanups.push(t.cleanup);
  return path.join(t.dir, 'spool');
};
const payload = (n: number, size = 100): Buffer => Buffer.alloc(size, n);

describe('segment names', () => {
  it('sort in write order as plain strings and carry the timestamp and sample count', () => {
    const names = [9, 10, 99, 100, 12345].map((seq) => formatSegmentName(seq, 1_732_612_345_678, seq * 2));
    expect([...names].sort()).toEqual(names);
    expect(names[1]).toBe('00000000000000000010-1732612345678-20.seg');
    expect(parseSegmentName(names[1]!)).toEqual({ seq: 10, timestampMs: 1_732_612_345_678, samples: 20 });
    expect(parseSegmentName('00000000000000000010-1732612345678-20.seg.tmp')).toBeUndefined();
    expect(parseSegmentName('notes.txt')).toBeUndefined();
  });
});

describe('DiskSpool', () => {
  it('hands segments out oldest first and forgets removed ones', async () => {
    const spool = await openDiskSpool(tempDir());
    for (let i = 1; i <= 3; i++) await spool.append(payload(i), { timestampMs: 1000 * i, samples: i });
    expect(spool.stats()).toMatchObject({ segments: 3, bytes: 300 });
    const seen: number[] = [];
    for (let s = spool.oldest(); s !== undefined; s = spool.oldest()) {
      const bytes = await spool.read(s);
      seen.push(bytes![0]!);
      await spool.remove(s);
      await spool.remove(s); // a second remove is a no-op
    }
    expect(seen).toEqual([1, 2, 3]);
    expect(spool.stats()).toMatchObject({ segments: 0, bytes: 0, droppedSegments: 0 });
    expect(readdirSync(spool.dir)).toEqual([]);
  });

  it('keeps concurrent appends in call order', async () => {
    const spool = await openDiskSpool(tempDir());
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        spool.append(payload(i, 1000 + (20 - i) * 500), { timestampMs: i, samples: 1 }),
      ),
    );
    const order: number[] = [];
    for (let s = spool.oldest(); s !== undefined; s = spool.oldest()) {
      order.push((await spool.read(s))![0]!);
      await spool.remove(s);
    }
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('drops the oldest segments to stay under its bound, and counts them', async () => {
    const logger = captureLogger();
    const spool = await openDiskSpool(tempDir(), { maxBytes: 1000, logger });
    for (let i = 1; i <= 12; i++) await spool.append(payload(i, 300), { timestampMs: i, samples: 10 });
    // 3 segments of 300 bytes fit under 1000; 9 were dropped, oldest first.
    expect(spool.stats()).toMatchObject({
      segments: 3,
      bytes: 900,
      droppedSegments: 9,
      droppedBytes: 2700,
      droppedSamples: 90,
    });
    expect((await spool.read(spool.oldest()!))![0]).toBe(10);
    expect(readdirSync(spool.dir)).toHaveLength(3);
    expect(logger.lines.some((l) => l.level === 'warn' && /spool is full/.test(l.msg ?? ''))).toBe(true);
  });

  it('refuses a request larger than the whole bound without touching what is queued', async () => {
    const spool = await openDiskSpool(tempDir(), { maxBytes: 1000 });
    await spool.append(payload(1, 400), { timestampMs: 1, samples: 1 });
    expect(await spool.append(payload(2, 1001), { timestampMs: 2, samples: 5 })).toBeUndefined();
    expect(spool.stats()).toMatchObject({ segments: 1, bytes: 400, droppedSegments: 1, droppedBytes: 1001 });
  });

  it('reads a dropped segment as undefined (the sender may hold it while the bound drops it)', async () => {
    const spool = await openDiskSpool(tempDir(), { maxBytes: 500 });
    const first = (await spool.append(payload(1, 300), { timestampMs: 1, samples: 1 }))!;
    await spool.append(payload(2, 300), { timestampMs: 2, samples: 1 });
    expect(await spool.read(first)).toBeUndefined();
    await spool.remove(first);
    expect(spool.stats()).toMatchObject({ segments: 1, bytes: 300, droppedSegments: 1 });
  });

  it('picks up what a previous process left, in order, continuing the sequence, and removes tmp files', async () => {
    const dir = tempDir();
    const before = await openDiskSpool(dir);
    for (let i = 1; i <= 3; i++) await before.append(payload(i), { timestampMs: 5000 + i, samples: 7 });
    writeFileSync(path.join(dir, `${formatSegmentName(4, 5004, 7)}.tmp`), payload(4, 37)); // killed mid-write
    writeFileSync(path.join(dir, 'README'), 'not a segment');

    const logger = captureLogger();
    const after = await openDiskSpool(dir, { logger });
    expect(after.stats()).toMatchObject({ segments: 3, bytes: 300, leftoverTmpFiles: 1 });
    expect(after.oldest()).toMatchObject({ seq: 1, timestampMs: 5001, samples: 7, sizeBytes: 100 });
    const next = await after.append(payload(9), { timestampMs: 6000, samples: 1 });
    expect(next?.seq).toBe(4);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(dir)).toContain('README');
    expect(
      logger.lines.some((l) => l.level === 'warn' && (l.fields.files as string[]).includes('README')),
    ).toBe(true);
  });

  it('applies a smaller bound to what it finds at open', async () => {
    const dir = tempDir();
    const big = await openDiskSpool(dir);
    for (let i = 1; i <= 5; i++) await big.append(payload(i, 200), { timestampMs: i, samples: 1 });
    const small = await openDiskSpool(dir, { maxBytes: 450 });
    expect(small.stats()).toMatchObject({ segments: 2, bytes: 400, droppedSegments: 3 });
    expect((await small.read(small.oldest()!))![0]).toBe(4);
  });

  it('refuses a bound that is not a positive whole number', async () => {
    await expect(openDiskSpool(tempDir(), { maxBytes: 0 })).rejects.toThrow(/maxBytes/);
  });
});
