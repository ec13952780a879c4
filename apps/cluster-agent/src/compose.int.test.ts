/**
 * The whole cluster agent (`vigil cluster-agent`, compose.ts) end to end, in one real server:
 *
 * - a Kubernetes API (the recorded fixtures, served by the in-process fake: no API server can run
 *   here), its pods moved to loopback addresses so nothing leaves the machine;
 * - the annotated Postgres and Redis pods are this machine's servers, the Postgres credentials in
 *   a Secret; the annotated frontend pod is a Node process profiled by @datadog/pprof and served
 *   at Go's pprof paths.
 *
 * What must arrive at the server: kube-state-metrics series (PromQL), `pg_up`/`redis_up` of the
 * annotation targets, a Kubernetes Event as a `KubernetesEvents` log, a table created during the
 * test as a `DatabaseChanges` log, and the frontend's Go-named CPU profile.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { silentLogger } from '@vigil/core';
import { canConnect, makeTempDir, serviceGate } from '@vigil/testkit';
import { startTestServer, TEST_API_KEY, type TestServer } from '../../server/src/testing/test-server.ts';
import type { RunningClusterAgent } from './agent.ts';
import { WATCHED_RESOURCES, type WatchedResourceName } from './kubernetes/resources.ts';
import { FakeApiServer } from './kubernetes/testing/fake-api-server.ts';
import { fixture } from './kubernetes/testing/fixtures.ts';
import {
  datadogPprofLoads,
  startPprofProcess,
  type PprofProcess,
} from './profiling/testing/pprof-process.ts';
import { runClusterAgent } from './run.ts';

type Pod = {
  metadata: { name: string; namespace: string; annotations?: Record<string, string> };
  status: {
    podIP?: string;
    podIPs?: Array<{ ip: string }>;
    hostIP?: string;
    hostIPs?: Array<{ ip: string }>;
  };
};

const pprofLoads = datadogPprofLoads();
const available = await Promise.all([canConnect('127.0.0.1', 5432), canConnect('127.0.0.1', 6379)]);
const run =
  serviceGate('Postgres and Redis on 127.0.0.1', available.every(Boolean), '.ci/run starts them') &&
  serviceGate('@datadog/pprof', pprofLoads.ok, pprofLoads.ok ? '' : pprofLoads.reason);

const TABLE = `vigil_compose_${process.pid}`;

/** The recorded pods on loopback: one profiled frontend, Postgres and Redis as this machine's. */
function loopbackPods(profilePort: number): { kind: string; apiVersion: string; items: Pod[] } {
  const list = fixture<{ kind: string; apiVersion: string; items: Pod[] }>('pods.json');
  for (const pod of list.items) {
    pod.status.podIP = '127.0.0.1';
    pod.status.podIPs = [{ ip: '127.0.0.1' }];
    pod.status.hostIP = '127.0.0.1';
    pod.status.hostIPs = [{ ip: '127.0.0.1' }];
    const a = pod.metadata.annotations ?? {};
    for (const key of Object.keys(a)) if (key.startsWith('pyroscope.io/')) delete a[key];
    if (a['coroot.com/profile-scrape'] === 'true') {
      // One profiled pod: the fixture process serves one address.
      if (pod.metadata.name === 'frontend-7d9c8b6f5d-x2k9p')
        a['coroot.com/profile-port'] = String(profilePort);
      else delete a['coroot.com/profile-scrape'];
    }
    if (a['coroot.com/redis-scrape'] === 'true') {
      a['coroot.com/redis-scrape-port'] = '6379';
      delete a['coroot.com/redis-scrape-credentials-password']; // the machine's Redis has no password
    }
  }
  return list;
}

