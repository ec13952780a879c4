import { readFileSync } from 'node:fs';
import { prometheusAvailable, serviceGate, startPrometheus } from '@vigil/testkit';
import { describe, expect, it } from 'vitest';
import { EXPOSITION_CONTENT_TYPE, parseListen, startNodeAgent } from './agent.ts';

describe('parseListen', () => {
  it.each([
    [':10300', { host: '0.0.0.0', port: 10300 }],
    ['127.0.0.1:0', { host: '127.0.0.1', port: 0 }],
    ['[::1]:10300', { host: '::1', port: 10300 }],
  ])('%s', (text, expected) => {
    expect(parseListen(text)).toEqual(expected);
  });

  it('refuses what is not an address, saying what it expects', () => {
    expect(() => parseListen('10300')).toThrow(/is not host:port, :port or \[ipv6\]:port/);
    expect(() => parseListen('a:70000')).toThrow(/is not host:port/);
  });
});

describe('the node agent’s listener', () => {
  it('serves /metrics in the text format and /health with its capabilities, degraded without eBPF', async () => {
    const agent = await startNodeAgent({ listen: { host: '127.0.0.1', port: 0 }, ebpf: false });
    try {
      const metrics = await fetch(`${agent.url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get('content-type')).toBe(EXPOSITION_CONTENT_TYPE);
      const text = await metrics.text();
      expect(text).toMatch(/^# TYPE node_resources_cpu_usage_seconds_total counter$/m);
      // Every series carries the machine's id, as Coroot's agent sets it.
      const machineId = readFileSync('/etc/machine-id', 'utf8').trim();
      expect(text).toContain(`node_resources_memory_total_bytes{machine_id="${machineId}"} `);
      expect(text).toMatch(/^vigil_node_agent_capability\{machine_id="[^"]+",capability="ebpf"\} 0$/m);
      expect(text).toMatch(/^node_agent_info\{machine_id="[^"]+",version="\d+\.\d+\.\d+"\} 1$/m);
      const health = (await (await fetch(`${agent.url}/health`)).json()) as {
        status: string;
        capabilities: { root: boolean; ebpf: boolean; ebpfUnavailable?: string };
        containers: number;
      };
      expect(health.status).toBe('ok');
      expect(health.capabilities).toMatchObject({
        root: process.getuid?.() === 0,
        ebpf: false,
        ebpfUnavailable: 'disabled by configuration',
      });
      // This test's own process at least.
      expect(health.containers).toBeGreaterThan(0);
      expect((await fetch(`${agent.url}/nope`)).status).toBe(404);
      expect((await fetch(`${agent.url}/metrics`, { method: 'POST' })).status).toBe(405);
    } finally {
      await agent.stop();
    }
  });

  it('is scraped by a real Prometheus, which then answers with the node’s memory', async () => {
    if (!serviceGate('prometheus', prometheusAvailable(), 'apt-get install prometheus')) return;
    const agent = await startNodeAgent({ listen: { host: '127.0.0.1', port: 0 }, ebpf: false });
    const target = agent.url.replace('http://', '');
    const prometheus = await startPrometheus({
      config: `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: node-agent\n    static_configs:\n      - targets: ['${target}']\n`,
    });
    try {
      let value: string | undefined;
      for (let i = 0; i < 60 && value === undefined; i++) {
        const body = (await prometheus.api('/api/v1/query', {
          query: 'node_resources_memory_total_bytes{job="node-agent"}',
        })) as { data: { result: { value: [number, string] }[] } };
        value = body.data.result[0]?.value[1];
        if (value === undefined) await new Promise((r) => setTimeout(r, 500));
      }
      const meminfo = (await import('node:fs')).readFileSync('/proc/meminfo', 'utf8');
      const totalKb = Number(/^MemTotal:\s+(\d+) kB/m.exec(meminfo)![1]);
      expect(value).toBe(String(totalKb * 1024));
    } finally {
      await prometheus.stop();
      await agent.stop();
    }
  });
});
