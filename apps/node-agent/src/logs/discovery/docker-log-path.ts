/**
 * The json-file log of a Docker container: its 64-hex id comes from a member process's cgroup
 * path, Docker's inspect answer (through the discovery cache) gives `LogPath`. Containers with
 * another log driver have no path ('').
 */
import { readFile } from 'node:fs/promises';
import { identifyCgroup } from '../../discovery/cgroup-identity.ts';
import { identifyingPath, parseProcCgroup } from '../../discovery/proc-cgroup.ts';
import type { DockerDiscovery } from '../../docker/docker-discovery.ts';

/** The Docker id of the container `pid` runs in, or undefined (gone, or not Docker's). */
export async function dockerIdOf(pid: number, procRoot = '/proc'): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(`${procRoot}/${pid}/cgroup`, 'utf8');
  } catch {
    return undefined;
  }
  const identity = identifyCgroup(identifyingPath(parseProcCgroup(text)));
  return identity.kind === 'docker' ? identity.runtimeId : undefined;
}

/** The container's json-file log path, '' when it has none, undefined when unknown (yet). */
export async function dockerLogPath(
  docker: Pick<DockerDiscovery, 'lookup' | 'resolve'>,
  pids: readonly number[],
  procRoot = '/proc',
): Promise<string | undefined> {
  for (const pid of pids) {
    const id = await dockerIdOf(pid, procRoot);
    if (id === undefined) continue;
    // A container's log path never changes: what Docker said before will do (the registry keeps
    // the cache fresh). Asking Docker again for every container on every interval flooded the
    // daemon on busy nodes until its answers timed out and every name went unresolved.
    const container = docker.lookup(id) ?? (await docker.resolve(id));
    return container?.details.logPath;
  }
  return undefined;
}
