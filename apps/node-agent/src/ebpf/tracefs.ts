/**
 * bpftrace attaches tracepoints through tracefs, which is mounted at `/sys/kernel/tracing` (or
 * under debugfs at `/sys/kernel/debug/tracing`). Minimal hosts and containers often have
 * neither; as root the agent mounts them. Which tracepoints exist decides which probes the
 * program may use (`sock:sock_send_length` came with Linux 6.2, for example).
 */
import { execFile } from 'node:child_process';
import { access, readdir } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

const TRACEFS_DIRS = ['/sys/kernel/tracing', '/sys/kernel/debug/tracing'];

/** The tracefs directory with an `events/` folder, or undefined. */
export async function findTracefs(dirs: readonly string[] = TRACEFS_DIRS): Promise<string | undefined> {
  for (const dir of dirs) {
    try {
      await access(`${dir}/events`);
      return dir;
    } catch {
      // not mounted here
    }
  }
  return undefined;
}

/**
 * Mounts tracefs (and debugfs, which older bpftrace versions look under) when neither shows
 * `events/`. Returns the directory, or an error message saying what failed.
 */
export async function ensureTracefs(): Promise<{ dir: string } | { error: string }> {
  const found = await findTracefs();
  if (found !== undefined) return { dir: found };
  const errors: string[] = [];
  for (const [type, target] of [
    ['tracefs', '/sys/kernel/tracing'],
    ['debugfs', '/sys/kernel/debug'],
  ] as const) {
    try {
      await run('mount', ['-t', type, 'nodev', target], { timeout: 5000 });
    } catch (err) {
      errors.push(
        `mount -t ${type} ${target}: ${(err as { stderr?: string }).stderr?.trim() || (err as Error).message}`,
      );
    }
  }
  const after = await findTracefs();
  return after !== undefined
    ? { dir: after }
    : { error: `tracefs is not mounted and mounting it failed (${errors.join('; ')})` };
}

/** `category:name` of every tracepoint under `<tracefs>/events`. */
export async function listTracepoints(tracefs: string): Promise<Set<string>> {
  const out = new Set<string>();
  for (const category of await readdir(`${tracefs}/events`, { withFileTypes: true })) {
    if (!category.isDirectory()) continue;
    const names = await readdir(`${tracefs}/events/${category.name}`, { withFileTypes: true }).catch(
      () => [],
    );
    for (const name of names) if (name.isDirectory()) out.add(`${category.name}:${name.name}`);
  }
  return out;
}
