/**
 * MetricStore against the real embedded engine (chDB): what goes in comes out, selected the way
 * Prometheus selects it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Label, LabelMatcher, MetricSeries } from '@vigil/protocols';
import { openTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { MetricStore } from './metric-store.ts';

const MIN = 60_000;
const T0 = Math.floor(Date.now() / (60 * MIN)) * 60 * MIN - 2 * 60 * MIN;
const TRICKY = "quote ' back\\slash\nnewline\ttab ünï 日本 {p0:String}";

const labels = (record: Record<string, string>): Label[] =>
  Object.entries(record).map(([name, value]) => ({ name, value }));

/** One series with samples at T0, T0 + 15 s, … */
function series(
  record: Record<string, string>,
  values: number[],
  extra: Partial<MetricSeries> = {},
): MetricSeries {
  return { labels: labels(record), timestampsMs: values.map((_, i) => T0 + i * 15_000), values, ...extra };
}

const DATA: MetricSeries[] = [
  series({ __name__: 'up', id: 's1', instance: 'a:1', job: 'api' }, [1, 1, 1]),
  series({ __name__: 'up', id: 's2', instance: 'b:2', job: 'api' }, [1, 0, 1]),
  // Unsorted on purpose, and env="" must count as "no env label".
  series({ job: 'db', __name__: 'up', instance: 'c:3', id: 's3', env: '' }, [1, 1, 1]),
  series({ __name__: 'http_requests_total', id: 's4', job: 'api', method: 'GET', path: '/x' }, [10, 20, 35]),
  series({ __name__: 'http_requests_total', id: 's5', job: 'api', method: 'POST' }, [1, 2, 3]),
  series({ id: 's6', job: 'nameless' }, [5, 5, 5]),
  series({ __name__: 'weird', id: 's7', city: '日本', msg: 'a\nb', tricky: TRICKY }, [0.1, -2.5e-300, 1e300]),
];

let t: TestDatabase;
let store: MetricStore;
const ALL = [T0 - MIN, T0 + 10 * MIN] as const;

beforeAll(async () => {
  t = await openTestDatabase();
  store = new MetricStore(t.db);
  expect(await store.insert(DATA)).toEqual({ kind: 'ok' });
});
afterAll(async () => {
  await t?.cleanup();
});

const ids = async (matchers: LabelMatcher[]): Promise<string[]> =>
  (await store.select(matchers, ...ALL))
    .map((s) => s.labels.find((l) => l.name === 'id')?.value ?? '?')
    .sort();

describe('select with label matchers', () => {
  const m = (name: string, op: LabelMatcher['op'], value: string): LabelMatcher => ({ name, op, value });
  const cases: Array<[string, LabelMatcher[], string[]]> = [
    ['metric name equality', [m('__name__', '=', 'up')], ['s1', 's2', 's3']],
    ['name and label equality', [m('__name__', '=', 'up'), m('job', '=', 'api')], ['s1', 's2']],
    ['inequality', [m('job', '!=', 'api')], ['s3', 's6', 's7']],
    ['regex on the name', [m('__name__', '=~', 'up|http_.*')], ['s1', 's2', 's3', 's4', 's5']],
    ['regex is anchored at the end', [m('__name__', '=~', 'http')], []],
    ['regex is anchored at the start', [m('__name__', '=~', 'p')], []],
    ['regex matching the suffix explicitly', [m('__name__', '=~', '.*p')], ['s1', 's2', 's3']],
    ['negative regex', [m('method', '!~', 'GET')], ['s1', 's2', 's3', 's5', 's6', 's7']],
    ['regex is case-sensitive', [m('method', '=~', 'get')], []],
    ['RE2 flags work', [m('method', '=~', '(?i)get')], ['s4']],
    ['dot matches a newline, as (?s) in Prometheus', [m('msg', '=~', 'a.b')], ['s7']],
    ['dot matches one code point', [m('city', '=~', '..')], ['s7']],
    ['no metric name at all', [m('job', '=', 'nameless')], ['s6']],
    ['a value with every special character', [m('tricky', '=', TRICKY)], ['s7']],
    ['no matchers select everything', [], ['s1', 's2', 's3', 's4', 's5', 's6', 's7']],
    ['=~".*" selects everything', [m('job', '=~', '.*')], ['s1', 's2', 's3', 's4', 's5', 's6', 's7']],
    ['!~".*" selects nothing', [m('job', '!~', '.*')], []],
    ['matchers are ANDed', [m('job', '=', 'api'), m('method', '=', 'GET'), m('path', '=', '/x')], ['s4']],
  ];
  for (const [name, matchers, expected] of cases) {
    it(`${name}: ${JSON.stringify(matchers.map((x) => `${x.name}${x.op}${x.value}`))}`, async () => {
      expect(await ids(matchers)).toEqual(expected);
    });
  }
});

