/**
 * containerd runtime names on real daemons: a private containerd holding containers with the
 * CRI plugin's labels (one of them a running task in a kubelet-shaped cgroup, found through its
 * process as the registry finds it), Docker's containerd, and a socket that is not there (then
 * is). Docker and containerd together through CombinedRuntimeNames.
 */
import { readFileSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import {
  dockerAvailable,
  ensureBusyboxImage,
  makeTempDir,
  removeTestContainers,
  runContainer,
  serviceGate,
} from '@vigil/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CgroupIdentity } from '../discovery/cgroup-identity.ts';
import { identifyCgroup } from '../discovery/cgroup-identity.ts';
import { identifyingPath, parseProcCgroup } from '../discovery/proc-cgroup.ts';
import { DockerClient } from '../docker/docker-client.ts';
import { DockerDiscovery, type DiscoveryLogger } from '../docker/docker-discovery.ts';
import { DockerRuntimeNames } from '../docker/docker-runtime-names.ts';
import { CombinedRuntimeNames } from './combined-runtime-names.ts';
import { ContainerdClient, findContainerdSocket } from './containerd-client.ts';
import { ContainerdRuntimeNames } from './containerd-runtime-names.ts';
import {
  CTR_BUSYBOX_IMAGE,
  containerdUsable,
  startContainerd,
  type ContainerdDaemon,
} from './testing/containerd-daemon.ts';

const ready = serviceGate(
  'containerd with Docker',
  (await containerdUsable()) && (await dockerAvailable()),
  'needs root, the containerd and ctr binaries, and dockerd (for the busybox image) started with --bridge=none --iptables=false --ip-masq=false',
);
const PREFIX = `vigil-ctrd-names-${process.pid}`;
const POD = { 'io.kubernetes.pod.namespace': 'shop', 'io.kubernetes.pod.name': 'cart-7d9f8b6c5d-x2x9z' };

let seq = 0;
/** A fresh 64-hex id, unique to this process. */
function newId(): string {
  seq++;
  return `${process.pid.toString(16).padStart(8, '0')}${seq.toString(16).padStart(8, '0')}`.repeat(4);
}

const labelArgs = (labels: Record<string, string>): string[] =>
  Object.entries(labels).flatMap(([key, value]) => ['--label', `${key}=${value}`]);

function capturingLogger(): DiscoveryLogger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (_obj, msg) => lines.push(`info ${msg ?? ''}`),
    warn: (_obj, msg) => lines.push(`warn ${msg ?? ''}`),
  };
}

/** The identity as the agent gets it: from the process's cgroup, not from containerd. */
function identityOfPid(pid: number): CgroupIdentity {
  return identifyCgroup(identifyingPath(parseProcCgroup(readFileSync(`/proc/${pid}/cgroup`, 'utf8'))));
}

