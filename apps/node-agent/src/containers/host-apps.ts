/**
 * Processes outside any container and any systemd unit become applications named after their
 * executable, `/host/<name>`, so that bare-metal databases and services (as on this project's
 * machines, where Postgres, MariaDB and Redis run as plain processes) appear on the service map.
 *
 * A process belongs to its parent's application when the parent is also a host process (not
 * init) and either runs the same executable (Postgres backends, nginx workers, forked Node
 * processes) or is itself a recognised application (a database server's helper scripts). Any
 * other process heads its own application. Two unrelated instances of one program share one
 * name, and so one application: the name is what an operator knows it by, and Coroot names
 * systemd services the same way (by unit, not by instance).
 */
import { commandName } from '../discovery/app-type.ts';

export interface HostProcess {
  readonly pid: number;
  readonly ppid: number;
  readonly comm: string;
  readonly cmdline: readonly string[];
  readonly exe: string | undefined;
  readonly appType: string | undefined;
  readonly identity: { readonly kind: string };
}

/** `/host/<name>` for `proc`, walking up through `parentOf` (undefined: parent unknown or gone). */
export function hostAppId(proc: HostProcess, parentOf: (pid: number) => HostProcess | undefined): string {
  let head = proc;
  for (let depth = 0; depth < 64; depth++) {
    if (head.ppid <= 1) break;
    const parent = parentOf(head.ppid);
    if (parent === undefined || parent.identity.kind !== 'host' || parent.ppid === 0) break;
    const sameProgram =
      (parent.exe !== undefined && parent.exe === head.exe) || programName(parent) === programName(head);
    if (!sameProgram && parent.appType === undefined) break;
    head = parent;
  }
  return `/host/${programName(head)}`;
}

/**
 * The program's name: argv[0]'s base name (what the program calls itself: Debian's
 * `redis-server` is a link to `redis-check-rdb`, and Postgres backends rename themselves
 * `postgres: …`), else the executable's, else `comm`.
 */
export function programName(proc: Pick<HostProcess, 'exe' | 'cmdline' | 'comm'>): string {
  const fromExe = proc.exe === undefined ? '' : commandName(proc.exe.replace(/ \(deleted\)$/, ''));
  // A login shell's argv[0] is `-bash`.
  const name = commandName((proc.cmdline[0] ?? '').replace(/^-+/, '')) || fromExe || proc.comm;
  return name.replace(/[^A-Za-z0-9._-]/g, '_') || 'unknown';
}