describe('matchers that match the empty string (Prometheus semantics)', () => {
  it('l="" selects the series without l', async () => {
    expect(await ids([{ name: 'path', op: '=', value: '' }])).toEqual(['s1', 's2', 's3', 's5', 's6', 's7']);
  });
  it('l!="" selects the series with l', async () => {
    expect(await ids([{ name: 'path', op: '!=', value: '' }])).toEqual(['s4']);
  });
  it('l=~"x|" selects both the value and the series without l', async () => {
    expect(
      await ids([
        { name: 'path', op: '=~', value: '/x|' },
        { name: 'job', op: '=', value: 'api' },
      ]),
    ).toEqual(['s1', 's2', 's4', 's5']);
  });
  it('a label stored with an empty value is no label at all', async () => {
    expect(
      await ids([
        { name: 'env', op: '=', value: '' },
        { name: 'id', op: '=', value: 's3' },
      ]),
    ).toEqual(['s3']);
    const [s3] = await store.select([{ name: 'id', op: '=', value: 's3' }], ...ALL);
    expect(s3!.labels.map((l) => l.name)).toEqual(['__name__', 'id', 'instance', 'job']);
  });
});

describe('select results', () => {
  it('returns labels sorted by name with __name__, samples as Float64Arrays, series sorted', async () => {
    const result = await store.select([{ name: 'job', op: '=', value: 'api' }], ...ALL);
    expect(result.map((s) => s.labels)).toEqual([
      labels({ __name__: 'http_requests_total', id: 's4', job: 'api', method: 'GET', path: '/x' }),
      labels({ __name__: 'http_requests_total', id: 's5', job: 'api', method: 'POST' }),
      labels({ __name__: 'up', id: 's1', instance: 'a:1', job: 'api' }),
      labels({ __name__: 'up', id: 's2', instance: 'b:2', job: 'api' }),
    ]);
    expect(result[0]!.timestampsMs).toEqual(new Float64Array([T0, T0 + 15_000, T0 + 30_000]));
    expect(result[0]!.values).toEqual(new Float64Array([10, 20, 35]));
    expect(result[0]!.staleIndexes).toBeUndefined();
  });

  it('keeps values bit for bit', async () => {
    const [weird] = await store.select([{ name: '__name__', op: '=', value: 'weird' }], ...ALL);
    expect([...weird!.values]).toEqual([0.1, -2.5e-300, 1e300]);
  });

  it('includes both ends of the time range, as Prometheus does', async () => {
    const times = async (startMs: number, endMs: number): Promise<number[]> => {
      const [s] = await store.select([{ name: 'id', op: '=', value: 's4' }], startMs, endMs);
      return s ? [...s.timestampsMs].map((ms) => ms - T0) : [];
    };
    expect(await times(T0, T0 + 30_000)).toEqual([0, 15_000, 30_000]);
    expect(await times(T0 + 15_000, T0 + 15_000)).toEqual([15_000]);
    expect(await times(T0 + 1, T0 + 29_999)).toEqual([15_000]);
    expect(await times(T0 + 0.5, T0 + 30_000.5)).toEqual([15_000, 30_000]);
    expect(await times(T0 + 30_001, T0 + 60_000)).toEqual([]);
    expect(await times(T0 + 30_000, T0)).toEqual([]);
  });

  it('refuses a selection larger than limitSeries', async () => {
    await expect(store.select([], ...ALL, { limitSeries: 3 })).rejects.toMatchObject({ code: 'bad_request' });
    expect(
      await store.select([{ name: 'job', op: '=', value: 'api' }], ...ALL, { limitSeries: 4 }),
    ).toHaveLength(4);
  });

  it('reports an invalid regex as bad_request, including one that would escape the anchoring group', async () => {
    for (const value of ['a)|(b', '(', '[z-a]']) {
      await expect(store.select([{ name: 'job', op: '=~', value }], ...ALL)).rejects.toMatchObject({
        code: 'bad_request',
        expose: true,
      });
    }
  });

  it('honours an abort signal', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(store.select([], ...ALL, { signal: controller.signal })).rejects.toThrow();
  });
});

