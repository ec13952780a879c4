/**
 * The model on a real system, with a real fault. `vigil up` (scrape interval 2 s) watches a small
 * workload: a Node.js service in a Docker container (host network) that queries the machine's
 * Postgres and a private Redis on a test port for every request, driven by this test at ~20
 * requests a second. The service map must show the service's edges to both with their request
 * rates; stopping the private Redis must turn the service's Net check red within a few refresh
 * intervals, and root-cause analysis of the service's errors must name the Redis dependency.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  canConnect,
  dockerAvailable,
  ensureNodeImage,
  makeTempDir,
  NODE_IMAGE,
  removeTestContainers,
  runContainer,
  serviceGate,
} from '@vigil/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, freePort, runVigil, type VigilProcess } from './testing/vigil-process.ts';

const PASSWORD = 'model-e2e-admin-password';
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const temp = makeTempDir('vigil-model-e2e-');
let up: VigilProcess | undefined;
let redis: ChildProcess | undefined;
let load: NodeJS.Timeout | undefined;

afterAll(async () => {
  clearInterval(load);
  redis?.kill('SIGKILL');
  up?.child.kill('SIGTERM');
  await up?.exited;
  await removeTestContainers();
  temp.cleanup();
});

interface AppPage {
  upstreams: Array<{
    appId: string;
    protocols: string[];
    requestsPerSecond: { values: Array<number | null> };
  }>;
  reportDetails: Array<{
    name: string;
    status: string;
    checks: Array<{ id: string; status: string; message: string }>;
  }>;
}

describe('the model on a live workload', () => {
  it('maps a containerised service to Postgres and Redis, and blames Redis when it stops', async () => {
    const ok = [
      serviceGate('Docker', await dockerAvailable(), 'start dockerd as .ci/run does'),
      serviceGate('PostgreSQL', await canConnect('127.0.0.1', 5432), 'start the machine Postgres'),
      serviceGate('root (eBPF)', process.getuid?.() === 0, 'run the tests as root'),
    ];
    if (!ok.every(Boolean)) return;
    await ensureNodeImage();
    const [api, agentPort, otlpHttp, otlpGrpc, redisPort, servicePort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    redis = spawn(
      'redis-server',
      ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    await eventually('the private Redis', async () =>
      (await canConnect('127.0.0.1', redisPort)) ? true : undefined,
    );
    const name = `vigil-checkout-${process.pid}`;
    await runContainer({
      name,
      image: NODE_IMAGE,
      cmd: ['node', '/app/service/checkout-service.mjs'],
      env: {
        PORT: String(servicePort),
        PG_URL: 'postgres://postgres@127.0.0.1:5432/test',
        REDIS_PORT: String(redisPort),
      },
      readOnlyMounts: {
        [path.join(repoRoot, 'node_modules')]: '/app/node_modules',
        [path.join(here, 'testing/workload')]: '/app/service',
      },
    });
    await eventually('the checkout service', async () =>
      (await canConnect('127.0.0.1', servicePort)) ? true : undefined,
    );

    up = runVigil(['up'], {
      VIGIL_DATA_DIR: temp.dir,
      VIGIL_LISTEN: `127.0.0.1:${api}`,
      VIGIL_OTLP_HTTP_LISTEN: `127.0.0.1:${otlpHttp}`,
      VIGIL_OTLP_GRPC_LISTEN: `127.0.0.1:${otlpGrpc}`,
      VIGIL_NODE_AGENT_LISTEN: `127.0.0.1:${agentPort}`,
      VIGIL_ADMIN_PASSWORD: PASSWORD,
      VIGIL_SCRAPE_INTERVAL: '2s',
      VIGIL_METRICS_BATCH_MAX_DELAY: '200ms',
      VIGIL_PROFILING: 'off',
    });
    await up.waitFor(/Node agent:\s+http:\/\/127\.0\.0\.1:\d+\/metrics/, 120_000);
    const base = `http://127.0.0.1:${api}`;
    const login = await fetch(`${base}/api/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: PASSWORD }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const get = async <T>(p: string): Promise<T> => {
      const res = await fetch(`${base}${p}`, { headers: { cookie } });
      if (res.status !== 200) throw new Error(`${p}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    };

    // 20 requests a second, for as long as the test runs (bounded by afterAll). Paced by the clock,
    // not by counting ticks: a timer delayed on a busy machine sends what it owes on its next tick
    // (at most a second's worth), so the rate the agent sees stays near 20.
    let answered = 0;
    let failed = 0;
    const loadStartMs = Date.now();
    let sent = 0;
    load = setInterval(() => {
      const owed = Math.min(20, Math.floor(((Date.now() - loadStartMs) / 1000) * 20) - sent);
      for (let i = 0; i < owed; i++, sent++)
        void fetch(`http://127.0.0.1:${servicePort}/checkout`).then(
          (r) => (r.status === 200 ? answered++ : failed++),
          () => failed++,
        );
    }, 100);

    const appId = `/docker/${name}`;
    const range = () => `from=${Date.now() - 5 * 60_000}&to=${Date.now()}`;
    const page = await eventually(
      'the service with its two upstreams',
      async () => {
        const p = await get<AppPage>(`/api/v1/apps/${encodeURIComponent(appId)}?${range()}`);
        const protocols = p.upstreams.flatMap((u) => u.protocols);
        return protocols.includes('postgres') && protocols.includes('redis') ? p : undefined;
      },
      180_000,
    );
    expect(failed).toBe(0);
    expect(answered).toBeGreaterThan(100);
    const redisApp = page.upstreams.find((u) => u.protocols.includes('redis'))!.appId;
    const pgApp = page.upstreams.find((u) => u.protocols.includes('postgres'))!.appId;
    expect(redisApp).not.toMatch(/^external:/);
    expect(pgApp).not.toMatch(/^external:/);
    // ~20 checkouts a second, one query and one GET each: over the last half minute, once the
    // load has run that long and the cache evaluates at the agent's 2 s step (it starts at a 15 s
    // fallback with 60 s rate windows, which read a series younger than a minute low).
    await eventually(
      'the metrics cache at the 2 s step',
      async () =>
        (await get<{ stepMs: number }>('/api/v1/cache/status')).stepMs === 2000 ? true : undefined,
      180_000,
    );
    await new Promise((r) => setTimeout(r, 30_000));
    const map = await get<{ edges: Array<{ from: string; to: string; requestsPerSecond: number }> }>(
      `/api/v1/overview/map?from=${Date.now() - 30_000}&to=${Date.now()}`,
    );
    const edge = (to: string) => map.edges.find((e) => e.from === appId && e.to === to)!;
    // (the generator sends 20 a second by the clock; the agent's windows see a little less or more)
    for (const to of [pgApp, redisApp]) {
      expect(edge(to).requestsPerSecond, to).toBeGreaterThan(10);
      expect(edge(to).requestsPerSecond, to).toBeLessThan(25);
    }
    // One query and one GET per checkout: the two edges carry the same rate.
    const ratio = edge(pgApp).requestsPerSecond / edge(redisApp).requestsPerSecond;
    expect(ratio).toBeGreaterThan(0.85);
    expect(ratio).toBeLessThan(1.15);
    const netBefore = page.reportDetails.find((r) => r.name === 'Net')!;
    const upstreamsBefore = netBefore.checks.find((c) => c.id === 'net_upstreams')!;
    expect(upstreamsBefore.status, upstreamsBefore.message).toBe('ok');

    // The fault: the private Redis goes away.
    const stoppedAt = Date.now();
    redis.kill('SIGKILL');
    const net = await eventually(
      'the Net check to turn red',
      async () => {
        const p = await get<AppPage>(
          `/api/v1/apps/${encodeURIComponent(appId)}?from=${Date.now() - 3 * 60_000}&to=${Date.now()}`,
        );
        const report = p.reportDetails.find((r) => r.name === 'Net')!;
        return report.status === 'critical' ? report : undefined;
      },
      // A few 2 s refreshes here; on a loaded CI machine the cache runs behind by more.
      120_000,
    );
    const toRedMs = Date.now() - stoppedAt;
    // Reported, not asserted tighter: the figure docs/perf.md quotes comes from this line.
    console.log(`Net turned critical ${(toRedMs / 1000).toFixed(1)} s after the private Redis was killed`);
    expect(toRedMs).toBeLessThan(120_000);
    expect(net.checks.find((c) => c.id === 'net_upstreams')!.message).toContain(redisApp);
    expect(failed).toBeGreaterThan(0);

    await new Promise((r) => setTimeout(r, 10_000));
    const rca = await get<{ causes: Array<{ applicationId: string; kind: string; explanation: string }> }>(
      `/api/v1/apps/${encodeURIComponent(appId)}/rca?from=${stoppedAt - 2_000}&to=${Date.now()}&symptom=errors`,
    );
    expect(rca.causes[0]!.applicationId, JSON.stringify(rca.causes.slice(0, 3))).toBe(redisApp);
  }, 480_000);
});
