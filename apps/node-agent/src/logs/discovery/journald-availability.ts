/**
 * Whether journald's entries can be followed here: `journalctl` must run and journald must be
 * writing a journal (its socket, or journal files under /run/log/journal or /var/log/journal).
 * The answer is the reason when not, for the agent's log and `/health`.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const JOURNAL_DIRS = ['/run/log/journal', '/var/log/journal'];
const JOURNALD_SOCKET = '/run/systemd/journal/socket';

/** Where journald is looked for (tests point it at their own directories). */
export interface JournaldLocations {
  readonly journalctl?: string;
  readonly journalDirs?: readonly string[];
  readonly socket?: string;
}

/** undefined when journald can be followed, else why not. */
export async function journaldUnavailable(where: JournaldLocations = {}): Promise<string | undefined> {
  const journalctl = where.journalctl ?? 'journalctl';
  const dirs = where.journalDirs ?? JOURNAL_DIRS;
  const socket = where.socket ?? JOURNALD_SOCKET;
  const runs = await new Promise<boolean>((resolve) => {
    execFile(journalctl, ['--version'], { timeout: 5000 }, (err) => resolve(err === null));
  });
  if (!runs) return `${journalctl} is not installed or does not run`;
  const hasJournal =
    existsSync(socket) ||
    dirs.some((dir) => {
      try {
        return readdirSync(dir).length > 0;
      } catch {
        return false;
      }
    });
  if (!hasJournal) {
    return `journald is not running: no ${socket} and no journal files in ${dirs.join(' or ')}`;
  }
  return undefined;
}
