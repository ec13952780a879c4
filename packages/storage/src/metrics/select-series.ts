/**
 * The read path a PromQL engine calls: series matching a set of label matchers, with their
 * samples in [startMs, endMs].
 *
 *   series ──(matchers, seen in range)──► ids ─┬─► labels per id (RowBinary)
 *                                             └─► samples (id IN …, time range)
 *                                                 ORDER BY id, time ──► Native columns
 *                                                   └─► JS: split into series by id (views)
 *
 * Duplicates (same series and timestamp, e.g. a retried remote-write batch): the samples
 * table is a ReplacingMergeTree, so merges keep the copy written last. The fast path reads
 * without FINAL (which costs 1.5-3× the scan): rows arrive ordered by (id, time), so copies
 * are neighbours; copies with the same bits are dropped, and if any series has copies that
 * differ, those series are read again with FINAL, which picks the last written as merges do.
 * A result therefore does not change when a merge happens.
 *
 * Label sets are kept by id between selects ({@link SeriesLabelsCache}): a series id is a hash
 * of its labels, so its labels never change, and handing out the same array for the same series
 * select after select lets the engine's memos on a label set (its key, the set without
 * `__name__`, its aggregation groups) outlive one query; and the labels of known series are
 * not read at all (selectLabels).
 */
import { AppError } from '@vigil/core';
import { compareLabels, type Label, type LabelMatcher } from '@vigil/protocols';
import type { Database } from '../connection.ts';
import { toAppError } from '../errors.ts';
import { compile, sql, type Sql } from '../sql.ts';
import { STALE_HIGH, STALE_LOW } from './insert-plan.ts';
import { invalidRegexError, matchersCondition } from './matchers.ts';
import { readNativeColumns } from './native-reader.ts';
import { readAll, RowBinaryReader } from './row-binary.ts';
import { SAMPLES_TABLE, SERIES_TABLE } from './schema.ts';
import type { TwoGenerationMap } from './two-generation-map.ts';
import { METRIC_NAME_LABEL } from './series-id.ts';
import { sampleTimeCondition, seriesSeenCondition, wholeMsRange } from './time-bounds.ts';

/** One series as {@link selectSeries} returns it. */
export interface StoredSeries {
  /** Sorted by name, `__name__` included. Shared between selects: never mutate it. */
  readonly labels: readonly Label[];
  /** Ascending, no duplicates. */
  readonly timestampsMs: Float64Array;
  readonly values: Float64Array;
  /** Positions holding a staleness marker (ascending; their value is an ordinary NaN). */
  readonly staleIndexes?: number[];
}

export interface SelectOptions {
  signal?: AbortSignal;
  /** Refuse (bad_request) when more series than this would be returned. */
  limitSeries?: number;
}

const NAN_HIGH = 0x7ff80000;

/** Label sets by series id, shared by the selects of one store (see the module comment). */
export type SeriesLabelsCache = TwoGenerationMap<bigint, readonly Label[]>;

/** Selects series and samples; see the module comment. */
export async function selectSeries(
  db: Database,
  matchers: readonly LabelMatcher[],
  startMs: number,
  endMs: number,
  labelsCache: SeriesLabelsCache,
  options: SelectOptions = {},
): Promise<StoredSeries[]> {
  const [start, end] = wholeMsRange(startMs, endMs);
  if (end < start) return [];
  const seriesWhere = sql`${matchersCondition(matchers)} AND ${seriesSeenCondition(start, end)}`;
  const [labelsById, samples] = await Promise.all([
    selectLabels(db, seriesWhere, options.signal, labelsCache),
    runBinary(
      db,
      sql`
      SELECT SeriesId, toFloat64(toUnixTimestamp64Milli(Timestamp)) AS T, Value
      FROM ${db.table(SAMPLES_TABLE)}
      WHERE SeriesId IN (SELECT SeriesId FROM ${db.table(SERIES_TABLE)} WHERE ${seriesWhere})
        AND ${sampleTimeCondition(start, end)}
      ORDER BY SeriesId, Timestamp
      FORMAT Native`,
      options.signal,
    ),
  ]);
  const { rows, columns } = readNativeColumns(samples, ['UInt64', 'Float64', 'Float64']);
  const ids = new BigUint64Array(columns[0]!);
  // The ids as 32-bit halves: comparing rows this way creates no BigInt per row.
  const idWords = new Uint32Array(columns[0]!);
  const ts = new Float64Array(columns[1]!);
  const values = new Float64Array(columns[2]!);
  const valueWords = new Uint32Array(columns[2]!);
  const out: StoredSeries[] = [];
  const conflicting: bigint[] = [];
  for (let lo = 0; lo < rows;) {
    const id = ids[lo]!;
    const low = idWords[2 * lo]!;
    const high = idWords[2 * lo + 1]!;
    let hi = lo + 1;
    let duplicates = false;
    while (hi < rows && idWords[2 * hi] === low && idWords[2 * hi + 1] === high) {
      if (ts[hi] === ts[hi - 1]) duplicates = true;
      hi++;
    }
    const labels = labelsById.get(id);
    if (labels !== undefined) {
      if (!duplicates) out.push(finishSeries(labels, ts.subarray(lo, hi), values.subarray(lo, hi)));
      else {
        const kept = dropCopies(
          ts.subarray(lo, hi),
          values.subarray(lo, hi),
          valueWords.subarray(2 * lo, 2 * hi),
        );
        if (kept === undefined) conflicting.push(id);
        else out.push(finishSeries(labels, kept[0], kept[1]));
      }
    }
    lo = hi;
  }
  if (conflicting.length > 0) {
    // Bigints, not strings: the client quotes strings inside an array parameter.
    const idList = sql.param(conflicting, 'Array(UInt64)');
    const where = sql`${sampleTimeCondition(start, end)} AND SeriesId IN ${idList}`;
    for (const s of await selectFinal(db, where, labelsById, options.signal)) out.push(s);
  }
  if (options.limitSeries !== undefined && out.length > options.limitSeries) {
    throw new AppError(
      'bad_request',
      `the selector matches more than ${options.limitSeries} series; narrow it`,
    );
  }
  return out.sort((a, b) => compareLabels(a.labels, b.labels));
}

