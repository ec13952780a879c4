/**
 * OTLP metrics → Prometheus series, shared by the protobuf and JSON decoders. A decoder walks
 * the request and calls, in this order:
 *
 * ```
 * startResource ─┬─ startScope ─┬─ startMetric ── (numberPoint | histogramPoint | summaryPoint)* ── endMetric
 *                │              └─ …                                                             (per metric)
 *                └─ … ── endResource                                                   … finish()
 * ```
 *
 * | OTLP                                     | Prometheus                                          |
 * |------------------------------------------|-----------------------------------------------------|
 * | gauge                                    | gauge                                               |
 * | sum, cumulative, monotonic               | counter, name gets `_total`                         |
 * | sum, cumulative, not monotonic           | gauge                                               |
 * | histogram, cumulative                    | `_bucket{le}` (cumulative, up to `+Inf`), `_sum`, `_count` |
 * | summary                                  | `{quantile}`, `_sum`, `_count`                      |
 * | sum/histogram with delta temporality     | rejected (Prometheus series are cumulative)         |
 * | exponential histogram                    | rejected (needs native histograms)                  |
 *
 * A point flagged NO_RECORDED_VALUE becomes a staleness marker on every series it produces.
 * `start_time_unix_nano` is not carried: {@link MetricSeries} has no created timestamp.
 */
import type { AttributeMap } from '../otlp/records.ts';
import type { Label, MetricMetadata, MetricSeries } from '../metrics/records.ts';
import { formatFloatLabel } from './format-float.ts';
import { labelNameProblem, sanitizeLabelName, type LabelNameRules } from './label-name.ts';
import { AttributeList, attributeLabels, mergeLabels, newLabelScratch, sortLabels } from './label-set.ts';
import { prometheusMetricName, prometheusUnit } from './metric-name.ts';
import {
  metricType,
  namingKind,
  type HistogramValues,
  type MetricDescriptor,
  type MetricKind,
  type SummaryValues,
} from './metric-model.ts';
import { metricRejection, RejectionLog } from './rejections.ts';
import type { OtlpMetricsOptions, OtlpMetricsResult, ResolvedOtlpMetricsOptions } from './result.ts';
import { resolveOptions } from './result.ts';
import {
  IDENTIFYING_ATTRIBUTES,
  TARGET_INFO_METADATA,
  TARGET_INFO_NAME,
  TargetInfoSeries,
} from './target-info.ts';

const NAME = '__name__';
const LE_INF: Label = { name: 'le', value: '+Inf' };

/** Builds the output of one request; see the module comment for the call order. */
export class SeriesBuilder {
  private readonly options: ResolvedOtlpMetricsOptions;
  private readonly rules: LabelNameRules;
  private readonly series: MetricSeries[] = [];
  private readonly metadata: MetricMetadata[] = [];
  private readonly families = new Set<string>();
  private readonly rejections = new RejectionLog();
  private readonly targetInfo: TargetInfoSeries;
  private readonly labelNames = new Map<string, string>();
  private readonly scratch = newLabelScratch();
  private exemplarsDropped = 0;
  private nativeHistogramSeries = 0;

  // Resource and scope context.
  private resourceAttributes: AttributeMap = {};
  private resourceLabels: Label[] = [];
  /** job, instance and scope labels with a value, sorted. */
  private contextLabels: Label[] = [];
  /** Context labels present with an empty value: they remove point attributes of that name. */
  private deletedNames: string[] = [];
  private firstMs = Infinity;
  private lastMs = -Infinity;

