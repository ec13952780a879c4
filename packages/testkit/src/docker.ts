/**
 * Real Docker containers for tests, through the docker CLI. No registry is reachable on the
 * project's machines, so the one image is made locally from the static busybox
 * (`busybox-static`): a root filesystem of `/bin/busybox` and a symlink per applet, imported as
 * `vigil-test/busybox:1`. Containers always run with `--network host` (the daemon runs with
 * `--bridge=none`) and carry `vigil-test=1` plus the creating process's pid, so a test file
 * can remove exactly what it made even while other test files run containers too.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const DOCKER_BIN = process.env.VIGIL_DOCKER_BIN ?? 'docker';
export const BUSYBOX_IMAGE = 'vigil-test/busybox:1';
const BUSYBOX_BIN = process.env.VIGIL_BUSYBOX_BIN ?? '/bin/busybox';
/** Label on every container these helpers start. */
export const TEST_LABEL = 'vigil-test';
/** Label holding the pid of the test process that started the container. */
export const TEST_OWNER_LABEL = 'vigil-test.pid';

async function docker(args: readonly string[], timeoutMs = 60_000): Promise<string> {
  try {
    const { stdout } = await run(DOCKER_BIN, [...args], { timeout: timeoutMs, maxBuffer: 16 << 20 });
    return stdout.trim();
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim();
    throw new Error(`docker ${args.join(' ')} failed${stderr ? `: ${stderr}` : ''}`, { cause: err });
  }
}

/** Whether the docker CLI reaches a daemon (`docker info` succeeds). */
export async function dockerAvailable(): Promise<boolean> {
  try {
    await docker(['info', '--format', '{{.ServerVersion}}'], 15_000);
    return true;
  } catch {
    return false;
  }
}

async function imageExists(image: string): Promise<boolean> {
  try {
    await docker(['image', 'inspect', '--format', '{{.Id}}', image], 15_000);
    return true;
  } catch {
    return false;
  }
}

/**
 * Imports {@link BUSYBOX_IMAGE} unless it exists. Test files run in parallel processes and may
 * all call this at once: a lock directory (mkdir is atomic) lets one process import while the
 * others wait for the image; a lock older than two minutes is taken to be left by a killed
 * process and is broken. Without the lock, two imports would both succeed and leave a dangling
 * image behind.
 */
export async function ensureBusyboxImage(): Promise<void> {
  await ensureImage(BUSYBOX_IMAGE, 'busybox', importBusybox);
}

/**
 * `vigil-test/node:<version>`: the busybox root filesystem plus this machine's Node.js binary
 * and the shared libraries it links (read with ldd), so a container can run a Node script (with
 * node_modules mounted in) without a registry.
 */
export const NODE_IMAGE = `vigil-test/node:${process.version}`;

export async function ensureNodeImage(): Promise<void> {
  await ensureImage(NODE_IMAGE, 'node', importNode);
}

