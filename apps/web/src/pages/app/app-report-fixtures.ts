/**
 * The reports of the captured `GET /api/v1/apps/%2Fk8s%2Fshop%2Fapi` (see app-fixtures.ts):
 * checks and charts as the server sent them, series thinned to the response's five-point grid.
 */
import type { ApplicationView } from '../../api/types.ts';

/** The capture's grid: five points, 15 minutes apart. */
export const CAPTURE_GRID = { fromMs: 1795780245000, stepMs: 900000, points: 5 } as const;

/** A series on the capture's grid. */
export const onGrid = (values: Array<number | null>) => ({
  fromMs: CAPTURE_GRID.fromMs,
  stepMs: CAPTURE_GRID.stepMs,
  values,
});

export const API_REPORTS: ApplicationView['reportDetails'] = [
  {
    name: 'SLO',
    status: 'ok',
    checks: [
      {
        id: 'slo_availability',
        title: 'Availability',
        status: 'ok',
        message: 'availability 95.23% over the last hour, objective 99%: error budget burning 4.76× too fast',
        threshold: 99,
        value: 95.24,
        unit: '%',
      },
      {
        id: 'slo_latency',
        title: 'Latency',
        status: 'ok',
        message: 'latency: 100% of requests faster than 500 ms over the last hour, objective 99%',
        threshold: 99,
        value: 100,
        unit: '%',
      },
    ],
    charts: [
      {
        title: 'Requests',
        unit: 'req/s',
        lines: [
          {
            name: 'ok',
            data: onGrid([200.1, 186.8, 196.1, 178.6, 184.6]),
          },
          {
            name: 'failed',
            data: onGrid([0, 12.98, 4.002, 23.15, 13.9]),
          },
        ],
      },
      {
        title: 'Latency compliance',
        unit: '%',
        lines: [
          {
            name: 'faster than 500 ms',
            data: onGrid([100, 100, 100, 100, 100]),
          },
        ],
        threshold: 99,
      },
      {
        title: 'Error budget burn rate, 1 h window',
        unit: '×',
        lines: [
          {
            name: 'availability',
            data: onGrid([0, 1.659, 2.088, 3.82, 4.763]),
          },
          {
            name: 'latency',
            data: onGrid([0, 0, 0, 0, 0]),
          },
        ],
        threshold: 14.4,
      },
    ],
  },
  {
    name: 'Instances',
    status: 'warning',
    checks: [
      {
        id: 'instances_availability',
        title: 'Available instances',
        unit: '%',
        threshold: 75,
        status: 'ok',
        value: 100,
        message: '3 of 3 instances up',
      },
      {
        id: 'instances_restarts',
        title: 'Restarts',
        unit: 'count',
        threshold: 1,
        status: 'warning',
        value: 6,
        message: '2 of 6 instances restarted 6 times: OOM kill (6)',
      },
    ],
    charts: [
      {
        title: 'Instances up',
        unit: 'count',
        lines: [
          {
            name: 'up',
            data: onGrid([3, 3, 6, 3, 3]),
          },
        ],
      },
      {
        title: 'Restarts',
        unit: 'count',
        lines: [
          {
            name: 'api-r0-2',
            data: onGrid([0, 0, 0, null, null]),
          },
          {
            name: 'api-r1-0',
            data: onGrid([null, null, 0, 2, 3]),
          },
          {
            name: 'api-r1-2',
            data: onGrid([null, null, 0, 0, 0]),
          },
          {
            name: 'api-r1-1',
            data: onGrid([null, null, 0, 0, 0]),
          },
          {
            name: 'api-r0-0',
            data: onGrid([0, 2, 3, null, null]),
          },
          {
            name: 'api-r0-1',
            data: onGrid([0, 0, 0, null, null]),
          },
        ],
      },
    ],
  },
  {
    name: 'CPU',
    status: 'ok',
    checks: [
      {
        id: 'cpu_node',
        title: 'Node CPU utilisation',
        unit: '%',
        threshold: 80,
        status: 'ok',
        value: 12.63,
        message: 'node CPU at most 13%',
      },
      {
        id: 'cpu_container',
        title: 'CPU usage vs the container limit',
        unit: '%',
        threshold: 80,
        status: 'ok',
        value: 18.81,
        message: 'usage at most 19% of the limit',
      },
      {
        id: 'cpu_throttling',
        title: 'CPU throttling',
        unit: 's/s',
        threshold: 0.05,
        status: 'ok',
        value: 0,
        message: 'no significant throttling',
      },
    ],
    charts: [
      {
        title: 'CPU usage',
        unit: 'cores',
        lines: [
          {
            name: 'api-r0-2',
            data: onGrid([0.1805, 0.1817, 0.1862, null, null]),
          },
          {
            name: 'api-r1-0',
            data: onGrid([null, null, null, 0.1851, 0.1831]),
          },
          {
            name: 'api-r1-2',
            data: onGrid([null, null, null, 0.1836, 0.1849]),
          },
          {
            name: 'api-r1-1',
            data: onGrid([null, null, null, 0.1786, 0.1837]),
          },
          {
            name: 'api-r0-0',
            data: onGrid([0.1851, 0.1846, 0.1829, null, null]),
          },
          {
            name: 'api-r0-1',
            data: onGrid([0.1836, 0.1844, 0.1812, null, null]),
          },
        ],
      },
      {
        title: 'CPU throttling',
        unit: 's/s',
        lines: [
          {
            name: 'api-r0-2',
            data: onGrid([0, 0, 0, null, null]),
          },
          {
            name: 'api-r1-0',
            data: onGrid([null, null, null, 0, 0]),
          },
          {
            name: 'api-r1-2',
            data: onGrid([null, null, null, 0, 0]),
          },
          {
            name: 'api-r1-1',
            data: onGrid([null, null, null, 0, 0]),
          },
          {
            name: 'api-r0-0',
            data: onGrid([0, 0, 0, null, null]),
          },
          {
            name: 'api-r0-1',
            data: onGrid([0, 0, 0, null, null]),
          },
        ],
        threshold: 0.05,
      },
      {
        title: 'Node CPU',
        unit: '%',
        lines: [
          {
            name: 'node-a',
            data: onGrid([12.62, 12.63, 12.63, 12.63, 12.62]),
          },
        ],
        threshold: 80,
      },
    ],
  },
  {
    name: 'Memory',
    status: 'critical',
    checks: [
      {
        id: 'memory_oom',
        title: 'Out-of-memory kills',
        unit: 'count',
        threshold: 0,
        status: 'critical',
        value: 6,
        message: '2 of 6 instances OOM-killed 6 times: memory limit 1 GiB is too small',
      },
      {
        id: 'memory_leak',
        title: 'Memory growth (leak)',
        unit: '%/h',
        threshold: 10,
        status: 'ok',
        value: 3.257,
        message: 'memory stable',
      },
      {
        id: 'memory_pressure',
        title: 'Memory pressure',
        unit: 's/s',
        threshold: 0.02,
        status: 'unknown',
        message: 'no memory pressure metrics (needs PSI: cgroup v2 or psi=1)',
      },
    ],
    charts: [
      {
        title: 'Memory RSS',
        unit: 'bytes',
        lines: [
          {
            name: 'api-r0-2',
            data: onGrid([317900000, 308100000, 306700000, null, null]),
          },
          {
            name: 'api-r1-0',
            data: onGrid([null, null, 694200000, 322500000, 694200000]),
          },
          {
            name: 'api-r1-2',
            data: onGrid([null, null, 313800000, 310500000, 321100000]),
          },
          {
            name: 'api-r1-1',
            data: onGrid([null, null, 310200000, 318300000, 321400000]),
          },
          {
            name: 'api-r0-0',
            data: onGrid([323800000, 308700000, 675200000, null, null]),
          },
          {
            name: 'api-r0-1',
            data: onGrid([306900000, 311500000, 322400000, null, null]),
          },
        ],
      },
      {
        title: 'Memory limit',
        unit: 'bytes',
        lines: [
          {
            name: 'api-r0-2',
            data: onGrid([1074000000, 1074000000, 1074000000, null, null]),
          },
          {
            name: 'api-r1-0',
            data: onGrid([null, null, 1074000000, 1074000000, 1074000000]),
          },
          {
            name: 'api-r1-2',
            data: onGrid([null, null, 1074000000, 1074000000, 1074000000]),
          },
          {
            name: 'api-r1-1',
            data: onGrid([null, null, 1074000000, 1074000000, 1074000000]),
          },
          {
            name: 'api-r0-0',
            data: onGrid([1074000000, 1074000000, 1074000000, null, null]),
          },
          {
            name: 'api-r0-1',
            data: onGrid([1074000000, 1074000000, 1074000000, null, null]),
          },
        ],
      },
      {
        title: 'OOM kills (total)',
        unit: 'count',
        lines: [
          {
            name: 'api-r0-2',
            data: onGrid([0, 0, 0, null, null]),
          },
          {
            name: 'api-r1-0',
            data: onGrid([null, null, 0, 2, 3]),
          },
          {
            name: 'api-r1-2',
            data: onGrid([null, null, 0, 0, 0]),
          },
          {
            name: 'api-r1-1',
            data: onGrid([null, null, 0, 0, 0]),
          },
          {
            name: 'api-r0-0',
            data: onGrid([0, 2, 3, null, null]),
          },
          {
            name: 'api-r0-1',
            data: onGrid([0, 0, 0, null, null]),
          },
        ],
      },
    ],
  },
  {
    name: 'Storage',
    status: 'unknown',
    checks: [],
    charts: [],
    noData: 'The application has no volumes the agent can see.',
  },
  {
    name: 'Net',
    status: 'ok',
    checks: [
      {
        id: 'net_rtt',
        title: 'Round-trip time to upstreams in the cluster',
        unit: 's',
        threshold: 0.01,
        status: 'ok',
        value: 0.000412,
        message: 'RTT at most 412 µs',
      },
      {
        id: 'net_rtt_external',
        title: 'Round-trip time to external upstreams',
        unit: 's',
        threshold: 0.2,
        status: 'unknown',
        message: 'no external upstreams with RTT data',
      },
      {
        id: 'net_retransmits',
        title: 'TCP retransmissions',
        unit: '/s',
        threshold: 1,
        status: 'ok',
        value: 0,
        message: 'few TCP retransmissions',
      },
      {
        id: 'net_failed_connects',
        title: 'Failed TCP connections',
        unit: 'count',
        threshold: 0,
        status: 'ok',
        value: 0,
        message: 'no failed connections',
      },
      {
        id: 'net_upstreams',
        title: 'Unavailable upstreams',
        unit: 'count',
        threshold: 0,
        status: 'ok',
        value: 0,
        message: '2 upstreams reachable',
      },
    ],
    charts: [
      {
        title: 'RTT',
        unit: 's',
        lines: [
          {
            name: '/k8s/shop/postgres',
            data: onGrid([0.0004064, 0.0004069, 0.0004042, 0.0003991, 0.0004051]),
          },
          {
            name: '/k8s/shop/redis',
            data: onGrid([0.0004102, 0.0004065, 0.0004068, 0.0004116, 0.0004015]),
          },
        ],
        threshold: 0.01,
      },
      {
        title: 'TCP retransmissions',
        unit: '/s',
        lines: [
          {
            name: '/k8s/shop/postgres',
            data: onGrid([0, 0, 0, 0, 0]),
          },
          {
            name: '/k8s/shop/redis',
            data: onGrid([0, 0, 0, 0, 0]),
          },
        ],
      },
      {
        title: 'Failed connections',
        unit: '/s',
        lines: [
          {
            name: '/k8s/shop/postgres',
            data: onGrid([0, 0, 0, 0, 0]),
          },
          {
            name: '/k8s/shop/redis',
            data: onGrid([0, 0, 0, 0, 0]),
          },
        ],
      },
    ],
  },
  {
    name: 'Logs',
    status: 'warning',
    checks: [
      {
        id: 'logs_errors',
        title: 'Errors in logs',
        unit: 'count',
        threshold: 0,
        status: 'warning',
        value: 33840,
        message: '33,840 errors; most often: "request failed: upstream returned an error" (33,840)',
      },
    ],
    charts: [
      {
        title: 'Messages by level',
        unit: 'per step',
        lines: [
          {
            name: 'info',
            data: onGrid([0, 92.15, 0, 91.1, 89.99]),
          },
          {
            name: 'error',
            data: onGrid([null, 600, 0, 750, 210]),
          },
        ],
      },
    ],
  },
  {
    name: 'Deployments',
    status: 'ok',
    checks: [
      {
        id: 'deployments_stuck',
        title: 'Rollout in progress',
        unit: 's',
        threshold: 180,
        status: 'ok',
        value: 0,
        message: '1 deployment, last: shop/api:1.5.0',
      },
    ],
    charts: [],
  },
  {
    name: 'DNS',
    status: 'ok',
    checks: [
      {
        id: 'dns_latency',
        title: 'DNS p95 latency',
        unit: 's',
        threshold: 0.1,
        status: 'ok',
        value: 0.004751,
        message: 'p95 at most 4.8 ms',
      },
      {
        id: 'dns_errors',
        title: 'DNS server errors',
        unit: 'count',
        threshold: 0,
        status: 'ok',
        value: 0,
        message: 'no server errors',
      },
      {
        id: 'dns_nxdomain',
        title: 'NXDOMAIN answers',
        unit: 'count',
        threshold: 0,
        status: 'ok',
        value: 0,
        message: 'no NXDOMAIN answers',
      },
    ],
    charts: [
      {
        title: 'DNS requests by status',
        unit: '/s',
        lines: [
          {
            name: 'ok',
            data: onGrid([15, 15, 15, 15, 15]),
          },
        ],
      },
      {
        title: 'DNS p95 latency',
        unit: 's',
        lines: [
          {
            name: 'p95',
            data: onGrid([0.004751, 0.004751, 0.004751, 0.004751, 0.004751]),
          },
        ],
        threshold: 0.1,
      },
      {
        title: 'DNS requests',
        unit: '/s',
        lines: [
          {
            name: 'total',
            data: onGrid([15, 15, 15, 15, 15]),
          },
        ],
      },
    ],
  },
];
