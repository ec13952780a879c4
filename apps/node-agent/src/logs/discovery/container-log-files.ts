/**
 * The log files of one container: its runtime's log of stdout/stderr (Docker's json-file
 * `LogPath`, or the CRI file of its current run under /var/log/pods) and the /var/log files its
 * processes hold open for writing. Each has a key that stays the same while it is the same file.
 */
import { stat } from 'node:fs/promises';
import type { DockerDiscovery } from '../../docker/docker-discovery.ts';
import type { LogFileFormat } from '../sources/tailed-source.ts';
import { dockerLogPath } from './docker-log-path.ts';
import type { LogContainer } from './log-container.ts';
import type { OpenLogFilesCache } from './open-log-files.ts';

export interface WantedLogFile {
  /** `runtime:<path>` or `file:<path as the process sees it>`. */
  readonly key: string;
  /** Where the agent opens it. */
  readonly path: string;
  readonly format: LogFileFormat;
  /** The `source` label: `stdout/stderr`, or the path as the process sees it. */
  readonly source: string;
}

export interface ContainerLogFiles {
  readonly files: WantedLogFile[];
  /**
   * Whether the runtime's log is known for sure (found, or known not to exist). False while
   * Docker does not answer: a runtime log followed already is then kept, not closed.
   */
  readonly runtimeKnown: boolean;
}

export interface LogFileContext {
  /** Container id → CRI log file of its current run (cri-log-dirs.ts). */
  readonly cri: ReadonlyMap<string, string>;
  readonly docker: Pick<DockerDiscovery, 'lookup' | 'resolve'> | undefined;
  readonly procRoot: string;
  /** Which /var/log files each process holds open for writing. */
  readonly openFiles: OpenLogFilesCache;
}

export async function containerLogFiles(
  container: LogContainer,
  context: LogFileContext,
): Promise<ContainerLogFiles> {
  const files: WantedLogFile[] = [];
  let runtimeKnown = true;
  const criPath = context.cri.get(container.id);
  if (criPath !== undefined) {
    files.push({ key: `runtime:${criPath}`, path: criPath, format: 'cri', source: 'stdout/stderr' });
  } else if (container.kind === 'docker' && context.docker !== undefined) {
    const logPath = await dockerLogPath(context.docker, container.runtimeId);
    if (logPath === undefined) runtimeKnown = false;
    else if (logPath !== '') {
      files.push({
        key: `runtime:${logPath}`,
        path: logPath,
        format: 'docker-json',
        source: 'stdout/stderr',
      });
    }
  }
  const seen = new Set<string>();
  for (const pid of container.pids) {
    for (const file of context.openFiles.filesOf(pid, context.procRoot)) {
      if (seen.has(file)) continue;
      seen.add(file);
      files.push({
        key: `file:${file}`,
        path: await readablePath(pid, file, context.procRoot),
        format: 'plain',
        source: file,
      });
    }
  }
  return { files, runtimeKnown };
}

/** `path` as the agent can open it: through the process's root when it has its own. */
async function readablePath(pid: number, path: string, procRoot: string): Promise<string> {
  try {
    const [theirs, ours] = await Promise.all([stat(`${procRoot}/${pid}/root/`), stat('/')]);
    if (theirs.dev === ours.dev && theirs.ino === ours.ino) return path;
  } catch {
    return path;
  }
  return `${procRoot}/${pid}/root${path}`;
}
