/**
 * The node agent `vigil up` runs beside its server, pushing to it with the bootstrap key, its
 * spool in the server's data directory. (`vigil node-agent` is @vigil/node-agent's `runNodeAgent`.)
 */
import path from 'node:path';
import { readPushSettings } from '@vigil/agent-kit';
import { parseListen, startNodeAgent, type RunningNodeAgent } from '@vigil/node-agent';
import type { RunningServer } from '@vigil/server';

type Env = Readonly<Record<string, string | undefined>>;

/** The all-in-one agent: undefined when VIGIL_NODE_AGENT=off. */
export async function startLocalAgent(
  server: RunningServer,
  env: Env,
): Promise<RunningNodeAgent | undefined> {
  if (env.VIGIL_NODE_AGENT === 'off') return undefined;
  const settings = readPushSettings({
    ...env,
    VIGIL_COLLECTOR_URL: undefined,
    COLLECTOR_ENDPOINT: undefined,
  });
  const apiHost = server.config.listen.host;
  const host = apiHost === '' || apiHost === '0.0.0.0' || apiHost === '::' ? '127.0.0.1' : apiHost;
  return startNodeAgent({
    listen: parseListen(env.VIGIL_NODE_AGENT_LISTEN ?? ':10300'),
    scrapeIntervalMs: settings.scrapeIntervalMs,
    push: {
      collectorUrl: `http://${host.includes(':') ? `[${host}]` : host}:${server.ports.api}`,
      apiKey: server.bootstrap.apiKey,
      spoolDir: path.join(server.config.dataDir, 'node-agent', 'spool'),
      spoolMaxBytes: settings.spoolMaxBytes,
    },
    ebpf: env.VIGIL_EBPF !== 'off',
    logger: server.logger.child({ component: 'node-agent' }),
  });
}
