/**
 * What a cgroup path says about the container a process runs in: the runtime and its id for
 * Docker, containerd, CRI-O and LXC, the unit for systemd services, or a host process (no
 * container; the agent names those after their executable, `/host/<name>`). The names that
 * become Coroot-compatible container ids (`/docker/<name>`, `/k8s/<ns>/<pod>/<container>`,
 * `/system.slice/<unit>`) need the runtime's metadata as well (container names, CRI labels);
 * this module is the part the path alone decides.
 *
 * Layouts recognised (cgroupfs and systemd drivers, v1 and v2):
 *
 * ```
 * /docker/<64 hex>                                                docker
 * /system.slice/docker-<64 hex>.scope                             docker (systemd driver)
 * /kubepods/burstable/pod<uid>/<64 hex>                           kubernetes, runtime by the id's prefix:
 * /kubepods.slice/kubepods-besteffort.slice/                        cri-containerd-<id>, crio-<id>,
 *   kubepods-besteffort-pod<uid with _>.slice/cri-containerd-<id>.scope  docker-<id>; bare <id>: cri
 * …/pod<uid> (no container id), crio-conmon-<id>                  pod-level, not a container
 * /system.slice/<unit>.service (also runtime, reserved, kube,     systemd service, \x2d as '-'
 *   azure and podruntime slices)
 * /system.slice/<name>.scope, /user.slice/…, /init.scope           host process
 * /lxc/<name>, /lxc.payload.<name>/…                               lxc
 * ```
 *
 * Anything else (a sandbox's own hierarchy, a path one level deep) is a host process: it is
 * never dropped, only not called a container.
 */

/**
 * `cri`: a Kubernetes container whose runtime the path does not say (a bare id under the pod,
 * as containerd and dockershim both write with the cgroupfs driver); the runtime's API decides.
 */
export type CgroupKind = 'host' | 'docker' | 'containerd' | 'crio' | 'cri' | 'lxc' | 'systemd' | 'pod';

export interface CgroupIdentity {
  readonly kind: CgroupKind;
  /** The runtime's container id (64 hex for Docker, containerd, CRI-O; the name for LXC). */
  readonly runtimeId?: string;
  /** Kubernetes pod UID (dashes), when the path is under `kubepods`. */
  readonly podUid?: string;
  /** `/system.slice/<unit>` for systemd services: the container id Coroot uses for them. */
  readonly unit?: string;
}

const HEX64 = /[0-9a-f]{64}/;
const POD_UID = /pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})/;
const SERVICE_SLICES = new Set([
  'system.slice',
  'runtime.slice',
  'reserved.slice',
  'kube.slice',
  'azure.slice',
  'podruntime.slice',
]);
const HOST: CgroupIdentity = { kind: 'host' };

/** Classifies an identifying cgroup path (proc-cgroup.ts `identifyingPath`). */
export function identifyCgroup(path: string): CgroupIdentity {
  const parts = path.split('/').filter((p) => p !== '');
  const top = parts[0];
  if (top === undefined) return HOST;
  if (path.includes('kubepods')) return kubernetes(path, parts);
  if (top === 'docker') return runtimeOf('docker', HEX64.exec(path)?.[0]);
  if (top === 'lxc' && parts[1] !== undefined) return { kind: 'lxc', runtimeId: parts[1] };
  if (top.startsWith('lxc.payload.')) return { kind: 'lxc', runtimeId: top.slice('lxc.payload.'.length) };
  if (SERVICE_SLICES.has(top) && parts[1] !== undefined) {
    const unit = parts[1];
    if (unit.startsWith('docker-') && unit.endsWith('.scope'))
      return runtimeOf('docker', HEX64.exec(unit)?.[0]);
    if (unit.endsWith('.scope')) return HOST; // a transient scope: processes systemd-run put there
    return { kind: 'systemd', unit: `/${top}/${unit.replaceAll('\\x2d', '-')}` };
  }
  return HOST;
}

function kubernetes(path: string, parts: readonly string[]): CgroupIdentity {
  const uid = POD_UID.exec(path)?.[1]?.replaceAll('_', '-');
  const last = parts[parts.length - 1]!;
  const pod: CgroupIdentity = uid === undefined ? { kind: 'pod' } : { kind: 'pod', podUid: uid };
  if (last.startsWith('crio-conmon-')) return pod;
  const id = HEX64.exec(last)?.[0];
  if (id === undefined) return pod;
  const kind: CgroupKind = last.startsWith('crio-')
    ? 'crio'
    : last.startsWith('cri-containerd-') || last.startsWith('cri-containerd:')
      ? 'containerd'
      : last.startsWith('docker-')
        ? 'docker'
        : 'cri';
  return uid === undefined ? { kind, runtimeId: id } : { kind, runtimeId: id, podUid: uid };
}

function runtimeOf(kind: CgroupKind, id: string | undefined): CgroupIdentity {
  return id === undefined ? HOST : { kind, runtimeId: id };
}
