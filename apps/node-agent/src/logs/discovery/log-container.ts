/** What log discovery needs to know of a container (the registry's `list()` gives it). */
import type { CgroupKind } from '../../discovery/cgroup-identity.ts';

export interface LogContainer {
  /** Coroot's container id: `/docker/<name>`, `/k8s/<ns>/<pod>/<container>`, `/system.slice/<unit>`, `/host/<program>`. */
  readonly id: string;
  /** The application (`service.name` of its records). */
  readonly appId: string;
  readonly kind: CgroupKind;
  /** Docker's container id for `kind: 'docker'` (from the cgroup path, as the registry read it). */
  readonly runtimeId?: string | undefined;
  readonly pids: readonly number[];
}
