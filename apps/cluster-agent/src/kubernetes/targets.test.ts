/**
 * Database and Go profiling targets from pod annotations, read from the fake API server: Secret
 * credentials, workloads through ReplicaSet → Deployment and Job → CronJob, pods coming and going.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWatchWithTuning, type KubernetesWatch } from './kubernetes-watch.ts';
import { podWorkload } from './owners.ts';
import { annotatedTargets } from './pod-targets.ts';
import { WATCHED_RESOURCES } from './resources.ts';
import type { FakeApiServer } from './testing/fake-api-server.ts';
import { fakeClusterFromFixtures, fixture, recordingLogger, until } from './testing/fixtures.ts';

const PODS = WATCHED_RESOURCES.pods.path;
const SECRET = '/api/v1/namespaces/shop/secrets/postgres-credentials';
let server: FakeApiServer;
let watch: KubernetesWatch;
let logger: ReturnType<typeof recordingLogger>;

async function start(prepare?: (s: FakeApiServer) => void): Promise<void> {
  server = await fakeClusterFromFixtures();
  prepare?.(server);
  logger = recordingLogger();
  watch = startWatchWithTuning(
    { kubeConfig: server.kubeConfig(), logger },
    { backoffInitialMs: 10, secretRefreshMs: 0 },
  );
  await watch.ready();
}

afterEach(async () => {
  await watch.stop();
  await server.close();
});

describe('database targets from pod annotations', () => {
  beforeEach(() => start());

  it('gives the postgres pod with its Secret’s credentials and the redis pod with its inline ones', () => {
    const targets = [...watch.databaseTargets()].sort((a, b) => a.type.localeCompare(b.type));
    expect(targets).toEqual([
      {
        type: 'postgres',
        host: '10.244.1.20',
        port: 5432,
        credentials: { username: 'vigil_monitor', password: 's3cr3t!pg' },
        params: { sslmode: 'disable' },
        instance: '/k8s/shop/postgres-0/postgres',
      },
      {
        type: 'redis',
        host: '10.244.1.40',
        port: 6380,
        credentials: { username: undefined, password: 'inline-redis-pass' },
        instance: '/k8s/shop/cache-6b8f7c9d4-9zt2w/redis',
      },
    ]);
  });

  it('drops a target when its pod is deleted', async () => {
    server.remove(PODS, 'shop', 'cache-6b8f7c9d4-9zt2w');
    await until(() => watch.databaseTargets().length === 1, 'the redis target to go');
    expect(watch.databaseTargets()[0]?.type).toBe('postgres');
  });
});

describe('a Secret the agent may not read', () => {
  it('leaves the target out and says why, until the Secret can be read', async () => {
    await start((s) => s.failNext(SECRET, 403, 'Forbidden'));
    expect(watch.databaseTargets().map((t) => t.type)).toEqual(['redis']);
    expect(logger.lines.find((l) => l.level === 'warn')?.obj).toMatchObject({
      secret: 'shop/postgres-credentials',
      err: expect.stringMatching(/403/),
    });
    // secretRefreshMs is 0 here: the next read is tried at once.
    await until(() => watch.databaseTargets().length === 2, 'the Secret to be read');
  });
});

describe('Go profiling targets from pod annotations', () => {
  beforeEach(() => start());

  it('names each target after its workload, found through the ReplicaSet and the Job', () => {
    const targets = [...watch.profileTargets.current()].sort((a, b) => a.baseUrl.localeCompare(b.baseUrl));
    expect(targets.map((t) => [t.baseUrl, t.serviceName])).toEqual([
      ['http://10.244.1.11:6060', '/k8s/shop/frontend'],
      ['http://10.244.1.12:6060', '/k8s/shop/frontend'],
      ['http://10.244.1.13:6060', '/k8s/shop/frontend'],
      ['http://10.244.1.50:6060', '/k8s/shop/report-generator'], // pyroscope.io/scrape + port
    ]);
    expect(targets[0]?.labels).toEqual({
      namespace: 'shop',
      pod: 'frontend-7d9c8b6f5d-x2k9p',
      node: 'worker-1',
      label_app_kubernetes_io_name: 'frontend',
      label_app_kubernetes_io_part_of: 'shop',
      label_pod_template_hash: '7d9c8b6f5d',
    });
  });

  it('adds a pod that starts and drops one that is deleted', async () => {
    server.add(PODS, fixture('pod-added.json'));
    await until(() => watch.profileTargets.current().length === 5, 'the new pod');
    server.remove(PODS, 'shop', 'frontend-7d9c8b6f5d-m5n7r');
    await until(() => watch.profileTargets.current().length === 4, 'the deleted pod to go');
    expect(watch.profileTargets.current().map((t) => t.baseUrl)).toContain('http://10.244.1.14:6060');
  });
});

describe('pod annotations and owners, table-driven', () => {
  const base = fixture<V1Pod>('pod-added.json');
  const none = { replicaSet: () => undefined, job: () => undefined };

  it.each([
    ['a ReplicaSet the watch does not know yet: its name without the pod-template-hash', base, 'frontend'],
    [
      'a static pod: its name without the node',
      {
        ...base,
        metadata: {
          name: 'kube-apiserver-worker-1',
          namespace: 'kube-system',
          ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'worker-1', uid: 'n', controller: true }],
        },
      },
      'kube-apiserver',
    ],
    [
      'a StatefulSet',
      {
        ...base,
        metadata: {
          ...base.metadata,
          ownerReferences: [
            { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'kafka', uid: 's', controller: true },
          ],
        },
      },
      'kafka',
    ],
  ] as const)('names the workload of %s', (_what, pod, workload) => {
    expect(podWorkload(pod as V1Pod, none)).toBe(workload);
  });

  it.each([
    ['a pod that is not running', { phase: 'Pending' }, {}],
    ['a pod without an IP', { podIP: undefined }, {}],
    ['a port that is not a number', {}, { 'coroot.com/mysql-scrape-port': 'mysql' }],
  ])('makes no target of %s', (_what, status, annotations) => {
    const pod = {
      ...base,
      metadata: { ...base.metadata, annotations: { 'coroot.com/mysql-scrape': 'true', ...annotations } },
      status: { ...base.status, ...status },
    } as V1Pod;
    expect(annotatedTargets(pod)).toEqual([]);
  });

  it('uses the type’s default port and every -param- annotation', () => {
    const pod = {
      ...base,
      metadata: {
        ...base.metadata,
        annotations: {
          'coroot.com/mysql-scrape': 'true',
          'coroot.com/mysql-scrape-param-tls': 'skip-verify',
        },
      },
    } as V1Pod;
    expect(annotatedTargets(pod)).toEqual([
      {
        target: {
          type: 'mysql',
          host: '10.244.1.14',
          port: 3306,
          params: { tls: 'skip-verify' },
          instance: '/k8s/shop/frontend-7d9c8b6f5d-w7h3k/frontend',
        },
      },
    ]);
  });
});
