/**
 * The discovery cache on the real daemon: ids from containers this file starts, found the way
 * the collection loop finds them (a process's cgroup path), and a socket that is not there.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  dockerAvailable,
  dockerCli,
  ensureBusyboxImage,
  removeContainer,
  removeTestContainers,
  runContainer,
  serviceGate,
} from '@vigil/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { identifyCgroup } from '../discovery/cgroup-identity.ts';
import { identifyingPath, parseProcCgroup } from '../discovery/proc-cgroup.ts';
import { DockerClient } from './docker-client.ts';
import { DockerDiscovery, type DiscoveryLogger } from './docker-discovery.ts';

const docker = serviceGate(
  'Docker',
  await dockerAvailable(),
  'start dockerd --bridge=none --iptables=false --ip-masq=false as .ci/run does',
);
const PREFIX = `vigil-dd-${process.pid}`;

function capturingLogger(): DiscoveryLogger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (_obj, msg) => lines.push(`info ${msg ?? ''}`),
    warn: (_obj, msg) => lines.push(`warn ${msg ?? ''}`),
  };
}

/** The runtime id as the agent gets it: from the process's cgroup, not from Docker. */
function runtimeIdOfPid(pid: number): string | undefined {
  const paths = parseProcCgroup(readFileSync(`/proc/${pid}/cgroup`, 'utf8'));
  return identifyCgroup(identifyingPath(paths)).runtimeId;
}

describe.runIf(docker)('DockerDiscovery on the real daemon', () => {
  const client = new DockerClient();

  beforeAll(() => ensureBusyboxImage(), 120_000);
  afterAll(async () => {
    client.close();
    await removeTestContainers();
  });

  it('resolves a cgroup’s container id to its metadata and names, with one inspect for many callers', async () => {
    const name = `${PREFIX}-web`;
    const id = await runContainer({ name, cmd: ['sleep', '300'] });
    const pid = Number(await dockerCli(['inspect', '--format', '{{.State.Pid}}', id]));
    const runtimeId = runtimeIdOfPid(pid);
    expect(runtimeId).toBe(id);

    const discovery = new DockerDiscovery({ api: client });
    const results = await Promise.all(Array.from({ length: 20 }, () => discovery.resolve(runtimeId!)));
    expect(discovery.stats().inspects).toBe(1);
    for (const found of results) {
      expect(found?.details).toMatchObject({ id, name, pid, running: true });
      expect(found?.names).toEqual({ containerId: `/docker/${name}`, appId: `/docker/${name}` });
    }
    expect(discovery.status()).toEqual({ state: 'available', available: true });
    // Cached now: no further request.
    expect(discovery.lookup(id)?.details.id).toBe(id);
    expect(discovery.stats().inspects).toBe(1);
    await discovery.shutdown();
  });

  it('answers a lookup of a new id on a later call, without waiting in the first', async () => {
    const id = await runContainer({ name: `${PREFIX}-late`, cmd: ['sleep', '300'] });
    const discovery = new DockerDiscovery({ api: client });
    expect(discovery.lookup(id)).toBeUndefined();
    expect(discovery.lookup(id)).toBeUndefined(); // still the same inspect in flight
    await vi.waitFor(() => expect(discovery.lookup(id)?.details.id).toBe(id), {
      timeout: 5000,
      interval: 20,
    });
    expect(discovery.stats().inspects).toBe(1);
    await discovery.shutdown();
  });

  it('re-inspects entries older than maxAgeMs, so the restart count stays current', async () => {
    const name = `${PREFIX}-restarted`;
    const id = await runContainer({ name, cmd: ['sh', '-c', 'sleep 1; exit 3'], restart: 'always' });
    const discovery = new DockerDiscovery({ api: client, maxAgeMs: 0 });
    const before = await discovery.resolve(id);
    await vi.waitFor(
      async () =>
        expect((await discovery.resolve(id))?.details.restartCount).toBeGreaterThan(
          before!.details.restartCount,
        ),
      { timeout: 30_000, interval: 250 },
    );
    await discovery.shutdown();
  });

  it('forgets removed containers at the next list, and does not re-ask about ids Docker does not know', async () => {
    const name = `${PREFIX}-removed`;
    const id = await runContainer({ name, cmd: ['sleep', '300'] });
    const discovery = new DockerDiscovery({ api: client, listIntervalMs: 60_000 });
    await discovery.start();
    expect((await discovery.resolve(id))?.details.name).toBe(name);
    expect(discovery.stats().cached).toBe(1);

    await removeContainer(name);
    await discovery.refresh();
    expect(discovery.stats().cached).toBe(0);

    // A containerd or CRI-O id under kubepods: Docker answers 404 once, then it is not asked again
    // until a list shows that id.
    const foreign = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    const inspects = discovery.stats().inspects;
    expect(await discovery.resolve(foreign)).toBeUndefined();
    expect(await discovery.resolve(foreign)).toBeUndefined();
    expect(discovery.lookup(foreign)).toBeUndefined();
    expect(discovery.stats().inspects).toBe(inspects + 1);
    // Not a container id at all: never sent to the daemon.
    expect(await discovery.resolve('../../info')).toBeUndefined();
    expect(discovery.stats().inspects).toBe(inspects + 1);
    expect(discovery.status().available).toBe(true);
    await discovery.shutdown();
  });

  it('leaves the pause container of a pod unnamed', async () => {
    const id = await runContainer({
      name: `${PREFIX}-k8s_POD_cart-7d9f8b6c5d-x2x9z_shop`,
      cmd: ['sleep', '300'],
      labels: {
        'io.kubernetes.pod.namespace': 'shop',
        'io.kubernetes.pod.name': 'cart-7d9f8b6c5d-x2x9z',
        'io.kubernetes.container.name': 'POD',
        'io.kubernetes.docker.type': 'podsandbox',
      },
    });
    const discovery = new DockerDiscovery({ api: client });
    const found = await discovery.resolve(id);
    expect(found?.details.id).toBe(id);
    expect(found?.names).toBeUndefined();
    await discovery.shutdown();
  });
});

describe('DockerDiscovery without a daemon', () => {
  it('reports unavailable once with the socket path, never throws, and stops asking per lookup', async () => {
    const socketPath = path.join(tmpdir(), `vigil-no-docker-${process.pid}.sock`);
    const logger = capturingLogger();
    const api = new DockerClient({ socketPath });
    const discovery = new DockerDiscovery({ api, logger, listIntervalMs: 60_000 });
    expect(discovery.status()).toMatchObject({ state: 'unknown', available: false });
    await discovery.start();
    const id = 'c'.repeat(64);
    expect(await discovery.resolve(id)).toBeUndefined();
    for (let i = 0; i < 10; i++) expect(discovery.lookup(id)).toBeUndefined();
    await discovery.refresh();

    const status = discovery.status();
    expect(status).toMatchObject({ state: 'unavailable', available: false });
    expect(status.reason).toContain(`Docker socket ${socketPath} does not exist`);
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toMatch(/^warn Docker metadata unavailable.*does not exist/);
    // The list at start() failed, so lookups did not each try the socket.
    expect(discovery.stats()).toMatchObject({ inspects: 0, lists: 2 });
    await discovery.shutdown();
    api.close();
  });
});
