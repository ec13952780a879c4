/**
 * The containerd client against Docker's own containerd (namespace `moby`), and against sockets
 * that fail the ways a node's can: absent, not a socket, a peer that never answers.
 */
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {
  dockerAvailable,
  ensureBusyboxImage,
  removeTestContainers,
  runContainer,
  serviceGate,
  makeTempDir,
} from '@vigil/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContainerdClient, ContainerdError, findContainerdSocket } from './containerd-client.ts';

const docker = serviceGate(
  'Docker',
  await dockerAvailable(),
  'start dockerd --bridge=none --iptables=false --ip-masq=false as .ci/run does',
);
/** dockerd runs its own containerd here unless pointed at the system's. */
const DOCKER_CONTAINERD = await findContainerdSocket([
  '/var/run/docker/containerd/containerd.sock',
  '/run/containerd/containerd.sock',
]);
const PREFIX = `vigil-ctrd-client-${process.pid}`;
const KUBELET_LABELS = {
  'io.kubernetes.pod.namespace': 'shop',
  'io.kubernetes.pod.name': 'cart-7d9f8b6c5d-x2x9z',
  'io.kubernetes.container.name': 'cart',
};

async function inTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const { dir, cleanup } = makeTempDir('vigil-ctrd-');
  try {
    await body(dir);
  } finally {
    cleanup();
  }
}

describe.runIf(docker)('ContainerdClient on Docker’s containerd', () => {
  const client = new ContainerdClient({ socketPath: DOCKER_CONTAINERD });
  let id = '';

  beforeAll(async () => {
    await ensureBusyboxImage();
    id = await runContainer({ name: `${PREFIX}-cart`, cmd: ['sleep', '300'], labels: KUBELET_LABELS });
  }, 120_000);
  afterAll(async () => {
    client.close();
    await removeTestContainers();
  });

  it('gets a Docker container by its id in namespace moby, without the labels Docker was given', async () => {
    const container = await client.getContainer('moby', id);
    expect(container?.id).toBe(id);
    expect(container?.runtime).toMatch(/^io\.containerd\./);
    // Docker keeps labels (and, with its own image store, the image) to itself: containerd only
    // hears where the bundle is. Kubelet labels on a Docker container are Docker's to tell.
    expect(container?.labels['com.docker/engine.bundle.path']).toMatch(new RegExp(`/${id}$`));
    expect(container?.labels['io.kubernetes.pod.name']).toBeUndefined();
    expect(container?.image).toBe('');
  });

  it('answers undefined for an id or a namespace containerd does not have', async () => {
    await expect(client.getContainer('moby', 'f'.repeat(64))).resolves.toBeUndefined();
    await expect(client.getContainer(`vigil-absent-${process.pid}`, id)).resolves.toBeUndefined();
  });

  it('lists the namespace’s containers, and none of a namespace that does not exist', async () => {
    const ids = (await client.listContainers('moby')).map((c) => c.id);
    expect(ids).toContain(id);
    const filtered = await client.listContainers('moby', [`id==${id}`]);
    expect(filtered.map((c) => c.id)).toEqual([id]);
    await expect(client.listContainers(`vigil-absent-${process.pid}`)).resolves.toEqual([]);
  });
});

describe('ContainerdClient on a socket that fails', () => {
  async function failure(client: ContainerdClient): Promise<ContainerdError> {
    try {
      await client.getContainer('k8s.io', 'a'.repeat(64));
    } catch (err) {
      if (err instanceof ContainerdError) return err;
      throw err;
    } finally {
      client.close();
    }
    throw new Error('the call succeeded');
  }

  it('says that the socket is missing, naming its path', async () => {
    await inTempDir(async (dir) => {
      const socketPath = path.join(dir, 'containerd.sock');
      const err = await failure(new ContainerdClient({ socketPath }));
      expect(err.reason).toBe('socket_missing');
      expect(err.message).toContain(`${socketPath} does not exist`);
    });
  });

  it('says that a path which is not a socket is unreachable', async () => {
    await inTempDir(async (dir) => {
      const socketPath = path.join(dir, 'containerd.sock');
      writeFileSync(socketPath, '');
      const err = await failure(new ContainerdClient({ socketPath }));
      expect(err.reason).toBe('unreachable');
      expect(err.message).toContain(`${socketPath} is not a socket`);
    });
  });

  it('gives up on a peer that accepts the connection and never answers, at the deadline', async () => {
    await inTempDir(async (dir) => {
      const socketPath = path.join(dir, 'stalled.sock');
      const held: net.Socket[] = [];
      const server = net.createServer((socket) => held.push(socket));
      await new Promise<void>((resolve) => server.listen(socketPath, resolve));
      try {
        const err = await failure(new ContainerdClient({ socketPath, timeoutMs: 300 }));
        expect(err.reason).toBe('timeout');
        expect(err.message).toContain('no answer within 300 ms');
        expect(held.length).toBeGreaterThan(0);
      } finally {
        for (const socket of held) socket.destroy();
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });
});

describe('findContainerdSocket', () => {
  it('picks the first candidate that is a socket, else the first candidate', async () => {
    await inTempDir(async (dir) => {
      const file = path.join(dir, 'file.sock');
      writeFileSync(file, '');
      const socketPath = path.join(dir, 'real.sock');
      const server = net.createServer();
      await new Promise<void>((resolve) => server.listen(socketPath, resolve));
      try {
        const absent = path.join(dir, 'absent.sock');
        expect(await findContainerdSocket([absent, file, socketPath])).toBe(socketPath);
        expect(await findContainerdSocket([absent, file])).toBe(absent);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });
});
