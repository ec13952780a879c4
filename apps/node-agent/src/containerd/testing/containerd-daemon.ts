/**
 * A private containerd for tests: the real `containerd` binary with its own root, state and
 * socket in a temporary directory (its CRI plugin off), driven with the real `ctr`. Containers
 * are created in any namespace with the labels the kubelet's CRI plugin would set, and tasks run
 * in the cgroup the kubelet would give them (`/kubepods/besteffort/pod<uid>/<id>`, cgroupfs
 * driver), so the agent's cgroup parsing sees them as Kubernetes containers. `stop()` removes
 * those pod cgroups, and `/kubepods` itself when nothing else is left in it (on a machine without
 * a kubelet, which is where these tests run).
 *
 * Docker's own containerd cannot serve here: Docker does not copy container labels to it.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  rmdirSync,
  writeFileSync,
} from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { BUSYBOX_IMAGE, dockerCli } from '@vigil/testkit';

const run = promisify(execFile);

/** The busybox test image as containerd names it after `ctr images import`. */
export const CTR_BUSYBOX_IMAGE = `docker.io/${BUSYBOX_IMAGE}`;

export interface ContainerdDaemon {
  readonly socketPath: string;
  /** A new pod's cgroup path for container `id`, as the kubelet's cgroupfs driver names it. */
  kubeletCgroup(id: string): string;
  /** Runs `ctr --address <socket> -n <namespace> <args>`; resolves to its trimmed stdout. */
  ctr(namespace: string, args: readonly string[]): Promise<string>;
  /** Imports the testkit's busybox image (from Docker) into `namespace`. */
  importBusybox(namespace: string): Promise<void>;
  /** Removes every task and container, stops the daemon, removes its cgroups and files. */
  stop(): Promise<void>;
}

/** Whether `containerd` and `ctr` are installed and this process is root (runc needs it). */
export async function containerdUsable(): Promise<boolean> {
  if (process.getuid?.() !== 0) return false;
  try {
    await run('containerd', ['--version']);
    await run('ctr', ['--version']);
    return true;
  } catch {
    return false;
  }
}

export async function startContainerd(): Promise<ContainerdDaemon> {
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-containerd-'));
  const socketPath = path.join(dir, 'containerd.sock');
  const config = path.join(dir, 'config.toml');
  writeFileSync(
    config,
    [
      'version = 2',
      `root = "${dir}/root"`,
      `state = "${dir}/state"`,
      'disabled_plugins = ["io.containerd.grpc.v1.cri"]',
      '[grpc]',
      `  address = "${socketPath}"`,
      '[ttrpc]',
      `  address = "${socketPath}.ttrpc"`,
      '',
    ].join('\n'),
  );
  const log = path.join(dir, 'containerd.log');
  const out = openSync(log, 'a');
  const daemon = spawn('containerd', ['--config', config], { stdio: ['ignore', out, out] });
  const exited = new Promise<void>((resolve) => daemon.once('exit', () => resolve()));
  const ctr = async (namespace: string, args: readonly string[]): Promise<string> => {
    try {
      const { stdout } = await run('ctr', ['--address', socketPath, '-n', namespace, ...args], {
        timeout: 60_000,
      });
      return stdout.trim();
    } catch (err) {
      const stderr = (err as { stderr?: string }).stderr?.trim();
      throw new Error(`ctr -n ${namespace} ${args.join(' ')} failed${stderr ? `: ${stderr}` : ''}`, {
        cause: err,
      });
    }
  };
  await waitForSocket(socketPath, daemon, log);
  const pods: string[] = [];
  return {
    socketPath,
    kubeletCgroup(id) {
      const pod = `/kubepods/besteffort/pod${randomUUID()}`;
      pods.push(pod);
      return `${pod}/${id}`;
    },
    ctr,
    async importBusybox(namespace) {
      const tarball = path.join(dir, 'busybox.tar');
      if (!existsSync(tarball)) await dockerCli(['save', '-o', tarball, BUSYBOX_IMAGE]);
      await ctr(namespace, ['images', 'import', tarball]);
    },
    async stop() {
      try {
        await removeEverything(ctr);
      } finally {
        daemon.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
        if (daemon.exitCode === null && daemon.signalCode === null) daemon.kill('SIGKILL');
        removeCgroups(pods);
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

async function waitForSocket(socketPath: string, daemon: ChildProcess, log: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!existsSync(socketPath)) {
    if (daemon.exitCode !== null || Date.now() > deadline) {
      daemon.kill('SIGKILL');
      throw new Error(`containerd did not start: ${readFileSync(log, 'utf8').slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function removeEverything(ctr: ContainerdDaemon['ctr']): Promise<void> {
  const namespaces = (await ctr('default', ['namespaces', 'ls', '-q'])).split('\n').filter((n) => n !== '');
  for (const namespace of namespaces) {
    const tasks = (await ctr(namespace, ['tasks', 'ls', '-q'])).split('\n').filter((t) => t !== '');
    for (const task of tasks) await ctr(namespace, ['tasks', 'delete', '--force', task]);
    const containers = (await ctr(namespace, ['containers', 'ls', '-q'])).split('\n').filter((c) => c !== '');
    if (containers.length > 0) await ctr(namespace, ['containers', 'delete', ...containers]);
  }
}

/**
 * The test's pod cgroups with whatever is below them, in every hierarchy (v1, hybrid, v2); then
 * `/kubepods/besteffort` and `/kubepods` only if empty (rmdir removes nothing else), so a real
 * kubelet's hierarchy is never touched. cgroup directories go only by rmdir, children first.
 */
function removeCgroups(pods: readonly string[]): void {
  const roots = ['/sys/fs/cgroup', ...readdirSync('/sys/fs/cgroup').map((d) => `/sys/fs/cgroup/${d}`)];
  for (const root of roots) {
    for (const pod of pods) removeTree(path.join(root, pod));
    for (const parent of ['/kubepods/besteffort', '/kubepods']) {
      try {
        rmdirSync(path.join(root, parent));
      } catch {
        // absent, or holds other pods
      }
    }
  }
}

function removeTree(dir: string): void {
  let children;
  try {
    children = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const child of children) if (child.isDirectory()) removeTree(path.join(dir, child.name));
  try {
    rmdirSync(dir);
  } catch {
    // not empty (another pod's), or still in use: left alone
  }
}
