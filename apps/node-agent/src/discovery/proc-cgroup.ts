/**
 * `/proc/<pid>/cgroup`: which cgroup a process is in, per hierarchy. Each line is
 * `hierarchy-id:controllers:path`; cgroup v2 has one line `0::path`, v1 one line per mounted
 * hierarchy (`4:memory:/docker/<id>`, `9:name=systemd:/…`), and hybrid hosts (this project's
 * CI machines: v1 controllers, v2 at /sys/fs/cgroup/unified) have both.
 *
 * The path that names a process's container is the v2 one, unless a v1 cpu or memory path is
 * under `/kubepods` (the kubelet's hierarchy on v1 nodes whose systemd owns v2), then v1 cpu,
 * then memory, then the `name=systemd` one. Root paths (`/`, `/init.scope`) name nothing.
 */

/** A process's cgroup paths: the v2 path (key '') and v1 paths by controller. */
export type CgroupPaths = ReadonlyMap<string, string>;

const NO_GROUP = new Set(['/', '/init.scope']);

/** Parses the text of `/proc/<pid>/cgroup`; lines that are not `id:controllers:path` are skipped. */
export function parseProcCgroup(text: string): CgroupPaths {
  const paths = new Map<string, string>();
  for (const line of text.split('\n')) {
    const first = line.indexOf(':');
    const second = first < 0 ? -1 : line.indexOf(':', first + 1);
    if (second < 0) continue;
    const path = normalise(line.slice(second + 1));
    if (NO_GROUP.has(path)) continue;
    for (const controller of line.slice(first + 1, second).split(',')) paths.set(controller, path);
  }
  return paths;
}

/** The path that names the process's container, or '/' when it is in none (see the header). */
export function identifyingPath(paths: CgroupPaths): string {
  const cpu = paths.get('cpu');
  const memory = paths.get('memory');
  if (cpu?.startsWith('/kubepods')) return cpu;
  if (memory?.startsWith('/kubepods')) return memory;
  return paths.get('') ?? cpu ?? memory ?? paths.get('name=systemd') ?? '/';
}

/** `/a//b/` → `/a/b`; always starts with '/'. */
function normalise(path: string): string {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  return `/${parts.join('/')}`;
}
