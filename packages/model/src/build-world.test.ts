import { describe, expect, it } from 'vitest';
import { NODE_NETWORK, shopSystem, simulate, SHOP } from '@vigil/testkit/scenarios';
import { buildWorld } from './build-world.ts';
import { nodeTraffic } from './node-network.ts';
import { requestTotals, histogramQuantile, mergeL7Stats } from './l7-stats.ts';
import { PromqlModelSource } from './testing/promql-source.ts';
import { gridFor, seriesStats } from './time-series.ts';

const HOUR = 3_600_000;
const FROM = Date.UTC(2026, 10, 20, 10, 0, 0);
const TO = FROM + 2 * HOUR;

async function world() {
  const series = simulate(shopSystem(), [], { fromMs: FROM, toMs: TO, scrapeMs: 15_000, seed: 7 });
  return buildWorld(new PromqlModelSource(series), gridFor(FROM + 10 * 60_000, TO, 60_000));
}

describe('buildWorld over a simulated shop', () => {
  it('finds every application with its instances, node and category', async () => {
    const w = await world();
    const ids = w.applications.map((a) => a.id);
    expect(ids).toEqual(expect.arrayContaining(Object.values(SHOP)));
    const api = w.applications.find((a) => a.id === SHOP.api)!;
    expect(api.instances).toHaveLength(3);
    expect(api.kind).toBe('kubernetes');
    expect(api.namespace).toBe('shop');
    expect(api.name).toBe('api');
    expect(api.types).toEqual(['golang']);
    expect(api.category).toBe('application');
    expect(w.applications.find((a) => a.id === SHOP.prometheus)!.category).toBe('monitoring');
    expect(w.nodes.map((n) => n.name)).toEqual(['node-a', 'node-b']);
    expect(w.nodes[1]!.instances.map((i) => i.appId)).toContain(SHOP.postgres);
  });

  it('resolves connections through NAT to the application listening there, with rates and latency', async () => {
    const w = await world();
    const api = w.applications.find((a) => a.id === SHOP.api)!;
    const targets = new Set(api.upstreams.map((c) => c.toApp));
    expect(targets).toEqual(new Set([SHOP.postgres, SHOP.redis]));
    const pg = api.upstreams.filter((c) => c.toApp === SHOP.postgres);
    const rate = pg.reduce(
      (sum, c) => sum + seriesStats(requestTotals(w.grid, c.l7.get('postgres')!).total).mean,
      0,
    );
    expect(rate).toBeGreaterThan(600 * 0.95);
    expect(rate).toBeLessThan(600 * 1.05);
    const frontend = w.applications.find((a) => a.id === SHOP.frontend)!;
    expect(frontend.upstreams.every((c) => c.toApp === SHOP.api)).toBe(true);
    expect(w.applications.find((a) => a.id === SHOP.postgres)!.downstreams.length).toBe(pg.length);
    // frontend → api latency: api's 12 ms + 3 × postgres + 2 × redis ≈ 20 ms; median inside the 10-25 ms bucket range.
    const stats = frontend.upstreams[0]!.l7.get('http')!;
    const p50 = seriesStats(histogramQuantile(w.grid, stats.histogram, 0.5)).mean;
    expect(p50).toBeGreaterThan(0.01);
    expect(p50).toBeLessThan(0.05);
  });

  it('reads inbound requests, volumes and logs per instance', async () => {
    const w = await world();
    const postgres = w.applications.find((a) => a.id === SHOP.postgres)!.instances[0]!;
    const served = requestTotals(w.grid, postgres.inbound.get('postgres')!).total;
    expect(seriesStats(served).mean).toBeGreaterThan(570);
    expect(postgres.volumes[0]!.mountPoint).toBe('/var/lib/postgresql/data');
    expect(seriesStats(postgres.volumes[0]!.sizeBytes).last).toBe(20 * 1024 ** 3);
    const info = postgres.logs.byLevel.get('info')!;
    expect(seriesStats(info).mean).toBeGreaterThan(100); // 2 lines/s → ~120 per minute
    expect(postgres.listens).toEqual(['10.42.1.22:5432']);
  });

  it('reads each node interface’s traffic, and the node’s total counts its NIC only', async () => {
    const w = await world();
    const node = w.nodes.find((n) => n.name === 'node-b')!;
    expect([...node.network.keys()]).toEqual(['cni0', 'eth0', 'lo']);
    expect(seriesStats(node.network.get('lo')!.receivedBytesPerSecond).mean).toBeCloseTo(
      NODE_NETWORK.loopbackBytesPerSecond,
      0,
    );
    // The simulated NIC carries a background plus so much per request the node's apps serve.
    const inbound = mergeL7Stats(
      w.grid,
      node.instances.flatMap((i) => [...i.inbound.values()]),
    );
    const served = seriesStats(requestTotals(w.grid, inbound).total).mean;
    expect(served).toBeGreaterThan(500);
    const total = nodeTraffic(w.grid, node.network);
    const received = seriesStats(total.receivedBytesPerSecond).mean;
    const expected = NODE_NETWORK.receivedBaseBytesPerSecond + NODE_NETWORK.receivedBytesPerRequest * served;
    expect(received / expected).toBeGreaterThan(0.95);
    expect(received / expected).toBeLessThan(1.05);
    expect(seriesStats(total.transmittedBytesPerSecond).mean).toBeGreaterThan(
      NODE_NETWORK.transmittedBaseBytesPerSecond + NODE_NETWORK.transmittedBytesPerRequest * served * 0.95,
    );
  });
});
