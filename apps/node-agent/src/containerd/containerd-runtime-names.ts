/**
 * containerd's answer to the registry's question "what is this runtime container called"
 * (containers/runtime-names.ts), for Kubernetes nodes that run containerd without Docker: the
 * kubelet's CRI plugin stores a pod's labels on each containerd container, and those give
 * Coroot's `/k8s/<ns>/<pod>/<container>` names (docker/container-names.ts).
 *
 * ```
 * lookup(identity) ──cached──▶ name (a stale entry is re-asked in the background)
 *     │ unknown: one Get per id in flight, callers share it;
 *     │ asks each namespace in turn (k8s.io, moby, default) until one has the id;
 *     │ in none: remembered as "not containerd's" for missingTtlMs
 *     ▼
 * entries not looked up for idleMs are dropped (removed containers are not listed)
 * ```
 *
 * Naming: kubelet (and Swarm) labels through `containerNames`; a pod's sandbox (the pause
 * container) is `'skip'`. A container without them (ctr, nerdctl, a Docker container asked for
 * here) gets `/containerd/<id12>`, the registry's own provisional name, with its image: a
 * `/docker/<id>` would claim a Docker name it does not have, and containerd keeps no name.
 *
 * Nothing here throws into the caller. When the socket is missing or refuses, `status()` says
 * why, the logger hears it once (and once more when containerd is back), and containerd is asked
 * again at most once per `retryMs`.
 */
import type { CgroupIdentity } from '../discovery/cgroup-identity.ts';
import type { DiscoveryLogger } from '../docker/docker-discovery.ts';
import { containerNames } from '../docker/container-names.ts';
import { provisionalName, type RuntimeContainer, type RuntimeNames } from '../containers/runtime-names.ts';
import { ContainerdError, type ContainerdApi, type ContainerdContainer } from './containerd-client.ts';

/** The kubelet's CRI plugin first; then Docker's and ctr's, for containers started beside it. */
export const DEFAULT_CONTAINERD_NAMESPACES: readonly string[] = ['k8s.io', 'moby', 'default'];

export interface ContainerdStatus {
  /** `unknown` until containerd was first asked. */
  readonly state: 'unknown' | 'available' | 'unavailable';
  readonly available: boolean;
  /** Why it is unavailable (the client's message, naming the socket). */
  readonly reason?: string;
}

export interface ContainerdRuntimeNamesOptions {
  readonly api: ContainerdApi;
  /** Asked in this order. Default {@link DEFAULT_CONTAINERD_NAMESPACES}. */
  readonly namespaces?: readonly string[];
  /** A cached name older than this is re-asked in the background. Default 5 min. */
  readonly maxAgeMs?: number;
  /** An id no namespace knows is not asked about again for this long. Default 1 min. */
  readonly missingTtlMs?: number;
  /** While containerd is unreachable, it is asked at most this often. Default 30 s. */
  readonly retryMs?: number;
  /** Entries not looked up for this long are dropped. Default 10 min. */
  readonly idleMs?: number;
  readonly logger?: DiscoveryLogger;
  readonly now?: () => number;
}

type Answer = RuntimeContainer | 'skip';

interface Entry {
  readonly answer: Answer;
  readonly namespace: string;
  readonly fetchedAtMs: number;
  usedAtMs: number;
}

const CONTAINER_ID = /^[0-9a-f]{64}$/;
/** Bound on remembered foreign ids; cleared when exceeded. */
const MAX_MISSING = 10_000;
const UNREACHABLE = new Set(['socket_missing', 'permission_denied', 'unreachable', 'timeout']);

export class ContainerdRuntimeNames implements RuntimeNames {
  private readonly api: ContainerdApi;
  private readonly namespaces: readonly string[];
  private readonly maxAgeMs: number;
  private readonly missingTtlMs: number;
  private readonly retryMs: number;
  private readonly idleMs: number;
  private readonly logger: DiscoveryLogger | undefined;
  private readonly now: () => number;
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<Answer | undefined>>();
  /** id → until when no namespace is taken to have it. */
  private readonly missing = new Map<string, number>();
  private state: ContainerdStatus = { state: 'unknown', available: false };
  private retryAtMs = 0;
  private sweptAtMs = 0;
  private counts = { gets: 0 };

