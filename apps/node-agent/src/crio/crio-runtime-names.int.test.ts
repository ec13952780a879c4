/**
 * CRI-O naming, through the agent's real path as far as it can run here: a process moved into a
 * cgroup shaped as CRI-O makes them (`…/kubepods-besteffort-pod<uid>.slice/crio-<id>.scope`, in
 * the v2 hierarchy), identified from its /proc/<pid>/cgroup, named by CrioRuntimeNames through
 * CrioClient over a unix socket. CRI-O itself cannot run here (Debian does not package it), so
 * the socket is served by a stand-in that answers `GET /containers/<id>` with the JSON of CRI-O's
 * `ContainerInfo` (field names from cri-o `pkg/types/types.go`; label and annotation keys as the
 * kubelet and CRI-O set them), and 404 for other ids, as CRI-O does.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { makeTempDir } from '@vigil/testkit';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { identifyCgroup } from '../discovery/cgroup-identity.ts';
import { identifyingPath, parseProcCgroup } from '../discovery/proc-cgroup.ts';
import { CrioClient, CrioError } from './crio-client.ts';
import { CrioRuntimeNames } from './crio-runtime-names.ts';

const APP = randomBytes(32).toString('hex');
const SANDBOX = randomBytes(32).toString('hex');
const PLAIN = randomBytes(32).toString('hex');

/** What the stand-in knows, as CRI-O's ContainerInfo. */
const CONTAINERS: Record<string, object> = {
  [APP]: {
    name: 'k8s_api_checkout-7d9f8b6c5-x2x9q_shop_1f0e…_0',
    pid: 4242,
    image: 'registry.example/shop/checkout:1.4.2',
    image_ref: 'registry.example/shop/checkout@sha256:0d1f',
    created_time: 1764190000000000000,
    labels: {
      'io.kubernetes.container.name': 'api',
      'io.kubernetes.pod.name': 'checkout-7d9f8b6c5-x2x9q',
      'io.kubernetes.pod.namespace': 'shop',
      'io.kubernetes.pod.uid': '1f0e8d7c-0000-4000-8000-000000000001',
    },
    annotations: {
      'io.kubernetes.cri-o.ContainerType': 'container',
      'io.kubernetes.container.restartCount': '0',
    },
    crio_annotations: {},
    log_path: '/var/log/pods/shop_checkout-7d9f8b6c5-x2x9q_1f0e/api/0.log',
    root: '/var/lib/containers/storage/overlay/abc/merged',
    sandbox: SANDBOX,
    ip_addresses: ['10.85.0.12'],
  },
  [SANDBOX]: {
    name: 'k8s_POD_checkout-7d9f8b6c5-x2x9q_shop_1f0e…_0',
    pid: 4200,
    image: 'registry.k8s.io/pause:3.9',
    labels: {
      'io.kubernetes.pod.name': 'checkout-7d9f8b6c5-x2x9q',
      'io.kubernetes.pod.namespace': 'shop',
      'io.kubernetes.container.name': 'POD',
    },
    annotations: { 'io.kubernetes.cri-o.ContainerType': 'sandbox' },
    log_path: '',
    sandbox: SANDBOX,
    ip_addresses: ['10.85.0.12'],
  },
  [PLAIN]: { name: 'standalone', pid: 4300, image: 'busybox', labels: {}, annotations: {}, log_path: '' },
};

let server: Server;
let socket: string;
let requests = 0;
let cleanupDir: () => void;

beforeAll(async () => {
  const tmp = makeTempDir('vigil-crio');
  cleanupDir = tmp.cleanup;
  socket = path.join(tmp.dir, 'crio.sock');
  server = createServer((req, res) => {
    requests++;
    const id = /^\/containers\/([0-9a-f]+)$/.exec(req.url ?? '')?.[1];
    const info = id === undefined ? undefined : CONTAINERS[id];
    if (req.method !== 'GET' || info === undefined) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`can't find the container with id ${id}\n`);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(info));
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  cleanupDir?.();
});

