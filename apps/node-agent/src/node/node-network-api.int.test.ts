/**
 * A node's network figures end to end: the real node agent (procfs only, 1 s interval) pushes
 * this machine's `node_net_*` series by remote write into a real server (embedded chDB), the
 * metrics cache evaluates the model's rate queries over them, and the node API answers with the
 * traffic of the machine's own NICs, leaving out `lo` (and any veth, bridge or tunnel) although
 * the agent sent them too.
 */
import { readFile } from 'node:fs/promises';
import { isDuplicateInterface } from '@vigil/model';
import { makeTempDir, serviceGate } from '@vigil/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_API_KEY, type TestServer } from '../../../server/src/testing/test-server.ts';
import { startNodeAgent, type RunningNodeAgent } from '../agent.ts';
import { parseNetDev } from './proc-stats.ts';

const interfaces = [...parseNetDev(await readFile('/proc/net/dev', 'utf8').catch(() => '')).keys()];
const nics = interfaces.filter((name) => !isDuplicateInterface(name)).sort();
const runnable = serviceGate(
  'a network interface other than lo and virtual ones',
  nics.length > 0,
  'a machine or container with a NIC (eth0, ens5, …)',
);

interface SeriesJson {
  values: Array<number | null>;
}
interface NodeJson {
  name: string;
  networkReceivedBytesPerSecond: number | null;
  networkTransmittedBytesPerSecond: number | null;
  charts: {
    network: Record<string, { receivedBytesPerSecond: SeriesJson; transmittedBytesPerSecond: SeriesJson }>;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.runIf(runnable)('node network through the node API', () => {
  const temp = makeTempDir('vigil-node-network-');
  let vigil: TestServer;
  let agent: RunningNodeAgent;

  beforeAll(async () => {
    vigil = await startTestServer({ VIGIL_CACHE_STEP: '1s', VIGIL_CACHE_REFRESH: '1s' });
    agent = await startNodeAgent({
      listen: { host: '127.0.0.1', port: 0 },
      scrapeIntervalMs: 1000,
      ebpf: false,
      logs: false,
      profiling: false,
      push: {
        collectorUrl: vigil.api,
        apiKey: TEST_API_KEY,
        spoolDir: temp.dir,
        backoff: { initialMs: 200, maxMs: 1000 },
      },
    });
  }, 60_000);
  afterAll(async () => {
    await agent?.stop();
    await vigil?.stop();
    temp.cleanup();
  });

  /** The node page over the last two minutes, once its traffic figure is there (within a minute). */
  async function nodeWithTraffic(): Promise<NodeJson> {
    let last: unknown;
    for (let i = 0; i < 120; i++) {
      const to = Date.now();
      const range = `from=${to - 120_000}&to=${to}`;
      // The agent's only node, whatever machine id it found for this machine.
      const list = await vigil.getJson<{ nodes: NodeJson[] }>(`/api/v1/overview/nodes?${range}`);
      last = list.body;
      const row = list.body.nodes?.find((n) => n.networkReceivedBytesPerSecond !== null);
      if (row) {
        const node = await vigil.getJson<NodeJson>(`/api/v1/nodes/${encodeURIComponent(row.name)}?${range}`);
        expect(node.status).toBe(200);
        return node.body;
      }
      await sleep(500);
    }
    throw new Error(`no node with network figures; last answer ${JSON.stringify(last)}`);
  }

  it('answers with this machine’s NICs, each way, without the loopback the agent also sent', async () => {
    const node = await nodeWithTraffic();
    expect(Object.keys(node.charts.network)).toEqual(nics);
    for (const figure of [node.networkReceivedBytesPerSecond, node.networkTransmittedBytesPerSecond]) {
      expect(Number.isFinite(figure)).toBe(true);
      expect(figure).toBeGreaterThanOrEqual(0);
    }
    // The agent did send lo (every Linux machine has one): the API left it out, not the agent.
    expect(interfaces).toContain('lo');
    const to = Math.floor(Date.now() / 1000) * 1000 - 2000;
    const cached = await vigil.getJson<{ data: { result: Array<{ metric: Record<string, string> }> } }>(
      `/api/v1/cache/query_range?query=node_net_rx_bytes&from=${to - 10_000}&to=${to}&step=1000`,
    );
    expect(cached.status).toBe(200);
    expect(cached.body.data.result.map((s) => s.metric['interface'])).toContain('lo');
  });
});
