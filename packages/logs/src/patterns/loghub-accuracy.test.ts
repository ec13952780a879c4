/**
 * The acceptance figure: grouping accuracy of the clusterer over the `Content` column of
 * each Loghub 2k sample, against its ground-truth EventId (Drain averages about 0.86 on Loghub).
 * Prints the per-system figures that docs/perf.md reports.
 */
import { describe, expect, it } from 'vitest';
import { PatternClusterer } from './pattern-clusterer.ts';
import { groupingAccuracy } from '../accuracy/grouping-accuracy.ts';
import { loghubAvailable, readLoghubStructured } from '../testing/index.ts';

describe.skipIf(!loghubAvailable())('pattern clustering on the Loghub samples', () => {
  it('reaches a grouping accuracy of at least 0.90 on average', () => {
    const samples = readLoghubStructured();
    expect(samples.map((s) => s.system)).toEqual([
      'Apache',
      'HDFS',
      'HealthApp',
      'Linux',
      'OpenSSH',
      'Proxifier',
      'Spark',
      'Zookeeper',
    ]);
    const rows = samples.map(({ system, contents, eventIds }) => {
      const clusterer = new PatternClusterer({ maxPatterns: 100_000 });
      const hashes = contents.map((message) => clusterer.add(message).hash);
      return {
        system,
        accuracy: groupingAccuracy(hashes, eventIds),
        patterns: clusterer.size,
        events: new Set(eventIds).size,
      };
    });
    const average = rows.reduce((sum, r) => sum + r.accuracy, 0) / rows.length;
    process.stdout.write(
      rows
        .map(
          (r) =>
            `${r.system.padEnd(10)} ${r.accuracy.toFixed(3)}  patterns ${r.patterns} / events ${r.events}\n`,
        )
        .join('') + `average    ${average.toFixed(3)}\n`,
    );
    expect(average).toBeGreaterThanOrEqual(0.9);
  });
});
