/**
 * What Vigil accepts as a metric series, whichever protocol brought it. Each rule rejects the
 * smallest thing it can (one sample, else one series), never the whole request, so a single bad
 * series from a misbehaving exporter does not lose the good ones; the caller reports what was
 * dropped (remote write: 400 with the reasons after storing the rest, as Prometheus does; OTLP:
 * `partial_success`). The rules, also in docs/metrics.md:
 *
 * | input | behaviour |
 * |---|---|
 * | no `__name__`, or a name outside `[a-zA-Z_:][a-zA-Z0-9_:]*` | series rejected |
 * | a label name outside `[a-zA-Z_][a-zA-Z0-9_]*`, or twice in one series | series rejected |
 * | more than `maxLabels` labels (after dropping empty values) | series rejected |
 * | a label value longer than `maxLabelValueLength` characters | series rejected |
 * | a label with an empty value | label dropped (Prometheus: empty = absent) |
 * | labels out of order | sorted |
 * | timestamp beyond now + `maxFutureSkewMs`, or before now − retention | sample rejected |
 * | NaN, ±Inf, staleness markers | stored as they are |
 * | out-of-order or repeated timestamps | stored; reads keep one value per timestamp |
 */
import type { Label, MetricSeries } from '@vigil/protocols';

export interface SeriesLimits {
  maxLabels: number;
  maxLabelNameLength: number;
  maxLabelValueLength: number;
  maxFutureSkewMs: number;
  /** Samples older than this are refused: the store's TTL would drop them at once. */
  retentionMs: number;
}

export const DEFAULT_SERIES_LIMITS: Omit<SeriesLimits, 'maxFutureSkewMs' | 'retentionMs'> = {
  maxLabels: 64,
  maxLabelNameLength: 256,
  maxLabelValueLength: 4096,
};

/** One reason something was rejected, with how many samples it cost and a first example. */
export interface RejectionReason {
  reason: string;
  samples: number;
  example: string;
}

