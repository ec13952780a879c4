/**
 * Database targets end to end: `vigil up` (its node agent in procfs mode, 2 s scrape) sees this
 * machine's Postgres listening on 127.0.0.1:5432; the server lists it at `GET /v1/config` with
 * the credentials an Editor saved for the application; a `vigil cluster-agent` pointed at the
 * server picks it up, and `pg_up{address="127.0.0.1:5432"} 1` arrives back at the server.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { canConnect, makeTempDir, serviceGate } from '@vigil/testkit';
import { eventually, freePort, runVigil, type VigilProcess } from './testing/vigil-process.ts';

const PASSWORD = 'cluster-e2e-admin-password';
const API_KEY = 'vk_cluster_e2e_key_0123456789';
const temp = makeTempDir('vigil-cluster-e2e-');
const processes: VigilProcess[] = [];

afterAll(async () => {
  for (const p of processes.reverse()) {
    p.child.kill('SIGTERM');
    await p.exited;
  }
  temp.cleanup();
});

interface ConfigEntry {
  type: string;
  host: string;
  port: string;
  credentials: { username: string; password: string };
  instance: string;
}

describe('cluster agent targets from the service map', () => {
  it('collects the Postgres the node agent saw, with the credentials saved for it', async () => {
    if (!serviceGate('PostgreSQL', await canConnect('127.0.0.1', 5432), 'start the machine Postgres')) return;
    const [api, agentPort, clusterPort, otlpHttp, otlpGrpc] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    const base = `http://127.0.0.1:${api}`;
    const up = runVigil(['up'], {
      VIGIL_DATA_DIR: `${temp.dir}/server`,
      VIGIL_LISTEN: `127.0.0.1:${api}`,
      VIGIL_OTLP_HTTP_LISTEN: `127.0.0.1:${otlpHttp}`,
      VIGIL_OTLP_GRPC_LISTEN: `127.0.0.1:${otlpGrpc}`,
      VIGIL_NODE_AGENT_LISTEN: `127.0.0.1:${agentPort}`,
      VIGIL_ADMIN_PASSWORD: PASSWORD,
      VIGIL_API_KEY: API_KEY,
      VIGIL_SCRAPE_INTERVAL: '2s',
      VIGIL_EBPF: 'off',
      VIGIL_PROFILING: 'off',
      VIGIL_LOGS: 'off',
      // This test runs \`vigil cluster-agent\` on its own: two agents would write the same series.
      VIGIL_CLUSTER_AGENT: 'off',
    });
    processes.push(up);
    await up.waitFor(/Node agent:\s+http:\/\/127\.0\.0\.1:\d+\/metrics/, 120_000);
    const config = async () => {
      const res = await fetch(`${base}/v1/config`, { headers: { 'x-api-key': API_KEY } });
      if (res.status !== 200) throw new Error(`/v1/config: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { application_instrumentation: ConfigEntry[] })
        .application_instrumentation;
    };
    const postgres = await eventually(
      'the local Postgres in /v1/config',
      async () =>
        (await config()).find((e) => e.type === 'postgres' && e.host === '127.0.0.1' && e.port === '5432'),
      180_000,
    );
    expect(postgres.credentials).toEqual({ username: '', password: '' });
    expect((await fetch(`${base}/v1/config`)).status).toBe(401);

    // An Editor saves the credentials; the password is sealed and never shown again.
    const login = await fetch(`${base}/api/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: PASSWORD }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    // The application the instance belongs to, from the service map.
    const now = Date.now();
    const map = (await (
      await fetch(`${base}/api/v1/overview/map?from=${now - 600_000}&to=${now}`, { headers: { cookie } })
    ).json()) as { nodes: Array<{ id: string; types: string[] }> };
    const appId = map.nodes.find((n) => n.types.includes('postgres'))?.id;
    expect(appId, JSON.stringify(map.nodes)).toBeDefined();
    const put = await fetch(`${base}/api/v1/apps/${encodeURIComponent(appId!)}/instrumentation`, {
      method: 'PUT',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({
        credentials: { username: 'postgres', password: 'not-needed-with-trust' },
        params: { database: 'test' },
      }),
    });
    expect(put.status, await put.clone().text()).toBe(200);
    expect(await put.json()).toMatchObject({ credentials: { username: 'postgres', passwordSet: true } });
    const bad = await fetch(`${base}/api/v1/apps/${encodeURIComponent(appId!)}/instrumentation`, {
      method: 'PUT',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ port: 70000 }),
    });
    expect(bad.status).toBe(400);
    const withCredentials = (await config()).find((e) => e.type === 'postgres' && e.port === '5432')!;
    expect(withCredentials.credentials).toEqual({ username: 'postgres', password: 'not-needed-with-trust' });

    const agent = runVigil(['cluster-agent', '--listen', `127.0.0.1:${clusterPort}`], {
      VIGIL_DATA_DIR: `${temp.dir}/cluster-agent`,
      COROOT_URL: base,
      API_KEY,
      VIGIL_SCRAPE_INTERVAL: '2s',
    });
    processes.push(agent);
    await agent.waitFor(/Vigil cluster agent: /, 60_000);
    const pgUp = await eventually(
      'pg_up from the cluster agent at the server',
      async () => {
        const res = await fetch(
          `${base}/api/v1/query?query=${encodeURIComponent('pg_up{address="127.0.0.1:5432"}')}`,
          { headers: { cookie } },
        );
        const body = (await res.json()) as {
          data?: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
        };
        return body.data?.result[0];
      },
      120_000,
    );
    expect(pgUp.value[1]).toBe('1');
    expect(pgUp.metric.job).toBe('vigil-cluster-agent');
  }, 420_000);
});