describe('label sets kept by series id', () => {
  const byId = (result: Awaited<ReturnType<MetricStore['select']>>) =>
    new Map(result.map((s) => [s.labels.find((l) => l.name === 'id')?.value, s.labels]));

  it('hands out the same array for a series select after select, and reads new series', async () => {
    const fresh = new MetricStore(t.db);
    const name = [{ name: '__name__', op: '=' as const, value: 'cached_labels' }];
    expect(
      await fresh.insert([
        series({ __name__: 'cached_labels', id: 'c1', zone: 'a' }, [1, 2]),
        series({ __name__: 'cached_labels', id: 'c2', zone: TRICKY }, [3, 4]),
      ]),
    ).toEqual({ kind: 'ok' });
    const first = byId(await fresh.select(name, ...ALL));
    expect(first.get('c2')).toEqual(labels({ __name__: 'cached_labels', id: 'c2', zone: TRICKY }));
    expect(await fresh.insert([series({ __name__: 'cached_labels', id: 'c3', zone: 'b' }, [5])])).toEqual({
      kind: 'ok',
    });
    const second = byId(await fresh.select(name, ...ALL));
    expect(second.get('c1')).toBe(first.get('c1'));
    expect(second.get('c2')).toBe(first.get('c2'));
    expect(second.get('c3')).toEqual(labels({ __name__: 'cached_labels', id: 'c3', zone: 'b' }));
    // A narrower selection of known series: the cached arrays, no more series.
    const narrow = await fresh.select([...name, { name: 'zone', op: '=', value: 'a' }], ...ALL);
    expect(narrow.map((s) => s.labels)).toEqual([first.get('c1')]);
    expect(narrow[0]!.labels).toBe(first.get('c1'));
  });

  it('reads the labels of many unknown series in one pass', async () => {
    const fresh = new MetricStore(t.db);
    const many = Array.from({ length: 2_500 }, (_, i) =>
      series({ __name__: 'many_series', id: `m${i}`, shard: String(i % 7) }, [i]),
    );
    expect(await fresh.insert(many)).toEqual({ kind: 'ok' });
    const result = await fresh.select([{ name: '__name__', op: '=', value: 'many_series' }], ...ALL);
    expect(result).toHaveLength(2_500);
    const got = byId(result);
    for (const i of [0, 1_234, 2_499]) {
      expect(got.get(`m${i}`)).toEqual(
        labels({ __name__: 'many_series', id: `m${i}`, shard: String(i % 7) }),
      );
    }
    const again = byId(await fresh.select([{ name: '__name__', op: '=', value: 'many_series' }], ...ALL));
    expect(again.get('m1234')).toBe(got.get('m1234'));
  });
});