async function ensureImage(image: string, lockName: string, build: () => Promise<void>): Promise<void> {
  if (await imageExists(image)) return;
  const lock = path.join(tmpdir(), `vigil-test-${lockName}-image.lock`);
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (tryLock(lock)) break;
    if (await imageExists(image)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock} (another test importing?)`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  try {
    if (!(await imageExists(image))) await build();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

async function importNode(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'vigil-node-image-'));
  try {
    const root = path.join(work, 'rootfs');
    await busyboxRoot(root);
    const { stdout } = await run('ldd', [process.execPath]);
    const files = [process.execPath, ...[...stdout.matchAll(/(\/\S+) \(0x/g)].map((m) => m[1]!)];
    for (const file of files) {
      const target = path.join(root, file);
      mkdirSync(path.dirname(target), { recursive: true });
      copyFileSync(file, target);
    }
    const tarball = path.join(work, 'rootfs.tar');
    await run('tar', ['-C', root, '-cf', tarball, '.']);
    await docker(
      ['import', '--change', `ENV PATH=${path.dirname(process.execPath)}:/bin`, tarball, NODE_IMAGE],
      180_000,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function tryLock(lock: string): boolean {
  try {
    mkdirSync(lock);
    return true;
  } catch {
    try {
      if (Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
    } catch {
      // removed meanwhile: the next round takes it
    }
    return false;
  }
}

/** A root filesystem of the static busybox and a symlink per applet, in `root`. */
async function busyboxRoot(root: string): Promise<void> {
  for (const dir of ['bin', 'etc', 'tmp', 'root', 'proc', 'sys', 'dev']) {
    mkdirSync(path.join(root, dir), { recursive: true });
  }
  copyFileSync(BUSYBOX_BIN, path.join(root, 'bin', 'busybox'));
  const { stdout } = await run(BUSYBOX_BIN, ['--list']);
  for (const applet of stdout.split('\n')) {
    if (applet === '' || applet === 'busybox' || applet.includes('/')) continue;
    symlinkSync('busybox', path.join(root, 'bin', applet));
  }
}

async function importBusybox(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'vigil-busybox-'));
  try {
    const root = path.join(work, 'rootfs');
    await busyboxRoot(root);
    const tarball = path.join(work, 'rootfs.tar');
    await run('tar', ['-C', root, '-cf', tarball, '.']);
    await docker(['import', tarball, BUSYBOX_IMAGE], 120_000);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export interface RunContainerOptions {
  /** Unique per test file, e.g. `vigil-docker-client-${process.pid}`. */
  readonly name: string;
  /** Command and arguments, run by busybox, e.g. `['sleep', '300']`. */
  readonly cmd: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  /** `--cpus`, e.g. 0.5. */
  readonly cpus?: number;
  /** `--memory`, e.g. '64m'. */
  readonly memory?: string;
  /** `--restart`, e.g. 'on-failure:5' or 'always'. */
  readonly restart?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Defaults to {@link BUSYBOX_IMAGE} (call {@link ensureBusyboxImage} first). */
  readonly image?: string;
  /** Host paths mounted read-only: `{ '/host/dir': '/in/container' }`. */
  readonly readOnlyMounts?: Readonly<Record<string, string>>;
}

/** Starts a detached container on the host network; resolves to its 64-hex id. */
export async function runContainer(options: RunContainerOptions): Promise<string> {
  const args = ['run', '-d', '--name', options.name, '--network', 'host'];
  args.push('--label', `${TEST_LABEL}=1`, '--label', `${TEST_OWNER_LABEL}=${process.pid}`);
  for (const [key, value] of Object.entries(options.labels ?? {})) args.push('--label', `${key}=${value}`);
  for (const [key, value] of Object.entries(options.env ?? {})) args.push('--env', `${key}=${value}`);
  if (options.cpus !== undefined) args.push('--cpus', String(options.cpus));
  if (options.memory !== undefined) args.push('--memory', options.memory);
  if (options.restart !== undefined) args.push('--restart', options.restart);
  for (const [host, inside] of Object.entries(options.readOnlyMounts ?? {}))
    args.push('-v', `${host}:${inside}:ro`);
  args.push(options.image ?? BUSYBOX_IMAGE, ...options.cmd);
  const id = await docker(args);
  if (!/^[0-9a-f]{64}$/.test(id)) throw new Error(`docker run printed no container id: ${id}`);
  return id;
}

/** Removes a container (running or not); a container that does not exist is not an error. */
export async function removeContainer(name: string): Promise<void> {
  try {
    await docker(['rm', '-f', '--volumes', name]);
  } catch (err) {
    if (!/No such container/i.test(String((err as Error).message))) throw err;
  }
}

/**
 * Removes containers these helpers started: by default only this process's (safe in a test
 * file's afterAll while other test files run); `{ allProcesses: true }` removes every
 * container labelled `vigil-test=1` (for a CI cleanup step when no tests run).
 */
export async function removeTestContainers(options: { allProcesses?: boolean } = {}): Promise<void> {
  const filter = options.allProcesses ? `label=${TEST_LABEL}=1` : `label=${TEST_OWNER_LABEL}=${process.pid}`;
  const ids = (await docker(['ps', '-aq', '--filter', filter])).split('\n').filter((id) => id !== '');
  if (ids.length > 0) await docker(['rm', '-f', '--volumes', ...ids]);
}

/** Runs `docker <args>` and returns its trimmed stdout (for what the helpers above do not cover). */
export function dockerCli(args: readonly string[], timeoutMs?: number): Promise<string> {
  return docker(args, timeoutMs);
}
