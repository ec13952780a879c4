/**
 * How the registry learns the names of runtime containers (Docker, containerd, CRI-O): from a
 * cache that answers at once and refreshes in the background (docker/docker-discovery.ts).
 */
import type { CgroupIdentity } from '../discovery/cgroup-identity.ts';

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
