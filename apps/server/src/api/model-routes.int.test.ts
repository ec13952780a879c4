/**
 * The model's API end to end on a real server (embedded ClickHouse): three hours of the shop's
 * metrics, with an OOM loop on the api in the last hour, arrive by remote write as its agents
 * would send them; the metrics cache back-fills; the overview, the service map, the application
 * and node pages and the deployments come out of the API, and a threshold saved through the API
 * changes the verdict.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_NETWORK, SHOP } from '@vigil/testkit/scenarios';
import { remoteWrite } from '../testing/remote-write.ts';
import { waitForCache, writeShopHistory } from '../testing/scenario-history.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

const STEP = 15_000;
const MINUTE = 60_000;

interface Row {
  id: string;
  category: string;
  status: string;
  reports: Record<string, { status: string; message: string }>;
}

describe('model API over the metrics cache', () => {
  let vigil: TestServer;
  let end: number;
  const range = () => `from=${end - 120 * MINUTE}&to=${end}`;
  const app = (id: string) => encodeURIComponent(id);

  beforeAll(async () => {
    vigil = await startTestServer({
      VIGIL_CACHE_STEP: '15s',
      VIGIL_CACHE_BACKFILL: '4h',
      VIGIL_CACHE_REFRESH: '2s',
    });
    end = Math.floor(Date.now() / STEP) * STEP - STEP;
    // Kills at 55, 45, … 5 minutes before the end: none on the window's edge.
    await writeShopHistory(
      vigil,
      [{ kind: 'oom_loop', app: SHOP.api, fromMs: end - 55 * MINUTE, everyMs: 10 * MINUTE }],
      { fromMs: end - 180 * MINUTE, toMs: end, scrapeMs: STEP, seed: 3 },
    );
    // The frontend's Deployment carries Coroot's SLO annotations, exported as kube-state-metrics
    // does (the cluster agent's Kubernetes series): a 25 ms latency objective, and an
    // availability objective written as a ratio, which is refused with a note.
    const annotations = {
      __name__: 'kube_deployment_annotations',
      namespace: 'shop',
      deployment: 'frontend',
      annotation_coroot_com_slo_latency_threshold: '25ms',
      annotation_coroot_com_slo_latency_objective: '99%',
      annotation_coroot_com_slo_availability_objective: '0.999',
    };
    const times: number[] = [];
    for (let t = end - 180 * MINUTE; t <= end; t += STEP) times.push(t);
    const written = await remoteWrite(vigil, [
      {
        labels: Object.entries(annotations)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([name, value]) => ({ name, value })),
        timestampsMs: times,
        values: times.map(() => 1),
      },
    ]);
    expect(written.status, await written.text()).toBe(204);
    await waitForCache(vigil, end);
  }, 360_000);
  afterAll(async () => {
    await vigil?.stop();
  });

  it('lists every application with a status per report, and sees the OOM kills on the api', async () => {
    const res = await vigil.getJson<{ applications: Row[]; incomplete: string[] }>(
      `/api/v1/overview/applications?${range()}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.incomplete).toEqual([]);
    const rows = new Map(res.body.applications.map((r) => [r.id, r]));
    expect([...rows.keys()].sort()).toEqual(Object.values(SHOP).sort());
    const api = rows.get(SHOP.api)!;
    expect(api.reports['Memory']).toEqual({
      status: 'critical',
      message: '1 of 3 instances OOM-killed 6 times: memory limit 1 GiB is too small',
    });
    expect(api.reports['Instances']!.status).toBe('warning');
    expect(api.status).toBe('critical');
    expect(rows.get(SHOP.prometheus)!.category).toBe('monitoring');
    expect(rows.get(SHOP.postgres)!.reports['Postgres']!.status).toBe('ok');
    expect(rows.get(SHOP.redis)!.reports['CPU']!.status).toBe('ok');
  });

  it('draws the service map with the traffic of each edge', async () => {
    const res = await vigil.getJson<{
      nodes: Array<{ id: string; status: string }>;
      edges: Array<{ from: string; to: string; protocols: string[]; requestsPerSecond: number }>;
    }>(`/api/v1/overview/map?${range()}`);
    expect(res.status).toBe(200);
    const edge = (from: string, to: string) => res.body.edges.find((e) => e.from === from && e.to === to)!;
    expect(edge(SHOP.frontend, SHOP.api).protocols).toEqual(['http']);
    expect(edge(SHOP.frontend, SHOP.api).requestsPerSecond).toBeGreaterThan(190);
    expect(edge(SHOP.frontend, SHOP.api).requestsPerSecond).toBeLessThan(210);
    expect(edge(SHOP.api, SHOP.postgres).requestsPerSecond).toBeGreaterThan(570);
    expect(edge(SHOP.api, SHOP.redis).protocols).toEqual(['redis']);
    expect(res.body.edges).toHaveLength(3);
    expect(res.body.nodes.find((n) => n.id === SHOP.api)!.status).toBe('critical');
  });

  it('serves the application page with checks, charts, instances and neighbours', async () => {
    const res = await vigil.getJson<{
      instances: Array<{ id: string; node: string }>;
      upstreams: Array<{ appId: string }>;
      downstreams: Array<{ appId: string }>;
      reportDetails: Array<{
        name: string;
        checks: Array<{ id: string; status: string }>;
        charts: Array<{ title: string; lines: unknown[] }>;
      }>;
    }>(`/api/v1/apps/${app(SHOP.api)}?${range()}`);
    expect(res.status).toBe(200);
    expect(res.body.instances.map((i) => i.node)).toEqual(['node-a', 'node-a', 'node-a']);
    expect(res.body.upstreams.map((u) => u.appId).sort()).toEqual([SHOP.postgres, SHOP.redis]);
    expect(res.body.downstreams.map((u) => u.appId)).toEqual([SHOP.frontend]);
    const memory = res.body.reportDetails.find((r) => r.name === 'Memory')!;
    expect(memory.checks.find((c) => c.id === 'memory_oom')!.status).toBe('critical');
    expect(memory.charts.find((c) => c.title === 'Memory RSS')!.lines).toHaveLength(3);
    const missing = await vigil.getJson<{ error: { message: string } }>(
      `/api/v1/apps/${app('/k8s/shop/nope')}?${range()}`,
    );
    expect(missing.status).toBe(404);
  });

  it('serves nodes with their network traffic, and their containers', async () => {
    const list = await vigil.getJson<{
      nodes: Array<{
        name: string;
        cpuCores: number;
        instances: number;
        networkReceivedBytesPerSecond: number | null;
      }>;
    }>(`/api/v1/overview/nodes?${range()}`);
    expect(list.body.nodes.map((n) => [n.name, n.cpuCores, n.instances])).toEqual([
      ['node-a', 8, 5],
      ['node-b', 4, 4],
    ]);
    // The scenario kit's NIC: 40 kB/s plus 1 kB per request served (node-b: Postgres's 600 and
    // Redis's 400 a second); lo and cni0, which it also reports, are not counted.
    const received = list.body.nodes[1]!.networkReceivedBytesPerSecond!;
    expect(received).toBeGreaterThan(NODE_NETWORK.receivedBaseBytesPerSecond + 900_000);
    expect(received).toBeLessThan(NODE_NETWORK.receivedBaseBytesPerSecond + 1_100_000);
    const node = await vigil.getJson<{
      containers: Array<{ appId: string }>;
      charts: { network: Record<string, { transmittedBytesPerSecond: { values: Array<number | null> } }> };
    }>(`/api/v1/nodes/node-b?${range()}`);
    expect(node.body.containers.map((c) => c.appId).sort()).toEqual(
      [SHOP.batch, SHOP.prometheus, SHOP.postgres, SHOP.redis].sort(),
    );
    expect(Object.keys(node.body.charts.network)).toEqual(['eth0']);
    const sent = node.body.charts.network['eth0']!.transmittedBytesPerSecond.values;
    expect(sent.filter((v) => v !== null).length).toBeGreaterThan(100);
  });

  it('changes a verdict when an Editor overrides a threshold, and refuses unknown checks', async () => {
    const cookie = await vigil.login();
    const put = (path: string, body: unknown) =>
      fetch(`${vigil.api}${path}`, {
        method: 'PUT',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const bad = await put(`/api/v1/inspections/${app(SHOP.api)}`, { memory_oomz: { disabled: true } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain(
      'unknown check "memory_oomz"',
    );
    expect(
      (await put(`/api/v1/inspections/${app(SHOP.api)}`, { memory_oom: { disabled: true } })).status,
    ).toBe(200);
    const res = await vigil.getJson<{ applications: Row[] }>(`/api/v1/overview/applications?${range()}`);
    expect(res.body.applications.find((r) => r.id === SHOP.api)!.reports['Memory']!.status).toBe('ok');
    const saved = await vigil.getJson<{ application: unknown }>(`/api/v1/inspections/${app(SHOP.api)}`);
    expect(saved.body.application).toEqual({ memory_oom: { disabled: true } });
  });

  it('judges an SLO written as PromQL the same as the default one over the same requests', async () => {
    const cookie = await vigil.login();
    const sloCheck = async () => {
      const res = await vigil.getJson<{
        reportDetails: Array<{ name: string; checks: Array<{ id: string; message: string }> }>;
      }>(`/api/v1/apps/${app(SHOP.frontend)}?${range()}`);
      const slo = res.body.reportDetails.find((r) => r.name === 'SLO')!;
      const check = slo.checks.find((c) => c.id === 'slo_availability');
      if (!check) throw new Error(`no availability check: ${JSON.stringify(slo).slice(0, 500)}`);
      return check.message;
    };
    const byDefault = await sloCheck();
    const selector = `app_id="${SHOP.frontend}"`;
    const put = await fetch(`${vigil.api}/api/v1/apps/${app(SHOP.frontend)}/slo`, {
      method: 'PUT',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({
        availability: {
          objectivePercent: 99,
          sli: {
            kind: 'promql',
            successQuery: `sum(rate(container_http_inbound_requests_total{${selector},status!~"5.."}[1m]))`,
            totalQuery: `sum(rate(container_http_inbound_requests_total{${selector}}[1m]))`,
          },
        },
        latency: null,
      }),
    });
    expect(put.status, await put.text()).toBe(200);
    const custom = await sloCheck();
    const share = (m: string) => Number(/availability ([0-9.]+)%/.exec(m)?.[1]);
    expect(share(custom)).toBeGreaterThan(90);
    expect(Math.abs(share(custom) - share(byDefault))).toBeLessThan(0.3);
    const bad = await fetch(`${vigil.api}/api/v1/apps/${app(SHOP.frontend)}/slo`, {
      method: 'PUT',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ availability: { objectivePercent: 120 } }),
    });
    expect(bad.status).toBe(400);
  });

  it("honours the SLO annotations of the frontend's Deployment, and says which one it could not use", async () => {
    const res = await vigil.getJson<{
      reportDetails: Array<{
        name: string;
        notes?: string[];
        checks: Array<{ id: string; status: string; message: string }>;
      }>;
    }>(`/api/v1/apps/${app(SHOP.frontend)}?${range()}`);
    const slo = res.body.reportDetails.find((r) => r.name === 'SLO')!;
    const latency = slo.checks.find((c) => c.id === 'slo_latency')!;
    // ~24 ms per request through the api: a third are slower than 25 ms, against a 1% budget.
    expect(latency.status, latency.message).toBe('critical');
    expect(latency.message).toMatch(/25 ms/);
    expect(slo.notes).toEqual([
      'coroot.com/slo-availability-objective: "0.999" looks like a ratio; write the objective in percent, e.g. "99.9%"',
    ]);
    // The api has no annotations: its latency is judged against the default 500 ms.
    const api = await vigil.getJson<{ reportDetails: Array<{ name: string; notes?: string[] }> }>(
      `/api/v1/apps/${app(SHOP.api)}?${range()}`,
    );
    expect(api.body.reportDetails.find((r) => r.name === 'SLO')!.notes).toBeUndefined();
  });

  it('needs a login to read the model', async () => {
    const res = await fetch(`${vigil.api}/api/v1/overview/applications?${range()}`);
    expect(res.status).toBe(401);
  });
});
