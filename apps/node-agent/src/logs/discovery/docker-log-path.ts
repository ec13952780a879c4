/**
 * The json-file log of a Docker container: Docker's inspect answer (through the discovery cache)
 * gives `LogPath` for the container's id. Containers with another log driver have no path ('').
 */
import type { DockerDiscovery } from '../../docker/docker-discovery.ts';

/** The container's json-file log path, '' when it has none, undefined when unknown (yet). */
export async function dockerLogPath(
  docker: Pick<DockerDiscovery, 'lookup' | 'resolve'>,
  dockerId: string | undefined,
): Promise<string | undefined> {
  if (dockerId === undefined) return undefined;
  // A container's log path never changes: what Docker said before will do (the registry keeps
  // the cache fresh). Asking Docker again for every container on every interval flooded the
  // daemon on busy nodes until its answers timed out and every name went unresolved.
  const container = docker.lookup(dockerId) ?? (await docker.resolve(dockerId));
  return container?.details.logPath;
}
