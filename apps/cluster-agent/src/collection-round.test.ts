/**
 * The round's own rules, with collectors that behave as the real ones do at their worst (one
 * answers, one fails, one never answers): the real collectors are tested against the real
 * databases in collectors/.
 */
import { describe, expect, it } from 'vitest';
import { silentLogger } from '@vigil/core';
import { CollectionRounds, mergeFamilies } from './collection-round.ts';
import type { Collection, Collector, CollectorFactory } from './collectors/collector.ts';
import { targetAddress, type Target } from './collectors/target.ts';

const up = (t: Target, v: number) => ({
  name: `${t.type}_up`,
  type: 'gauge' as const,
  help: 'reachable',
  samples: [{ labels: { address: targetAddress(t) }, value: v }],
});

function collectorFor(behaviour: 'ok' | 'fail' | 'hang', closed: string[]): CollectorFactory {
  return (target) =>
    ({
      target,
      collect(signal) {
        if (behaviour === 'ok') return Promise.resolve({ families: [up(target, 1)] });
        if (behaviour === 'fail')
          return Promise.resolve({ families: [up(target, 0)], error: 'connect ECONNREFUSED' });
        return new Promise((resolve) =>
          signal.addEventListener('abort', () => resolve({ families: [up(target, 0)], error: 'timed out' })),
        );
      },
      close() {
        closed.push(targetAddress(target));
        return Promise.resolve();
      },
    }) satisfies Collector;
}

describe('a collection round', () => {
  it('collects every target at once, a failing or hanging one costing only its own up 0', async () => {
    const closed: string[] = [];
    const byPort: Record<number, 'ok' | 'fail' | 'hang'> = { 1: 'ok', 2: 'fail', 3: 'hang' };
    const rounds = new CollectionRounds(
      { redis: (t) => collectorFor(byPort[t.port]!, closed)(t), mongodb: undefined },
      silentLogger,
    );
    const targets: Target[] = [1, 2, 3].map((port) => ({ type: 'redis', host: '127.0.0.1', port }));
    // The hanging one is cut off by the round's deadline (without it the round would never end).
    const families = await rounds.run([...targets, { type: 'mongodb', host: 'm', port: 27017 }], 300);
    expect(families).toHaveLength(1);
    expect(families[0]!.samples.map((s) => [s.labels.address, s.value])).toEqual([
      ['127.0.0.1:1', 1],
      ['127.0.0.1:2', 0],
      ['127.0.0.1:3', 0],
    ]);
    expect(rounds.states.map((s) => [s.address, s.up, s.error])).toEqual([
      ['127.0.0.1:1', true, undefined],
      ['127.0.0.1:2', false, 'connect ECONNREFUSED'],
      ['127.0.0.1:3', false, 'timed out'],
    ]);
    // A target that goes away is closed; one whose credentials change gets a new connection.
    await rounds.run([targets[0]!, { ...targets[1]!, credentials: { password: 'new' } }], 300);
    expect(closed.sort()).toEqual(['127.0.0.1:2', '127.0.0.1:3']);
    await rounds.close();
    expect(closed.sort()).toEqual(['127.0.0.1:1', '127.0.0.1:2', '127.0.0.1:2', '127.0.0.1:3']);
  });

  it('merges families of the same name from several targets', () => {
    const a: Target = { type: 'redis', host: 'a', port: 1 };
    const b: Target = { type: 'redis', host: 'b', port: 1 };
    expect(mergeFamilies([up(a, 1), up(b, 0)])).toEqual([
      { ...up(a, 1), samples: [...up(a, 1).samples, ...up(b, 0).samples] },
    ]);
  });

  it("hands a collector's changes on with its target, and nothing for a round without any", async () => {
    const seen: Array<[string, string[]]> = [];
    let round = 0;
    const factory: CollectorFactory = (target) => ({
      target,
      collect: () =>
        Promise.resolve<Collection>({
          families: [up(target, 1)],
          ...(++round === 2
            ? {
                changes: [
                  {
                    timeMs: 1,
                    kind: 'setting',
                    action: 'changed',
                    object: 'setting work_mem',
                    objectName: 'work_mem',
                    summary: 'work_mem: 4MB → 64MB',
                  },
                ],
              }
            : {}),
        }),
      close: () => Promise.resolve(),
    });
    const rounds = new CollectionRounds({ postgres: factory }, silentLogger, (t, changes) =>
      seen.push([targetAddress(t), changes.map((c) => c.summary)]),
    );
    const target: Target = { type: 'postgres', host: '127.0.0.1', port: 5432 };
    await rounds.run([target], 1000);
    expect(seen).toEqual([]);
    await rounds.run([target], 1000);
    expect(seen).toEqual([['127.0.0.1:5432', ['work_mem: 4MB → 64MB']]]);
  });
});
