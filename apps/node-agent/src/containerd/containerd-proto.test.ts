/**
 * The hand-written containerd messages: requests byte for byte, and answers recorded from real
 * daemons (testdata/capture.ts: containerd 1.6 with the CRI plugin's labels, and Docker's
 * containerd), plus malformed input.
 */
import { readFileSync } from 'node:fs';
import { isDecodeError } from '@vigil/protocols';
import { describe, expect, it } from 'vitest';
import {
  decodeGetContainerResponse,
  decodeListContainersResponse,
  encodeGetContainerRequest,
  encodeListContainersRequest,
} from './containerd-proto.ts';

const fixture = (name: string): Buffer => readFileSync(new URL(`testdata/${name}`, import.meta.url));
const CRI_ID = 'c1'.repeat(32);
const SANDBOX_ID = '5b'.repeat(32);
const DOCKER_ID = '411cb19591a531732476eedaf32113578aa243ae3cc88d85bcddb671653dfaee';

describe('containerd requests', () => {
  it.each([
    ['an id', () => encodeGetContainerRequest('abc'), '0a03616263'],
    [
      'a 64-hex id (one-byte length)',
      () => encodeGetContainerRequest(CRI_ID),
      `0a40${Buffer.from(CRI_ID).toString('hex')}`,
    ],
    [
      'an id longer than 127 bytes (two-byte length)',
      () => encodeGetContainerRequest('x'.repeat(200)),
      `0ac801${'78'.repeat(200)}`,
    ],
    ['a non-ASCII id, by UTF-8 length', () => encodeGetContainerRequest('é'), '0a02c3a9'],
    ['no filters (an empty message)', () => encodeListContainersRequest(), ''],
    ['two filters, one field each', () => encodeListContainersRequest(['a', 'bc']), '0a01610a026263'],
  ])('encodes %s', (_what, encode, hex) => {
    expect(encode().toString('hex')).toBe(hex);
  });
});

describe('containerd answers recorded from real daemons', () => {
  it('reads a CRI container’s id, kubelet labels, image and runtime, skipping its spec', () => {
    expect(decodeGetContainerResponse(fixture('get-cri-container.bin'))).toEqual({
      id: CRI_ID,
      labels: {
        'io.kubernetes.pod.namespace': 'shop',
        'io.kubernetes.pod.name': 'cart-7d9f8b6c5d-x2x9z',
        'io.kubernetes.container.name': 'cart',
        'io.cri-containerd.kind': 'container',
        // containerd copies the image's stop signal into a label of its own
        'io.containerd.image.config.stop-signal': 'SIGTERM',
      },
      image: 'docker.io/vigil-test/busybox:1',
      runtime: 'io.containerd.runc.v2',
    });
  });

  it('reads every container of a List, the sandbox too', () => {
    const containers = decodeListContainersResponse(fixture('list-k8s.bin'));
    expect(containers.map((c) => [c.id, c.labels['io.cri-containerd.kind']])).toEqual([
      [SANDBOX_ID, 'sandbox'],
      [CRI_ID, 'container'],
    ]);
  });

  it('reads a Docker container from Docker’s containerd: no labels of Docker’s and no image', () => {
    const container = decodeGetContainerResponse(fixture('get-docker.bin'));
    expect(container).toEqual({
      id: DOCKER_ID,
      labels: { 'com.docker/engine.bundle.path': `/var/run/docker/containerd/${DOCKER_ID}` },
      image: '',
      runtime: 'io.containerd.runc.v2',
    });
  });

  it('keeps a label named __proto__ as a label', () => {
    // map entry { key "__proto__", value "x" } inside Container { labels = 2 }
    const entry = Buffer.concat([
      Buffer.from([0x0a, 9]),
      Buffer.from('__proto__'),
      Buffer.from([0x12, 1, 0x78]),
    ]);
    const container = Buffer.concat([Buffer.from([0x12, entry.length]), entry]);
    const labels = decodeGetContainerResponse(
      Buffer.concat([Buffer.from([0x0a, container.length]), container]),
    )!.labels;
    expect(Object.keys(labels)).toEqual(['__proto__']);
    expect(labels['__proto__']).toBe('x');
  });

  it('answers undefined for a Get answer without a container', () => {
    expect(decodeGetContainerResponse(Buffer.alloc(0))).toBeUndefined();
  });
});

describe('malformed containerd answers', () => {
  const get = fixture('get-cri-container.bin');
  it.each([
    ['cut in the middle of the container', get.subarray(0, get.length >> 1), /exceeds/],
    ['cut inside a varint', Buffer.from([0x0a, 0x80]), /truncated varint/],
    ['a container whose length overruns the body', Buffer.from([0x0a, 0x05, 0x0a, 0x01]), /exceeds/],
    ['a label entry overrunning its container', Buffer.from([0x0a, 0x03, 0x12, 0x05, 0x0a]), /exceeds/],
    ['an invalid wire type', Buffer.from([0x0f]), /invalid wire type/],
  ])('rejects an answer %s with a DecodeError', (_what, body, message) => {
    let error: unknown;
    try {
      decodeGetContainerResponse(body);
    } catch (err) {
      error = err;
    }
    expect(isDecodeError(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });
});
