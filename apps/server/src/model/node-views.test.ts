/**
 * The node routes' JSON (`nodeRow`, `nodeView`) over a world built from the scenario kit's shop:
 * each node's NIC traffic, without the loopback and container-bridge interfaces it also reports.
 */
import { describe, expect, it } from 'vitest';
import { buildWorld, gridFor, type World } from '@vigil/model';
import { PromqlModelSource } from '@vigil/model/testing';
import { NODE_NETWORK, shopSystem, simulate } from '@vigil/testkit/scenarios';
import { nodeRow, nodeView } from './views.ts';

const MINUTE = 60_000;
const FROM = Date.UTC(2026, 10, 20, 10, 0, 0);
const TO = FROM + 40 * MINUTE;

async function shopWorld(): Promise<World> {
  const series = simulate(shopSystem(), [], { fromMs: FROM, toMs: TO, scrapeMs: 15_000, seed: 11 });
  return buildWorld(new PromqlModelSource(series), gridFor(FROM + 10 * MINUTE, TO, MINUTE));
}

/** What the route sends: NaN becomes null on the way. */
const asJson = <T>(value: T): unknown => JSON.parse(JSON.stringify(value));

describe('node views', () => {
  it('give each node its NIC traffic each way, leaving out lo and the container bridge', async () => {
    const world = await shopWorld();
    for (const node of world.nodes) {
      const row = nodeRow(node);
      // Counting lo and cni0 too would add their 130 kB/s to the NIC's figure.
      expect(row.networkReceivedBytesPerSecond).toBeGreaterThan(NODE_NETWORK.receivedBaseBytesPerSecond);
      expect(row.networkReceivedBytesPerSecond).toBeLessThan(
        NODE_NETWORK.receivedBaseBytesPerSecond + 2_000 * NODE_NETWORK.receivedBytesPerRequest,
      );
      expect(row.networkTransmittedBytesPerSecond).toBeGreaterThan(
        NODE_NETWORK.transmittedBaseBytesPerSecond,
      );
    }
    const [a, b] = world.nodes.map(nodeRow);
    // node-a runs the frontend and the api (about 200 requests a second each), node-b the
    // databases behind them (600 queries a second to Postgres alone): more bytes per second.
    expect(b!.networkTransmittedBytesPerSecond).toBeGreaterThan(a!.networkTransmittedBytesPerSecond);
  });

  it('chart each counted interface’s series, the last of which is the row’s figure', async () => {
    const world = await shopWorld();
    const node = world.nodes.find((n) => n.name === 'node-b')!;
    const view = asJson(nodeView(world, node, world.applications)) as {
      networkReceivedBytesPerSecond: number;
      charts: {
        network: Record<string, { receivedBytesPerSecond: { values: Array<number | null> } }>;
      };
    };
    expect(Object.keys(view.charts.network)).toEqual(['eth0']);
    const values = view.charts.network['eth0']!.receivedBytesPerSecond.values;
    expect(values).toHaveLength(world.grid.points);
    expect(values.filter((v) => v !== null).at(-1)).toBe(view.networkReceivedBytesPerSecond);
  });

  it('send null, not zero, for a node whose agent reports no network interface', async () => {
    const world = await shopWorld();
    const bare = { ...world.nodes[0]!, network: new Map() };
    const row = asJson(nodeRow(bare)) as Record<string, unknown>;
    expect(row['networkReceivedBytesPerSecond']).toBeNull();
    expect(row['networkTransmittedBytesPerSecond']).toBeNull();
  });
});
