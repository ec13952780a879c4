/**
 * Collects samples into metric families by name, each sample labelled with the target's
 * `address`; a collector declares its families (type, help) once, in a table.
 */
import type { MetricFamily, Sample } from '@vigil/agent-kit';

export type FamilySpec = { readonly type: MetricFamily['type']; readonly help: string };

export class FamilySet<Name extends string> {
  readonly #samples = new Map<Name, Sample[]>();

  constructor(
    private readonly address: string,
    private readonly specs: Readonly<Record<Name, FamilySpec>>,
  ) {}

  add(name: Name, value: number, labels: Readonly<Record<string, string>> = {}): void {
    let samples = this.#samples.get(name);
    if (samples === undefined) {
      samples = [];
      this.#samples.set(name, samples);
    }
    samples.push({ labels: { address: this.address, ...labels }, value });
  }

  /** The families in the order their first sample was added. */
  toFamilies(): MetricFamily[] {
    return [...this.#samples].map(([name, samples]) => ({ name, ...this.specs[name], samples }));
  }
}
