/**
 * The cluster agent end to end on this machine: the local Postgres, MariaDB, Redis and memcached as
 * targets (VIGIL_CLUSTER_TARGETS), a port where nothing listens as a fourth, metrics on its own
 * /metrics and /health, and pushed by remote write through its spool into a real server, where
 * PromQL finds them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@vigil/core';
import { canConnect, makeTempDir, serviceGate } from '@vigil/testkit';
import { startTestServer, TEST_API_KEY, type TestServer } from '../../server/src/testing/test-server.ts';
import { runClusterAgent } from './run.ts';
import type { RunningClusterAgent } from './agent.ts';

const available = await Promise.all([
  canConnect('127.0.0.1', 5432),
  canConnect('127.0.0.1', 6379),
  canConnect('127.0.0.1', 11211),
  canConnect('127.0.0.1', 3306),
]);
const run = serviceGate(
  'Postgres, MariaDB, Redis and memcached on 127.0.0.1',
  available.every(Boolean),
  '.ci/run starts them',
);

describe.runIf(run)('cluster agent', () => {
  const temp = makeTempDir('vigil-cluster-agent-');
  let vigil: TestServer;
  let agent: RunningClusterAgent;

  beforeAll(async () => {
    vigil = await startTestServer();
    const targets = [
      {
        type: 'postgres',
        host: '127.0.0.1',
        port: 5432,
        credentials: { username: 'postgres' },
        params: { database: 'test' },
      },
      { type: 'redis', host: '127.0.0.1', port: 6379 },
      { type: 'memcached', host: '127.0.0.1', port: 11211 },
      {
        type: 'mysql',
        host: '127.0.0.1',
        port: 3306,
        credentials: { username: 'root' },
        params: { database: 'test' },
      },
      // Nothing listens on port 1 here.
      { type: 'redis', host: '127.0.0.1', port: 1 },
    ];
    agent = await runClusterAgent(
      ['--listen', '127.0.0.1:0'],
      {
        VIGIL_COLLECTOR_URL: vigil.api,
        VIGIL_API_KEY: TEST_API_KEY,
        VIGIL_SCRAPE_INTERVAL: '1s',
        VIGIL_DATA_DIR: temp.dir,
        VIGIL_CLUSTER_TARGETS: JSON.stringify(targets),
      },
      silentLogger,
    );
  }, 60_000);
  afterAll(async () => {
    await agent?.stop();
    await vigil?.stop();
    temp.cleanup();
  });

  it('serves each target on /metrics, the unreachable one as down, and says why on /health', async () => {
    await agent.collectOnce();
    const text = await (await fetch(`http://127.0.0.1:${agent.port}/metrics`)).text();
    expect(text).toMatch(/^pg_up\{address="127\.0\.0\.1:5432"\} 1$/m);
    expect(text).toMatch(/^redis_up\{address="127\.0\.0\.1:6379"\} 1$/m);
    expect(text).toMatch(/^memcached_up\{address="127\.0\.0\.1:11211"\} 1$/m);
    expect(text).toMatch(/^mysql_up\{address="127\.0\.0\.1:3306"\} 1$/m);
    expect(text).toMatch(/^redis_up\{address="127\.0\.0\.1:1"\} 0$/m);
    // One HELP/TYPE per family even with two Redis targets.
    expect(text.match(/^# TYPE redis_up /gm)).toHaveLength(1);
    const health = (await (await fetch(`http://127.0.0.1:${agent.port}/health`)).json()) as {
      targets: Array<{ address: string; up: boolean; error?: string }>;
    };
    const down = health.targets.find((t) => t.address === '127.0.0.1:1')!;
    expect(down.up).toBe(false);
    expect(down.error).toMatch(/ECONNREFUSED/);
    expect(health.targets.filter((t) => t.up)).toHaveLength(4);
  });

  it('pushes them to the server, where PromQL reads them', async () => {
    const query = async (q: string) => {
      const res = await vigil.getJson<{
        data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
      }>(`/api/v1/query?query=${encodeURIComponent(q)}`);
      return res.body.data.result;
    };
    let ups: Array<{ metric: Record<string, string>; value: [number, string] }> = [];
    for (let i = 0; i < 60; i++) {
      ups = await query('{__name__=~"pg_up|redis_up|memcached_up|mysql_up"}');
      if (ups.length >= 5) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const byTarget = Object.fromEntries(
      ups.map((u) => [`${u.metric.__name__} ${u.metric.address}`, u.value[1]]),
    );
    expect(byTarget).toEqual({
      'pg_up 127.0.0.1:5432': '1',
      'redis_up 127.0.0.1:6379': '1',
      'memcached_up 127.0.0.1:11211': '1',
      'mysql_up 127.0.0.1:3306': '1',
      'redis_up 127.0.0.1:1': '0',
    });
    expect(ups.every((u) => u.metric.job === 'vigil-cluster-agent')).toBe(true);
  });
});