  // Metric context.
  private metric = '';
  private kind: MetricKind = 'none';
  private rejectReason: string | undefined;
  private pointsWithBadLabels = 0;
  private badLabelKey = '';
  private seriesAtStart = 0;
  private metricMetadata: MetricMetadata | undefined;
  /** Context labels plus `__name__` for one-series-per-point metrics. */
  private pointTop: Label[] = [];
  private sumTop: Label[] = [];
  private countTop: Label[] = [];
  /** [`__name__` of bucket or quantile series, `le`/`quantile` label], the latter set per series. */
  private readonly perSeriesTop: Label[] = [LE_INF, LE_INF];
  /** `le`/`quantile` labels by position, reused while points of a metric repeat the bounds. */
  private readonly valueLabels: Label[] = [];
  private readonly valueLabelSources: number[] = [];

  constructor(options?: OtlpMetricsOptions) {
    this.options = resolveOptions(options);
    this.rules = {
      preserveMultipleUnderscores: this.options.labelNamePreserveMultipleUnderscores,
      underscoreSanitization: this.options.labelNameUnderscoreSanitization,
    };
    this.targetInfo = new TargetInfoSeries(this.options.targetInfoIntervalMs);
  }

  /** A label name for an attribute key: undefined to skip (`__name__`), '' when invalid. */
  private readonly labelName = (key: string): string | undefined => {
    if (key === NAME) return undefined;
    let name = this.labelNames.get(key);
    if (name === undefined) {
      name = sanitizeLabelName(key, this.rules) ?? '';
      this.labelNames.set(key, name);
    }
    return name;
  };

  startResource(attributes: AttributeMap): void {
    this.resourceAttributes = attributes;
    const labels: Label[] = [];
    // As in Prometheus: job only when service.name is set; the attribute's presence (even with an
    // empty value) is what makes job/instance override point attributes of the same name.
    const serviceName = attributes['service.name'];
    if (serviceName !== undefined) {
      const namespace = attributes['service.namespace'];
      labels.push({
        name: 'job',
        value: namespace === undefined ? serviceName : `${namespace}/${serviceName}`,
      });
    }
    const instance = attributes['service.instance.id'];
    if (instance !== undefined) labels.push({ name: 'instance', value: instance });
    this.resourceLabels = sortLabels(labels);
    this.setContext(this.resourceLabels);
    this.firstMs = Infinity;
    this.lastMs = -Infinity;
  }

  startScope(name: string, version: string, schemaUrl: string, attributes: AttributeMap): void {
    if (!this.options.promoteScopeMetadata || name === '') {
      this.setContext(this.resourceLabels);
      return;
    }
    const byName = new Map<string, string>();
    for (const key of Object.keys(attributes)) {
      const label = sanitizeLabelName(`otel_scope_${key}`, this.rules);
      if (label !== undefined) byName.set(label, attributes[key]!);
    }
    // Set after the attributes so that an attribute cannot replace them (empty ones delete).
    byName.set('otel_scope_name', name);
    byName.set('otel_scope_version', version);
    byName.set('otel_scope_schema_url', schemaUrl);
    const scopeLabels = sortLabels([...byName].map(([n, value]) => ({ name: n, value })));
    this.setContext(mergeLabelsKeepEmpty(scopeLabels, this.resourceLabels));
  }

  private setContext(labels: Label[]): void {
    this.contextLabels = labels.filter((l) => l.value !== '');
    this.deletedNames = labels.filter((l) => l.value === '').map((l) => l.name);
  }

  /** Starts a metric; false when its points are to be skipped (counted by {@link endMetric}). */
  startMetric(d: MetricDescriptor): boolean {
    this.metric = d.name;
    this.kind = d.kind;
    this.pointsWithBadLabels = 0;
    this.seriesAtStart = this.series.length;
    this.rejectReason = metricRejection(d);
    if (this.rejectReason !== undefined) return false;
    const naming = namingKind(d);
    const built = prometheusMetricName(d.name, d.unit, naming, this.options.addSuffixes);
    if ('error' in built) {
      this.rejectReason = `${built.error}; rename the instrument`;
      return false;
    }
    const family = built.name;
    this.metricMetadata = {
      metricFamilyName: family,
      type: metricType(naming),
      help: d.description,
      unit: prometheusUnit(d.unit),
    };
    const top = (value: string): Label[] => mergeLabels(this.contextLabels, [{ name: NAME, value }]);
    this.pointTop = top(family);
    this.sumTop = top(`${family}_sum`);
    this.countTop = top(`${family}_count`);
    this.perSeriesTop[0] = { name: NAME, value: d.kind === 'histogram' ? `${family}_bucket` : family };
    this.valueLabels.length = 0;
    this.valueLabelSources.length = 0;
    return true;
  }