describe.runIf(run)('the composed cluster agent', () => {
  const temp = makeTempDir('vigil-compose-');
  let vigil: TestServer;
  let kube: FakeApiServer;
  let pprof: PprofProcess;
  let agent: RunningClusterAgent;
  const db = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' });

  beforeAll(async () => {
    [vigil, kube, pprof] = await Promise.all([startTestServer(), FakeApiServer.start(), startPprofProcess()]);
    await db.connect();
    await db.query(`DROP TABLE IF EXISTS ${TABLE}`);
    for (const name of Object.keys(WATCHED_RESOURCES) as WatchedResourceName[]) {
      const list =
        name === 'pods' ? loopbackPods(Number(new URL(pprof.baseUrl).port)) : fixture(`${name}.json`);
      kube.load(WATCHED_RESOURCES[name].path, list as { kind: string; apiVersion: string; items: object[] });
    }
    const secret = fixture<{ data: Record<string, string> }>('secret-postgres-credentials.json');
    secret.data = { username: Buffer.from('postgres').toString('base64'), password: '' };
    kube.putSecret(secret);
    const kubeconfig = path.join(temp.dir, 'kubeconfig');
    writeFileSync(kubeconfig, kube.kubeConfig().exportConfig());
    agent = await runClusterAgent(
      ['--listen', '127.0.0.1:0'],
      {
        VIGIL_COLLECTOR_URL: vigil.api,
        VIGIL_API_KEY: TEST_API_KEY,
        VIGIL_SCRAPE_INTERVAL: '2s',
        VIGIL_DATA_DIR: temp.dir,
        VIGIL_KUBECONFIG: kubeconfig,
        VIGIL_CLUSTER_NAME: 'test-cluster',
        VIGIL_PROFILE_INTERVAL: '3s',
        VIGIL_PROFILE_CPU_DURATION: '1s',
        VIGIL_DB_DETAILS_INTERVAL: '0s',
      },
      silentLogger,
    );
  }, 90_000);

  afterAll(async () => {
    await agent?.stop();
    await db.query(`DROP TABLE IF EXISTS ${TABLE}`).catch(() => undefined);
    await db.end().catch(() => undefined);
    await Promise.all([vigil?.stop(), kube?.close(), pprof?.stop()]);
    temp.cleanup();
  });

  const query = async (q: string) =>
    (
      await vigil.getJson<{
        data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
      }>(`/api/v1/query?query=${encodeURIComponent(q)}`)
    ).body.data.result;

  async function eventually<T>(
    what: string,
    read: () => Promise<T | undefined>,
    timeoutMs = 60_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  it('sends the Kubernetes objects as kube-state-metrics series', async () => {
    const replicas = await eventually('kube_deployment_spec_replicas', async () => {
      const r = await query('kube_deployment_spec_replicas{namespace="shop",deployment="frontend"}');
      return r.length > 0 ? r : undefined;
    });
    expect(replicas.map((r) => r.value[1])).toEqual(['3']);
    const restarts = await query('kube_pod_container_status_restarts_total{namespace="shop"} > 0');
    expect(restarts.length).toBeGreaterThan(0);
    expect(restarts.every((r) => r.metric.job === 'vigil-cluster-agent')).toBe(true);
  });

  it('collects the databases the pod annotations name, with the credentials from the Secret', async () => {
    const ups = await eventually('pg_up and redis_up', async () => {
      const r = await query(
        '{__name__=~"pg_up|redis_up", address="127.0.0.1:5432"} or redis_up{address="127.0.0.1:6379"}',
      );
      return r.length >= 2 ? r : undefined;
    });
    expect(Object.fromEntries(ups.map((u) => [u.metric.__name__, u.value[1]]))).toEqual({
      pg_up: '1',
      redis_up: '1',
    });
  });

  it('sends a new Kubernetes Event as a KubernetesEvents log', async () => {
    const message = `Scaled up replica set frontend-7d9c8b6f5d to 4 (${process.pid})`;
    const now = new Date().toISOString();
    kube.add(WATCHED_RESOURCES.events.path, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: `frontend.${process.pid}`,
        namespace: 'shop',
        uid: `ev-${process.pid}`,
        creationTimestamp: now,
      },
      involvedObject: { kind: 'Deployment', name: 'frontend', namespace: 'shop', apiVersion: 'apps/v1' },
      reason: 'ScalingReplicaSet',
      message,
      source: { component: 'deployment-controller' },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type: 'Normal',
    });
    const log = await eventually('the event in the logs', async () => {
      const res = await vigil.getJson<{ logs: Array<{ body: string; attributes: Record<string, string> }> }>(
        '/api/v1/logs?service=KubernetesEvents&limit=1000',
      );
      return res.body.logs.find((l) => l.body === message);
    });
    expect(log.attributes).toMatchObject({
      'event.reason': 'ScalingReplicaSet',
      'object.kind': 'Deployment',
    });
  });

  it('sends a table created while it runs as a DatabaseChanges log', async () => {
    // The schema baseline is taken on the first rounds; a table created after them is a change.
    await eventually('a round of the Postgres target', async () =>
      (await query('pg_up{address="127.0.0.1:5432"}')).length > 0 ? true : undefined,
    );
    await agent.collectOnce();
    await db.query(`CREATE TABLE ${TABLE} (id bigint PRIMARY KEY, note text)`);
    const change = await eventually('the change in the logs', async () => {
      const res = await vigil.getJson<{ logs: Array<{ body: string; attributes: Record<string, string> }> }>(
        '/api/v1/logs?service=DatabaseChanges&limit=1000',
      );
      return res.body.logs.find((l) => l.body.includes(TABLE));
    });
    expect(change.attributes).toMatchObject({ 'db_change.object': TABLE, 'db.name': 'test' });
  });

  it("sends the annotated pod's Go-named profiles under its workload", async () => {
    const service = encodeURIComponent('/k8s/shop/frontend');
    const types = await eventually('the frontend profile types', async () => {
      const res = await vigil.getJson<{ types: Array<{ type?: string; name?: string } | string> }>(
        `/api/v1/profiles/types?service=${service}`,
      );
      const names = res.body.types.map((t) => (typeof t === 'string' ? t : (t.type ?? t.name ?? '')));
      return names.includes('go:profile_cpu:nanoseconds') ? names : undefined;
    });
    expect(types).toEqual(
      expect.arrayContaining(['go:profile_cpu:nanoseconds', 'go:heap_inuse_space:bytes']),
    );
  });

  it('reports every part on /health', async () => {
    const health = (await (await fetch(`http://127.0.0.1:${agent.port}/health`)).json()) as Record<
      string,
      unknown
    >;
    expect(Object.keys(health)).toEqual(
      expect.arrayContaining(['kubernetes', 'profiles', 'events', 'aws', 'targets']),
    );
    expect((health.kubernetes as Record<string, { synced: boolean }>).pods?.synced).toBe(true);
  });
});
