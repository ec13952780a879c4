/**
 * The registry on this machine's real processes: the bare Postgres and Redis servers become
 * `/host/postgres` and `/host/redis-server` with their types and listen addresses, Postgres's
 * backends inside it; a spinning child of this (node) process adds to `/host/node`'s CPU.
 */
import { spawn } from 'node:child_process';
import { canConnect, serviceGate } from '@vigil/testkit';
import { describe, expect, it } from 'vitest';
import type { MetricFamily } from '@vigil/agent-kit';
import { detectLayout } from '../cgroups/container-resources.ts';
import { ContainerRegistry } from './registry.ts';

const value = (families: MetricFamily[], name: string, labels: Record<string, string>): number | undefined =>
  families
    .find((f) => f.name === name)
    ?.samples.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

describe('ContainerRegistry on this machine', () => {
  it('finds the bare Postgres and Redis servers as host applications with type and listen address', async () => {
    const pg = serviceGate('PostgreSQL', await canConnect('127.0.0.1', 5432), 'start the machine Postgres');
    const redis = serviceGate('Redis', await canConnect('127.0.0.1', 6379), 'start the machine Redis');
    if (!pg || !redis) return;
    const root = serviceGate('root', process.getuid?.() === 0, "run as root to read other users' sockets");
    const registry = new ContainerRegistry({ layout: await detectLayout() });
    await registry.scan();
    const f = registry.families();
    const postgres = registry.list().find((c) => c.id === '/host/postgres');
    expect(
      postgres,
      registry
        .list()
        .map((c) => c.id)
        .join(', '),
    ).toBeDefined();
    // The postmaster and its background processes: one application.
    expect(postgres!.pids.length).toBeGreaterThan(3);
    expect(
      value(f, 'container_application_type', {
        container_id: '/host/postgres',
        application_type: 'postgres',
      }),
    ).toBe(1);
    expect(
      value(f, 'container_application_type', {
        container_id: '/host/redis-server',
        application_type: 'redis',
      }),
    ).toBe(1);
    expect(value(f, 'container_info', { container_id: '/host/postgres', app_id: '/host/postgres' })).toBe(1);
    expect(
      value(f, 'container_resources_memory_rss_bytes', { container_id: '/host/postgres' }),
    ).toBeGreaterThan(1e6);
    if (root) {
      expect(
        value(f, 'container_net_tcp_listen_info', {
          container_id: '/host/postgres',
          listen_addr: '127.0.0.1:5432',
        }),
      ).toBe(1);
      expect(
        value(f, 'container_net_tcp_listen_info', {
          container_id: '/host/redis-server',
          listen_addr: '127.0.0.1:6379',
        }),
      ).toBe(1);
    }
  });

  it("adds a child's CPU time to its host application and keeps it after the child exits", async () => {
    const registry = new ContainerRegistry({ layout: await detectLayout() });
    await registry.scan();
    const cpu = (): number =>
      value(registry.families(), 'container_resources_cpu_usage_seconds_total', {
        container_id: '/host/node',
      }) ?? NaN;
    const before = cpu();
    expect(before).toBeGreaterThanOrEqual(0);
    const child = spawn(process.execPath, ['-e', 'const end = Date.now() + 1500; while (Date.now() < end);']);
    const exited = new Promise((r) => child.once('exit', r));
    await new Promise((r) => setTimeout(r, 1000));
    await registry.scan();
    const during = cpu();
    await exited;
    await registry.scan();
    const after = cpu();
    // At least half a second of the child's spinning was seen while it ran, none lost after.
    expect(during - before).toBeGreaterThan(0.5);
    expect(after).toBeGreaterThanOrEqual(during);
  });

  it('names a process started since the last scan when an eBPF event asks', async () => {
    const registry = new ContainerRegistry({ layout: await detectLayout() });
    await registry.scan();
    const child = spawn('sleep', ['5']);
    try {
      await new Promise((r) => setTimeout(r, 100));
      // sleep's parent is this node process, a recognised application: the child belongs to it.
      expect(registry.containerOf(child.pid!, 'sleep')).toBe('/host/node');
      // A pid that no longer exists is named after the comm the event carried.
      expect(registry.containerOf(2 ** 22 + 12345, 'curl')).toBe('/host/curl');
    } finally {
      child.kill();
    }
  });
});