  /** Exemplars seen on points (Vigil does not store them). */
  dropExemplars(count: number): void {
    this.exemplarsDropped += count;
  }

  numberPoint(attributes: AttributeList, timeMs: number, value: number, stale: boolean): void {
    const n = this.attributeLabels(attributes);
    if (n < 0) return;
    this.observe(timeMs);
    this.emit(mergeLabels(this.scratch.labels, this.pointTop, n), timeMs, value, stale);
  }

  histogramPoint(attributes: AttributeList, timeMs: number, h: HistogramValues, stale: boolean): void {
    const n = this.attributeLabels(attributes);
    if (n < 0) return;
    this.observe(timeMs);
    const attributeLabels = this.scratch.labels;
    if (h.hasSum) this.emit(mergeLabels(attributeLabels, this.sumTop, n), timeMs, h.sum, stale);
    this.emit(mergeLabels(attributeLabels, this.countTop, n), timeMs, h.count, stale);
    const base = mergeLabels(attributeLabels, this.contextLabels, n);
    const top = this.perSeriesTop;
    // bucket_counts has one entry more than explicit_bounds; a sender that breaks this gets the
    // buckets both describe, like in Prometheus.
    const buckets = Math.min(h.boundCount, h.bucketCount);
    let cumulative = 0;
    for (let i = 0; i < buckets; i++) {
      cumulative += h.bucketCounts[i]!;
      top[1] = this.valueLabel('le', h.bounds[i]!, i);
      this.emit(mergeLabels(base, top), timeMs, cumulative, stale);
    }
    top[1] = LE_INF;
    this.emit(mergeLabels(base, top), timeMs, h.count, stale);
  }

  summaryPoint(attributes: AttributeList, timeMs: number, s: SummaryValues, stale: boolean): void {
    const n = this.attributeLabels(attributes);
    if (n < 0) return;
    this.observe(timeMs);
    const attributeLabels = this.scratch.labels;
    this.emit(mergeLabels(attributeLabels, this.sumTop, n), timeMs, s.sum, stale);
    this.emit(mergeLabels(attributeLabels, this.countTop, n), timeMs, s.count, stale);
    const base = mergeLabels(attributeLabels, this.contextLabels, n);
    const top = this.perSeriesTop;
    for (let i = 0; i < s.quantileCount; i++) {
      top[1] = this.valueLabel('quantile', s.quantiles[i]!, i);
      this.emit(mergeLabels(base, top), timeMs, s.quantileValues[i]!, stale);
    }
  }

  /** Ends the current metric; `dataPoints` is how many it carried (converted or not). */
  endMetric(dataPoints: number): void {
    if (this.rejectReason !== undefined) {
      if (this.kind === 'exponentialHistogram') this.nativeHistogramSeries += dataPoints;
      // A rejected metric without points loses nothing, so it is not reported.
      if (dataPoints > 0) this.rejections.add(this.metric, this.rejectReason, dataPoints);
      return;
    }
    if (this.pointsWithBadLabels > 0) {
      this.rejections.add(this.metric, labelNameProblem(this.badLabelKey), this.pointsWithBadLabels);
    }
    const meta = this.metricMetadata;
    if (
      meta !== undefined &&
      this.series.length > this.seriesAtStart &&
      !this.families.has(meta.metricFamilyName)
    ) {
      this.families.add(meta.metricFamilyName);
      this.metadata.push(meta);
    }
  }