/**
 * Unknown series fetched by id; with more, the labels of every matching series are read (an id
 * list that long costs more to send and match than the labels it saves).
 */
const LABELS_BY_ID_LIMIT = 2_000;

/**
 * Labels of the series a condition selects, by id. The ids come first (a read of
 * one column: 12 ms of CPU for 17k series where their labels took 85 ms) and only the series
 * the cache does not hold have their labels read.
 */
export async function selectLabels(
  db: Database,
  seriesWhere: Sql,
  signal: AbortSignal | undefined,
  cache: SeriesLabelsCache,
): Promise<Map<bigint, readonly Label[]>> {
  const body = await runBinary(
    db,
    sql`SELECT DISTINCT SeriesId FROM ${db.table(SERIES_TABLE)} WHERE ${seriesWhere} FORMAT RowBinary`,
    signal,
  );
  const out = new Map<bigint, readonly Label[]>();
  const unknown: bigint[] = [];
  const reader = new RowBinaryReader(body);
  while (!reader.done) {
    const id = reader.uint64();
    const labels = cache.get(id);
    if (labels === undefined) unknown.push(id);
    else out.set(id, labels);
  }
  if (unknown.length === 0) return out;
  if (unknown.length > LABELS_BY_ID_LIMIT) return readLabelRows(db, seriesWhere, signal, cache);
  const ids = sql.param(unknown, 'Array(UInt64)');
  const read = await readLabelRows(db, sql`${seriesWhere} AND SeriesId IN ${ids}`, signal, cache);
  for (const [id, labels] of read) out.set(id, labels);
  return out;
}

/** Labels by id of the series rows a condition selects; known ones come from `cache`. */
async function readLabelRows(
  db: Database,
  where: Sql,
  signal: AbortSignal | undefined,
  cache: SeriesLabelsCache,
): Promise<Map<bigint, readonly Label[]>> {
  // Aliases differ from the columns: an alias named Labels would turn the matchers'
  // Labels['l'] into an aggregate inside WHERE.
  const body = await runBinary(
    db,
    sql`
    SELECT SeriesId, any(MetricName) AS Name, any(Labels) AS LabelMap
    FROM ${db.table(SERIES_TABLE)}
    WHERE ${where}
    GROUP BY SeriesId
    FORMAT RowBinary`,
    signal,
  );
  const out = new Map<bigint, readonly Label[]>();
  const reader = new RowBinaryReader(body);
  while (!reader.done) {
    const id = reader.uint64();
    let labels = cache.get(id);
    if (labels === undefined) {
      labels = readLabels(reader);
      cache.set(id, labels);
    } else skipLabels(reader);
    out.set(id, labels);
  }
  return out;
}

/**
 * Drops neighbouring copies of a sample (same time) when their bits are equal; undefined when
 * two copies differ, which only FINAL can settle (the last written wins).
 */
function dropCopies(
  ts: Float64Array,
  values: Float64Array,
  words: Uint32Array,
): [Float64Array, Float64Array] | undefined {
  const keepTs: number[] = [];
  const keep: number[] = [];
  for (let i = 0; i < ts.length; i++) {
    if (i > 0 && ts[i] === ts[i - 1]) {
      if (words[2 * i] !== words[2 * i - 2] || words[2 * i + 1] !== words[2 * i - 1]) return undefined;
      continue;
    }
    keepTs.push(ts[i]!);
    keep.push(i);
  }
  const outValues = new Float64Array(keep.length);
  const outWords = new Uint32Array(outValues.buffer);
  keep.forEach((from, to) => {
    // Word copies: a NaN's payload (the staleness marker) must survive.
    outWords[2 * to] = words[2 * from]!;
    outWords[2 * to + 1] = words[2 * from + 1]!;
  });
  return [Float64Array.from(keepTs), outValues];
}

