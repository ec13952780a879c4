import { describe, expect, it } from 'vitest';
import { dropMetricName, labelsKey, labelsOf } from './labels.ts';

describe('memoized label-set derivations', () => {
  it('gives the same key and the same name-less set for the same array, computed once', () => {
    const labels = labelsOf({ __name__: 'up', job: 'a', instance: 'x:1' });
    const key = labelsKey(labels);
    expect(labelsKey(labels)).toBe(key);
    expect(labelsKey(labelsOf({ __name__: 'up', job: 'a', instance: 'x:1' }))).toBe(key);
    expect(labelsKey(labelsOf({ __name__: 'up', job: 'b', instance: 'x:1' }))).not.toBe(key);
    const dropped = dropMetricName(labels);
    expect(dropMetricName(labels)).toBe(dropped);
    expect(dropped).toEqual(labelsOf({ job: 'a', instance: 'x:1' }));
  });

  it('leaves the array a plain array for comparison and JSON', () => {
    const labels = labelsOf({ job: 'a' });
    labelsKey(labels);
    dropMetricName(labels);
    expect(labels).toEqual([{ name: 'job', value: 'a' }]);
    expect(Object.keys(labels)).toEqual(['0']);
    expect(JSON.stringify(labels)).toBe('[{"name":"job","value":"a"}]');
    expect(dropMetricName(labels)).toBe(labels); // no __name__: the same array
  });
});
