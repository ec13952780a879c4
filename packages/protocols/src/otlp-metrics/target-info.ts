/**
 * `target_info`: the series that carries a resource's attributes, so they are not copied onto
 * every series (spec "Resource Attributes"; Prometheus `addResourceTargetInfo`). Its labels are
 * the resource attributes other than service.name, service.namespace and service.instance.id,
 * plus `job` and `instance`; its value is 1.
 *
 * Samples are spread over the time range of the resource's points, every `intervalMs` (half the
 * PromQL lookback, so a join always finds one) plus one at the end. Resources that map to the
 * same label set share one series. Unlike Prometheus, the number of samples per resource is
 * capped: a point stamped at 0 next to one stamped now would otherwise ask for millions; past
 * the cap only the two ends are sampled.
 */
import type { Label, MetricMetadata, MetricSeries } from '../metrics/records.ts';

/** Attributes that become `job`/`instance` instead of `target_info` labels. */
export const IDENTIFYING_ATTRIBUTES: ReadonlySet<string> = new Set([
  'service.name',
  'service.namespace',
  'service.instance.id',
]);

export const TARGET_INFO_NAME = 'target_info';
const MAX_SAMPLES_PER_RESOURCE = 1000;

export const TARGET_INFO_METADATA: MetricMetadata = {
  metricFamilyName: TARGET_INFO_NAME,
  type: 'gauge',
  help: 'Target metadata',
  unit: '',
};

/** Collects target_info samples over a request; identical label sets are merged. */
export class TargetInfoSeries {
  private readonly byLabels = new Map<string, { labels: Label[]; timestampsMs: Set<number> }>();

  constructor(private readonly intervalMs: number) {}

  /** Adds samples for one resource whose accepted points span [firstMs, lastMs]. */
  add(labels: Label[], firstMs: number, lastMs: number): void {
    let key = '';
    for (const label of labels) key += `${label.name}\u0000${label.value}\u0000`;
    let entry = this.byLabels.get(key);
    if (entry === undefined) {
      entry = { labels, timestampsMs: new Set() };
      this.byLabels.set(key, entry);
    }
    const steps = (lastMs - firstMs) / this.intervalMs;
    if (this.intervalMs > 0 && steps < MAX_SAMPLES_PER_RESOURCE) {
      for (let t = firstMs; t < lastMs; t += this.intervalMs) entry.timestampsMs.add(t);
    } else {
      entry.timestampsMs.add(firstMs);
    }
    entry.timestampsMs.add(lastMs);
  }

  /** One series per distinct label set, timestamps ascending, every value 1. */
  series(): MetricSeries[] {
    const out: MetricSeries[] = [];
    for (const { labels, timestampsMs } of this.byLabels.values()) {
      const times = [...timestampsMs].sort((a, b) => a - b);
      out.push({ labels, timestampsMs: times, values: times.map(() => 1) });
    }
    return out;
  }
}
