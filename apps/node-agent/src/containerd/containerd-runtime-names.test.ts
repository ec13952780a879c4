import { describe, expect, it } from 'vitest';
import type { CgroupIdentity } from '../discovery/cgroup-identity.ts';
import type { RuntimeContainer, RuntimeNames } from '../containers/runtime-names.ts';
import { CombinedRuntimeNames } from './combined-runtime-names.ts';
import { nameOf } from './containerd-runtime-names.ts';

const ID = 'ab12'.repeat(16);
const IMAGE = 'registry.k8s.io/pause:3.9';
const NOW_MS = Date.UTC(2026, 10, 26, 12, 0);
const minute = Math.floor(NOW_MS / 60_000);
const pod = (name: string, container?: string): Record<string, string> => ({
  'io.kubernetes.pod.namespace': 'shop',
  'io.kubernetes.pod.name': name,
  ...(container === undefined ? {} : { 'io.kubernetes.container.name': container }),
});

describe('naming a containerd container from its labels', () => {
  // prettier-ignore
  it.each<[string, Record<string, string>, string, RuntimeContainer | 'skip']>([
    ['a Deployment’s pod container', { ...pod('cart-7d9f8b6c5d-x2x9z', 'cart'), 'io.cri-containerd.kind': 'container' }, IMAGE,
      { containerId: '/k8s/shop/cart-7d9f8b6c5d-x2x9z/cart', appId: '/k8s/shop/cart', image: IMAGE }],
    ['a StatefulSet’s pod container', pod('db-0', 'postgres'), IMAGE,
      { containerId: '/k8s/shop/db-0/postgres', appId: '/k8s/shop/db', image: IMAGE }],
    ['a recent CronJob run', pod(`backup-${minute}-q7k4m`, 'job'), IMAGE,
      { containerId: '/k8s-cronjob/shop/backup/job', appId: '/k8s-cronjob/shop/backup', image: IMAGE }],
    ['a pod’s sandbox', { ...pod('cart-7d9f8b6c5d-x2x9z'), 'io.cri-containerd.kind': 'sandbox' }, IMAGE, 'skip'],
    ['a sandbox without pod labels', { 'io.cri-containerd.kind': 'sandbox' }, IMAGE, 'skip'],
    ['a pod container without a container name', pod('cart-7d9f8b6c5d-x2x9z'), IMAGE, 'skip'],
    ['a Swarm task', { 'com.docker.swarm.task.name': 'web.1.abc', 'com.docker.swarm.service.name': 'web' }, IMAGE,
      { containerId: '/swarm/_/web/1', appId: '/swarm/_/web', image: IMAGE }],
    ['a container of ctr or nerdctl', { 'nerdctl/name': 'adhoc' }, IMAGE,
      { containerId: `/containerd/${ID.slice(0, 12)}`, appId: `/containerd/${ID.slice(0, 12)}`, image: IMAGE }],
    ['a container without an image (Docker’s, asked of its containerd)', {}, '',
      { containerId: `/containerd/${ID.slice(0, 12)}`, appId: `/containerd/${ID.slice(0, 12)}` }],
  ])('%s', (_what, labels, image, expected) => {
    expect(nameOf({ id: ID, labels, image, runtime: 'io.containerd.runc.v2' }, NOW_MS)).toEqual(expected);
  });
});

/** A runtime that knows some ids, and counts what it was asked. */
function source(known: Record<string, RuntimeContainer | 'skip'>): RuntimeNames & { asked: number } {
  const answer = (identity: CgroupIdentity): RuntimeContainer | 'skip' | undefined => {
    out.asked++;
    return known[identity.runtimeId ?? ''];
  };
  const out = { asked: 0, resolve: (i: CgroupIdentity) => Promise.resolve(answer(i)), lookup: answer };
  return out;
}

describe('CombinedRuntimeNames', () => {
  const web = { containerId: '/docker/web', appId: '/docker/web' };
  const cart = { containerId: '/k8s/shop/cart-0/cart', appId: '/k8s/shop/cart' };

  it('takes the first answer, a skip included, and asks the next source only when the first does not know', async () => {
    const docker = source({ a: web, p: 'skip', both: web });
    const containerd = source({ c: cart, p: cart, both: cart });
    const names = new CombinedRuntimeNames([docker, containerd]);
    await expect(names.resolve({ kind: 'cri', runtimeId: 'a' })).resolves.toBe(web);
    await expect(names.resolve({ kind: 'cri', runtimeId: 'p' })).resolves.toBe('skip');
    await expect(names.resolve({ kind: 'cri', runtimeId: 'both' })).resolves.toBe(web);
    expect(containerd.asked).toBe(0);
    await expect(names.resolve({ kind: 'cri', runtimeId: 'c' })).resolves.toBe(cart);
    expect(names.lookup({ kind: 'cri', runtimeId: 'c' })).toBe(cart);
    expect(names.lookup({ kind: 'cri', runtimeId: 'none' })).toBeUndefined();
    expect([docker.asked, containerd.asked]).toEqual([6, 3]);
  });
});
