/**
 * `vigil up` on this machine, as a user runs it: the server and its node agent in one process.
 * The server's own metrics must then show this machine's processes (the bare Postgres, as
 * /host/postgres) and a Docker container the test started, and the agent's first push must be
 * stamped at start, not one interval later.
 */
import {
  canConnect,
  dockerAvailable,
  ensureBusyboxImage,
  makeTempDir,
  removeTestContainers,
  runContainer,
  serviceGate,
} from '@vigil/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, freePort, promClient, runVigil, type VigilProcess } from './testing/vigil-process.ts';

const PASSWORD = 'e2e-admin-password';
let up: VigilProcess | undefined;
const temp = makeTempDir('vigil-up-e2e-');

afterAll(async () => {
  up?.child.kill('SIGTERM');
  await up?.exited;
  await removeTestContainers();
  temp.cleanup();
});

describe('vigil up', () => {
  it("shows this machine's processes and containers in the server's metrics", async () => {
    const docker = serviceGate('Docker', await dockerAvailable(), 'start dockerd as .ci/run does');
    const postgres = serviceGate(
      'PostgreSQL',
      await canConnect('127.0.0.1', 5432),
      'start the machine Postgres',
    );
    const name = `vigil-up-e2e-${process.pid}`;
    if (docker) {
      await ensureBusyboxImage();
      await runContainer({ name, cmd: ['sleep', '300'] });
    }
    const [api, agentPort, otlpHttp, otlpGrpc] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    const intervalS = 5;
    const startedS = Date.now() / 1000;
    up = runVigil(['up'], {
      VIGIL_DATA_DIR: temp.dir,
      VIGIL_LISTEN: `127.0.0.1:${api}`,
      VIGIL_OTLP_HTTP_LISTEN: `127.0.0.1:${otlpHttp}`,
      VIGIL_OTLP_GRPC_LISTEN: `127.0.0.1:${otlpGrpc}`,
      VIGIL_NODE_AGENT_LISTEN: `127.0.0.1:${agentPort}`,
      VIGIL_ADMIN_PASSWORD: PASSWORD,
      VIGIL_SCRAPE_INTERVAL: `${intervalS}s`,
      VIGIL_METRICS_BATCH_MAX_DELAY: '200ms',
    });
    await up.waitFor(/Node agent:\s+http:\/\/127\.0\.0\.1:\d+\/metrics/, 120_000);
    const prom = await promClient(`http://127.0.0.1:${api}`, PASSWORD);

    // The agent's first collection is pushed at start: its samples are stamped within the first
    // interval, however long the server took to show them.
    const first = await eventually('the node agent in the server', async () => {
      const r = await prom.query('node_agent_info[10m]');
      return r[0]?.values?.[0]?.[0];
    });
    expect(first).toBeGreaterThanOrEqual(startedS - 1);
    expect(first).toBeLessThan(startedS + 60); // start-up itself (chDB, bpftrace) included
    const info = await prom.query('node_agent_info');
    expect(info[0]!.metric.machine_id).toMatch(/\S+/);
    expect(info[0]!.metric.job).toBe('vigil-node-agent');

    if (postgres) {
      const pg = await eventually('/host/postgres', async () => {
        const r = await prom.query('container_application_type{container_id="/host/postgres"}');
        return r.length > 0 ? r : undefined;
      });
      expect(pg[0]!.metric.application_type).toBe('postgres');
    }
    if (docker) {
      const container = await eventually('the Docker container', async () => {
        const r = await prom.query(`container_info{container_id="/docker/${name}"}`);
        return r.length > 0 ? r : undefined;
      });
      expect(container[0]!.metric.image).toBe('vigil-test/busybox:1');
      expect(container[0]!.metric.app_id).toBe(`/docker/${name}`);
    }
    // The agent itself, a Node.js process outside any container.
    const self = await prom.query('container_application_type{application_type="nodejs"}');
    expect(self.length).toBeGreaterThan(0);
  });
});