export interface ValidatedSeries {
  accepted: MetricSeries[];
  acceptedSamples: number;
  rejectedSamples: number;
  rejectedSeries: number;
  reasons: RejectionReason[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** `name{a="b",…}` for messages, shortened so one huge label cannot flood an error body. */
export function describeSeries(labels: readonly Label[]): string {
  let name = '';
  const parts: string[] = [];
  for (const l of labels) {
    if (l.name === '__name__') name = l.value;
    else
      parts.push(`${l.name}=${JSON.stringify(l.value.length > 64 ? `${l.value.slice(0, 61)}...` : l.value)}`);
  }
  const text = `${name}{${parts.join(',')}}`;
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

class Rejections {
  private readonly byReason = new Map<string, RejectionReason>();
  samples = 0;
  series = 0;

  add(reason: string, samples: number, labels: readonly Label[], detail?: string): void {
    this.samples += samples;
    const known = this.byReason.get(reason);
    if (known) known.samples += samples;
    else this.byReason.set(reason, { reason, samples, example: detail ?? describeSeries(labels) });
  }

  list(): RejectionReason[] {
    return [...this.byReason.values()];
  }
}

/**
 * Returns the problem with a label set, or the labels to store: the input array itself when it
 * is already clean (the common case, no allocation), else a sorted copy without empty values.
 */
function checkLabels(labels: Label[], limits: SeriesLimits): { problem: string; detail?: string } | Label[] {
  let sorted = true;
  let empty = 0;
  let name: string | undefined;
  let prev: string | undefined;
  for (const l of labels) {
    if (l.value === '') {
      empty++;
      continue;
    }
    if (l.name === '__name__') name = l.value;
    else if (l.name.length > limits.maxLabelNameLength || !LABEL_NAME.test(l.name)) {
      return { problem: 'invalid label name', detail: JSON.stringify(l.name.slice(0, 100)) };
    }
    if (l.value.length > limits.maxLabelValueLength) {
      return { problem: `label value longer than ${limits.maxLabelValueLength} characters` };
    }
    if (prev !== undefined && prev >= l.name) sorted = false;
    prev = l.name;
  }
  if (name === undefined) return { problem: 'no metric name (__name__ label)' };
  if (!METRIC_NAME.test(name)) {
    return { problem: 'invalid metric name', detail: JSON.stringify(name.slice(0, 100)) };
  }
  if (labels.length - empty > limits.maxLabels) return { problem: `more than ${limits.maxLabels} labels` };
  if (sorted && empty === 0) return labels;
  const kept = empty === 0 ? [...labels] : labels.filter((l) => l.value !== '');
  if (!sorted) {
    kept.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (let i = 1; i < kept.length; i++) {
      if (kept[i]!.name === kept[i - 1]!.name) {
        return { problem: 'duplicate label name', detail: JSON.stringify(kept[i]!.name) };
      }
    }
  }
  return kept;
}

/** Keeps the samples inside [minMs, maxMs]; returns the series itself when all are. */
function checkSamples(series: MetricSeries, minMs: number, maxMs: number, labels: Label[]): MetricSeries {
  const ts = series.timestampsMs;
  let bad = 0;
  for (let i = 0; i < ts.length; i++) if (!(ts[i]! >= minMs && ts[i]! <= maxMs)) bad++;
  if (bad === 0) return labels === series.labels ? series : { ...series, labels };
  const timestampsMs: number[] = [];
  const values: number[] = [];
  const stale = series.staleIndexes;
  const staleIndexes: number[] = [];
  let s = 0;
  for (let i = 0; i < ts.length; i++) {
    while (stale && s < stale.length && stale[s]! < i) s++;
    if (!(ts[i]! >= minMs && ts[i]! <= maxMs)) continue;
    if (stale && stale[s] === i) staleIndexes.push(timestampsMs.length);
    timestampsMs.push(ts[i]!);
    values.push(series.values[i]!);
  }
  return staleIndexes.length > 0
    ? { labels, timestampsMs, values, staleIndexes }
    : { labels, timestampsMs, values };
}

/** Applies the rules above to a decoded request. `nowMs` is injectable for tests. */
export function validateSeries(
  input: readonly MetricSeries[],
  limits: SeriesLimits,
  nowMs: number = Date.now(),
): ValidatedSeries {
  const rejections = new Rejections();
  const accepted: MetricSeries[] = [];
  let acceptedSamples = 0;
  const maxMs = nowMs + limits.maxFutureSkewMs;
  const minMs = nowMs - limits.retentionMs;
  for (const series of input) {
    const count = series.timestampsMs.length;
    if (count === 0) continue;
    const labels = checkLabels(series.labels, limits);
    if (!Array.isArray(labels)) {
      rejections.series++;
      rejections.add(
        labels.problem,
        count,
        series.labels,
        labels.detail && `${labels.detail} in ${describeSeries(series.labels)}`,
      );
      continue;
    }
    const kept = checkSamples(series, minMs, maxMs, labels);
    const dropped = count - kept.timestampsMs.length;
    if (dropped > 0) {
      let future = 0;
      for (const t of series.timestampsMs) if (t > maxMs) future++;
      if (future > 0)
        rejections.add(`timestamp more than ${limits.maxFutureSkewMs} ms in the future`, future, labels);
      if (dropped - future > 0)
        rejections.add('timestamp older than the metrics retention', dropped - future, labels);
    }
    if (kept.timestampsMs.length === 0) {
      rejections.series++;
      continue;
    }
    accepted.push(kept);
    acceptedSamples += kept.timestampsMs.length;
  }
  return {
    accepted,
    acceptedSamples,
    rejectedSamples: rejections.samples,
    rejectedSeries: rejections.series,
    reasons: rejections.list(),
  };
}

/** One line for a client: "3 samples rejected: invalid label name "1x" in up{…} (2 samples); …". */
export function validationMessage(result: Pick<ValidatedSeries, 'rejectedSamples' | 'reasons'>): string {
  const parts = result.reasons.map(
    (r) => `${r.reason}: ${r.example} (${r.samples} sample${r.samples === 1 ? '' : 's'})`,
  );
  return `${result.rejectedSamples} sample${result.rejectedSamples === 1 ? '' : 's'} rejected; ${parts.join('; ')}`;
}
