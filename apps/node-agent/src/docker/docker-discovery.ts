/**
 * Docker metadata by container id, for the collection loop: a cgroup path gives a 64-hex id
 * (cgroup-identity.ts), this cache gives the container's name, image, labels, log path, restart
 * count and its Coroot-compatible names.
 *
 * ```
 * lookup(id) ──cached & fresh──▶ entry
 *     │ unknown or older than maxAgeMs: one inspect per id in flight (callers share it);
 *     │ 404: remembered as "not Docker's" until the next list shows the id
 *     ▼
 * every listIntervalMs: list all containers → drop entries of removed ones
 * ```
 *
 * Nothing here throws into the caller. When the socket is missing or refuses, `status()` says
 * `available: false` with the reason, the logger hears it once (and once more when it is back),
 * and the daemon is asked again at most once per list interval, not on every lookup.
 */
import { DockerError, type ContainerDetails, type DockerApi } from './docker-client.ts';
import { containerNames, type ContainerNames } from './container-names.ts';

export interface DockerContainer {
  readonly details: ContainerDetails;
  /** undefined for a container that is not an application (a pod's pause container). */
  readonly names: ContainerNames | undefined;
}

export interface DockerDiscoveryStatus {
  /** `unknown` until the daemon was first asked. */
  readonly state: 'unknown' | 'available' | 'unavailable';
  readonly available: boolean;
  /** Why it is unavailable (the client's message, naming the socket). */
  readonly reason?: string;
}

/** What this module logs through; pino and the core Logger both fit. */
export interface DiscoveryLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface DockerDiscoveryOptions {
  readonly api: DockerApi;
  /** How often all containers are listed to learn removals (and to re-probe a missing daemon). */
  readonly listIntervalMs?: number;
  /** An entry older than this is re-inspected in the background when looked up (restart count, pid). */
  readonly maxAgeMs?: number;
  readonly logger?: DiscoveryLogger;
  readonly now?: () => number;
}

interface Entry {
  readonly container: DockerContainer;
  readonly fetchedAtMs: number;
}

const CONTAINER_ID = /^[0-9a-f]{64}$/;
/** Bound on remembered non-Docker ids (cgroups of other runtimes); cleared when exceeded. */
const MAX_MISSING = 10_000;
/** Errors that say the daemon cannot be reached, as opposed to one request failing. */
const UNREACHABLE = new Set(['socket_missing', 'permission_denied', 'unreachable', 'timeout']);

export class DockerDiscovery {
  private readonly api: DockerApi;
  private readonly listIntervalMs: number;
  private readonly maxAgeMs: number;
  private readonly logger: DiscoveryLogger | undefined;
  private readonly now: () => number;
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<DockerContainer | undefined>>();
  /** id → until when it is taken not to be a Docker container. */
  private readonly missing = new Map<string, number>();
  private state: DockerDiscoveryStatus = { state: 'unknown', available: false };
  private unavailableReason: string | undefined;
  /** While unavailable, inspects wait until then (the periodic list retries meanwhile). */
  private retryAtMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private listing: Promise<void> | undefined;
  private counts = { inspects: 0, lists: 0 };

  constructor(options: DockerDiscoveryOptions) {
    this.api = options.api;
    this.listIntervalMs = options.listIntervalMs ?? 30_000;
    this.maxAgeMs = options.maxAgeMs ?? this.listIntervalMs;
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
  }

  /** Lists once now, then every `listIntervalMs` (the timer does not keep the process alive). */
  start(): Promise<void> {
    if (this.timer === undefined) {
      this.timer = setInterval(() => void this.refresh(), this.listIntervalMs);
      this.timer.unref();
    }
    return this.refresh();
  }

  async shutdown(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.allSettled([this.listing, ...this.inflight.values()]);
  }

  status(): DockerDiscoveryStatus {
    return this.state;
  }

  /** Requests made so far (for the agent's own metrics, and tests). */
  stats(): { inspects: number; lists: number; cached: number } {
    return { ...this.counts, cached: this.entries.size };
  }