describe.runIf(ready)('ContainerdRuntimeNames on a real containerd', () => {
  let daemon: ContainerdDaemon;
  let client: ContainerdClient;

  beforeAll(async () => {
    await ensureBusyboxImage();
    daemon = await startContainerd();
    client = new ContainerdClient({ socketPath: daemon.socketPath });
    await daemon.importBusybox('k8s.io');
    await daemon.importBusybox('default');
  }, 120_000);
  afterAll(async () => {
    client?.close();
    await daemon?.stop();
  });

  /** A container as the CRI plugin creates it (metadata only, no task). */
  async function create(namespace: string, labels: Record<string, string>): Promise<string> {
    const id = newId();
    await daemon.ctr(namespace, [
      'containers',
      'create',
      ...labelArgs(labels),
      CTR_BUSYBOX_IMAGE,
      id,
      'sleep',
      '300',
    ]);
    return id;
  }

  it('names a running pod container found through its process: /k8s/<ns>/<pod>/<container>, one Get for many callers', async () => {
    const id = newId();
    const pidFile = path.join(makeTempDir('vigil-ctrd-pid-').dir, 'pid');
    // prettier-ignore
    await daemon.ctr('k8s.io', [
      'run', '-d', '--cgroup', daemon.kubeletCgroup(id), '--pid-file', pidFile,
      ...labelArgs({ ...POD, 'io.kubernetes.container.name': 'cart', 'io.cri-containerd.kind': 'container' }),
      CTR_BUSYBOX_IMAGE, id, 'sleep', '300',
    ]);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    rmSync(path.dirname(pidFile), { recursive: true, force: true });
    const identity = identityOfPid(pid);
    expect(identity).toMatchObject({ kind: 'cri', runtimeId: id });

    const names = new ContainerdRuntimeNames({ api: client });
    const answers = await Promise.all(Array.from({ length: 20 }, () => names.resolve(identity)));
    for (const answer of answers) {
      expect(answer).toEqual({
        containerId: '/k8s/shop/cart-7d9f8b6c5d-x2x9z/cart',
        appId: '/k8s/shop/cart',
        image: CTR_BUSYBOX_IMAGE,
      });
    }
    expect(names.stats()).toEqual({ gets: 1, cached: 1 });
    expect(names.lookup(identity)).toEqual(answers[0]);
    expect(names.stats().gets).toBe(1);
    expect(names.status()).toEqual({ state: 'available', available: true });
  });

  it('skips a pod’s sandbox', async () => {
    const id = await create('k8s.io', { ...POD, 'io.cri-containerd.kind': 'sandbox' });
    const names = new ContainerdRuntimeNames({ api: client });
    await expect(names.resolve({ kind: 'containerd', runtimeId: id })).resolves.toBe('skip');
  });

  it('answers a lookup of a new id on a later call, without waiting in the first', async () => {
    const id = await create('k8s.io', { ...POD, 'io.kubernetes.container.name': 'sidecar' });
    const names = new ContainerdRuntimeNames({ api: client });
    const identity: CgroupIdentity = { kind: 'containerd', runtimeId: id };
    expect(names.lookup(identity)).toBeUndefined();
    await vi.waitFor(() =>
      expect(names.lookup(identity)).toMatchObject({
        containerId: '/k8s/shop/cart-7d9f8b6c5d-x2x9z/sidecar',
      }),
    );
    expect(names.stats().gets).toBe(1);
  });

  it('looks in k8s.io, moby and default in turn, or only where configured', async () => {
    const id = await create('default', { 'nerdctl/name': 'adhoc' });
    const identity: CgroupIdentity = { kind: 'containerd', runtimeId: id };
    const names = new ContainerdRuntimeNames({ api: client });
    // Without kubelet labels containerd knows no name: the registry's provisional one, with the image.
    await expect(names.resolve(identity)).resolves.toEqual({
      containerId: `/containerd/${id.slice(0, 12)}`,
      appId: `/containerd/${id.slice(0, 12)}`,
      image: CTR_BUSYBOX_IMAGE,
    });
    expect(names.stats().gets).toBe(3);

    const k8sOnly = new ContainerdRuntimeNames({ api: client, namespaces: ['k8s.io'] });
    await expect(k8sOnly.resolve(identity)).resolves.toBeUndefined();
  });

  it('answers undefined for an id no namespace has, and does not ask again at once', async () => {
    const names = new ContainerdRuntimeNames({ api: client });
    const identity: CgroupIdentity = { kind: 'cri', runtimeId: newId() };
    await expect(names.resolve(identity)).resolves.toBeUndefined();
    expect(names.stats().gets).toBe(3);
    await expect(names.resolve(identity)).resolves.toBeUndefined();
    expect(names.lookup(identity)).toBeUndefined();
    expect(names.stats().gets).toBe(3);
  });

  it('leaves Docker’s containers and other kinds to others, without asking', async () => {
    const id = await create('k8s.io', { ...POD, 'io.kubernetes.container.name': 'cart' });
    const names = new ContainerdRuntimeNames({ api: client });
    await expect(names.resolve({ kind: 'docker', runtimeId: id })).resolves.toBeUndefined();
    await expect(names.resolve({ kind: 'crio', runtimeId: id })).resolves.toBeUndefined();
    await expect(names.resolve({ kind: 'containerd', runtimeId: 'not-hex' })).resolves.toBeUndefined();
    expect(names.stats().gets).toBe(0);
  });

  it('re-asks a stale entry in the background, and forgets a container that is gone', async () => {
    let nowMs = 1_000_000;
    const id = await create('k8s.io', { ...POD, 'io.kubernetes.container.name': 'cart' });
    const identity: CgroupIdentity = { kind: 'containerd', runtimeId: id };
    const names = new ContainerdRuntimeNames({ api: client, maxAgeMs: 1000, now: () => nowMs });
    const first = await names.resolve(identity);
    expect(first).toMatchObject({ containerId: '/k8s/shop/cart-7d9f8b6c5d-x2x9z/cart' });
    await daemon.ctr('k8s.io', ['containers', 'delete', id]);
    nowMs += 2000;
    // Stale: the cached name at once, while containerd is asked again.
    await expect(names.resolve(identity)).resolves.toEqual(first);
    await names.shutdown();
    expect(names.stats()).toEqual({ gets: 4, cached: 0 });
    await expect(names.resolve(identity)).resolves.toBeUndefined();
  });

  it('drops entries no one has looked up for idleMs', async () => {
    let nowMs = 1_000_000;
    const labels = { ...POD, 'io.kubernetes.container.name': 'cart' };
    const [gone, kept] = [await create('k8s.io', labels), await create('k8s.io', labels)];
    const names = new ContainerdRuntimeNames({ api: client, idleMs: 10_000, now: () => nowMs });
    await names.resolve({ kind: 'containerd', runtimeId: gone });
    nowMs += 6_000;
    await names.resolve({ kind: 'containerd', runtimeId: kept });
    expect(names.stats().cached).toBe(2);
    nowMs += 6_000; // `gone` unused for 12 s, `kept` for 6 s
    expect(names.lookup({ kind: 'containerd', runtimeId: kept })).toMatchObject({ appId: '/k8s/shop/cart' });
    expect(names.stats().cached).toBe(1);
  });

  it('degrades silently when the socket is missing, warns once, and recovers when it appears', async () => {
    const { dir, cleanup } = makeTempDir('vigil-ctrd-sock-');
    const socketPath = path.join(dir, 'containerd.sock');
    const away = new ContainerdClient({ socketPath });
    try {
      let nowMs = 1_000_000;
      const logger = capturingLogger();
      const names = new ContainerdRuntimeNames({ api: away, logger, retryMs: 30_000, now: () => nowMs });
      const id = await create('k8s.io', { ...POD, 'io.kubernetes.container.name': 'cart' });
      const identity: CgroupIdentity = { kind: 'containerd', runtimeId: id };

      await expect(names.resolve(identity)).resolves.toBeUndefined();
      expect(names.status()).toMatchObject({ state: 'unavailable', available: false });
      expect(names.status().reason).toContain(`${socketPath} does not exist`);
      // Within retryMs nothing is asked, whichever id.
      await expect(names.resolve({ kind: 'cri', runtimeId: newId() })).resolves.toBeUndefined();
      expect(names.lookup(identity)).toBeUndefined();
      expect(names.stats().gets).toBe(1);
      expect(logger.lines).toEqual([expect.stringMatching(/^warn containerd metadata unavailable/)]);

      // containerd appears at the path (here: a link to the private daemon's socket).
      symlinkSync(daemon.socketPath, socketPath);
      await vi.waitFor(
        async () => {
          nowMs += 30_001;
          expect(await names.resolve(identity)).toMatchObject({ appId: '/k8s/shop/cart' });
        },
        { timeout: 15_000, interval: 200 },
      );
      expect(names.status()).toEqual({ state: 'available', available: true });
      expect(logger.lines).toEqual([
        expect.stringMatching(/^warn containerd metadata unavailable/),
        'info containerd API reachable again',
      ]);
    } finally {
      away.close();
      cleanup();
    }
  });
});

