/**
 * The system every scenario runs: a shop in namespace `shop` on two nodes, plus a batch job and a
 * monitoring agent that only exist to be distractors.
 *
 * ```
 *   200 rps ─► frontend (2) ─http─► api (3) ─postgres ×3/req─► postgres (1, 20 GiB volume)
 *                                        └──redis ×2/req─────► redis (1)
 *              batch (1, no traffic, a JVM)   prometheus (1, monitoring)
 *   frontend and api resolve names (DNS) as they go
 * ```
 */
import type { SystemSpec } from './system.ts';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

export const SHOP = {
  frontend: '/k8s/shop/frontend',
  api: '/k8s/shop/api',
  postgres: '/k8s/shop/postgres',
  redis: '/k8s/shop/redis',
  batch: '/k8s/shop/batch',
  prometheus: '/k8s/monitoring/prometheus',
} as const;

export function shopSystem(): SystemSpec {
  const common = { cpuBaseCores: 0.05, errorRate: 0, infoLogsPerSecond: 2 };
  return {
    nodes: [
      { name: 'node-a', ip: '10.0.0.11', cores: 8, memoryBytes: 16 * GiB },
      { name: 'node-b', ip: '10.0.0.12', cores: 4, memoryBytes: 16 * GiB },
    ],
    apps: [
      {
        ...common,
        id: SHOP.frontend,
        node: 'node-a',
        instances: 2,
        type: 'nginx',
        serves: 'http',
        port: 8080,
        image: 'shop/frontend:1.4.0',
        dnsLookupsPerSecond: 2,
        serviceSeconds: 0.004,
        cpuPerRequest: 0.0008,
        cpuLimitCores: 1,
        memoryBytes: 120 * MiB,
        memoryLimitBytes: 512 * MiB,
      },
      {
        ...common,
        id: SHOP.api,
        node: 'node-a',
        instances: 3,
        type: 'golang',
        serves: 'http',
        port: 9000,
        image: 'shop/api:2.7.1',
        dnsLookupsPerSecond: 5,
        serviceSeconds: 0.012,
        cpuPerRequest: 0.002,
        cpuLimitCores: 1,
        memoryBytes: 300 * MiB,
        memoryLimitBytes: 1 * GiB,
      },
      {
        ...common,
        id: SHOP.postgres,
        node: 'node-b',
        instances: 1,
        type: 'postgres',
        serves: 'postgres',
        port: 5432,
        image: 'postgres:16.4',
        serviceSeconds: 0.002,
        cpuPerRequest: 0.0004,
        memoryBytes: 2 * GiB,
        memoryLimitBytes: 4 * GiB,
        volume: { mountPoint: '/var/lib/postgresql/data', sizeBytes: 20 * GiB, usedBytes: 8 * GiB },
      },
      {
        ...common,
        id: SHOP.redis,
        node: 'node-b',
        instances: 1,
        type: 'redis',
        serves: 'redis',
        port: 6379,
        image: 'redis:7.2',
        serviceSeconds: 0.0004,
        cpuPerRequest: 0.0001,
        memoryBytes: 200 * MiB,
        memoryLimitBytes: 1 * GiB,
      },
      {
        ...common,
        id: SHOP.batch,
        node: 'node-b',
        instances: 1,
        serves: 'http',
        port: 8081,
        image: 'shop/batch:0.9',
        runtime: { kind: 'jvm', pausedSecondsPerSecond: 0.002 },
        serviceSeconds: 0.01,
        cpuPerRequest: 0,
        cpuLimitCores: 2,
        memoryBytes: 400 * MiB,
        memoryLimitBytes: 2 * GiB,
      },
      {
        ...common,
        id: SHOP.prometheus,
        node: 'node-b',
        instances: 1,
        type: 'prometheus',
        serves: 'http',
        port: 9090,
        image: 'prom/prometheus:2.53',
        serviceSeconds: 0.01,
        cpuPerRequest: 0,
        memoryBytes: 1 * GiB,
      },
    ],
    calls: [
      { from: SHOP.frontend, to: SHOP.api, perRequest: 1 },
      { from: SHOP.api, to: SHOP.postgres, perRequest: 3 },
      { from: SHOP.api, to: SHOP.redis, perRequest: 2 },
    ],
    entry: { [SHOP.frontend]: 200 },
    rttSeconds: 0.0004,
  };
}
