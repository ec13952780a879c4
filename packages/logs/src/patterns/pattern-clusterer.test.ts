import { describe, expect, it } from 'vitest';
import { OVERFLOW_PATTERN, PatternClusterer, SAMPLE_MAX_CHARS } from './pattern-clusterer.ts';

describe('PatternClusterer', () => {
  it('gives messages that differ only in values the same pattern', () => {
    const clusterer = new PatternClusterer();
    const first = clusterer.add('Failed password for root from 10.0.0.7 port 52231 ssh2');
    const second = clusterer.add('Failed password for root from 192.168.1.20 port 4022 ssh2');
    expect(first).toEqual({
      hash: expect.stringMatching(/^[0-9a-f]{16}$/),
      pattern: 'Failed password for root from <*> port <*> <*>',
      isNew: true,
    });
    expect(second).toEqual({ ...first, isNew: false });
  });

  it('merges patterns of equal length that differ in one word, keeping the first hash', () => {
    const clusterer = new PatternClusterer();
    const admin = clusterer.add('Invalid user admin from 10.0.0.1');
    const oracle = clusterer.add('Invalid user oracle from 10.0.0.2');
    expect(oracle.hash).toBe(admin.hash);
    expect(oracle.pattern).toBe('Invalid user <*> from <*>');
    expect(clusterer.add('Invalid user test from 10.0.0.3').hash).toBe(admin.hash);
    expect(clusterer.size).toBe(1);
  });

  it('lets a pattern take in one varying word only', () => {
    const clusterer = new PatternClusterer();
    const user = clusterer.add('Invalid user admin from 10.0.0.1').hash;
    clusterer.add('Invalid user oracle from 10.0.0.2');
    const group = clusterer.add('Invalid group staff from 10.0.0.3');
    expect(group.hash).not.toBe(user);
    expect(group.isNew).toBe(true);
  });

  it('does not merge messages that differ in two words, or are of different lengths', () => {
    const clusterer = new PatternClusterer();
    const a = clusterer.add('Accepted password for alice from 10.0.0.1 port 22 ssh2').hash;
    const b = clusterer.add('Failed password for bob from 10.0.0.1 port 22 ssh2').hash;
    const c = clusterer.add('Failed password for invalid user bob from 10.0.0.1 port 22 ssh2').hash;
    expect(new Set([a, b, c]).size).toBe(3);
  });

  it('keeps short messages that differ in a word apart', () => {
    const clusterer = new PatternClusterer();
    expect(clusterer.add('cupsd startup succeeded').hash).not.toBe(
      clusterer.add('cupsd shutdown succeeded').hash,
    );
  });

  it('does not let a value match a word ("onExtend:<*> <*> <*> <*>" vs four words)', () => {
    const clusterer = new PatternClusterer();
    const values = clusterer.add('onExtend:1514038530000 14 0 4').hash;
    expect(clusterer.add('needAutoSync autoSyncSwitch is open').hash).not.toBe(values);
  });

  it('names a message shape with the same hash in every instance', () => {
    const lines = [
      'connection reset by 10.0.0.1 after 5 s',
      'disk /dev/sda1 is 91% full',
      'GET /api/v1/x 500 12ms',
    ];
    const one = new PatternClusterer();
    const other = new PatternClusterer({ maxPatterns: 10 });
    expect(lines.map((l) => one.add(l).hash)).toEqual(lines.map((l) => other.add(l).hash));
  });

  it('counts messages per pattern and keeps the first one as the sample', () => {
    const clusterer = new PatternClusterer();
    for (let i = 0; i < 5; i++) clusterer.add(`retrying request ${i} of 10 to backend`);
    clusterer.add('backend is down for maintenance now');
    clusterer.add('x'.repeat(SAMPLE_MAX_CHARS + 10));
    const patterns = clusterer.patterns();
    expect(patterns.map((p) => [p.pattern, p.count, p.sample])).toEqual([
      ['retrying request <*> of <*> to backend', 5, 'retrying request 0 of 10 to backend'],
      ['backend is down for maintenance now', 1, 'backend is down for maintenance now'],
      ['x'.repeat(SAMPLE_MAX_CHARS + 10), 1, 'x'.repeat(SAMPLE_MAX_CHARS)],
    ]);
  });

  it('bounds the number of patterns, counting the rest under the overflow pattern', () => {
    const clusterer = new PatternClusterer({ maxPatterns: 2 });
    clusterer.add('alpha one');
    clusterer.add('beta two');
    const third = clusterer.add('gamma three');
    expect(third).toEqual({ ...OVERFLOW_PATTERN, isNew: false });
    expect(clusterer.add('alpha one').hash).not.toBe(OVERFLOW_PATTERN.hash);
    expect(clusterer.size).toBe(2);
    expect(clusterer.patterns().at(-1)).toEqual({ ...OVERFLOW_PATTERN, count: 1, sample: '' });
  });

  it('finds merged patterns again after its shape memory is cleared', () => {
    const clusterer = new PatternClusterer({ maxCachedShapes: 1 });
    const first = clusterer.add('Invalid user admin from 10.0.0.1').hash;
    clusterer.add('unrelated message here now');
    for (const user of ['oracle', 'admin', 'test', 'oracle']) {
      expect(clusterer.add(`Invalid user ${user} from 10.0.0.9`).hash).toBe(first);
    }
  });

  it('refuses a maxPatterns below one', () => {
    expect(() => new PatternClusterer({ maxPatterns: 0 })).toThrow(/maxPatterns must be at least 1/);
  });
});
