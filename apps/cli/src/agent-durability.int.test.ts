/**
 * The node agent loses nothing while its server is down: a real `vigil server` and a real
 * `vigil node-agent` (2 s interval) run; the server is stopped for two minutes; halfway through,
 * the agent is killed with SIGKILL and started again (its bpftrace must not outlive it). Once the
 * server is back, the agent's spool drains and the server's copy of one of its series has no
 * gap: consecutive samples are at most two intervals apart, except across the agent's own
 * restart, where nothing could be collected.
 */
import { existsSync, readFileSync } from 'node:fs';
import { makeTempDir } from '@vigil/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, freePort, promClient, runVigil, type VigilProcess } from './testing/vigil-process.ts';

const PASSWORD = 'durability-admin-password';
const API_KEY = 'vk_durability_test_key_0123456789';
const OUTAGE_MS = Number(process.env.VIGIL_TEST_OUTAGE_MS ?? 120_000);
const INTERVAL_MS = 2000;
const running = new Set<VigilProcess>();
const temp = makeTempDir('vigil-durability-');

afterAll(async () => {
  for (const p of running) p.child.kill('SIGKILL');
  temp.cleanup();
});

function alive(pid: number): boolean {
  return existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
}

describe('node agent durability', () => {
  it(
    'has no gap after a two-minute server outage with an agent SIGKILL in the middle',
    async () => {
      const [api, otlpHttp, otlpGrpc, agentPort] = await Promise.all([
        freePort(),
        freePort(),
        freePort(),
        freePort(),
      ]);
      const serverEnv = {
        VIGIL_DATA_DIR: `${temp.dir}/server`,
        VIGIL_LISTEN: `127.0.0.1:${api}`,
        VIGIL_OTLP_HTTP_LISTEN: `127.0.0.1:${otlpHttp}`,
        VIGIL_OTLP_GRPC_LISTEN: `127.0.0.1:${otlpGrpc}`,
        VIGIL_API_KEY: API_KEY,
        VIGIL_ADMIN_PASSWORD: PASSWORD,
        VIGIL_METRICS_BATCH_MAX_DELAY: '200ms',
      };
      const agentEnv = {
        VIGIL_COLLECTOR_URL: `http://127.0.0.1:${api}`,
        VIGIL_API_KEY: API_KEY,
        VIGIL_SCRAPE_INTERVAL: `${INTERVAL_MS}ms`,
        VIGIL_DATA_DIR: `${temp.dir}/agent`,
      };
      const startServer = async (): Promise<VigilProcess> => {
        const p = runVigil(['server'], serverEnv);
        running.add(p);
        await p.waitFor(/Vigil is running/, 120_000);
        return p;
      };
      const startAgent = async (): Promise<VigilProcess> => {
        const p = runVigil(['node-agent', '--listen', `127.0.0.1:${agentPort}`], agentEnv);
        running.add(p);
        await p.waitFor(/Vigil node agent: http/, 60_000);
        return p;
      };
      const health = async (): Promise<{ push: { queuedSegments: number; sentRequests: number } }> =>
        (await fetch(`http://127.0.0.1:${agentPort}/health`)).json() as Promise<{
          push: { queuedSegments: number; sentRequests: number };
        }>;
      const bpftraceOf = (pid: number): number[] => {
        try {
          const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
            .trim()
            .split(/\s+/)
            .filter(Boolean);
          return children
            .map(Number)
            .filter((c) => readFileSync(`/proc/${c}/comm`, 'utf8').trim() === 'bpftrace');
        } catch {
          return [];
        }
      };

      let server = await startServer();
      let agent = await startAgent();
      const machineId = readFileSync('/etc/machine-id', 'utf8').trim();
      const series = `node_uptime_seconds{machine_id="${machineId}"}`;
      const prom1 = await promClient(`http://127.0.0.1:${api}`, PASSWORD);
      await eventually('the first samples', async () =>
        (await prom1.query(series)).length > 0 ? true : undefined,
      );

      // The outage: the server stops cleanly (what it acknowledged is kept).
      const outageStart = Date.now();
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      running.delete(server);
      await new Promise((r) => setTimeout(r, OUTAGE_MS / 2));
      expect((await health()).push.queuedSegments).toBeGreaterThan(OUTAGE_MS / 2 / INTERVAL_MS / 2);

      // The agent dies without warning and comes back.
      const oldBpftrace = bpftraceOf(agent.child.pid!);
      const killedAt = Date.now();
      agent.child.kill('SIGKILL');
      await agent.exited;
      running.delete(agent);
      agent = await startAgent();
      const restartedAt = Date.now();
      await eventually(
        'the old bpftrace to exit',
        async () => (oldBpftrace.every((p) => !alive(p)) ? true : undefined),
        30_000,
      );
      await new Promise((r) => setTimeout(r, Math.max(0, outageStart + OUTAGE_MS - Date.now())));

      server = await startServer();
      const outageEnd = Date.now();
      await eventually(
        'the spool to drain',
        async () => ((await health()).push.queuedSegments === 0 ? true : undefined),
        120_000,
      );
      // The server makes what it received queryable within its batch delay.
      await new Promise((r) => setTimeout(r, 2000));
      const prom = await promClient(`http://127.0.0.1:${api}`, PASSWORD);
      const windowS = Math.ceil((Date.now() - outageStart) / 1000) + 30;
      const [raw] = await prom.query(`${series}[${windowS}s]`);
      const stamps = raw!.values!.map(([t]) => t * 1000);
      // Samples on both sides of, and all through, the outage.
      expect(stamps[0]).toBeLessThan(outageStart);
      expect(stamps[stamps.length - 1]).toBeGreaterThan(outageEnd);
      const agentDownMs = restartedAt - killedAt;
      const gaps: Array<{ at: number; ms: number }> = [];
      for (let i = 1; i < stamps.length; i++)
        gaps.push({ at: stamps[i - 1]!, ms: stamps[i]! - stamps[i - 1]! });
      const acrossRestart = (g: { at: number; ms: number }): boolean =>
        g.at <= restartedAt && g.at + g.ms >= killedAt;
      const worst = gaps.filter((g) => !acrossRestart(g)).reduce((m, g) => Math.max(m, g.ms), 0);
      const largest = [...gaps].sort((a, b) => b.ms - a.ms).slice(0, 5);
      const context = `largest gaps ${JSON.stringify(largest.map((g) => ({ ms: g.ms, sinceOutageMs: g.at - outageStart })))}, agent down ${restartedAt - killedAt} ms`;
      expect(worst, context).toBeLessThanOrEqual(2 * INTERVAL_MS + 500);
      const restartGap = gaps.filter(acrossRestart).reduce((m, g) => Math.max(m, g.ms), 0);
      expect(restartGap, context).toBeLessThanOrEqual(agentDownMs + 2 * INTERVAL_MS + 500);
      // Roughly one sample per interval over the outage (the agent's restart aside).
      const during = stamps.filter((t) => t > outageStart && t < outageEnd).length;
      expect(during).toBeGreaterThan((outageEnd - outageStart - agentDownMs) / INTERVAL_MS - 10);

      agent.child.kill('SIGTERM');
      expect(await agent.exited).toBe(0);
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      running.clear();
    },
    OUTAGE_MS + 300_000,
  );
});
