/**
 * The cache between the registry's question "what is this runtime container called"
 * (runtime-names.ts) and a runtime's metadata API (containerd's gRPC, CRI-O's inspect endpoint),
 * shared by those runtimes' names sources:
 *
 * ```
 * lookup(identity) ──cached──▶ name (a stale entry is re-asked in the background)
 *     │ unknown: one request per id in flight, callers share it;
 *     │ not the runtime's: remembered as such for missingTtlMs
 *     ▼
 * entries not looked up for idleMs are dropped (removed containers are not listed)
 * ```
 *
 * Nothing here throws into the caller. When the runtime's socket is missing or refuses,
 * `status()` says why, the logger hears it once (and once more when the runtime is back), and the
 * runtime is asked again at most once per `retryMs`.
 */
import type { CgroupIdentity } from '../discovery/cgroup-identity.ts';
import type { DiscoveryLogger } from '../docker/docker-discovery.ts';
import type { RuntimeContainer, RuntimeNames } from './runtime-names.ts';

export interface RuntimeApiStatus {
  /** `unknown` until the runtime was first asked. */
  readonly state: 'unknown' | 'available' | 'unavailable';
  readonly available: boolean;
  /** Why it is unavailable (the client's message, naming the socket). */
  readonly reason?: string;
}

export interface CachingRuntimeNamesOptions {
  /** A cached name older than this is re-asked in the background. Default 5 min. */
  readonly maxAgeMs?: number;
  /** An id the runtime does not know is not asked about again for this long. Default 1 min. */
  readonly missingTtlMs?: number;
  /** While the runtime is unreachable, it is asked at most this often. Default 30 s. */
  readonly retryMs?: number;
  /** Entries not looked up for this long are dropped. Default 10 min. */
  readonly idleMs?: number;
  readonly logger?: DiscoveryLogger;
  readonly now?: () => number;
}

export type Answer = RuntimeContainer | 'skip';

/** What one request found: the answer, and a hint for the next request about the same id. */
export interface Found {
  readonly answer: Answer;
  readonly hint?: string;
}

interface Entry {
  readonly answer: Answer;
  readonly hint: string | undefined;
  readonly fetchedAtMs: number;
  usedAtMs: number;
}

/** Bound on remembered foreign ids; cleared when exceeded. */
const MAX_MISSING = 10_000;

export abstract class CachingRuntimeNames implements RuntimeNames {
  private readonly maxAgeMs: number;
  private readonly missingTtlMs: number;
  private readonly retryMs: number;
  private readonly idleMs: number;
  private readonly logger: DiscoveryLogger | undefined;
  protected readonly now: () => number;
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<Answer | undefined>>();
  /** id → until when the runtime is taken not to have it. */
  private readonly missing = new Map<string, number>();
  private state: RuntimeApiStatus = { state: 'unknown', available: false };
  private retryAtMs = 0;
  private sweptAtMs = 0;

  /** The runtime's name in log lines (`containerd`, `CRI-O`). */
  protected abstract readonly runtime: string;
  /** Its socket, in log lines. */
  protected abstract readonly socketPath: string;
  /** The runtime's id for a cgroup it may own, or undefined for one it does not serve. */
  protected abstract idOf(identity: CgroupIdentity): string | undefined;
  /**
   * Asks the runtime (`hint`: what the last request found, e.g. a namespace); undefined when it
   * does not know the id. Rejects when it could not be asked.
   */
  protected abstract request(id: string, hint: string | undefined): Promise<Found | undefined>;
  /** Whether a rejection means the runtime is unreachable (rather than one bad answer). */
  protected abstract unreachable(err: unknown): boolean;

  constructor(options: CachingRuntimeNamesOptions) {
    this.maxAgeMs = options.maxAgeMs ?? 300_000;
    this.missingTtlMs = options.missingTtlMs ?? 60_000;
    this.retryMs = options.retryMs ?? 30_000;
    this.idleMs = options.idleMs ?? 600_000;
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
  }

  status(): RuntimeApiStatus {
    return this.state;
  }

