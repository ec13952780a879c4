/**
 * Finds the JVMs among a container's processes and the hsperfdata file of each. A process is a
 * JVM when its `comm` is `java`; its file is `/tmp/hsperfdata_<user>/<pid>` as the JVM sees it,
 * which from the agent is `/proc/<pid>/root/tmp/hsperfdata_*\/<nspid>` (`nspid`: the pid in the
 * process's own pid namespace, the last `NSpid` in its status; on the host both are the same).
 * HotSpot on Linux always writes under /tmp, whatever `java.io.tmpdir` says.
 *
 * A process that is not (yet) a JVM, or a JVM started with `-XX:-UsePerfData` (no file), is
 * looked at again once a minute (the JVM every 15 s): an entrypoint script becomes `java` when
 * it execs it, and the file appears a moment after the JVM starts. Such a JVM reports nothing meanwhile.
 */
import { readdir, readFile } from 'node:fs/promises';

const RECHECK_COMM_MS = 60_000;
const RETRY_FILE_MS = 15_000;

export interface JvmProcess {
  readonly pid: number;
  readonly path: string;
}

interface PidState {
  isJava: boolean;
  path: string | undefined;
  /** When `comm` or the file was last looked at. */
  lookedAtMs: number;
}

export class JvmLocator {
  private readonly pids = new Map<number, PidState>();

  constructor(
    private readonly procRoot = '/proc',
    private readonly now: () => number = Date.now,
  ) {}

  /** The JVMs among `pids` with an hsperfdata file, located now or remembered from before. */
  async locate(pids: readonly number[]): Promise<JvmProcess[]> {
    const found: JvmProcess[] = [];
    for (const pid of pids) {
      let state = this.pids.get(pid);
      if (state === undefined) {
        state = { isJava: false, path: undefined, lookedAtMs: -Infinity };
        this.pids.set(pid, state);
      }
      const waitMs = state.isJava ? RETRY_FILE_MS : RECHECK_COMM_MS;
      if (state.path === undefined && this.now() - state.lookedAtMs >= waitMs) {
        // Looked at again now and then: an entrypoint script becomes `java` when it execs it.
        state.lookedAtMs = this.now();
        state.isJava = await this.isJava(pid);
        if (state.isJava) state.path = await this.findFile(pid);
      }
      if (state.path !== undefined) found.push({ pid, path: state.path });
    }
    return found;
  }

  /** The file went away (JVM exited or restarted under the same pid): look it up again. */
  forget(pid: number): void {
    this.pids.delete(pid);
  }

  /** Drops what is known about processes no longer listed. */
  retain(live: ReadonlySet<number>): void {
    for (const pid of this.pids.keys()) if (!live.has(pid)) this.pids.delete(pid);
  }

  private async isJava(pid: number): Promise<boolean> {
    const comm = await readFile(`${this.procRoot}/${pid}/comm`, 'utf8').catch(() => '');
    return comm.trim() === 'java';
  }

  private async findFile(pid: number): Promise<string | undefined> {
    const status = await readFile(`${this.procRoot}/${pid}/status`, 'utf8').catch(() => '');
    const nspid = /^NSpid:\s*(.*)$/m.exec(status)?.[1]?.trim().split(/\s+/).at(-1) ?? String(pid);
    const tmp = `${this.procRoot}/${pid}/root/tmp`;
    const dirs = await readdir(tmp).catch(() => [] as string[]);
    for (const dir of dirs) {
      if (!dir.startsWith('hsperfdata_')) continue;
      const files = await readdir(`${tmp}/${dir}`).catch(() => [] as string[]);
      if (files.includes(nspid)) return `${tmp}/${dir}/${nspid}`;
    }
    return undefined;
  }
}
