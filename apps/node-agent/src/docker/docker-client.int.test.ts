/**
 * The Docker client against the real daemon: busybox containers this file starts (host network,
 * a local image), inspected through the unix socket, and checked against what the kernel says
 * (the container's process's cgroup, its memory and CPU limits) and what the daemon writes (the
 * json-file log).
 */
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  BUSYBOX_IMAGE,
  dockerAvailable,
  ensureBusyboxImage,
  removeContainer,
  removeTestContainers,
  runContainer,
  serviceGate,
} from '@vigil/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { detectLayout, readContainerResources } from '../cgroups/container-resources.ts';
import { identifyCgroup } from '../discovery/cgroup-identity.ts';
import { identifyingPath, parseProcCgroup } from '../discovery/proc-cgroup.ts';
import { containerNames } from './container-names.ts';
import { DockerClient, DockerError } from './docker-client.ts';

const docker = serviceGate(
  'Docker',
  await dockerAvailable(),
  'start dockerd --bridge=none --iptables=false --ip-masq=false as .ci/run does',
);
const PREFIX = `vigil-dc-${process.pid}`;

describe.runIf(docker)('DockerClient on the real daemon', () => {
  const client = new DockerClient();

  beforeAll(() => ensureBusyboxImage(), 120_000);
  afterAll(async () => {
    client.close();
    await removeTestContainers();
  });

  it('inspects a running container: name, image, labels, its log file, and a pid in its cgroup', async () => {
    const name = `${PREFIX}-sleeper`;
    const id = await runContainer({
      name,
      cmd: ['sh', '-c', 'echo vigil-ready; exec sleep 300'],
      labels: { 'com.example.team': 'payments', 'com.example.tier': 'backend' },
      memory: '64m',
      cpus: 0.5,
    });
    const details = await client.inspectContainer(id);
    expect(details).toMatchObject({ id, name, image: BUSYBOX_IMAGE, running: true, restartCount: 0 });
    expect(details.labels).toMatchObject({
      'com.example.team': 'payments',
      'com.example.tier': 'backend',
      'vigil-test': '1',
    });
    expect(details.startedAtMs).toBeGreaterThan(Date.now() - 60_000);
    expect(details.startedAtMs).toBeLessThanOrEqual(Date.now());

    // The daemon writes the container's stdout to the json-file log at logPath.
    expect(details.logPath).toContain(id);
    await vi.waitFor(
      () => {
        expect(existsSync(details.logPath)).toBe(true);
        expect(readFileSync(details.logPath, 'utf8')).toContain('"log":"vigil-ready\\n"');
      },
      { timeout: 10_000, interval: 100 },
    );

    // The pid is the container's main process on the host: its cgroup path names the same id,
    // and that cgroup holds the limits the container was started with.
    expect(details.pid).toBeGreaterThan(1);
    const paths = parseProcCgroup(readFileSync(`/proc/${details.pid}/cgroup`, 'utf8'));
    expect(identifyCgroup(identifyingPath(paths))).toMatchObject({ kind: 'docker', runtimeId: id });
    const resources = await readContainerResources(paths, await detectLayout());
    expect(resources.memoryLimitBytes).toBe(64 * 1024 * 1024);
    expect(resources.cpuLimitCores).toBe(0.5);

    // By name too, and listed with the same facts.
    expect((await client.inspectContainer(name)).id).toBe(id);
    const listed = (await client.listContainers()).find((c) => c.id === id);
    expect(listed).toMatchObject({ id, name, image: BUSYBOX_IMAGE, running: true });
    expect(listed?.labels['com.example.team']).toBe('payments');
  });

  it('counts the restarts the daemon makes under a restart policy', async () => {
    const id = await runContainer({
      name: `${PREFIX}-crasher`,
      cmd: ['sh', '-c', 'sleep 1; exit 1'],
      restart: 'on-failure:20',
    });
    const first = await client.inspectContainer(id);
    // The daemon restarts it after 100 ms, then 200 ms, 400 ms…: two restarts within seconds.
    await vi.waitFor(
      async () => expect((await client.inspectContainer(id)).restartCount).toBeGreaterThanOrEqual(2),
      { timeout: 30_000, interval: 250 },
    );
    const later = await client.inspectContainer(id);
    expect(later.restartCount).toBeGreaterThan(first.restartCount);
  });

  it('lists stopped containers only when asked for all', async () => {
    const name = `${PREFIX}-done`;
    const id = await runContainer({ name, cmd: ['true'] });
    await vi.waitFor(async () => expect((await client.inspectContainer(id)).running).toBe(false), {
      timeout: 10_000,
      interval: 100,
    });
    expect((await client.listContainers()).some((c) => c.id === id)).toBe(false);
    expect((await client.listContainers({ all: true })).find((c) => c.id === id)).toMatchObject({
      name,
      running: false,
    });
    const stopped = await client.inspectContainer(id);
    expect(stopped.pid).toBe(0);
    expect(stopped.startedAtMs).toBeDefined();
  });

  it('names a container the kubelet would have made after its pod and workload', async () => {
    const id = await runContainer({
      name: `${PREFIX}-k8s_cart_cart-7d9f8b6c5d-x2x9z_shop`,
      cmd: ['sleep', '300'],
      labels: {
        'io.kubernetes.pod.namespace': 'shop',
        'io.kubernetes.pod.name': 'cart-7d9f8b6c5d-x2x9z',
        'io.kubernetes.container.name': 'cart',
        'io.kubernetes.pod.uid': '0b9c1c59-3f5a-4b8e-9d47-1f0e4c2a6b7d',
        'io.kubernetes.docker.type': 'container',
      },
    });
    expect(containerNames(await client.inspectContainer(id))).toEqual({
      containerId: '/k8s/shop/cart-7d9f8b6c5d-x2x9z/cart',
      appId: '/k8s/shop/cart',
    });
  });

  it('names a plain container /docker/<name>', async () => {
    const name = `${PREFIX}-plain`;
    const id = await runContainer({ name, cmd: ['sleep', '300'] });
    expect(containerNames(await client.inspectContainer(id))).toEqual({
      containerId: `/docker/${name}`,
      appId: `/docker/${name}`,
    });
    await removeContainer(name);
    const gone = await client.inspectContainer(id).catch((err: unknown) => err);
    expect(gone).toBeInstanceOf(DockerError);
    expect(gone).toMatchObject({ reason: 'not_found', status: 404 });
    expect((gone as Error).message).toContain(`No such container: ${id}`);
  });

  it('passes the daemon’s own message on with the HTTP status', async () => {
    const pinned = new DockerClient({ apiVersion: '9.99' });
    try {
      const err = await pinned.listContainers().catch((e: unknown) => e);
      expect(err).toMatchObject({ reason: 'http', status: 400 });
      expect((err as Error).message).toMatch(/answered 400: client version 9\.99 is too new/);
    } finally {
      pinned.close();
    }
  });
});

describe('DockerClient without a daemon', () => {
  it('says which socket is missing', async () => {
    const socketPath = path.join(tmpdir(), `vigil-no-docker-${process.pid}.sock`);
    const client = new DockerClient({ socketPath });
    const err = await client.inspectContainer('a'.repeat(64)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DockerError);
    expect(err).toMatchObject({ reason: 'socket_missing' });
    expect((err as Error).message).toContain(`Docker socket ${socketPath} does not exist`);
    client.close();
  });

  it('gives up on a socket that accepts but never answers, naming the timeout', async () => {
    const socketPath = path.join(tmpdir(), `vigil-silent-docker-${process.pid}.sock`);
    const held: net.Socket[] = [];
    const server = net.createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    const client = new DockerClient({ socketPath, timeoutMs: 300 });
    try {
      const err = await client.listContainers().catch((e: unknown) => e);
      expect(err).toMatchObject({ reason: 'timeout' });
      expect((err as Error).message).toContain('no complete answer within 300 ms');
      expect((err as Error).message).toContain(socketPath);
    } finally {
      client.close();
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
