/**
 * Docker's answer to the registry's question "what is this runtime container called"
 * (containers/runtime-names.ts): Docker containers, and Kubernetes containers run by Docker
 * (dockershim, or cri-dockerd), by their id. containerd's and CRI-O's own containers are not
 * Docker's: the daemon answers 404 and the registry keeps a provisional name for them.
 */
import type { CgroupIdentity } from '../discovery/cgroup-identity.ts';
import type { RuntimeContainer, RuntimeNames } from '../containers/runtime-names.ts';
import type { DockerContainer, DockerDiscovery } from './docker-discovery.ts';

export class DockerRuntimeNames implements RuntimeNames {
  constructor(private readonly discovery: DockerDiscovery) {}

  async resolve(identity: CgroupIdentity): Promise<RuntimeContainer | 'skip' | undefined> {
    if (!this.asks(identity)) return undefined;
    return convert(await this.discovery.resolve(identity.runtimeId!));
  }

  lookup(identity: CgroupIdentity): RuntimeContainer | 'skip' | undefined {
    if (!this.asks(identity)) return undefined;
    return convert(this.discovery.lookup(identity.runtimeId!));
  }

  private asks(identity: CgroupIdentity): boolean {
    return identity.runtimeId !== undefined && (identity.kind === 'docker' || identity.kind === 'cri');
  }
}

function convert(container: DockerContainer | undefined): RuntimeContainer | 'skip' | undefined {
  if (container === undefined) return undefined;
  if (container.names === undefined) return 'skip';
  return {
    containerId: container.names.containerId,
    appId: container.names.appId,
    image: container.details.image,
    restarts: container.details.restartCount,
  };
}
