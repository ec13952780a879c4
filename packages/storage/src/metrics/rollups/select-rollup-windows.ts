/**
 * `selectWindows` from the rollups: the bucket rows of the matching series (built ones from
 * `metrics_rollup_5m`, newer ones computed from samples with the builder's SQL), composed into
 * the grid's windows in JS (compose-windows.ts). `rate(x[5m])` over 24 h at a 5 m step then
 * reads 288 rows per series instead of 5,760 samples.
 *
 *   series (matchers) ─► labels by id (the store's match and label caches)
 *                      ─► rollup rows of those (name, id) (ends ≤ covered) ∪ bucket rows from
 *                          samples (ends > covered)
 *                          ORDER BY id, end, version ─► Native ─► newest version per bucket
 *                          ─► windows per series
 *
 * The series come first, from the last answer to the same matchers over the same days when no
 * series row was written since (../match-cache.ts): a dashboard refreshing a 24 h
 * panel then costs one ClickHouse read, of the rollup rows of exactly those series, instead of
 * two reads that each scan the series table.
 */
import { AppError } from '@vigil/core';
import { compareLabels, type Label } from '@vigil/protocols';
import type { Database } from '../../connection.ts';
import { sql, type Sql } from '../../sql.ts';
import { matchingSeries, matchingSeriesCondition, type MatchesAt } from '../match-cache.ts';
import { readNativeColumns } from '../native-reader.ts';
import { SERIES_TABLE } from '../schema.ts';
import { runBinary, type SelectOptions, type SeriesLabelsCache } from '../select-series.ts';
import type { StoredWindows, WindowQuery } from '../select-windows.ts';
import { METRIC_NAME_LABEL } from '../series-id.ts';
import { BUCKET_COLUMNS, bucketRowsSql } from './bucket-sql.ts';
import { BUCKET_MS, type CoverageState } from './coverage.ts';
import { composeWindows, type BucketColumns } from './compose-windows.ts';
import { ROLLUP_TABLE } from './schema.ts';

/** Up to this many series are named in the rollup read; more are selected by the subquery. */
const LISTED_SERIES_LIMIT = 10_000;

/** Version of bucket rows computed at read time: newer than any built row. */
const READ_VERSION = Number.MAX_SAFE_INTEGER;

type Figure = 'first' | 'prev' | 'min' | 'max' | 'resets' | 'stale';

/** Optional column groups of a bucket row, with their Native types. */
const FIGURE_COLUMNS: Readonly<Record<Figure, ReadonlyArray<readonly [string, string]>>> = {
  first: [
    ['FirstAge', 'UInt32'],
    ['FirstV', 'Float64'],
  ],
  prev: [
    ['PrevAge', 'UInt32'],
    ['PrevV', 'Float64'],
  ],
  min: [
    ['Extremes', 'UInt8'],
    ['MinV', 'Float64'],
    ['FirstV', 'Float64'],
  ],
  max: [
    ['Extremes', 'UInt8'],
    ['MaxV', 'Float64'],
  ],
  resets: [
    ['Resets', 'Array(Float64)'],
    ['ResetsOver', 'UInt32'],
    ['ResetsSum', 'Float64'],
  ],
  stale: [['StaleAge', 'UInt32']],
};

/**
 * The figures the functions read (WindowRequest.functions); the rest is not read at all, since
 * both decompressing a column and handing its bytes over from chDB cost. Always read: the
 * count, and the newest sample, which also decides whether a window's edge holds a sample.
 * Drops matter to rate, increase and resets() only, and they are most of a gauge's row (a gauge
 * drops between many samples).
 */
function figuresFor(functions: readonly string[] | undefined): Set<Figure> {
  const uses = (...names: string[]) => functions === undefined || names.some((n) => functions.includes(n));
  const out = new Set<Figure>();
  if (uses('rate', 'increase', 'delta', 'resets')) out.add('first');
  if (uses('irate', 'idelta')) out.add('prev');
  if (uses('min_over_time')) out.add('min');
  if (uses('max_over_time')) out.add('max');
  if (uses('rate', 'increase', 'resets')) out.add('resets');
  if (functions?.includes('instant') === true) out.add('stale');
  return out;
}