  endResource(): void {
    if (!this.options.targetInfo || this.firstMs > this.lastMs) return;
    const attributes = new AttributeList();
    for (const key of Object.keys(this.resourceAttributes)) {
      if (!IDENTIFYING_ATTRIBUTES.has(key)) attributes.push(key, this.resourceAttributes[key]!);
    }
    if (attributes.length === 0) return;
    // A resource attribute that cannot be a label name is left out of target_info alone.
    const usable = new AttributeList();
    for (let i = 0; i < attributes.length; i++) {
      const key = attributes.keys[i]!;
      if (this.labelName(key) === '') this.rejections.add(TARGET_INFO_NAME, labelNameProblem(key), 0);
      else usable.push(key, attributes.values[i]!);
    }
    const n = attributeLabels(usable, this.labelName, this.scratch);
    const withContext = mergeLabels(this.scratch.labels, this.resourceLabels, n);
    if (!withContext.some((l) => l.name === 'job' || l.name === 'instance')) return;
    this.targetInfo.add(
      mergeLabels(withContext, [{ name: NAME, value: TARGET_INFO_NAME }]),
      this.firstMs,
      this.lastMs,
    );
  }

  finish(): OtlpMetricsResult {
    const targetInfo = this.targetInfo.series();
    if (targetInfo.length > 0) {
      this.series.push(...targetInfo);
      if (!this.families.has(TARGET_INFO_NAME)) this.metadata.push(TARGET_INFO_METADATA);
    }
    return {
      batch: {
        series: this.series,
        metadata: this.metadata,
        exemplarsDropped: this.exemplarsDropped,
        nativeHistogramSeries: this.nativeHistogramSeries,
      },
      rejected: this.rejections.result(),
    };
  }

  /**
   * A point's attribute labels into `scratch.labels`; returns their count, or -1 (and the point
   * is counted as rejected) when a key cannot be a label name.
   */
  private attributeLabels(attributes: AttributeList): number {
    const n = attributeLabels(attributes, this.labelName, this.scratch);
    if (n >= 0) return this.deletedNames.length === 0 ? n : this.removeDeleted(n);
    this.pointsWithBadLabels++;
    for (let i = 0; i < attributes.length; i++) {
      if (this.labelName(attributes.keys[i]!) === '') this.badLabelKey = attributes.keys[i]!;
    }
    return -1;
  }

  /** Drops attribute labels that an empty context label deletes; returns the new count. */
  private removeDeleted(n: number): number {
    const labels = this.scratch.labels;
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const label = labels[i]!;
      if (!this.deletedNames.includes(label.name)) labels[kept++] = label;
    }
    return kept;
  }

  /** The `le`/`quantile` label for `value` at position `i`, from the cache when unchanged. */
  private valueLabel(name: string, value: number, i: number): Label {
    if (Object.is(this.valueLabelSources[i], value)) return this.valueLabels[i]!;
    const label: Label = { name, value: formatFloatLabel(value) };
    this.valueLabels[i] = label;
    this.valueLabelSources[i] = value;
    return label;
  }

  private observe(timeMs: number): void {
    if (timeMs < this.firstMs) this.firstMs = timeMs;
    if (timeMs > this.lastMs) this.lastMs = timeMs;
  }

  private emit(labels: Label[], timeMs: number, value: number, stale: boolean): void {
    this.series.push(
      stale
        ? { labels, timestampsMs: [timeMs], values: [NaN], staleIndexes: [0] }
        : { labels, timestampsMs: [timeMs], values: [value] },
    );
  }
}

/** Like {@link mergeLabels} but keeps empty values, which must still delete lower layers. */
function mergeLabelsKeepEmpty(base: readonly Label[], top: readonly Label[]): Label[] {
  const byName = new Map<string, Label>();
  for (const label of base) byName.set(label.name, label);
  for (const label of top) byName.set(label.name, label);
  return sortLabels([...byName.values()]);
}
