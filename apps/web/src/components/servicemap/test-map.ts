/** A small map answer for tests (imported only by tests): a shop, a shared database, an external address. */
import type { MapApiEdge, MapApiNode, MapResponse } from './map-types.ts';

/** An application with defaults. */
export const app = (id: string, over: Partial<MapApiNode> = {}): MapApiNode => ({
  id,
  name: id.split('/').pop() ?? id,
  namespace: id.split('/')[2] ?? '',
  kind: 'kubernetes',
  category: 'application',
  types: [],
  instances: 1,
  status: 'ok',
  ...over,
});

/** An edge with defaults: 10 rps, no errors, p95 20 ms. */
export const edge = (from: string, to: string, over: Partial<MapApiEdge> = {}): MapApiEdge => ({
  from,
  to,
  protocols: ['http'],
  requestsPerSecond: 10,
  errorRate: 0,
  latencyP95Seconds: 0.02,
  failedConnectsPerSecond: 0,
  retransmitsPerSecond: 0,
  rttSeconds: 0.001,
  health: 'ok',
  ...over,
});

/** frontend → api → postgres (db namespace), api → 1.2.3.4:443 (external). */
export const SHOP: MapResponse = {
  nodes: [
    app('/k8s/shop/frontend'),
    app('/k8s/shop/api', { status: 'critical' }),
    app('/k8s/db/postgres', { category: 'database', types: ['postgres'], status: 'warning' }),
    app('1.2.3.4:443', { name: '1.2.3.4:443', namespace: '', kind: 'external', category: 'external' }),
  ],
  edges: [
    edge('/k8s/shop/frontend', '/k8s/shop/api', {
      requestsPerSecond: 120,
      errorRate: 0.021,
      latencyP95Seconds: 0.085,
      health: 'warning',
    }),
    edge('/k8s/shop/api', '/k8s/db/postgres', { protocols: ['postgres'] }),
    edge('/k8s/shop/api', '1.2.3.4:443', {
      protocols: [],
      requestsPerSecond: 0,
      failedConnectsPerSecond: 0.5,
      rttSeconds: 0.002,
      health: 'warning',
    }),
  ],
};

/**
 * A deterministic larger map for layout tests: `apps` applications in `namespaces`, `calls`
 * edges, most inside a namespace; `acyclic` keeps every call going to a higher index.
 */
export function generatedMap(apps: number, calls: number, namespaces: number, acyclic = false): MapResponse {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const nodes = Array.from({ length: apps }, (_, i) =>
    app(`/k8s/ns-${i % namespaces}/svc-${i}`, { name: `svc-${'x'.repeat(i % 23)}${i}` }),
  );
  const edges: MapApiEdge[] = [];
  const seen = new Set<string>();
  for (let tries = 0; edges.length < calls && tries < calls * 50; tries++) {
    const a = Math.floor(rnd() * apps);
    const local = rnd() < 0.8;
    let b = local
      ? (a % namespaces) + namespaces * Math.floor(rnd() * (apps / namespaces))
      : Math.floor(rnd() * apps);
    if (b >= apps) b = a;
    if (a === b || (acyclic && b < a)) continue;
    const key = `${a}>${b}`;
    if (seen.has(key)) continue;
    seen.add(key);
    edges.push(edge(nodes[a]!.id, nodes[b]!.id));
  }
  return { nodes, edges };
}
