import { describe, expect, it } from 'vitest';
import { containerNames, workloadOfPod, type PodNameShape } from './container-names.ts';

const NOW = Date.UTC(2026, 0, 15, 12, 0);
const MINUTE = NOW / 60_000; // 29474640: how a CronJob names the Job it starts at NOW

describe('workloadOfPod', () => {
  it.each<[string, string, PodNameShape]>([
    // Deployments: <name>-<pod-template-hash>-<random>
    ['cart-7d9f8b6c5d-x2x9z', 'cart', 'deployment'],
    ['coredns-5d78c9869d-8wq2k', 'coredns', 'deployment'],
    ['nginx-deployment-66b6c48dd5-4jw2n', 'nginx-deployment', 'deployment'],
    ['metrics-server-6756d4f7b6-kq5fz', 'metrics-server', 'deployment'],
    ['worker-2-5c689d88bb-n9tqv', 'worker-2', 'deployment'],
    ['api-v2-7f8c9d6b4-zz2mx', 'api-v2', 'deployment'], // a 9-character hash
    ['legacy-2035384211-r7k4p', 'legacy', 'deployment'], // Kubernetes < 1.8: decimal hash
    ['web-bff-8fdb6cc49c-lrvwq', 'web-bff', 'deployment'],
    // CronJob pods scheduled near now: <cronjob>-<minute>-<random>
    [`backup-${MINUTE}-q7k4m`, 'backup', 'cronjob'],
    [`db-report-nightly-${MINUTE - 6 * 24 * 60}-h2b8x`, 'db-report-nightly', 'cronjob'],
    // … a timestamp more than a week away is not trusted; it still reads as a hash
    [`backup-${MINUTE - 8 * 24 * 60}-q7k4m`, 'backup', 'deployment'],
    // StatefulSets: <name>-<ordinal>
    ['postgres-0', 'postgres', 'statefulset'],
    ['kafka-broker-12', 'kafka-broker', 'statefulset'],
    ['redis-node-2', 'redis-node', 'statefulset'],
    ['web-10000', 'web', 'statefulset'],
    // DaemonSets, Jobs, bare ReplicaSets: <owner>-<random>
    ['fluent-bit-x2x9z', 'fluent-bit', 'generated'],
    ['kube-proxy-7q5dl', 'kube-proxy', 'generated'],
    ['calico-node-4bxzf', 'calico-node', 'generated'],
    ['db-migrate-v42-kd9t2', 'db-migrate-v42', 'generated'],
    ['app-cafe-x7z2k', 'app-cafe', 'generated'], // 'cafe' has vowels: not a template hash
    ['db-24567', 'db', 'statefulset'], // or an all-digit random suffix: the same name either way
    ['db-zzzzz-bcdfg', 'db-zzzzz', 'generated'],
  ])('%s → %s (%s)', (pod, name, shape) => {
    expect(workloadOfPod(pod, NOW)).toEqual({ name, shape });
  });

  it.each([
    'debug',
    'nginx',
    'redis-cache', // a word: vowels never occur in random suffixes
    'api-gateway',
    'my-app-v2',
    'frontend-abcde',
    'etcd-node1',
    'kube-apiserver-control-plane',
    'etcd-ip-10-0-1-23.ec2.internal',
    'db-01', // ordinals have no leading zero
    'job-123456', // six digits: neither an ordinal nor a 5-character suffix
    'cart-7d9f8b6c5d', // a hash with no random part: someone named it so
    'web-bff',
    'x2x9z',
  ])('%s is its own workload', (pod) => {
    expect(workloadOfPod(pod, NOW)).toEqual({ name: pod, shape: 'pod' });
  });

  it('reads a generateName cut at 58 characters as the owner without the partial hash', () => {
    const deployment = 'payments-reconciliation-worker-eu-west-1-primary'; // 48 characters
    const rsBase = `${deployment}-5c689d88bb-`.slice(0, 58); // the hash loses its last chars and the '-'
    const pod = `${rsBase}x2x9z`;
    expect(pod).toHaveLength(63);
    expect(workloadOfPod(pod, NOW)).toEqual({ name: deployment, shape: 'truncated' });
    // every pod of that ReplicaSet, and of the next one, gets the same name
    const next = `${`${deployment}-7d9f8b6c5d-`.slice(0, 58)}q7k4m`;
    expect(workloadOfPod(next, NOW).name).toBe(deployment);
  });

  it('keeps a generateName cut exactly at its dash as an ordinary generated name', () => {
    const owner = 'a'.repeat(57);
    expect(workloadOfPod(`${owner}-x2x9z`, NOW)).toEqual({ name: owner, shape: 'generated' });
  });
});