  constructor(options: ContainerdRuntimeNamesOptions) {
    this.api = options.api;
    this.namespaces = options.namespaces ?? DEFAULT_CONTAINERD_NAMESPACES;
    this.maxAgeMs = options.maxAgeMs ?? 300_000;
    this.missingTtlMs = options.missingTtlMs ?? 60_000;
    this.retryMs = options.retryMs ?? 30_000;
    this.idleMs = options.idleMs ?? 600_000;
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
  }

  status(): ContainerdStatus {
    return this.state;
  }

  /** Get calls made so far (one per namespace asked) and cached entries. */
  stats(): { gets: number; cached: number } {
    return { gets: this.counts.gets, cached: this.entries.size };
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

  /** Docker's own containers (kind `docker`) are Docker's to name; `cri` may be either's. */
  private idOf(identity: CgroupIdentity): string | undefined {
    if (identity.kind !== 'containerd' && identity.kind !== 'cri') return undefined;
    const id = identity.runtimeId;
    return id !== undefined && CONTAINER_ID.test(id) ? id : undefined;
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
    // The namespace that had it last time first: a re-check then costs one call.
    const known = this.entries.get(id)?.namespace;
    const order =
      known === undefined ? this.namespaces : [known, ...this.namespaces.filter((n) => n !== known)];
    try {
      for (const namespace of order) {
        this.counts.gets++;
        const container = await this.api.getContainer(namespace, id);
        this.markAvailable();
        if (container === undefined) continue;
        const fetchedAtMs = this.now();
        const answer = nameOf(container, fetchedAtMs);
        this.entries.set(id, { answer, namespace, fetchedAtMs, usedAtMs: fetchedAtMs });
        this.missing.delete(id);
        return answer;
      }
      // Removed (or never containerd's): forget it, and do not ask again for a while.
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
      this.logger?.info({ socket: this.api.socketPath }, 'containerd API reachable again');
    }
    this.state = { state: 'available', available: true };
  }

  private noteFailure(err: unknown, id: string): void {
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof ContainerdError && UNREACHABLE.has(err.reason)) {
      this.retryAtMs = this.now() + this.retryMs;
      // Once per outage: while containerd comes back the reason changes (the socket reappears,
      // then grpc-js still reports its last connect error until it reconnects).
      if (this.state.state !== 'unavailable') {
        this.logger?.warn(
          { socket: this.api.socketPath, reason: err.reason },
          `containerd metadata unavailable, its containers keep cgroup-only names: ${message}`,
        );
      }
      this.state = { state: 'unavailable', available: false, reason: message };
      return;
    }
    // One bad answer (an odd status, a malformed body): containerd itself is there.
    this.logger?.warn(
      { socket: this.api.socketPath, container: id.slice(0, 12) },
      `containerd API request failed: ${message}`,
    );
  }
}

/** The registry's answer for a container containerd knows. */
export function nameOf(container: ContainerdContainer, nowMs: number = Date.now()): Answer {
  const labels = container.labels;
  // No name: containerd keeps none, and the kubelet's and Swarm's labels do not need one.
  const names =
    containerNames({ name: '', labels }, nowMs) ??
    (isPodHelper(labels) ? undefined : provisionalName({ kind: 'containerd', runtimeId: container.id }));
  if (names === undefined) return 'skip';
  const { containerId, appId } = names;
  return container.image === '' ? { containerId, appId } : { containerId, appId, image: container.image };
}

/** A pod's sandbox, or a kubelet container without a name: part of a pod, not an application. */
function isPodHelper(labels: Readonly<Record<string, string>>): boolean {
  return (labels['io.kubernetes.pod.name'] ?? '') !== '' || labels['io.cri-containerd.kind'] === 'sandbox';
}
