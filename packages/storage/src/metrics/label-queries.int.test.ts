/**
 * The Prometheus HTTP API's index queries (labels, label values, series, metadata) against the
 * real embedded engine (chDB).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Label, MetricSeries } from '@vigil/protocols';
import { sql } from '../sql.ts';
import { openTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { DAY_MS } from './known-series.ts';
import { MetricStore } from './metric-store.ts';
import { METADATA_TABLE } from './schema.ts';

const DAY0 = Math.floor(Date.now() / DAY_MS) * DAY_MS - 3 * DAY_MS;
const T0 = DAY0 + 12 * 3_600_000;

const labels = (record: Record<string, string>): Label[] =>
  Object.entries(record).map(([name, value]) => ({ name, value }));
const at = (record: Record<string, string>, ms: number): MetricSeries => ({
  labels: labels(record),
  timestampsMs: [ms],
  values: [1],
});

let t: TestDatabase;
let store: MetricStore;
let clockMs = T0;

beforeAll(async () => {
  t = await openTestDatabase();
  store = new MetricStore(t.db, { clock: () => clockMs });
  await store.insert([
    at({ __name__: 'up', instance: 'a', job: 'api' }, T0),
    at({ __name__: 'up', instance: 'b', job: 'db', zone: 'z1' }, T0),
    at({ __name__: 'http_requests_total', code: '200', job: 'api' }, T0),
    at({ job: 'nameless', other: 'x' }, T0),
    // Seen only two days later.
    at({ __name__: 'late_metric', job: 'late' }, T0 + 2 * DAY_MS),
  ]);
});
afterAll(async () => {
  await t?.cleanup();
});

const DAY_OF_T0 = [T0 - 3_600_000, T0 + 3_600_000] as const;

describe('labelNames', () => {
  it('lists the names of matching series, __name__ included, sorted', async () => {
    expect(await store.labelNames([], ...DAY_OF_T0)).toEqual([
      '__name__',
      'code',
      'instance',
      'job',
      'other',
      'zone',
    ]);
    expect(await store.labelNames([{ name: 'job', op: '=', value: 'db' }], ...DAY_OF_T0)).toEqual([
      '__name__',
      'instance',
      'job',
      'zone',
    ]);
    expect(await store.labelNames([{ name: 'job', op: '=', value: 'nameless' }], ...DAY_OF_T0)).toEqual([
      'job',
      'other',
    ]);
  });

  it('leaves out series not seen in the range (day granularity)', async () => {
    expect(await store.labelNames([{ name: 'job', op: '=', value: 'late' }], ...DAY_OF_T0)).toEqual([]);
    const later = [T0 + 2 * DAY_MS - 1, T0 + 2 * DAY_MS] as const;
    expect(await store.labelNames([{ name: 'job', op: '=', value: 'late' }], ...later)).toEqual([
      '__name__',
      'job',
    ]);
  });

  it('honours limit', async () => {
    expect(await store.labelNames([], ...DAY_OF_T0, { limit: 2 })).toEqual(['__name__', 'code']);
  });
});

describe('labelValues', () => {
  it('lists the values of a label among matching series, sorted, without empty ones', async () => {
    expect(await store.labelValues('job', [], ...DAY_OF_T0)).toEqual(['api', 'db', 'nameless']);
    expect(await store.labelValues('zone', [], ...DAY_OF_T0)).toEqual(['z1']);
    expect(
      await store.labelValues('instance', [{ name: '__name__', op: '=', value: 'up' }], ...DAY_OF_T0),
    ).toEqual(['a', 'b']);
  });

  it('lists metric names for __name__', async () => {
    expect(await store.labelValues('__name__', [], ...DAY_OF_T0)).toEqual(['http_requests_total', 'up']);
    expect(await store.labelValues('__name__', [], T0, T0 + 2 * DAY_MS)).toEqual([
      'http_requests_total',
      'late_metric',
      'up',
    ]);
  });

  it('answers nothing for an unknown label', async () => {
    expect(await store.labelValues('nope', [], ...DAY_OF_T0)).toEqual([]);
  });
});

describe('series', () => {
  it('returns the label sets matching any of the matcher sets, sorted', async () => {
    const result = await store.series(
      [[{ name: '__name__', op: '=', value: 'up' }], [{ name: 'job', op: '=~', value: 'name.*' }]],
      ...DAY_OF_T0,
    );
    expect(result).toEqual([
      labels({ __name__: 'up', instance: 'a', job: 'api' }),
      labels({ __name__: 'up', instance: 'b', job: 'db', zone: 'z1' }),
      labels({ job: 'nameless', other: 'x' }),
    ]);
  });

  it('returns nothing for no matcher sets, and respects limit', async () => {
    expect(await store.series([], ...DAY_OF_T0)).toEqual([]);
    expect(await store.series([[]], ...DAY_OF_T0, { limit: 2 })).toHaveLength(2);
  });

  it('reports an invalid regex as bad_request', async () => {
    await expect(store.series([[{ name: 'job', op: '=~', value: '(' }]], ...DAY_OF_T0)).rejects.toMatchObject(
      {
        code: 'bad_request',
      },
    );
  });
});

describe('metadata', () => {
  it('keeps the latest type, help and unit per family, written only when they change', async () => {
    clockMs = T0;
    await store.insert(
      [],
      [
        { metricFamilyName: 'up', type: 'gauge', help: 'Target is up.', unit: '' },
        { metricFamilyName: 'http_requests_total', type: 'counter', help: 'Requests.', unit: '' },
      ],
    );
    clockMs = T0 + 1000;
    await store.insert(
      [],
      [{ metricFamilyName: 'up', type: 'gauge', help: 'Whether the target is up.', unit: '' }],
    );
    expect(await store.metadata()).toEqual([
      { metricFamilyName: 'http_requests_total', type: 'counter', help: 'Requests.', unit: '' },
      { metricFamilyName: 'up', type: 'gauge', help: 'Whether the target is up.', unit: '' },
    ]);
    expect(await store.metadata('up')).toEqual([
      { metricFamilyName: 'up', type: 'gauge', help: 'Whether the target is up.', unit: '' },
    ]);
    expect(await store.metadata('missing')).toEqual([]);
    // Unchanged metadata is not written again (3 rows: two families, one change).
    clockMs = T0 + 2000;
    await store.insert(
      [],
      [{ metricFamilyName: 'up', type: 'gauge', help: 'Whether the target is up.', unit: '' }],
    );
    const rows = await t.db.query<{ n: number }>(sql`SELECT count() AS n FROM ${t.db.table(METADATA_TABLE)}`);
    expect(rows[0]!.n).toBe(3);
  });
});
