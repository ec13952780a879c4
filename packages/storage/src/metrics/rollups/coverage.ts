/**
 * Which 5-minute rollup buckets can be trusted, and the bookkeeping that keeps it true while
 * samples keep arriving (see ./README.md for the whole design).
 *
 * A bucket is named by its end E (a multiple of {@link BUCKET_MS}) and holds the samples with
 * E - 5 min < t ≤ E. Every bucket with E ≤ `coveredUntil` has been built from the samples,
 * except those inside a dirty interval: samples older than that point were written after the
 * build (late data, a backfill), so the bucket must be built again before it is read.
 *
 * Everything here is synchronous, and the store calls it without an await in between, so in
 * JavaScript's single thread each step is atomic:
 *   - a write registers itself (its oldest sample) before it sends anything; if its oldest
 *     sample falls in a bucket that is built or being built, it marks the range dirty first;
 *   - the builder never claims a bucket that a write in flight may still add to, and never
 *     rebuilds a dirty range while a write that may touch it is in flight.
 */

export const BUCKET_MS = 300_000;

/** End of the bucket holding a sample at `t` (ms): the next multiple of 5 min, or t itself. */
export function bucketEndOf(t: number): number {
  return Math.ceil(t / BUCKET_MS) * BUCKET_MS;
}

/** Last bucket end ≤ t. */
export function bucketEndAtOrBefore(t: number): number {
  return Math.floor(t / BUCKET_MS) * BUCKET_MS;
}

/** Bucket ends `from..to`, both inclusive. */
export interface BucketRange {
  readonly from: number;
  readonly to: number;
}

/** What is persisted (rollup-state.ts) and reloaded at start. */
export interface CoverageState {
  readonly coveredUntil: number | undefined;
  readonly dirty: readonly BucketRange[];
}

export class RollupCoverage {
  #coveredUntil: number | undefined;
  /** ≥ coveredUntil while a build is running: writes at or before it mark their range dirty. */
  #claimedUntil: number | undefined;
  /** Disjoint, sorted, not adjacent. */
  #dirty: BucketRange[] = [];
  /** Dirty ranges being rebuilt right now (still untrusted). */
  readonly #rebuilding = new Set<BucketRange>();
  readonly #inFlight = new Map<number, number>();
  #nextToken = 1;
  #loaded = false;
  /** Oldest and newest sample of the writes begun before the state was loaded. */
  #beforeLoad: { minMs: number; maxMs: number } | undefined;
  /** Oldest sample of any write begun in this process. */
  #oldestWrittenMs = Infinity;

  get loaded(): boolean {
    return this.#loaded;
  }

  get coveredUntil(): number | undefined {
    return this.#coveredUntil;
  }

  get oldestWrittenMs(): number {
    return this.#oldestWrittenMs;
  }

