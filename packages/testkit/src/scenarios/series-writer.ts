/** Collects samples into raw series keyed by their label sets, as a remote-write client would send them. */

export interface RawSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly timestampsMs: number[];
  readonly values: number[];
}

export class SeriesWriter {
  readonly #series = new Map<string, RawSeries>();
  readonly #counters = new Map<string, number>();

  #get(name: string, labels: Readonly<Record<string, string>>): RawSeries {
    const all: Record<string, string> = { __name__: name };
    for (const [k, v] of Object.entries(labels)) if (v !== '') all[k] = v;
    const key = JSON.stringify(Object.entries(all).sort(([a], [b]) => (a < b ? -1 : 1)));
    let s = this.#series.get(key);
    if (!s) this.#series.set(key, (s = { labels: all, timestampsMs: [], values: [] }));
    return s;
  }

  gauge(name: string, labels: Readonly<Record<string, string>>, tMs: number, value: number): void {
    const s = this.#get(name, labels);
    s.timestampsMs.push(tMs);
    s.values.push(value);
  }

  /** Adds `delta` to a counter and records its new total. */
  counter(name: string, labels: Readonly<Record<string, string>>, tMs: number, delta: number): void {
    const s = this.#get(name, labels);
    const key = JSON.stringify(s.labels);
    const total = (this.#counters.get(key) ?? 0) + Math.max(0, delta);
    this.#counters.set(key, total);
    s.timestampsMs.push(tMs);
    s.values.push(total);
  }

  series(): RawSeries[] {
    return [...this.#series.values()];
  }
}
