/**
 * The whole agent (eBPF on, 1 s interval) against real Docker containers: a container limited to
 * half a core spins, one is capped at 64 MiB, one is OOM-killed and restarted by its policy, one
 * connects to the machine's Postgres five times and once to a closed port, and one carries the
 * labels a kubelet sets. Their metrics must say so under Coroot's container ids.
 */
import { execFileSync } from 'node:child_process';
import {
  canConnect,
  dockerAvailable,
  ensureBusyboxImage,
  removeTestContainers,
  runContainer,
  serviceGate,
} from '@vigil/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricFamily } from '@vigil/agent-kit';
import { startNodeAgent, type RunningNodeAgent } from './agent.ts';

const runnable =
  serviceGate(
    'Docker',
    await dockerAvailable(),
    'start dockerd --bridge=none --iptables=false --ip-masq=false',
  ) &&
  serviceGate(
    'root and bpftrace',
    process.getuid?.() === 0 && hasBpftrace(),
    'run as root with bpftrace installed',
  ) &&
  serviceGate('PostgreSQL', await canConnect('127.0.0.1', 5432), 'start the machine Postgres');

function hasBpftrace(): boolean {
  try {
    execFileSync('bpftrace', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const tag = `agent-${process.pid}`;
let agent: RunningNodeAgent;

beforeAll(async () => {
  if (!runnable) return;
  await ensureBusyboxImage();
  agent = await startNodeAgent({ listen: { host: '127.0.0.1', port: 0 }, scrapeIntervalMs: 1000 });
  expect(agent.capabilities).toMatchObject({ ebpf: true, docker: true });
});

afterAll(async () => {
  if (!runnable) return;
  await agent?.stop();
  await removeTestContainers();
});

function find(families: MetricFamily[], name: string, labels: Record<string, string>): number | undefined {
  return families
    .find((f) => f.name === name)
    ?.samples.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

async function until(
  what: string,
  check: (f: MetricFamily[]) => boolean,
  ms = 30_000,
): Promise<MetricFamily[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const families = await agent.collectOnce();
    if (check(families)) return families;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe.runIf(runnable)('node agent with real Docker containers', () => {
  it('reports a half-core container spinning at about half a core, throttled, under /docker/<name>', async () => {
    const name = `${tag}-cpu`;
    await runContainer({ name, cmd: ['sh', '-c', 'while :; do :; done'], cpus: 0.5 });
    const id = `/docker/${name}`;
    const first = await until(
      'the container',
      (f) => find(f, 'container_resources_cpu_usage_seconds_total', { container_id: id }) !== undefined,
    );
    const t0 = Date.now();
    const u0 = find(first, 'container_resources_cpu_usage_seconds_total', { container_id: id })!;
    await new Promise((r) => setTimeout(r, 4000));
    const later = await agent.collectOnce();
    const used =
      (find(later, 'container_resources_cpu_usage_seconds_total', { container_id: id })! - u0) /
      ((Date.now() - t0) / 1000);
    expect(used).toBeGreaterThan(0.35);
    expect(used).toBeLessThan(0.65);
    expect(
      find(later, 'container_resources_cpu_throttled_seconds_total', { container_id: id }),
    ).toBeGreaterThan(0);
    expect(find(later, 'container_resources_cpu_limit_cores', { container_id: id })).toBe(0.5);
    expect(
      find(later, 'container_info', { container_id: id, app_id: id, image: 'vigil-test/busybox:1' }),
    ).toBe(1);
  });

  it('reports a memory limit', async () => {
    const name = `${tag}-mem`;
    await runContainer({ name, cmd: ['sleep', '300'], memory: '64m' });
    const f = await until(
      'the container',
      (x) =>
        find(x, 'container_resources_memory_limit_bytes', { container_id: `/docker/${name}` }) !== undefined,
    );
    expect(find(f, 'container_resources_memory_limit_bytes', { container_id: `/docker/${name}` })).toBe(
      64 * 1024 * 1024,
    );
  });

  it('counts an OOM kill and the restart that follows', async () => {
    const name = `${tag}-oom`;
    const id = `/docker/${name}`;
    // dd's 64 MB buffer does not fit in 32 MiB: the kernel kills it, Docker restarts the container.
    await runContainer({
      name,
      cmd: ['sh', '-c', 'sleep 3; dd if=/dev/zero of=/dev/null bs=64M count=1 || exit 1; sleep 300'],
      memory: '32m',
      restart: 'on-failure:3',
    });
    const f = await until(
      'an OOM kill and a restart',
      (x) =>
        (find(x, 'container_oom_kills_total', { container_id: id }) ?? 0) >= 1 &&
        (find(x, 'container_restarts_total', { container_id: id }) ?? 0) >= 1,
      60_000,
    );
    expect(find(f, 'container_oom_kills_total', { container_id: id })).toBeGreaterThanOrEqual(1);
  });

  it('counts connects from a container to Postgres by destination, and a failed one', async () => {
    const name = `${tag}-client`;
    const id = `/docker/${name}`;
    await runContainer({
      name,
      cmd: [
        'sh',
        '-c',
        'sleep 3; for i in 1 2 3 4 5; do nc -w 1 127.0.0.1 5432 </dev/null; done; nc -w 1 127.0.0.1 1 </dev/null; sleep 300',
      ],
    });
    const labels = { container_id: id, destination: '127.0.0.1:5432', actual_destination: '127.0.0.1:5432' };
    const f = await until(
      'five connects and a failure',
      (x) =>
        find(x, 'container_net_tcp_successful_connects_total', labels) === 5 &&
        find(x, 'container_net_tcp_failed_connects_total', {
          container_id: id,
          destination: '127.0.0.1:1',
        }) === 1,
    );
    expect(find(f, 'container_net_tcp_successful_connects_total', labels)).toBe(5);
  });

  it('names a container with kubelet labels /k8s/<ns>/<pod>/<container>, its app the workload', async () => {
    const name = `${tag}-k8s`;
    await runContainer({
      name,
      cmd: ['sleep', '300'],
      labels: {
        'io.kubernetes.pod.namespace': 'shop',
        'io.kubernetes.pod.name': 'cart-7d9f8b6c5d-x2x9z',
        'io.kubernetes.container.name': 'cart',
      },
    });
    const id = '/k8s/shop/cart-7d9f8b6c5d-x2x9z/cart';
    const f = await until(
      'the pod container',
      (x) => find(x, 'container_info', { container_id: id }) !== undefined,
    );
    expect(find(f, 'container_info', { container_id: id, app_id: '/k8s/shop/cart' })).toBe(1);
  });
});