describe('containerNames', () => {
  const k8s = (pod: string, container: string, extra: Record<string, string> = {}) => ({
    name: `k8s_${container}_${pod}_shop_0b9c1c59-3f5a-4b8e-9d47-1f0e4c2a6b7d_0`,
    labels: {
      'io.kubernetes.pod.namespace': 'shop',
      'io.kubernetes.pod.name': pod,
      'io.kubernetes.container.name': container,
      'io.kubernetes.pod.uid': '0b9c1c59-3f5a-4b8e-9d47-1f0e4c2a6b7d',
      ...extra,
    },
  });

  it('names a plain Docker container after itself, as app and container', () => {
    expect(containerNames({ name: 'billing-db', labels: { 'com.example': 'x' } }, NOW)).toEqual({
      containerId: '/docker/billing-db',
      appId: '/docker/billing-db',
    });
  });

  it('keeps compose replicas apart, as Coroot does', () => {
    const labels = { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'web' };
    expect(containerNames({ name: 'shop-web-2', labels }, NOW)?.containerId).toBe('/docker/shop-web-2');
  });

  it('names a kubelet-created container by pod and its app by workload', () => {
    expect(containerNames(k8s('cart-7d9f8b6c5d-x2x9z', 'cart'), NOW)).toEqual({
      containerId: '/k8s/shop/cart-7d9f8b6c5d-x2x9z/cart',
      appId: '/k8s/shop/cart',
    });
    expect(containerNames(k8s('postgres-1', 'exporter'), NOW)).toEqual({
      containerId: '/k8s/shop/postgres-1/exporter',
      appId: '/k8s/shop/postgres',
    });
  });

  it('folds the pods of a recent CronJob run into one /k8s-cronjob container', () => {
    expect(containerNames(k8s(`backup-${MINUTE}-q7k4m`, 'pg-dump'), NOW)).toEqual({
      containerId: '/k8s-cronjob/shop/backup/pg-dump',
      appId: '/k8s-cronjob/shop/backup',
    });
  });

  it.each([
    ['the dockershim pause container', k8s('cart-7d9f8b6c5d-x2x9z', 'POD')],
    [
      'a sandbox by its docker type label',
      k8s('cart-7d9f8b6c5d-x2x9z', 'cart', { 'io.kubernetes.docker.type': 'podsandbox' }),
    ],
    ['a containerd sandbox', k8s('cart-7d9f8b6c5d-x2x9z', 'cart', { 'io.cri-containerd.kind': 'sandbox' })],
    ['a pod container without a container name', k8s('cart-7d9f8b6c5d-x2x9z', '')],
    ['a container with no name at all', { name: '', labels: {} }],
  ])('skips %s', (_what, meta) => {
    expect(containerNames(meta, NOW)).toBeUndefined();
  });

  it('names swarm tasks by stack, service and slot', () => {
    const labels = {
      'com.docker.swarm.service.name': 'shop_web',
      'com.docker.swarm.task.name': 'shop_web.2.k3j4h5g6f7d8s9a0p1o2i3u4y',
      'com.docker.stack.namespace': 'shop',
    };
    expect(containerNames({ name: 'shop_web.2.k3j4h5g6f7d8s9a0p1o2i3u4y', labels }, NOW)).toEqual({
      containerId: '/swarm/shop/web/2',
      appId: '/swarm/shop/web',
    });
    const bare = {
      'com.docker.swarm.service.name': 'cache',
      'com.docker.swarm.task.name': 'cache.1.q9w8e7r6t5y4u3i2o1p0a9s8d',
    };
    expect(containerNames({ name: 'x', labels: bare }, NOW)).toEqual({
      containerId: '/swarm/_/cache/1',
      appId: '/swarm/_/cache',
    });
  });
});
