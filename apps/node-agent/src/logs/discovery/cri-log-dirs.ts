/**
 * Kubelet's container logs: `/var/log/pods/<namespace>_<pod>_<uid>/<container>/<restart>.log`,
 * written by the runtime in the CRI format. The directory names give Coroot's container id
 * `/k8s/<namespace>/<pod>/<container>`; the newest run's file is the one with the highest number.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';

export const DEFAULT_PODS_LOG_DIR = '/var/log/pods';

/** Container id → the log file of its current run, for every container under `podsDir`. */
export async function findCriLogFiles(podsDir = DEFAULT_PODS_LOG_DIR): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const podDir of await list(podsDir)) {
    // <namespace>_<pod>_<uid>: namespaces and pod names have no '_' (DNS labels), the uid none.
    const parts = podDir.split('_');
    if (parts.length !== 3) continue;
    const [namespace, pod] = parts as [string, string, string];
    for (const container of await list(path.join(podsDir, podDir))) {
      const dir = path.join(podsDir, podDir, container);
      let newest = -1;
      for (const file of await list(dir)) {
        const match = /^(\d+)\.log$/.exec(file);
        if (match) newest = Math.max(newest, Number(match[1]));
      }
      if (newest >= 0) out.set(`/k8s/${namespace}/${pod}/${container}`, path.join(dir, `${newest}.log`));
    }
  }
  return out;
}

async function list(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}