  /**
   * What is known now, without waiting. An unknown or stale id starts a background inspect, so
   * the next scrape has it.
   */
  lookup(id: string): DockerContainer | undefined {
    const entry = this.entries.get(id);
    if (entry === undefined || this.now() - entry.fetchedAtMs > this.maxAgeMs) void this.inspect(id);
    return entry?.container;
  }

  /** Like {@link lookup}, but waits for the inspect an unknown or stale id needs. Never rejects. */
  async resolve(id: string): Promise<DockerContainer | undefined> {
    const entry = this.entries.get(id);
    if (entry !== undefined && this.now() - entry.fetchedAtMs <= this.maxAgeMs) return entry.container;
    return (await this.inspect(id)) ?? this.entries.get(id)?.container;
  }

  /** Lists all containers and forgets removed ones. Concurrent calls share one list. Never rejects. */
  refresh(): Promise<void> {
    this.listing ??= this.list().finally(() => (this.listing = undefined));
    return this.listing;
  }

  private async list(): Promise<void> {
    const startedAtMs = this.now();
    this.counts.lists++;
    try {
      const rows = await this.api.listContainers({ all: true });
      this.markAvailable();
      const present = new Set(rows.map((row) => row.id));
      for (const [id, entry] of this.entries) {
        // An entry fetched after the list was asked for may be a container the list predates.
        if (!present.has(id) && entry.fetchedAtMs < startedAtMs) this.entries.delete(id);
      }
      for (const id of this.missing.keys()) if (present.has(id)) this.missing.delete(id);
    } catch (err) {
      this.noteFailure(err, 'list');
    }
  }

  private inspect(id: string): Promise<DockerContainer | undefined> {
    const pending = this.inflight.get(id);
    if (pending !== undefined) return pending;
    if (!CONTAINER_ID.test(id)) return Promise.resolve(undefined);
    if ((this.missing.get(id) ?? 0) > this.now()) return Promise.resolve(undefined);
    // A daemon known to be away is asked again once per list interval, not per lookup.
    if (this.state.state === 'unavailable' && this.now() < this.retryAtMs) return Promise.resolve(undefined);
    const request = this.fetch(id).finally(() => this.inflight.delete(id));
    this.inflight.set(id, request);
    return request;
  }

  private async fetch(id: string): Promise<DockerContainer | undefined> {
    this.counts.inspects++;
    try {
      const details = await this.api.inspectContainer(id);
      this.markAvailable();
      const fetchedAtMs = this.now();
      const container = { details, names: containerNames(details, fetchedAtMs) };
      this.entries.set(id, { container, fetchedAtMs });
      this.missing.delete(id);
      return container;
    } catch (err) {
      if (err instanceof DockerError && err.reason === 'not_found') {
        this.entries.delete(id);
        if (this.missing.size >= MAX_MISSING) this.missing.clear();
        this.missing.set(id, this.now() + this.listIntervalMs);
        this.markAvailable();
        return undefined;
      }
      this.noteFailure(err, `inspect ${id.slice(0, 12)}`);
      return undefined;
    }
  }

  private markAvailable(): void {
    if (this.state.state === 'available') return;
    if (this.state.state === 'unavailable') {
      this.logger?.info({ socket: this.api.socketPath }, 'Docker API reachable again');
    }
    this.state = { state: 'available', available: true };
    this.unavailableReason = undefined;
  }

  private noteFailure(err: unknown, during: string): void {
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof DockerError && UNREACHABLE.has(err.reason)) {
      this.retryAtMs = this.now() + this.listIntervalMs;
      if (this.unavailableReason !== err.reason) {
        this.unavailableReason = err.reason;
        this.logger?.warn(
          { socket: this.api.socketPath, reason: err.reason },
          `Docker metadata unavailable, containers keep cgroup-only names: ${message}`,
        );
      }
      this.state = { state: 'unavailable', available: false, reason: message };
      return;
    }
    // One bad answer (a 500 for one container, a malformed body): the daemon itself is there.
    this.logger?.warn({ socket: this.api.socketPath, during }, `Docker API request failed: ${message}`);
  }
}