  /** Cached entries (tests). */
  protected get cachedCount(): number {
    return this.entries.size;
  }

  async resolve(identity: CgroupIdentity): Promise<Answer | undefined> {
    const id = this.idOf(identity);
    if (id === undefined) return undefined;
    const cached = this.cached(id);
    if (cached !== undefined) return cached;
    return (await this.ask(id)) ?? this.entries.get(id)?.answer;
  }

  lookup(identity: CgroupIdentity): Answer | undefined {
    const id = this.idOf(identity);
    if (id === undefined) return undefined;
    const cached = this.cached(id);
    if (cached === undefined) void this.ask(id);
    return cached;
  }

  /** Waits for the requests in flight (for a clean shutdown and tests). */
  async shutdown(): Promise<void> {
    await Promise.allSettled([...this.inflight.values()]);
  }

  /** The cached answer; a stale one is returned and re-asked in the background. */
  private cached(id: string): Answer | undefined {
    const nowMs = this.now();
    this.sweep(nowMs);
    const entry = this.entries.get(id);
    if (entry === undefined) return undefined;
    entry.usedAtMs = nowMs;
    if (nowMs - entry.fetchedAtMs > this.maxAgeMs) void this.ask(id);
    return entry.answer;
  }

  private ask(id: string): Promise<Answer | undefined> {
    const pending = this.inflight.get(id);
    if (pending !== undefined) return pending;
    const nowMs = this.now();
    if ((this.missing.get(id) ?? 0) > nowMs) return Promise.resolve(undefined);
    if (this.state.state === 'unavailable' && nowMs < this.retryAtMs) return Promise.resolve(undefined);
    const request = this.fetch(id).finally(() => this.inflight.delete(id));
    this.inflight.set(id, request);
    return request;
  }

  private async fetch(id: string): Promise<Answer | undefined> {
    try {
      const found = await this.request(id, this.entries.get(id)?.hint);
      this.markAvailable();
      if (found !== undefined) {
        const fetchedAtMs = this.now();
        this.entries.set(id, { answer: found.answer, hint: found.hint, fetchedAtMs, usedAtMs: fetchedAtMs });
        this.missing.delete(id);
        return found.answer;
      }
      // Removed (or never this runtime's): forget it, and do not ask again for a while.
      this.entries.delete(id);
      if (this.missing.size >= MAX_MISSING) this.missing.clear();
      this.missing.set(id, this.now() + this.missingTtlMs);
      return undefined;
    } catch (err) {
      this.noteFailure(err, id);
      return undefined;
    }
  }

  private sweep(nowMs: number): void {
    if (nowMs - this.sweptAtMs < this.idleMs / 2) return;
    this.sweptAtMs = nowMs;
    for (const [id, entry] of this.entries) if (nowMs - entry.usedAtMs > this.idleMs) this.entries.delete(id);
    for (const [id, untilMs] of this.missing) if (untilMs <= nowMs) this.missing.delete(id);
  }

  private markAvailable(): void {
    if (this.state.state === 'available') return;
    if (this.state.state === 'unavailable') {
      this.logger?.info({ socket: this.socketPath }, `${this.runtime} API reachable again`);
    }
    this.state = { state: 'available', available: true };
  }

  private noteFailure(err: unknown, id: string): void {
    const message = err instanceof Error ? err.message : String(err);
    if (this.unreachable(err)) {
      this.retryAtMs = this.now() + this.retryMs;
      // Once per outage: while the runtime comes back the reason may change (the socket
      // reappears, then a client still reports its last connect error until it reconnects).
      if (this.state.state !== 'unavailable') {
        this.logger?.warn(
          { socket: this.socketPath, reason: (err as { reason?: string }).reason },
          `${this.runtime} metadata unavailable, its containers keep cgroup-only names: ${message}`,
        );
      }
      this.state = { state: 'unavailable', available: false, reason: message };
      return;
    }
    // One bad answer (an odd status, a malformed body): the runtime itself is there.
    this.logger?.warn(
      { socket: this.socketPath, container: id.slice(0, 12) },
      `${this.runtime} API request failed: ${message}`,
    );
  }
}
