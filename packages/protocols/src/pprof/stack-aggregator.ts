/**
 * Sums samples that share a stack and labels, so a profile of 6,000 samples over 40 distinct
 * stacks becomes 40 records (and 40 rows per sample type in storage).
 */
import type { ProfileStackRecord } from './records.ts';

const NO_LABELS: Readonly<Record<string, string>> = Object.freeze({});

export class StackAggregator {
  readonly #byKey = new Map<string, ProfileStackRecord>();
  readonly #typeCount: number;

  constructor(typeCount: number) {
    this.#typeCount = typeCount;
  }

  /** Adds one sample's values (one per type) to its stack's record. */
  add(
    frames: readonly string[],
    values: ArrayLike<number>,
    labels: Record<string, string> | undefined,
  ): void {
    const labelKey = labels === undefined ? '' : JSON.stringify(Object.entries(labels).sort());
    // Frame names may hold any character but NUL, which no symbol or file name contains.
    const key = `${frames.join('\u0000')}\u0001${labelKey}`;
    let record = this.#byKey.get(key);
    if (record === undefined) {
      record = { frames, values: new Array<number>(this.#typeCount).fill(0), labels: labels ?? NO_LABELS };
      this.#byKey.set(key, record);
    }
    for (let i = 0; i < this.#typeCount; i++) record.values[i] = (record.values[i] ?? 0) + (values[i] ?? 0);
  }

  records(): ProfileStackRecord[] {
    return [...this.#byKey.values()];
  }
}
