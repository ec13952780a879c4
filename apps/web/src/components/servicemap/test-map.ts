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
