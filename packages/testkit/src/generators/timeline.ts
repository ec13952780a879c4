/**
 * Where in time generated records fall, and when a service misbehaves. Record i of n gets the
 * time at which a fraction i/n of the range's traffic has passed, so traffic follows a daily
 * curve (a 24 h range has a busy afternoon and a quiet night, and "the last hour" holds a
 * different number of rows depending on when it is), while records stay in time order, as an
 * ingest pipeline delivers them.
 *
 *   rate ▲        ╭──╮
 *        │      ╭─╯  ╰─╮
 *        │──╮ ╭─╯      ╰──╮╭─
 *        │  ╰─╯           ╰╯      trough 04:00 UTC at 35% of the 16:00 peak
 *        └──────────────────────▶ time of day
 */

/** A period in which one service fails far more often than usual (a bad deploy, a lost dependency). */
export interface ErrorBurst {
  service: string;
  /** Start and end as fractions of the generated time range, 0 ≤ from < to ≤ 1. */
  from: number;
  to: number;
  /** Probability that one of the service's requests fails during the burst. */
  errorRate: number;
}

/** Probability that a request fails outside a burst. */
export const BASELINE_ERROR_RATE = 0.03;

/** Three incidents: ~43, ~29 and ~22 minutes of a 24 h range. */
export const DEFAULT_ERROR_BURSTS: readonly ErrorBurst[] = [
  { service: 'payment', from: 0.3, to: 0.33, errorRate: 0.45 },
  { service: 'shipping', from: 0.62, to: 0.64, errorRate: 0.6 },
  { service: 'cart', from: 0.86, to: 0.875, errorRate: 0.3 },
];

export interface TimelineOptions {
  /** Length of the time range the records spread over. Default one hour. */
  rangeNs?: bigint;
  /** Incidents within the range. Default DEFAULT_ERROR_BURSTS; `[]` for none. */
  errorBursts?: readonly ErrorBurst[];
  /** Traffic follows the time of day (UTC). Default true; false spreads records evenly. */
  diurnal?: boolean;
}

const HOUR_NS = 3.6e12;
const DAY_NS = 24 * HOUR_NS;
// Fine enough that a 24 h range follows the curve in 84-second steps; 1 KiB of doubles.
const STEPS = 1024;

/** Relative traffic at a time of day: 1 at 16:00 UTC, 0.35 at 04:00. */
function dailyRate(timeOfDayNs: number): number {
  return 0.35 + 0.65 * (0.5 - 0.5 * Math.cos((2 * Math.PI * (timeOfDayNs / HOUR_NS - 4)) / 24));
}

export class Timeline {
  readonly startNs: bigint;
  readonly rangeNs: number;
  readonly #count: number;
  readonly #bursts: readonly ErrorBurst[];
  /** cumulative[k]: share of the traffic before step k; cumulative[STEPS] = 1. */
  readonly #cumulative = new Float64Array(STEPS + 1);
  #step = 0;

  constructor(startNs: bigint, count: number, options: TimelineOptions = {}) {
    this.startNs = startNs;
    this.rangeNs = Number(options.rangeNs ?? BigInt(HOUR_NS));
    this.#count = Math.max(1, count);
    this.#bursts = options.errorBursts ?? DEFAULT_ERROR_BURSTS;
    const stepNs = this.rangeNs / STEPS;
    const startOfDayNs = Number(startNs % BigInt(DAY_NS));
    let total = 0;
    for (let k = 0; k < STEPS; k++) {
      this.#cumulative[k] = total;
      total += options.diurnal === false ? 1 : dailyRate((startOfDayNs + (k + 0.5) * stepNs) % DAY_NS);
    }
    for (let k = 0; k < STEPS; k++) this.#cumulative[k] = this.#cumulative[k]! / total;
    this.#cumulative[STEPS] = 1;
  }

  /** Offset from the start, in ns, of record `index`; non-decreasing in `index`. */
  offsetNs(index: number): number {
    const share = Math.min(1, Math.max(0, index / this.#count));
    const c = this.#cumulative;
    // Records are asked for in order, so the step only moves forward; back up if not.
    if (share < c[this.#step]!) this.#step = 0;
    while (this.#step < STEPS - 1 && c[this.#step + 1]! <= share) this.#step++;
    const low = c[this.#step]!;
    const within = (share - low) / (c[this.#step + 1]! - low);
    return ((this.#step + within) * this.rangeNs) / STEPS;
  }

  /** Unix time in ns of record `index`. */
  timeNs(index: number): bigint {
    return this.startNs + BigInt(Math.floor(this.offsetNs(index)));
  }

  /** Probability that a request of `service` fails at `offsetNs` into the range. */
  errorRate(service: string, offsetNs: number): number {
    return this.burstAt(service, offsetNs)?.errorRate ?? BASELINE_ERROR_RATE;
  }

  /** The burst `service` is in at `offsetNs`, if any. */
  burstAt(service: string, offsetNs: number): ErrorBurst | undefined {
    const at = offsetNs / this.rangeNs;
    for (const b of this.#bursts) if (b.service === service && at >= b.from && at < b.to) return b;
    return undefined;
  }
}
