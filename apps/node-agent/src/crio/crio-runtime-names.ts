/**
 * CRI-O's answer to the registry's question "what is this runtime container called"
 * (containers/runtime-names.ts), for Kubernetes nodes that run CRI-O: the container's labels
 * carry the kubelet's `io.kubernetes.pod.namespace`, `pod.name` and `container.name`, which give
 * Coroot's `/k8s/<ns>/<pod>/<container>` names (docker/container-names.ts). A pod's infra
 * container (CRI-O's annotation `io.kubernetes.cri-o.ContainerType: sandbox`, or the name POD)
 * is `'skip'`; a container without kubelet labels keeps `/crio/<id12>`. Caching, the back-off while
 * CRI-O is unreachable and the logging: containers/caching-runtime-names.ts.
 */
import type { CgroupIdentity } from '../discovery/cgroup-identity.ts';
import {
  CachingRuntimeNames,
  type Answer,
  type CachingRuntimeNamesOptions,
  type Found,
} from '../containers/caching-runtime-names.ts';
import { labelledName } from '../containers/runtime-names.ts';
import { CrioError, type CrioApi, type CrioContainer } from './crio-client.ts';

const CONTAINER_ID = /^[0-9a-f]{64}$/;
const UNREACHABLE = new Set(['socket_missing', 'unreachable', 'timeout']);

export class CrioRuntimeNames extends CachingRuntimeNames {
  protected readonly runtime = 'CRI-O';

  constructor(
    private readonly api: CrioApi,
    options: CachingRuntimeNamesOptions = {},
  ) {
    super(options);
  }

  protected get socketPath(): string {
    return this.api.socketPath;
  }

  protected idOf(identity: CgroupIdentity): string | undefined {
    if (identity.kind !== 'crio' && identity.kind !== 'cri') return undefined;
    const id = identity.runtimeId;
    return id !== undefined && CONTAINER_ID.test(id) ? id : undefined;
  }

  protected async request(id: string): Promise<Found | undefined> {
    const container = await this.api.container(id);
    return container === undefined ? undefined : { answer: crioNameOf(id, container, this.now()) };
  }

  protected unreachable(err: unknown): boolean {
    return err instanceof CrioError && UNREACHABLE.has(err.reason);
  }
}

/** The registry's answer for a container CRI-O knows. */
export function crioNameOf(id: string, container: CrioContainer, nowMs: number = Date.now()): Answer {
  return labelledName(
    {
      kind: 'crio',
      id,
      labels: container.labels,
      image: container.image,
      sandbox: container.annotations['io.kubernetes.cri-o.ContainerType'] === 'sandbox',
    },
    nowMs,
  );
}
