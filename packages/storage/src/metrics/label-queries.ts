/**
 * The series-index queries behind Prometheus's HTTP API: `/api/v1/labels`,
 * `/api/v1/label/<name>/values`, `/api/v1/series` and `/api/v1/metadata`. They read only
 * `metrics_series` (and `metrics_metadata`), so their time range has the series table's day
 * granularity (time-bounds.ts), as Prometheus's answers have its blocks' granularity.
 */
import {
  compareLabels,
  type Label,
  type LabelMatcher,
  type MetricMetadata,
  type MetricType,
} from '@vigil/protocols';
import type { Database } from '../connection.ts';
import { toAppError } from '../errors.ts';
import { sql, type Sql } from '../sql.ts';
import { anyMatchersCondition, invalidRegexError, matchersCondition } from './matchers.ts';
import { RowBinaryReader } from './row-binary.ts';
import { METADATA_TABLE, SERIES_TABLE } from './schema.ts';
import { METRIC_NAME_LABEL } from './series-id.ts';
import { readLabels, runBinary } from './select-series.ts';
import { seriesSeenCondition, wholeMsRange } from './time-bounds.ts';

export interface IndexQueryOptions {
  signal?: AbortSignal;
  /** At most this many results (Prometheus's `limit` parameter); all when unset. */
  limit?: number;
}

function limitClause(limit: number | undefined): Sql {
  return limit === undefined ? sql.empty : sql`LIMIT ${Math.max(0, Math.floor(limit))}`;
}

async function strings(db: Database, statement: Sql, signal: AbortSignal | undefined): Promise<string[]> {
  try {
    const rows = await db.query<{ v: string }>(statement, signal ? { signal } : {});
    return rows.map((r) => r.v);
  } catch (err) {
    throw invalidRegexError(err) ?? toAppError(err, 'query metric labels');
  }
}

function seriesWhere(condition: Sql, startMs: number, endMs: number): Sql {
  const [start, end] = wholeMsRange(startMs, endMs);
  return sql`${condition} AND ${seriesSeenCondition(start, end)}`;
}

/** Label names (with `__name__`) of the series matching `matchers` in the range, sorted. */
export function labelNames(
  db: Database,
  matchers: readonly LabelMatcher[],
  startMs: number,
  endMs: number,
  options: IndexQueryOptions = {},
): Promise<string[]> {
  return strings(
    db,
    sql`SELECT DISTINCT arrayJoin(
        arrayConcat(mapKeys(Labels), if(MetricName = '', [], [${METRIC_NAME_LABEL}]))) AS v
      FROM ${db.table(SERIES_TABLE)}
      WHERE ${seriesWhere(matchersCondition(matchers), startMs, endMs)}
      ORDER BY v ${limitClause(options.limit)}`,
    options.signal,
  );
}

/** Values of label `name` among the series matching `matchers` in the range, sorted. */
export function labelValues(
  db: Database,
  name: string,
  matchers: readonly LabelMatcher[],
  startMs: number,
  endMs: number,
  options: IndexQueryOptions = {},
): Promise<string[]> {
  const where = seriesWhere(matchersCondition(matchers), startMs, endMs);
  const value = name === METRIC_NAME_LABEL ? sql`MetricName` : sql`Labels[${name}]`;
  return strings(
    db,
    sql`SELECT DISTINCT ${value} AS v FROM ${db.table(SERIES_TABLE)}
      WHERE ${where} AND v != ''
      ORDER BY v ${limitClause(options.limit)}`,
    options.signal,
  );
}

/** Label sets of the series matching any of `matcherSets` in the range, sorted. */
export async function seriesLabels(
  db: Database,
  matcherSets: readonly (readonly LabelMatcher[])[],
  startMs: number,
  endMs: number,
  options: IndexQueryOptions = {},
): Promise<Label[][]> {
  const body = await runBinary(
    db,
    sql`SELECT SeriesId, any(MetricName) AS Name, any(Labels) AS LabelMap
      FROM ${db.table(SERIES_TABLE)}
      WHERE ${seriesWhere(anyMatchersCondition(matcherSets), startMs, endMs)}
      GROUP BY SeriesId
      ${limitClause(options.limit)}
      FORMAT RowBinary`,
    options.signal,
  );
  const reader = new RowBinaryReader(body);
  const out: Label[][] = [];
  while (!reader.done) {
    reader.skip(8);
    out.push(readLabels(reader));
  }
  return out.sort(compareLabels);
}

interface MetadataRow {
  metricFamilyName: string;
  type: string;
  help: string;
  unit: string;
}

/** Type, help and unit per metric family (latest write wins), optionally of one family. */
export async function metricMetadata(
  db: Database,
  metric?: string,
  options: IndexQueryOptions = {},
): Promise<MetricMetadata[]> {
  const where = metric === undefined ? sql`1` : sql`MetricFamilyName = ${metric}`;
  const rows = await db.query<MetadataRow>(
    sql`SELECT MetricFamilyName AS metricFamilyName,
        argMax(Type, UpdatedAt) AS type,
        argMax(Help, UpdatedAt) AS help,
        argMax(Unit, UpdatedAt) AS unit
      FROM ${db.table(METADATA_TABLE)}
      WHERE ${where}
      GROUP BY MetricFamilyName
      ORDER BY MetricFamilyName ${limitClause(options.limit)}`,
    options.signal ? { signal: options.signal } : {},
  );
  return rows.map((r) => ({ ...r, type: r.type as MetricType }));
}
