/**
 * Metric families as the agent collects them → the series and metadata of one remote write 1.0
 * request. Every series carries the family name as `__name__`, its own labels and the agent's
 * common labels (machine_id, system_uuid, …), sorted by name as Prometheus requires (receivers
 * such as Prometheus itself do not sort; an unsorted set becomes a different series).
 */
import { badRequest } from '@vigil/core';
import type { Label, MetricMetadata, RemoteWriteSeriesInput } from '@vigil/protocols';
import type { MetricFamily } from '../exposition/metric-family.ts';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** One request's worth of series, ready for `encodeRemoteWrite1`. */
export interface ConvertedFamilies {
  readonly series: RemoteWriteSeriesInput[];
  /** Type and help of every family that produced a series (1.0 sends metadata per family). */
  readonly metadata: MetricMetadata[];
  /** Series left out because a metric or label name is not valid in Prometheus. */
  readonly skippedSeries: number;
  /** Why the first skipped series was left out, for one log line. */
  readonly firstProblem: string | undefined;
}

const byName = (a: Label, b: Label): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Checks the labels every series will carry, once, so that a typo in configuration fails at
 * start-up rather than skipping every series.
 *
 * @throws AppError (code 'bad_request') naming the first invalid label name.
 */
export function checkCommonLabels(labels: Readonly<Record<string, string>>): void {
  for (const name of Object.keys(labels)) {
    if (!LABEL_NAME.test(name) || name.startsWith('__')) {
      throw badRequest(`common label name "${name}" is not a valid Prometheus label name`);
    }
  }
}

/**
 * Converts families into remote write series, one sample each at `timestampMs`.
 *
 * Label rules, as Prometheus applies `external_labels` to remote write: a common label is added
 * unless the series already has that label (the series' value wins); a label with an empty
 * value is absent in Prometheus' model and is left out. A series whose metric or label name is
 * invalid is skipped and counted, so one bad series cannot make the receiver refuse (400) and
 * the agent drop the whole interval. Families without samples produce nothing, not even
 * metadata.
 */
export function familiesToSeries(
  families: readonly MetricFamily[],
  timestampMs: number,
  commonLabels: Readonly<Record<string, string>> = {},
): ConvertedFamilies {
  if (!Number.isSafeInteger(timestampMs))
    throw badRequest(`timestamp ${timestampMs} is not whole milliseconds`);
  checkCommonLabels(commonLabels);
  const common: Label[] = [];
  for (const [name, value] of Object.entries(commonLabels)) if (value !== '') common.push({ name, value });
  // Every series has the one sample time; the encoder only reads the array, so one array serves all.
  const timestampsMs: readonly number[] = [timestampMs];
  const series: RemoteWriteSeriesInput[] = [];
  const metadata: MetricMetadata[] = [];
  let skippedSeries = 0;
  let firstProblem: string | undefined;
  for (const family of families) {
    if (family.samples.length === 0) continue;
    if (!METRIC_NAME.test(family.name)) {
      skippedSeries += family.samples.length;
      firstProblem ??= `metric name "${family.name}" is not valid`;
      continue;
    }
    const before = series.length;
    for (const sample of family.samples) {
      const labels: Label[] = [{ name: '__name__', value: family.name + (sample.suffix ?? '') }];
      let problem: string | undefined;
      for (const name in sample.labels) {
        const value = sample.labels[name]!;
        if (value === '') continue;
        if (!LABEL_NAME.test(name) || name === '__name__') {
          problem = `label name "${name}" of ${family.name} is not valid`;
          break;
        }
        labels.push({ name, value });
      }
      if (problem !== undefined) {
        skippedSeries++;
        firstProblem ??= problem;
        continue;
      }
      for (const label of common) {
        const own = sample.labels[label.name];
        if (own === undefined || own === '') labels.push(label);
      }
      labels.sort(byName);
      series.push({ labels, timestampsMs, values: [sample.value] });
    }
    if (series.length > before) {
      metadata.push({ metricFamilyName: family.name, type: family.type, help: family.help, unit: '' });
    }
  }
  return { series, metadata, skippedSeries, firstProblem };
}
