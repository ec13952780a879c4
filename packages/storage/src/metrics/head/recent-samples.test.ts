import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { planInsert } from '../insert-plan.ts';
import { KnownSeriesIndex } from '../known-series.ts';
import { RecentSamples } from './recent-samples.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const T0 = 1_700_000_000_000;
const batch = (series: number, t: number) => [
  {
    series: Array.from({ length: series }, (_, i) => ({
      labels: [
        { name: '__name__', value: 'm' },
        { name: 'i', value: String(i) },
      ],
      timestampsMs: [t],
      values: [i],
    })),
  },
];

describe('RecentSamples', () => {
  it('lets go of every series it held once it turns itself off', async () => {
    const index = new KnownSeriesIndex(1000);
    const head = new RecentSamples({ maxSamples: 1500, clock: () => T0 });
    head.start(-Infinity);
    const first = planInsert(batch(100, T0), index);
    first.commit();
    head.add(first);
    const ids = first.samples.ids;
    const held = new WeakRef(head.series((BigInt(ids[1]!) << 32n) | BigInt(ids[0]!))!);
    expect(held.deref()?.t).toEqual([T0]);
    for (let pass = 1; pass <= 20 && head.on; pass++)
      head.add(planInsert(batch(100, T0 + pass * 15_000), index));
    expect(head.on).toBe(false);
    // A WeakRef target survives until the current task ends.
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
    expect(held.deref()).toBeUndefined();
    expect(index.size).toBe(100);
  });

  it('turns off at once for more series than its budget could hold 15 minutes of', () => {
    const index = new KnownSeriesIndex(1000);
    const head = new RecentSamples({ maxSamples: 1500, clock: () => T0 });
    head.start(-Infinity);
    const fits = planInsert(batch(100, T0), index);
    head.add(fits);
    expect(head.on).toBe(true);
    expect(head.samples).toBe(100);
    head.add(planInsert(batch(101, T0 + 15_000), index));
    expect(head.on).toBe(false);
    expect(head.samples).toBe(0);
  });
});
