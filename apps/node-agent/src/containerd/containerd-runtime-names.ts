/**
 * containerd's answer to the registry's question "what is this runtime container called"
 * (containers/runtime-names.ts), for Kubernetes nodes that run containerd without Docker: the
 * kubelet's CRI plugin stores a pod's labels on each containerd container, and those give
 * Coroot's `/k8s/<ns>/<pod>/<container>` names (docker/container-names.ts).
 *
 * An unknown id is asked of each namespace in turn (k8s.io, moby, default) until one has it; the
 * caching, the back-off while containerd is unreachable and the logging are
 * containers/caching-runtime-names.ts's.
 *
 * Naming: kubelet (and Swarm) labels through `containerNames`; a pod's sandbox (the pause
 * container) is `'skip'`. A container without them (ctr, nerdctl, a Docker container asked for
 * here) gets `/containerd/<id12>`, the registry's own provisional name, with its image: a
 * `/docker/<id>` would claim a Docker name it does not have, and containerd keeps no name.
 *
 */
import type { CgroupIdentity } from '../discovery/cgroup-identity.ts';
import {
  CachingRuntimeNames,
  type Answer,
  type CachingRuntimeNamesOptions,
  type Found,
  type RuntimeApiStatus,
} from '../containers/caching-runtime-names.ts';
import { labelledName } from '../containers/runtime-names.ts';
import { ContainerdError, type ContainerdApi, type ContainerdContainer } from './containerd-client.ts';

/** The kubelet's CRI plugin first; then Docker's and ctr's, for containers started beside it. */
export const DEFAULT_CONTAINERD_NAMESPACES: readonly string[] = ['k8s.io', 'moby', 'default'];

export type ContainerdStatus = RuntimeApiStatus;

export interface ContainerdRuntimeNamesOptions extends CachingRuntimeNamesOptions {
  readonly api: ContainerdApi;
  /** Asked in this order. Default {@link DEFAULT_CONTAINERD_NAMESPACES}. */
  readonly namespaces?: readonly string[];
}

const CONTAINER_ID = /^[0-9a-f]{64}$/;
const UNREACHABLE = new Set(['socket_missing', 'permission_denied', 'unreachable', 'timeout']);

export class ContainerdRuntimeNames extends CachingRuntimeNames {
  protected readonly runtime = 'containerd';
  private readonly api: ContainerdApi;
  private readonly namespaces: readonly string[];
  private gets = 0;

  constructor(options: ContainerdRuntimeNamesOptions) {
    super(options);
    this.api = options.api;
    this.namespaces = options.namespaces ?? DEFAULT_CONTAINERD_NAMESPACES;
  }

  protected get socketPath(): string {
    return this.api.socketPath;
  }

  /** Get calls made so far (one per namespace asked) and cached entries. */
  stats(): { gets: number; cached: number } {
    return { gets: this.gets, cached: this.cachedCount };
  }

  /** Docker's own containers (kind `docker`) are Docker's to name; `cri` may be either's. */
  protected idOf(identity: CgroupIdentity): string | undefined {
    if (identity.kind !== 'containerd' && identity.kind !== 'cri') return undefined;
    const id = identity.runtimeId;
    return id !== undefined && CONTAINER_ID.test(id) ? id : undefined;
  }

  /** The namespace that had it last time (the hint) first: a re-check then costs one call. */
  protected async request(id: string, known: string | undefined): Promise<Found | undefined> {
    const order =
      known === undefined ? this.namespaces : [known, ...this.namespaces.filter((n) => n !== known)];
    for (const namespace of order) {
      this.gets++;
      const container = await this.api.getContainer(namespace, id);
      if (container !== undefined) return { answer: nameOf(container, this.now()), hint: namespace };
    }
    return undefined;
  }

  protected unreachable(err: unknown): boolean {
    return err instanceof ContainerdError && UNREACHABLE.has(err.reason);
  }
}

/** The registry's answer for a container containerd knows (containerd keeps no name). */
export function nameOf(container: ContainerdContainer, nowMs: number = Date.now()): Answer {
  return labelledName(
    {
      kind: 'containerd',
      id: container.id,
      labels: container.labels,
      image: container.image,
      sandbox: container.labels['io.cri-containerd.kind'] === 'sandbox',
    },
    nowMs,
  );
}
