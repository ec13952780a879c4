/**
 * Several runtimes asked in turn (Docker, then containerd): the first that knows a container
 * names it. Each source answers undefined at once for cgroup kinds it does not serve, and for
 * a runtime it cannot reach, so a node without Docker costs nothing per lookup.
 */
import type { CgroupIdentity } from '../discovery/cgroup-identity.ts';
import type { RuntimeContainer, RuntimeNames } from '../containers/runtime-names.ts';

export class CombinedRuntimeNames implements RuntimeNames {
  constructor(private readonly sources: readonly RuntimeNames[]) {}

  /** Sources are asked one after the other, not at once: the second only for ids the first lacks. */
  async resolve(identity: CgroupIdentity): Promise<RuntimeContainer | 'skip' | undefined> {
    for (const source of this.sources) {
      const answer = await source.resolve(identity);
      if (answer !== undefined) return answer;
    }
    return undefined;
  }

  lookup(identity: CgroupIdentity): RuntimeContainer | 'skip' | undefined {
    for (const source of this.sources) {
      const answer = source.lookup(identity);
      if (answer !== undefined) return answer;
    }
    return undefined;
  }
}
