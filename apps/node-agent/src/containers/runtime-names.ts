/**
 * How the registry learns the names of runtime containers (Docker, containerd, CRI-O): from a
 * cache that answers at once and refreshes in the background (docker/docker-discovery.ts).
 */
import type { CgroupIdentity, CgroupKind } from '../discovery/cgroup-identity.ts';
import { containerNames } from '../docker/container-names.ts';

export interface RuntimeContainer {
  /** Coroot's container id: `/docker/<name>`, `/k8s/<ns>/<pod>/<container>`, … */
  readonly containerId: string;
  /** The application: `/k8s/<ns>/<workload>`, or the container id itself. */
  readonly appId: string;
  readonly image?: string;
  /** Restarts the runtime counted (Docker's RestartCount). */
  readonly restarts?: number;
}

export interface RuntimeNames {
  /**
   * The container for a runtime's cgroup, `'skip'` for the runtime's own helpers that are not
   * applications (a pod's sandbox), or undefined when the runtime does not know it. Asks the
   * runtime for an id it has not seen; never rejects.
   */
  resolve(identity: CgroupIdentity): Promise<RuntimeContainer | 'skip' | undefined>;
  /** Like resolve, from what is known now, without waiting (for eBPF events). */
  lookup(identity: CgroupIdentity): RuntimeContainer | 'skip' | undefined;
}

/** The id a runtime container gets while its runtime's metadata is not (yet) available. */
export function provisionalName(identity: CgroupIdentity): RuntimeContainer {
  const id = `/${identity.kind}/${(identity.runtimeId ?? 'unknown').slice(0, 12)}`;
  return { containerId: id, appId: id };
}

/**
 * The answer for a container of a runtime that keeps no names, only the labels it was given
 * (containerd, CRI-O): the kubelet's (or Swarm's) labels name it; a pod's helper (`podHelper`: its
 * sandbox, or a kubelet container without a container name) is `'skip'`; anything else keeps the
 * provisional name. With its image when the runtime gave one.
 */
export function labelledName(
  container: {
    readonly kind: CgroupKind;
    readonly id: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly image: string;
    readonly sandbox: boolean;
  },
  nowMs: number,
): RuntimeContainer | 'skip' {
  const { labels } = container;
  const podHelper = container.sandbox || (labels['io.kubernetes.pod.name'] ?? '') !== '';
  const names =
    containerNames({ name: '', labels }, nowMs) ??
    (podHelper ? undefined : provisionalName({ kind: container.kind, runtimeId: container.id }));
  if (names === undefined) return 'skip';
  const { containerId, appId } = names;
  return container.image === '' ? { containerId, appId } : { containerId, appId, image: container.image };
}
