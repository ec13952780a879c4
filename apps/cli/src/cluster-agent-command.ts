/**
 * The cluster agent `vigil up` runs beside its server: targets from the server's own
 * `/v1/config` (the databases its node agent sees, with the credentials saved for them), pushed
 * with the bootstrap key, its spool in the server's data directory; Kubernetes only with
 * VIGIL_KUBECONFIG (never from KUBECONFIG or the pod it runs in). It listens only when
 * VIGIL_CLUSTER_AGENT_LISTEN says where (its metrics go to the server anyway). `vigil
 * cluster-agent` is @vigil/cluster-agent's `runClusterAgent`.
 */
import path from 'node:path';
import { parseListen, readPushSettings } from '@vigil/agent-kit';
import type { RunningServer } from '@vigil/server';

type Env = Readonly<Record<string, string | undefined>>;

/** The all-in-one cluster agent: undefined when VIGIL_CLUSTER_AGENT=off. */
export async function startLocalClusterAgent(
  server: RunningServer,
  env: Env,
): Promise<{ stop(): Promise<void> } | undefined> {
  if (env.VIGIL_CLUSTER_AGENT === 'off') return undefined;
  const { startComposedClusterAgent, staticTargets } = await import('@vigil/cluster-agent');
  const settings = readPushSettings({
    ...env,
    VIGIL_COLLECTOR_URL: undefined,
    COLLECTOR_ENDPOINT: undefined,
  });
  const apiHost = server.config.listen.host;
  const host = apiHost === '' || apiHost === '0.0.0.0' || apiHost === '::' ? '127.0.0.1' : apiHost;
  const collectorUrl = `http://${host.includes(':') ? `[${host}]` : host}:${server.ports.api}`;
  const logger = server.logger.child({ component: 'cluster-agent' });
  const dir = (name: string) => path.join(server.config.dataDir, 'cluster-agent', name);
  return startComposedClusterAgent({
    listen: parseListen(env.VIGIL_CLUSTER_AGENT_LISTEN ?? '127.0.0.1:0'),
    scrapeIntervalMs: settings.scrapeIntervalMs,
    server: {
      collectorUrl,
      apiKey: server.bootstrap.apiKey,
      spoolDirs: { metrics: dir('spool'), events: dir('events-spool'), profiles: dir('profiles-spool') },
      spoolMaxBytes: settings.spoolMaxBytes,
    },
    extraTargets: staticTargets(env.VIGIL_CLUSTER_TARGETS),
    // The all-in-one watches Kubernetes only when told to with VIGIL_KUBECONFIG: a developer's
    // KUBECONFIG, or the pod a `vigil up` happens to run in, is not a request to watch that cluster.
    env: { ...env, KUBECONFIG: undefined, KUBERNETES_SERVICE_HOST: undefined },
    logger,
  });
}