describe.runIf(ready)('Docker and containerd together', () => {
  let daemon: ContainerdDaemon;
  let client: ContainerdClient;
  const dockerClient = new DockerClient();

  beforeAll(async () => {
    await ensureBusyboxImage();
    daemon = await startContainerd();
    client = new ContainerdClient({ socketPath: daemon.socketPath });
    await daemon.importBusybox('k8s.io');
  }, 120_000);
  afterAll(async () => {
    client?.close();
    dockerClient.close();
    await daemon?.stop();
    await removeTestContainers();
  });

  it('names Docker’s containers by Docker and the kubelet’s by containerd', async () => {
    const name = `${PREFIX}-web`;
    const dockerId = await runContainer({ name, cmd: ['sleep', '300'] });
    const criId = newId();
    // prettier-ignore
    await daemon.ctr('k8s.io', [
      'containers', 'create',
      ...labelArgs({ ...POD, 'io.kubernetes.container.name': 'cart', 'io.cri-containerd.kind': 'container' }),
      CTR_BUSYBOX_IMAGE, criId, 'sleep', '300',
    ]);
    const docker = new DockerDiscovery({ api: dockerClient });
    const containerd = new ContainerdRuntimeNames({ api: client });
    const names = new CombinedRuntimeNames([new DockerRuntimeNames(docker), containerd]);

    await expect(names.resolve({ kind: 'docker', runtimeId: dockerId })).resolves.toMatchObject({
      containerId: `/docker/${name}`,
    });
    // A bare id under kubepods could be either's: Docker answers 404, containerd knows it.
    await expect(names.resolve({ kind: 'cri', runtimeId: criId })).resolves.toMatchObject({
      containerId: '/k8s/shop/cart-7d9f8b6c5d-x2x9z/cart',
    });
    await expect(names.resolve({ kind: 'containerd', runtimeId: criId })).resolves.toMatchObject({
      appId: '/k8s/shop/cart',
    });
    await expect(names.resolve({ kind: 'cri', runtimeId: newId() })).resolves.toBeUndefined();
    expect(names.lookup({ kind: 'cri', runtimeId: criId })).toMatchObject({ appId: '/k8s/shop/cart' });
    await docker.shutdown();
  });

  it('gives a Docker container asked of Docker’s containerd only its provisional name: Docker keeps the labels', async () => {
    const id = await runContainer({
      name: `${PREFIX}-k8s`,
      cmd: ['sleep', '300'],
      labels: { ...POD, 'io.kubernetes.container.name': 'cart' },
    });
    const socketPath = await findContainerdSocket([
      '/var/run/docker/containerd/containerd.sock',
      '/run/containerd/containerd.sock',
    ]);
    const dockers = new ContainerdClient({ socketPath });
    try {
      const names = new ContainerdRuntimeNames({ api: dockers });
      await expect(names.resolve({ kind: 'cri', runtimeId: id })).resolves.toEqual({
        containerId: `/containerd/${id.slice(0, 12)}`,
        appId: `/containerd/${id.slice(0, 12)}`,
      });
      expect(names.stats().gets).toBe(2); // k8s.io, then moby
    } finally {
      dockers.close();
    }
  });
});
