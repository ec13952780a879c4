import { executionError } from '../errors.ts';
import { labelsKey, type Labels } from '../model/labels.ts';
import { newStepSeries, type StepSeries } from './values.ts';

const DUPLICATE = 'vector cannot contain metrics with the same labelset';

/**
 * Collects output series by label set. Samples of different input series that end up with the
 * same labels merge into one output series, as in Prometheus's range evaluation, but two
 * samples for the same labels at the same step are the error Prometheus raises
 * ("vector cannot contain metrics with the same labelset").
 */
export class SeriesSet {
  private readonly byKey = new Map<string, StepSeries>();
  readonly list: StepSeries[] = [];

  constructor(private readonly steps: number) {}

  /** The output series for `labels`, created empty on first use. */
  series(labels: Labels): StepSeries {
    const key = labelsKey(labels);
    let s = this.byKey.get(key);
    if (s === undefined) {
      s = newStepSeries(labels, this.steps);
      this.byKey.set(key, s);
      this.list.push(s);
    }
    return s;
  }

  /** The series that received at least one sample, in order of creation. */
  nonEmpty(): StepSeries[] {
    return this.list.filter((s) => s.present.indexOf(1) >= 0);
  }

  /** Records one sample; throws if the series already has one at this step. */
  set(target: StepSeries, step: number, value: number): void {
    if (target.present[step] === 1) throw executionError(DUPLICATE);
    target.present[step] = 1;
    target.values[step] = value;
  }

  /** Adds a whole series, merging it into an existing one with the same labels; empty ones are skipped. */
  addSeries(source: StepSeries): void {
    if (source.present.indexOf(1) < 0) return;
    const key = labelsKey(source.labels);
    const existing = this.byKey.get(key);
    if (existing === undefined) {
      this.byKey.set(key, source);
      this.list.push(source);
      return;
    }
    for (let i = 0; i < this.steps; i++) {
      if (source.present[i] === 1) this.set(existing, i, source.values[i]!);
    }
  }
}

/** Throws when two series in the list have the same labels, whether or not they overlap in time. */
export function assertUniqueLabels(series: readonly { labels: Labels }[]): void {
  if (series.length < 2) return;
  const seen = new Set<string>();
  for (const s of series) {
    const key = labelsKey(s.labels);
    if (seen.has(key)) throw executionError(DUPLICATE);
    seen.add(key);
  }
}
