/**
 * Responses captured from the real server (imported only by tests): the scenario kit's shop, 75
 * minutes with an OOM loop on the api and a rollout of shop/api:1.5.0 25 minutes before the end,
 * `GET /api/v1/apps/<id>` over the last hour. Series are thinned to every 60th point (the grid's
 * step widened to match) and numbers rounded, so the file stays readable; the shapes are the
 * server's own. The reports are in app-report-fixtures.ts.
 */
import type { ApplicationRow, ApplicationView } from '../../api/types.ts';
import { API_REPORTS, CAPTURE_GRID, onGrid } from './app-report-fixtures.ts';

export const API_VIEW: ApplicationView = {
  id: '/k8s/shop/api',
  name: 'api',
  namespace: 'shop',
  kind: 'kubernetes',
  category: 'application',
  types: ['golang'],
  instances: [
    {
      id: '/k8s/shop/api-r0-2/api',
      node: 'node-a',
      images: ['shop/api:2.7.1'],
      listens: ['10.42.0.14:9000'],
      up: true,
      cpuCores: 0.07003,
      memoryRssBytes: 306700000,
    },
    {
      id: '/k8s/shop/api-r1-0/api',
      node: 'node-a',
      images: ['shop/api:1.5.0'],
      listens: ['10.42.0.12:9000'],
      up: true,
      cpuCores: 0.1831,
      memoryRssBytes: 694157312,
    },
    {
      id: '/k8s/shop/api-r1-2/api',
      node: 'node-a',
      images: ['shop/api:1.5.0'],
      listens: ['10.42.0.14:9000'],
      up: true,
      cpuCores: 0.1849,
      memoryRssBytes: 321100000,
    },
    {
      id: '/k8s/shop/api-r1-1/api',
      node: 'node-a',
      images: ['shop/api:1.5.0'],
      listens: ['10.42.0.13:9000'],
      up: true,
      cpuCores: 0.1837,
      memoryRssBytes: 321400000,
    },
    {
      id: '/k8s/shop/api-r0-0/api',
      node: 'node-a',
      images: ['shop/api:2.7.1'],
      listens: ['10.42.0.12:9000'],
      up: true,
      cpuCores: 0.06847,
      memoryRssBytes: 675200000,
    },
    {
      id: '/k8s/shop/api-r0-1/api',
      node: 'node-a',
      images: ['shop/api:2.7.1'],
      listens: ['10.42.0.13:9000'],
      up: true,
      cpuCores: 0.06842,
      memoryRssBytes: 322400000,
    },
  ],
  status: 'critical',
  reports: {
    SLO: {
      status: 'ok',
      message: 'availability 95.23% over the last hour, objective 99%: error budget burning 4.76× too fast',
    },
    Instances: {
      status: 'warning',
      message: '2 of 6 instances restarted 6 times: OOM kill (6)',
    },
    CPU: {
      status: 'ok',
      message: 'node CPU at most 13%',
    },
    Memory: {
      status: 'critical',
      message: '2 of 6 instances OOM-killed 6 times: memory limit 1 GiB is too small',
    },
    Storage: {
      status: 'unknown',
      message: 'The application has no volumes the agent can see.',
    },
    Net: {
      status: 'ok',
      message: 'RTT at most 412 µs',
    },
    Logs: {
      status: 'warning',
      message: '33,840 errors; most often: "request failed: upstream returned an error" (33,840)',
    },
    Deployments: {
      status: 'ok',
      message: '1 deployment, last: shop/api:1.5.0',
    },
    DNS: {
      status: 'ok',
      message: 'p95 at most 4.8 ms',
    },
  },
  grid: CAPTURE_GRID,
  incomplete: [],
  upstreams: [
    {
      appId: '/k8s/shop/postgres',
      protocols: ['postgres'],
      requestsPerSecond: onGrid([601.5, 601.5, 597.8, 602.2, 604.3]),
      errorsPerSecond: onGrid([0, 0, 0, 0, 0]),
      latencyP95Seconds: onGrid([0.004969, 0.004962, 0.004955, 0.004968, 0.004957]),
      retransmitsPerSecond: onGrid([0, 0, 0, 0, 0]),
      failedConnectsPerSecond: onGrid([0, 0, 0, 0, 0]),
    },
    {
      appId: '/k8s/shop/redis',
      protocols: ['redis'],
      requestsPerSecond: onGrid([398.9, 397.3, 398.7, 401.9, 398.8]),
      errorsPerSecond: onGrid([0, 0, 0, 0, 0]),
      latencyP95Seconds: onGrid([0.00475, 0.00475, 0.00475, 0.00475, 0.00475]),
      retransmitsPerSecond: onGrid([0, 0, 0, 0, 0]),
      failedConnectsPerSecond: onGrid([0, 0, 0, 0, 0]),
    },
  ],
  downstreams: [
    {
      appId: '/k8s/shop/frontend',
      protocols: ['http'],
      requestsPerSecond: onGrid([199.4, 200.9, 198.7, 201.2, 198.8]),
      errorsPerSecond: onGrid([0, 13.08, 6.428, 23.14, 13.92]),
      latencyP95Seconds: onGrid([0.04734, 0.04718, 0.0473, 0.04723, 0.04722]),
      retransmitsPerSecond: onGrid([0, 0, 0, 0, 0]),
      failedConnectsPerSecond: onGrid([0, 0, 0, 0, 0]),
    },
  ],
  deployments: [
    {
      id: '/k8s/shop/api@1795782045000',
      applicationId: '/k8s/shop/api',
      image: 'shop/api:1.5.0',
      previousImage: 'shop/api:2.7.1',
      startedAtMs: 1795782045000,
      finishedAtMs: 1795782345000,
      durationMs: 300000,
      state: 'done',
    },
  ],
  reportDetails: API_REPORTS,
};

/** `GET /api/v1/overview/applications` of the same run, per-report cells left out. */
export const SHOP_ROWS: readonly ApplicationRow[] = [
  {
    id: '/k8s/monitoring/prometheus',
    name: 'prometheus',
    namespace: 'monitoring',
    kind: 'kubernetes',
    category: 'monitoring',
    types: ['prometheus'],
    instances: 1,
    status: 'ok',
    reports: {},
  },
  {
    id: '/k8s/shop/api',
    name: 'api',
    namespace: 'shop',
    kind: 'kubernetes',
    category: 'application',
    types: ['golang'],
    instances: 6,
    status: 'critical',
    reports: {},
  },
  {
    id: '/k8s/shop/batch',
    name: 'batch',
    namespace: 'shop',
    kind: 'kubernetes',
    category: 'application',
    types: [],
    instances: 1,
    status: 'ok',
    reports: {},
  },
  {
    id: '/k8s/shop/frontend',
    name: 'frontend',
    namespace: 'shop',
    kind: 'kubernetes',
    category: 'application',
    types: ['nginx'],
    instances: 2,
    status: 'warning',
    reports: {},
  },
  {
    id: '/k8s/shop/postgres',
    name: 'postgres',
    namespace: 'shop',
    kind: 'kubernetes',
    category: 'application',
    types: ['postgres'],
    instances: 1,
    status: 'ok',
    reports: {},
  },
  {
    id: '/k8s/shop/redis',
    name: 'redis',
    namespace: 'shop',
    kind: 'kubernetes',
    category: 'application',
    types: ['redis'],
    instances: 1,
    status: 'ok',
    reports: {},
  },
];
