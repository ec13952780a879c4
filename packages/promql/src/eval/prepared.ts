import type { SeriesData } from '../model/series-source.ts';
import { compareLabels, labelsKey, normalizeLabels, type Labels } from '../model/labels.ts';

/**
 * A fetched series ready for evaluation. Instant selection looks at every sample, staleness
 * markers included (a marker hides older samples); range windows use the samples without the
 * markers, as Prometheus drops them from range vectors.
 */
export interface PreparedSeries {
  readonly labels: Labels;
  readonly timestampsMs: ArrayLike<number>;
  readonly values: ArrayLike<number>;
  /** `stale[i] === 1` marks a staleness marker; undefined when the series has none. */
  readonly stale: Uint8Array | undefined;
  /** Samples without staleness markers (the same arrays when there are none). */
  readonly rangeTimestampsMs: ArrayLike<number>;
  readonly rangeValues: ArrayLike<number>;
}

export function prepareSeries(data: SeriesData): PreparedSeries {
  const labels = normalizeLabels(data.labels);
  const ts = data.timestampsMs;
  const vs = data.values;
  if (data.staleIndexes === undefined || data.staleIndexes.length === 0) {
    return { labels, timestampsMs: ts, values: vs, stale: undefined, rangeTimestampsMs: ts, rangeValues: vs };
  }
  const stale = new Uint8Array(ts.length);
  for (const i of data.staleIndexes) if (i >= 0 && i < ts.length) stale[i] = 1;
  const n = ts.length - data.staleIndexes.length;
  const rts = new Float64Array(n);
  const rvs = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < ts.length; i++) {
    if (stale[i] === 1) continue;
    rts[j] = ts[i]!;
    rvs[j] = vs[i]!;
    j++;
  }
  return {
    labels,
    timestampsMs: ts,
    values: vs,
    stale,
    rangeTimestampsMs: rts.subarray(0, j),
    rangeValues: rvs.subarray(0, j),
  };
}

/**
 * Prepared results per data array. A source that answers the same selector with the same array
 * (the metrics cache serves one round's queries from one read) has it prepared once, not once
 * per query; prepared series are never mutated, like the source's data.
 */
const preparedOf = new WeakMap<readonly SeriesData[], PreparedSeries[]>();

/**
 * Prepares and orders series by labels, as Prometheus's storage returns them. A store that
 * returns one label set several times (e.g. split across partitions) gets its parts merged,
 * the first sample winning where timestamps repeat, as Prometheus's merging querier does.
 */
export function prepareAll(data: readonly SeriesData[]): PreparedSeries[] {
  let prepared = preparedOf.get(data);
  if (prepared === undefined) {
    prepared = prepareAllOnce(data);
    preparedOf.set(data, prepared);
  }
  return prepared;
}

function prepareAllOnce(data: readonly SeriesData[]): PreparedSeries[] {
  const byKey = new Map<string, SeriesData[]>();
  for (const d of data) {
    const key = labelsKey(normalizeLabels(d.labels));
    const parts = byKey.get(key);
    if (parts === undefined) byKey.set(key, [d]);
    else parts.push(d);
  }
  const out: PreparedSeries[] = [];
  for (const parts of byKey.values())
    out.push(prepareSeries(parts.length === 1 ? parts[0]! : mergeParts(parts)));
  return out.sort((a, b) => compareLabels(a.labels, b.labels));
}

function mergeParts(parts: readonly SeriesData[]): SeriesData {
  const samples: { t: number; v: number; stale: boolean }[] = [];
  for (const p of parts) {
    const stale = new Set(p.staleIndexes ?? []);
    for (let i = 0; i < p.timestampsMs.length; i++) {
      samples.push({ t: p.timestampsMs[i]!, v: p.values[i]!, stale: stale.has(i) });
    }
  }
  // A stable sort keeps the first part's sample first among equal timestamps.
  samples.sort((a, b) => a.t - b.t);
  const timestampsMs: number[] = [];
  const values: number[] = [];
  const staleIndexes: number[] = [];
  for (const s of samples) {
    if (timestampsMs.length > 0 && timestampsMs[timestampsMs.length - 1] === s.t) continue;
    if (s.stale) staleIndexes.push(values.length);
    timestampsMs.push(s.t);
    values.push(s.v);
  }
  return { labels: parts[0]!.labels, timestampsMs, values, staleIndexes };
}
