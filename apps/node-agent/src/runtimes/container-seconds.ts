/**
 * Per-container counters of seconds, fed with per-pid nanoseconds from a uprobe program's
 * dumps. Counters only grow while the agent runs; a container's counter is dropped once the
 * container is gone, so the series ends with it.
 */
import type { Sample } from '@vigil/agent-kit';

export class ContainerSeconds {
  private readonly secondsByContainer = new Map<string, number>();

  constructor(private readonly containerOf: (pid: number) => string) {}

  /** Adds one dump; `keep` says which pids count (all when absent). */
  add(nsByPid: ReadonlyMap<number, number>, keep?: (pid: number) => boolean): void {
    for (const [pid, ns] of nsByPid) {
      if (keep !== undefined && !keep(pid)) continue;
      const container = this.containerOf(pid);
      this.secondsByContainer.set(container, (this.secondsByContainer.get(container) ?? 0) + ns / 1e9);
    }
  }

  /** Forgets containers not in `present`. */
  retain(present: ReadonlySet<string>): void {
    for (const id of this.secondsByContainer.keys()) if (!present.has(id)) this.secondsByContainer.delete(id);
  }

  seconds(containerId: string): number | undefined {
    return this.secondsByContainer.get(containerId);
  }

  samples(labelsOf: (containerId: string) => Readonly<Record<string, string>>): Sample[] {
    return [...this.secondsByContainer].map(([id, value]) => ({ labels: { ...labelsOf(id) }, value }));
  }
}