  /** Dirty ranges, those being rebuilt included (what a crash now would have to redo). */
  state(): CoverageState {
    const dirty = [...this.#dirty, ...this.#rebuilding].sort((a, b) => a.from - b.from);
    return { coveredUntil: this.#coveredUntil, dirty };
  }

  get dirtyCount(): number {
    return this.#dirty.length + this.#rebuilding.size;
  }

  /**
   * Takes the persisted state; writes begun before it was known are checked against it now.
   * Returns true when that marked something dirty (the state then needs saving).
   */
  load(state: CoverageState): boolean {
    this.#coveredUntil = state.coveredUntil;
    this.#claimedUntil = state.coveredUntil;
    this.#dirty = [];
    for (const r of state.dirty) this.#markDirty(r.from, r.to);
    this.#loaded = true;
    const before = this.#beforeLoad;
    this.#beforeLoad = undefined;
    return before !== undefined && this.#markIfClaimed(before.minMs, before.maxMs);
  }

  /**
   * Registers a write of samples in [minMs, maxMs] before it is sent. `dirty` says it marked
   * built buckets dirty (save the state before writing); call `done` when the write ends,
   * whether it succeeded or not.
   */
  beginWrite(minMs: number, maxMs: number): { dirty: boolean; done: () => void } {
    if (!(minMs <= maxMs)) return { dirty: false, done: () => {} };
    if (minMs < this.#oldestWrittenMs) this.#oldestWrittenMs = minMs;
    let dirty = false;
    if (!this.#loaded) {
      const b = this.#beforeLoad;
      this.#beforeLoad = b
        ? { minMs: Math.min(b.minMs, minMs), maxMs: Math.max(b.maxMs, maxMs) }
        : { minMs, maxMs };
    } else dirty = this.#markIfClaimed(minMs, maxMs);
    const token = this.#nextToken++;
    this.#inFlight.set(token, minMs);
    return { dirty, done: () => this.#inFlight.delete(token) };
  }

  /** The newest bucket end no write in flight can add to (undefined: no limit). */
  #inFlightLimit(): number | undefined {
    let limit: number | undefined;
    for (const minMs of this.#inFlight.values()) {
      const end = bucketEndOf(minMs) - BUCKET_MS;
      if (limit === undefined || end < limit) limit = end;
    }
    return limit;
  }

  /**
   * The first bucket end the builder may start from when nothing was built yet: the bucket
   * before the oldest sample stored (`oldestStoredMs`, undefined for an empty store) or
   * written by this process. Undefined when there is nothing at all.
   */
  startFrom(oldestStoredMs: number | undefined): number | undefined {
    const oldest = Math.min(oldestStoredMs ?? Infinity, this.#oldestWrittenMs);
    if (oldest === Infinity) return undefined;
    return bucketEndOf(oldest) - BUCKET_MS;
  }

  /** Sets where building starts (only when nothing was built). */
  start(at: number): void {
    if (this.#coveredUntil !== undefined) return;
    this.#coveredUntil = at;
    this.#claimedUntil = at;
  }

  /**
   * Claims the buckets after coveredUntil up to `wanted` (a bucket end), fewer if a write in
   * flight may still add to them. Returns the claimed range, or undefined when there is none.
   */
  claim(wanted: number): BucketRange | undefined {
    const covered = this.#coveredUntil;
    if (covered === undefined) return undefined;
    const limit = this.#inFlightLimit();
    const to = limit === undefined ? wanted : Math.min(wanted, limit);
    if (to <= covered) return undefined;
    this.#claimedUntil = to;
    return { from: covered + BUCKET_MS, to };
  }

  /** The claimed range is built: it becomes covered. */
  advance(to: number): void {
    if (this.#coveredUntil === undefined || to > this.#coveredUntil) this.#coveredUntil = to;
  }

  /** A build failed: gives its claim back (writes it saw were marked dirty; that stays). */
  release(): void {
    this.#claimedUntil = this.#coveredUntil;
  }

  /**
   * Dirty ranges that can be rebuilt now (no write in flight may still add to them), moved
   * to the rebuilding set. Call {@link rebuilt} or {@link rebuildFailed} for each.
   */
  takeDirty(): BucketRange[] {
    const limit = this.#inFlightLimit();
    const taken: BucketRange[] = [];
    const kept: BucketRange[] = [];
    for (const r of this.#dirty) {
      if (limit === undefined || r.to <= limit) {
        taken.push(r);
        this.#rebuilding.add(r);
      } else kept.push(r);
    }
    this.#dirty = kept;
    return taken;
  }

  rebuilt(range: BucketRange): void {
    this.#rebuilding.delete(range);
  }

  rebuildFailed(range: BucketRange): void {
    this.#rebuilding.delete(range);
    this.#markDirty(range.from, range.to);
  }

  /**
   * True when every bucket end in [from, min(to, coveredUntil)] is built and clean; buckets
   * after coveredUntil are the caller's to compute from samples.
   */
  trusted(from: number, to: number): boolean {
    const covered = this.#coveredUntil;
    if (covered === undefined) return false;
    const end = Math.min(to, covered);
    const overlaps = (r: BucketRange) => r.from <= end && r.to >= from;
    if (this.#dirty.some(overlaps)) return false;
    for (const r of this.#rebuilding) if (overlaps(r)) return false;
    return true;
  }

  /**
   * Marks the built (or being built) buckets of samples in [minMs, maxMs] dirty; true when
   * that changed the dirty set.
   */
  #markIfClaimed(minMs: number, maxMs: number): boolean {
    const claimed = this.#claimedUntil;
    if (claimed === undefined) return false;
    const from = bucketEndOf(minMs);
    if (from > claimed) return false;
    const to = Math.min(bucketEndOf(maxMs), claimed);
    if (this.#dirty.some((r) => r.from <= from && r.to >= to)) return false;
    this.#markDirty(from, to);
    return true;
  }

  #markDirty(from: number, to: number): void {
    const out: BucketRange[] = [];
    let merged = { from, to };
    for (const r of this.#dirty) {
      if (r.to + BUCKET_MS < merged.from || r.from > merged.to + BUCKET_MS) out.push(r);
      else merged = { from: Math.min(r.from, merged.from), to: Math.max(r.to, merged.to) };
    }
    out.push(merged);
    this.#dirty = out.sort((a, b) => a.from - b.from);
  }
}
