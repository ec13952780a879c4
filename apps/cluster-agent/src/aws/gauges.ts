/**
 * Gauges grouped into metric families by name, with their help text from one table. AWS series
 * carry no `address`: they describe a cloud resource, not a target the agent connects to.
 */
import type { MetricFamily, Sample } from '@vigil/agent-kit';

export class Gauges<Name extends string> {
  readonly #samples = new Map<Name, Sample[]>();

  constructor(private readonly help: Readonly<Record<Name, string>>) {}

  /** Adds a sample; a value the source did not give (undefined, NaN) is left out. */
  add(name: Name, labels: Readonly<Record<string, string>>, value: number | undefined): void {
    if (value === undefined || !Number.isFinite(value)) return;
    let samples = this.#samples.get(name);
    if (!samples) this.#samples.set(name, (samples = []));
    samples.push({ labels, value });
  }

  toFamilies(): MetricFamily[] {
    return [...this.#samples].map(([name, samples]) => ({
      name,
      type: 'gauge' as const,
      help: this.help[name],
      samples,
    }));
  }
}