describe('CrioClient', () => {
  it('reads a container from the inspect endpoint; an unknown id is undefined', async () => {
    const client = new CrioClient(socket);
    const app = await client.container(APP);
    expect(app).toMatchObject({
      image: 'registry.example/shop/checkout:1.4.2',
      labels: { 'io.kubernetes.pod.namespace': 'shop', 'io.kubernetes.container.name': 'api' },
      logPath: '/var/log/pods/shop_checkout-7d9f8b6c5-x2x9q_1f0e/api/0.log',
    });
    await expect(client.container('f'.repeat(64))).resolves.toBeUndefined();
  });

  it('says the socket is missing when there is none', async () => {
    const err = await new CrioClient(`${socket}.absent`).container(APP).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrioError);
    expect((err as CrioError).reason).toBe('socket_missing');
  });
});

describe('CrioRuntimeNames', () => {
  it('names kubelet containers /k8s/<ns>/<pod>/<container>, skips infra containers, caches', async () => {
    const names = new CrioRuntimeNames(new CrioClient(socket));
    const before = requests;
    await expect(names.resolve({ kind: 'crio', runtimeId: APP })).resolves.toEqual({
      containerId: '/k8s/shop/checkout-7d9f8b6c5-x2x9q/api',
      appId: '/k8s/shop/checkout',
      image: 'registry.example/shop/checkout:1.4.2',
    });
    await expect(names.resolve({ kind: 'crio', runtimeId: SANDBOX })).resolves.toBe('skip');
    await expect(names.resolve({ kind: 'crio', runtimeId: PLAIN })).resolves.toEqual({
      containerId: `/crio/${PLAIN.slice(0, 12)}`,
      appId: `/crio/${PLAIN.slice(0, 12)}`,
      image: 'busybox',
    });
    expect(requests - before).toBe(3);
    // Cached: no request; another runtime's kind: not asked.
    expect(names.lookup({ kind: 'crio', runtimeId: APP })).toMatchObject({ appId: '/k8s/shop/checkout' });
    await expect(names.resolve({ kind: 'docker', runtimeId: APP })).resolves.toBeUndefined();
    expect(requests - before).toBe(3);
    expect(names.status()).toEqual({ state: 'available', available: true });
  });

  it('names a real process in a cgroup shaped as CRI-O makes them', async () => {
    const v2 = ['/sys/fs/cgroup/unified', '/sys/fs/cgroup'].find((d) => existsSync(`${d}/cgroup.procs`));
    if (v2 === undefined || process.getuid?.() !== 0) {
      process.stdout.write('[skip] needs root and a cgroup v2 hierarchy\n');
      return;
    }
    const pod = `${v2}/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${randomUUID().replaceAll('-', '_')}.slice`;
    const scope = `${pod}/crio-${APP}.scope`;
    mkdirSync(scope, { recursive: true });
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    onTestFinished(() => {
      child.kill('SIGKILL');
      for (const dir of [scope, pod, path.dirname(pod), path.dirname(path.dirname(pod))]) {
        try {
          rmdirSync(dir);
        } catch {
          // still in use (the process is leaving) or shared
        }
      }
    });
    writeFileSync(`${scope}/cgroup.procs`, String(child.pid));
    const identity = identifyCgroup(
      identifyingPath(parseProcCgroup(readFileSync(`/proc/${child.pid}/cgroup`, 'utf8'))),
    );
    expect(identity).toMatchObject({ kind: 'crio', runtimeId: APP });
    const names = new CrioRuntimeNames(new CrioClient(socket));
    await expect(names.resolve(identity)).resolves.toMatchObject({
      containerId: '/k8s/shop/checkout-7d9f8b6c5-x2x9q/api',
      appId: '/k8s/shop/checkout',
    });
  });
});
