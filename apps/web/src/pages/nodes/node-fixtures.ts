/**
 * Responses shaped exactly as apps/server/src/model/views.ts writes them (`nodeRow`, `nodeView`,
 * after JSON: NaN → null), for the page tests. Imported only by tests.
 */
import type { NodeRow, NodeView } from './node-types.ts';

const FROM_MS = 1_718_000_000_000;
const STEP_MS = 15_000;
const grid = (values: Array<number | null>) => ({ fromMs: FROM_MS, stepMs: STEP_MS, values });

/** Three nodes: a busy one, a quiet one, one whose agent stopped (no CPU or network figures). */
export const NODE_ROWS: NodeRow[] = [
  {
    name: '4c4c4544004a3510804bb4c04f563532',
    hostname: 'worker-2',
    ips: ['10.0.1.12'],
    cpuCores: 8,
    cpuUsagePercent: 23.5,
    cpuUsagePercentMax: 41.2,
    memoryTotalBytes: 34_359_738_368,
    memoryUsedPercent: 71.3,
    networkReceivedBytesPerSecond: 5_242_880,
    networkTransmittedBytesPerSecond: 1_048_576,
    instances: 12,
    up: true,
  },
  {
    name: 'ec2a9f0c11d34c1f8e6fd1a4cf6e5b7a',
    hostname: 'worker-1',
    ips: ['10.0.1.11', '172.17.0.1'],
    cpuCores: 4,
    cpuUsagePercent: 87.9,
    cpuUsagePercentMax: 99.1,
    memoryTotalBytes: 17_179_869_184,
    memoryUsedPercent: 42.0,
    networkReceivedBytesPerSecond: 262_144,
    networkTransmittedBytesPerSecond: 3_145_728,
    instances: 5,
    up: true,
  },
  {
    name: '9b1deb4d3b7d4bad9bdd2b0d7b3dcb6d',
    hostname: 'db-1',
    ips: ['10.0.2.5'],
    cpuCores: null,
    cpuUsagePercent: null,
    cpuUsagePercentMax: null,
    memoryTotalBytes: 68_719_476_736,
    memoryUsedPercent: 88.8,
    networkReceivedBytesPerSecond: null,
    networkTransmittedBytesPerSecond: null,
    instances: 2,
    up: false,
  },
];

/** `GET /api/v1/nodes/worker-1`'s machine, with a Postgres and a Kubernetes pod on it. */
export const NODE_VIEW: NodeView = {
  ...NODE_ROWS[1]!,
  grid: { fromMs: FROM_MS, stepMs: STEP_MS, points: 4 },
  charts: {
    cpuUsagePercent: grid([61.2, 75.4, null, 87.9]),
    memoryTotalBytes: grid([17_179_869_184, 17_179_869_184, 17_179_869_184, 17_179_869_184]),
    memoryAvailableBytes: grid([10_737_418_240, 10_200_547_328, null, 9_964_324_454]),
    diskIoTime: { nvme0n1: grid([0.12, 0.3, 0.25, 0.41]), sda: grid([0.01, 0.0, 0.02, null]) },
    // The row's figures are the sums of these last values: 256 KiB/s in, 3 MiB/s out.
    network: {
      eth1: { receivedBytesPerSecond: grid([0, 0, 0, 0]), transmittedBytesPerSecond: grid([0, 0, null, 0]) },
      eth0: {
        receivedBytesPerSecond: grid([200_000, 250_000, null, 262_144]),
        transmittedBytesPerSecond: grid([3_000_000, 3_100_000, 3_200_000, 3_145_728]),
      },
    },
  },
  containers: [
    {
      id: '/docker/postgres',
      appId: '/docker/postgres',
      category: 'application',
      cpuCores: grid([0.4, 0.6, 0.5, 0.45]),
      memoryRssBytes: grid([512e6, 530e6, 529e6, 536_870_912]),
    },
    {
      id: '/k8s/shop/api-7d9f8b6c4-x2kqp/api',
      appId: '/k8s/shop/api',
      category: 'application',
      cpuCores: grid([1.1, 1.9, 2.4, 3.2]),
      memoryRssBytes: grid([300e6, 310e6, null, 320e6]),
    },
  ],
};