/** True when the grid's window ends and range fall on bucket ends. */
export function rollupAligned(q: Pick<WindowQuery, 'firstEndMs' | 'stepMs' | 'rangeMs'>): boolean {
  return (
    q.rangeMs > 0 &&
    q.rangeMs % BUCKET_MS === 0 &&
    q.stepMs % BUCKET_MS === 0 &&
    q.firstEndMs % BUCKET_MS === 0
  );
}

/**
 * Windows of the aligned grid `query`: buckets with ends ≤ `built.coveredUntil` and outside its
 * dirty ranges are read from the rollup table, the others computed from samples, so the answer
 * is exact whatever has been built (MetricStore.rollupsServe says when it is also cheap).
 */
export async function selectRollupWindows(
  db: Database,
  query: WindowQuery,
  built: CoverageState,
  labelsCache: SeriesLabelsCache,
  options: SelectOptions = {},
  matches?: MatchesAt,
): Promise<StoredWindows[]> {
  if (!rollupAligned(query) || !(query.steps > 0 && query.stepMs > 0)) {
    throw new AppError('internal', 'rollup windows need a grid aligned to 5 minutes', { expose: false });
  }
  const fromEnd = query.firstEndMs - query.rangeMs;
  const lastEnd = query.firstEndMs + (query.steps - 1) * query.stepMs;
  const seriesWhere = matchingSeriesCondition(query.matchers, fromEnd - BUCKET_MS, lastEnd);
  const labelsById = await matchingSeries(
    db,
    query.matchers,
    fromEnd - BUCKET_MS,
    lastEnd,
    labelsCache,
    matches,
    options.signal,
  );
  if (labelsById.size === 0) return [];
  const listed = labelsById.size <= LISTED_SERIES_LIMIT ? seriesKeys(labelsById) : undefined;
  const ids =
    listed === undefined
      ? sql`SeriesId IN (SELECT SeriesId FROM ${db.table(SERIES_TABLE)} WHERE ${seriesWhere})`
      : sql`SeriesId IN ${sql.param(listed.ids, 'Array(UInt64)')}`;
  const namedSeries =
    listed === undefined
      ? sql`(MetricName, SeriesId) IN (SELECT MetricName, SeriesId FROM ${db.table(SERIES_TABLE)} WHERE ${seriesWhere})`
      : // Ids hash their metric name, so each id matches its own name only; the name set lets
        // the primary key (MetricName, SeriesId, …) skip other metrics.
        sql`MetricName IN ${sql.param(listed.names, 'Array(String)')} AND SeriesId IN ${sql.param(listed.ids, 'Array(UInt64)')}`;
  const columns = sql.join(BUCKET_COLUMNS.map((c) => sql.identifier(c)));
  // Built buckets outside the dirty ranges from the table; dirty ones and those after
  // coveredUntil computed from the samples now (the same SQL the builder runs).
  const covered = built.coveredUntil ?? fromEnd - BUCKET_MS;
  const builtTo = Math.min(covered, lastEnd);
  const dirty = built.dirty.filter((r) => r.from <= builtTo && r.to >= fromEnd);
  const fresh: Array<[number, number]> = dirty.map((r) => [
    Math.max(r.from, fromEnd),
    Math.min(r.to, builtTo),
  ]);
  if (lastEnd > covered) fresh.push([Math.max(covered + BUCKET_MS, fromEnd), lastEnd]);
  const endParam = (ms: number) => sql`toDateTime(${sql.param(ms / 1000, 'Int64')}, 'UTC')`;
  const parts: Sql[] = [];
  if (builtTo >= fromEnd) {
    parts.push(sql`
      SELECT ${columns}, Version FROM ${db.table(ROLLUP_TABLE)}
      WHERE ${namedSeries}
        AND BucketEnd >= ${endParam(fromEnd)} AND BucketEnd <= ${endParam(builtTo)}
        ${sql.join(
          dirty.map(
            (r) => sql`AND NOT (BucketEnd >= ${endParam(r.from)} AND BucketEnd <= ${endParam(r.to)})`,
          ),
          sql` `,
        )}`);
  }
  for (const [from, to] of fresh) {
    parts.push(sql`SELECT ${columns}, Version FROM (${bucketRowsSql(db, ids, from, to, READ_VERSION)})`);
  }
  const figures = figuresFor(query.functions);
  const optional = [
    ...new Map(
      (Object.keys(FIGURE_COLUMNS) as Figure[])
        .filter((f) => figures.has(f))
        .flatMap((f) => FIGURE_COLUMNS[f])
        .map((column) => [column[0], column]),
    ).values(),
  ];
  const read = sql.join(optional.map(([name]) => sql.identifier(name)));
  const body = await runBinary(
    db,
    sql`
      SELECT SeriesId, toUInt32(BucketEnd) AS E, Count, LastAge, LastV${optional.length > 0 ? sql`, ${read}` : sql.empty}
      FROM (${sql.join(parts, sql` UNION ALL `)})
      ORDER BY SeriesId, BucketEnd, Version
      FORMAT Native`,
    options.signal,
  );
  const native = readNativeColumns(body, [
    'UInt64',
    'UInt32',
    'UInt32',
    'UInt32',
    'Float64',
    ...optional.map(([, type]) => type),
  ]);
  const { rows, columns: c } = native;
  const idWords = new Uint32Array(c[0]!);
  const ends = new Uint32Array(c[1]!);
  // Figures not read stay zero (no function reads them; no drops without resets).
  const at = (name: string): number => 5 + optional.findIndex(([n]) => n === name);
  const u32 = (name: string) => (at(name) >= 5 ? new Uint32Array(c[at(name)]!) : new Uint32Array(rows));
  const u8 = (name: string) => (at(name) >= 5 ? new Uint8Array(c[at(name)]!) : new Uint8Array(rows));
  const f64 = (name: string) => (at(name) >= 5 ? new Float64Array(c[at(name)]!) : new Float64Array(rows));
  const buckets: BucketColumns = {
    endS: ends,
    count: new Uint32Array(c[2]!),
    firstAge: u32('FirstAge'),
    lastAge: new Uint32Array(c[3]!),
    prevAge: u32('PrevAge'),
    firstV: f64('FirstV'),
    lastV: new Float64Array(c[4]!),
    prevV: f64('PrevV'),
    extremes: u8('Extremes'),
    min: f64('MinV'),
    max: f64('MaxV'),
    resetEnds: f64('Resets'),
    resetValues: native.arrayValues.get(at('Resets')) ?? new Float64Array(0),
    resetsOver: u32('ResetsOver'),
    resetsSum: f64('ResetsSum'),
    staleAge: u32('StaleAge'),
  };
  // Of rows for the same series and bucket (a rebuilt bucket before merges), the newest.
  const kept = new Int32Array(rows);
  let keptCount = 0;
  for (let r = 0; r < rows; r++) {
    const next = r + 1;
    const sameAsNext =
      next < rows &&
      idWords[2 * next] === idWords[2 * r] &&
      idWords[2 * next + 1] === idWords[2 * r + 1] &&
      ends[next] === ends[r];
    if (!sameAsNext) kept[keptCount++] = r;
  }
  const ids64 = new BigUint64Array(c[0]!);
  const out: StoredWindows[] = [];
  for (let lo = 0; lo < keptCount;) {
    const first = kept[lo]!;
    let hi = lo + 1;
    while (
      hi < keptCount &&
      idWords[2 * kept[hi]!] === idWords[2 * first] &&
      idWords[2 * kept[hi]! + 1] === idWords[2 * first + 1]
    )
      hi++;
    const labels = labelsById.get(ids64[first]!);
    if (labels !== undefined) {
      const windows = composeWindows(
        buckets,
        kept,
        lo,
        hi,
        query,
        labels,
        figures.has('resets'),
        figures.has('stale'),
      );
      if (windows !== undefined) out.push(windows);
    }
    lo = hi;
  }
  if (options.limitSeries !== undefined && out.length > options.limitSeries) {
    throw new AppError(
      'bad_request',
      `the selector matches more than ${options.limitSeries} series; narrow it`,
    );
  }
  return out.sort((a, b) => compareLabels(a.labels, b.labels));
}

/** The ids and the metric names of the series in `labelsById`, as query parameters. */
function seriesKeys(labelsById: ReadonlyMap<bigint, readonly Label[]>): { ids: bigint[]; names: string[] } {
  const ids: bigint[] = [];
  const names = new Set<string>();
  for (const [id, labels] of labelsById) {
    ids.push(id);
    names.add(labels.find((l) => l.name === METRIC_NAME_LABEL)?.value ?? '');
  }
  return { ids, names: [...names] };
}
