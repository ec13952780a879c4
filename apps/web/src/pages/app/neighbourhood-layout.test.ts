import { describe, expect, test } from 'vitest';
import type { ConnectionView } from '../../api/types.ts';
import {
  MAP_WIDTH,
  MAX_PER_SIDE,
  NODE_HEIGHT,
  NODE_WIDTH,
  ROW_HEIGHT,
  STUB_WIDTH,
  layoutNeighbourhood,
  type Peer,
} from './neighbourhood-layout.ts';

function peer(name: string, requestsPerSecond: number | null): Peer {
  const flat = (v: number | null) => ({ fromMs: 0, stepMs: 15_000, values: [v] });
  const connection: ConnectionView = {
    appId: `/k8s/shop/${name}`,
    protocols: ['http'],
    requestsPerSecond: flat(requestsPerSecond),
    errorsPerSecond: flat(0),
    latencyP95Seconds: flat(0.01),
    retransmitsPerSecond: flat(0),
    failedConnectsPerSecond: flat(0),
  };
  return { appId: connection.appId, name, status: 'ok', known: true, connection };
}

const mid = (y: number) => y + NODE_HEIGHT / 2;

describe('layoutNeighbourhood', () => {
  test('puts clients left and dependencies right, busiest on top, each column centred on the app', () => {
    const layout = layoutNeighbourhood(
      [peer('batch', 1), peer('frontend', 200)],
      [peer('postgres', 600), peer('redis', 400), peer('payments', null)],
    );
    expect(layout.heightPx).toBe(3 * ROW_HEIGHT);
    const at = Object.fromEntries(layout.peers.map((p) => [p.name, p]));
    expect(layout.peers.map((p) => `${p.side}:${p.name}`)).toEqual([
      'client:frontend',
      'client:batch',
      'dependency:postgres',
      'dependency:redis',
      'dependency:payments',
    ]);
    expect(at.frontend!.x).toBe(0);
    expect(at.postgres!.x).toBe(MAP_WIDTH - NODE_WIDTH);
    expect(layout.center.x).toBe((MAP_WIDTH - NODE_WIDTH) / 2);
    // Centred: the middle dependency and the midpoint of the two clients are level with the app.
    expect(mid(at.redis!.y)).toBe(mid(layout.center.y));
    expect((mid(at.frontend!.y) + mid(at.batch!.y)) / 2).toBe(mid(layout.center.y));
  });

  test('draws every edge from caller to callee, level next to the peer where its label is', () => {
    const layout = layoutNeighbourhood([peer('frontend', 10)], [peer('postgres', 10), peer('redis', 5)]);
    const [client, dependency] = layout.peers;
    const app = mid(layout.center.y);
    expect(client!.edge).toEqual([
      [NODE_WIDTH, mid(client!.y)],
      [NODE_WIDTH + STUB_WIDTH, mid(client!.y)],
      [layout.center.x, app],
    ]);
    expect(dependency!.edge).toEqual([
      [layout.center.x + NODE_WIDTH, app],
      [dependency!.x - STUB_WIDTH, mid(dependency!.y)],
      [dependency!.x, mid(dependency!.y)],
    ]);
    // The label sits above the level stub, next to the peer.
    expect(dependency!.labelAt.x).toBeGreaterThan(dependency!.x - STUB_WIDTH);
    expect(dependency!.labelAt.y).toBeLessThan(mid(dependency!.y));
    expect(client!.labelAt.anchor).toBe('start');
    expect(dependency!.labelAt.anchor).toBe('end');
    expect(client!.label).toBe('10 req/s · 0% errors · p95 10 ms');
  });

  test(`keeps the ${MAX_PER_SIDE} busiest peers of a side and counts the rest`, () => {
    const many = Array.from({ length: MAX_PER_SIDE + 3 }, (_, i) => peer(`client-${i}`, i));
    const layout = layoutNeighbourhood(many, []);
    expect(layout.peers).toHaveLength(MAX_PER_SIDE);
    expect(layout.peers[0]!.name).toBe(`client-${MAX_PER_SIDE + 2}`);
    expect(layout.hidden).toEqual({ client: 3, dependency: 0 });
    expect(layout.heightPx).toBe(MAX_PER_SIDE * ROW_HEIGHT);
  });
});
