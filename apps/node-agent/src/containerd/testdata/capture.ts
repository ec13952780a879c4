/**
 * Records the containerd answers containerd-proto.test.ts decodes, from real daemons, as the
 * raw gRPC message bytes (`npx tsx apps/node-agent/src/containerd/testdata/capture.ts`, as root
 * with Docker running):
 *
 * - get-cri-container.bin  Get, private containerd (testing/containerd-daemon.ts), namespace
 *                          k8s.io: a container created by ctr with the CRI plugin's labels
 * - list-k8s.bin           List in k8s.io: that container and a pod sandbox
 * - get-docker.bin         Get, Docker's own containerd, namespace moby: a Docker container
 *                          started with kubelet labels (Docker does not pass them on)
 *
 * Prints the ids the test expects.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Metadata, credentials } from '@grpc/grpc-js';
import { dockerCli, ensureBusyboxImage, removeContainer, runContainer } from '@vigil/testkit';
import { encodeGetContainerRequest, encodeListContainersRequest } from '../containerd-proto.ts';
import { CTR_BUSYBOX_IMAGE, startContainerd } from '../testing/containerd-daemon.ts';

const OUT = path.dirname(new URL(import.meta.url).pathname);
const DOCKER_CONTAINERD = '/var/run/docker/containerd/containerd.sock';
const CRI_ID = 'c1'.repeat(32);
const SANDBOX_ID = '5b'.repeat(32);

function raw(socketPath: string, method: string, namespace: string, request: Buffer): Promise<Buffer> {
  const client = new Client(`unix:${socketPath}`, credentials.createInsecure());
  const metadata = new Metadata();
  metadata.set('containerd-namespace', namespace);
  return new Promise<Buffer>((resolve, reject) => {
    client.makeUnaryRequest<Buffer, Buffer>(
      `/containerd.services.containers.v1.Containers/${method}`,
      (b) => b,
      (b) => b,
      request,
      metadata,
      (err, res) => (err === null && res !== undefined ? resolve(res) : reject(err)),
    );
  }).finally(() => client.close());
}

const POD = ['io.kubernetes.pod.namespace=shop', 'io.kubernetes.pod.name=cart-7d9f8b6c5d-x2x9z'];

await ensureBusyboxImage();
const daemon = await startContainerd();
try {
  await daemon.importBusybox('k8s.io');
  const label = (pairs: string[]): string[] => pairs.flatMap((p) => ['--label', p]);
  // prettier-ignore
  await daemon.ctr('k8s.io', [
    'containers', 'create',
    ...label([...POD, 'io.kubernetes.container.name=cart', 'io.cri-containerd.kind=container']),
    CTR_BUSYBOX_IMAGE, CRI_ID, 'sleep', '300',
  ]);
  // prettier-ignore
  await daemon.ctr('k8s.io', [
    'containers', 'create',
    ...label([...POD, 'io.cri-containerd.kind=sandbox']),
    CTR_BUSYBOX_IMAGE, SANDBOX_ID, 'sleep', '300',
  ]);
  const get = await raw(daemon.socketPath, 'Get', 'k8s.io', encodeGetContainerRequest(CRI_ID));
  writeFileSync(path.join(OUT, 'get-cri-container.bin'), get);
  const list = await raw(daemon.socketPath, 'List', 'k8s.io', encodeListContainersRequest());
  writeFileSync(path.join(OUT, 'list-k8s.bin'), list);
} finally {
  await daemon.stop();
}

const name = `vigil-containerd-capture-${process.pid}`;
try {
  const id = await runContainer({
    name,
    cmd: ['sleep', '300'],
    labels: { 'io.kubernetes.pod.namespace': 'shop', 'io.kubernetes.container.name': 'cart' },
  });
  const get = await raw(DOCKER_CONTAINERD, 'Get', 'moby', encodeGetContainerRequest(id));
  writeFileSync(path.join(OUT, 'get-docker.bin'), get);
  process.stdout.write(
    `docker container ${id}, Docker ${await dockerCli(['version', '-f', '{{.Server.Version}}'])}\n`,
  );
} finally {
  await removeContainer(name);
}