/** The samples of `where` read with FINAL, grouped per series and sorted in the query. */
async function selectFinal(
  db: Database,
  where: Sql,
  labelsById: ReadonlyMap<bigint, readonly Label[]>,
  signal: AbortSignal | undefined,
): Promise<StoredSeries[]> {
  const body = await runBinary(
    db,
    sql`
    SELECT SeriesId,
      arraySort(groupArray(toFloat64(toUnixTimestamp64Milli(Timestamp)))) AS Ts,
      arraySort((v, t) -> t, groupArray(Value), groupArray(Timestamp)) AS Vals
    FROM ${db.table(SAMPLES_TABLE)} FINAL
    WHERE ${where}
    GROUP BY SeriesId
    FORMAT RowBinary`,
    signal,
  );
  const out: StoredSeries[] = [];
  const reader = new RowBinaryReader(body);
  while (!reader.done) {
    const labels = labelsById.get(reader.uint64());
    const timestampsMs = reader.float64Array();
    const values = reader.float64Array();
    if (labels !== undefined) out.push(finishSeries(labels, timestampsMs, values));
  }
  return out;
}

/** Runs a statement that ends in `FORMAT RowBinary` and returns the bytes. */
export async function runBinary(
  db: Database,
  statement: ReturnType<typeof sql>,
  signal: AbortSignal | undefined,
): Promise<Buffer> {
  const { query, params } = compile(statement);
  try {
    const result = await db.client.exec({
      query,
      query_params: params,
      ...(signal ? { abort_signal: signal } : {}),
    });
    return await readAll(result.stream);
  } catch (err) {
    throw invalidRegexError(err) ?? toAppError(err, 'query metrics');
  }
}

/** MetricName and Labels of a row as one sorted Label[] with `__name__`. */
export function readLabels(reader: RowBinaryReader): Label[] {
  const metricName = reader.string();
  const count = reader.varUInt();
  const labels: Label[] = [];
  if (metricName !== '') labels.push({ name: METRIC_NAME_LABEL, value: metricName });
  for (let i = 0; i < count; i++) {
    const name = reader.string();
    labels.push({ name, value: reader.string() });
  }
  return labels.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Skips what {@link readLabels} reads. */
function skipLabels(reader: RowBinaryReader): void {
  reader.skipString();
  const count = reader.varUInt();
  for (let i = 0; i < 2 * count; i++) reader.skipString();
}

/** Orders samples by time (stable), drops duplicate timestamps (last wins), flags markers. */
function finishSeries(labels: readonly Label[], ts: Float64Array, values: Float64Array): StoredSeries {
  let sorted = true;
  for (let i = 1; i < ts.length; i++) {
    if (ts[i]! <= ts[i - 1]!) {
      sorted = false;
      break;
    }
  }
  if (!sorted) [ts, values] = sortByTime(ts, values);
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  let staleIndexes: number[] | undefined;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v === v) continue;
    if (words[2 * i] === STALE_LOW && words[2 * i + 1] === STALE_HIGH) (staleIndexes ??= []).push(i);
    // Hand out one NaN form, so nothing downstream mistakes raw bits for a marker.
    words[2 * i] = 0;
    words[2 * i + 1] = NAN_HIGH;
  }
  return staleIndexes
    ? { labels, timestampsMs: ts, values, staleIndexes }
    : { labels, timestampsMs: ts, values };
}

function sortByTime(ts: Float64Array, values: Float64Array): [Float64Array, Float64Array] {
  const order = Array.from(ts.keys()).sort((a, b) => ts[a]! - ts[b]! || a - b);
  // Keep the last of equal timestamps (FINAL already collapsed duplicates; this is a guard).
  const keep: number[] = [];
  for (const i of order) {
    if (keep.length > 0 && ts[keep[keep.length - 1]!] === ts[i]) keep[keep.length - 1] = i;
    else keep.push(i);
  }
  const outTs = new Float64Array(keep.length);
  const outValues = new Float64Array(keep.length);
  const inWords = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  const outWords = new Uint32Array(outValues.buffer);
  keep.forEach((from, to) => {
    outTs[to] = ts[from]!;
    // Word copies, not a double copy: a NaN's payload must survive until the marker check.
    outWords[2 * to] = inWords[2 * from]!;
    outWords[2 * to + 1] = inWords[2 * from + 1]!;
  });
  return [outTs, outValues];
}
