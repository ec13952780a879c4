/**
 * `vigil cluster-agent`: settings from the environment (`--listen` overrides
 * VIGIL_CLUSTER_AGENT_LISTEN, default `:10301`):
 *
 * | setting        | variables                                    | default                  |
 * |----------------|----------------------------------------------|--------------------------|
 * | server         | `VIGIL_COLLECTOR_URL`, `COROOT_URL`, `COLLECTOR_ENDPOINT` | unset: no push, targets from the environment only |
 * | project key    | `VIGIL_API_KEY`, `API_KEY`                   | none                     |
 * | interval       | `VIGIL_SCRAPE_INTERVAL`, `SCRAPE_INTERVAL`   | 15s                      |
 * | extra targets  | `VIGIL_CLUSTER_TARGETS` (JSON, as `/v1/config`'s `application_instrumentation`) | none |
 * | spool          | `VIGIL_DATA_DIR`, `VIGIL_SPOOL_MAX_BYTES`    | as the node agent's      |
 */
import path from 'node:path';
import { parseListen, readPushSettings } from '@vigil/agent-kit';
import type { Logger } from '@vigil/core';
import type { RunningClusterAgent } from './agent.ts';
import { startComposedClusterAgent } from './compose.ts';
import { staticTargets } from './targets/target-source.ts';

type Env = Readonly<Record<string, string | undefined>>;

export async function runClusterAgent(
  argv: readonly string[],
  env: Env,
  logger: Logger,
): Promise<RunningClusterAgent> {
  const flag = argv.indexOf('--listen');
  const listen = parseListen((flag >= 0 ? argv[flag + 1] : env.VIGIL_CLUSTER_AGENT_LISTEN) ?? ':10301');
  // Coroot's cluster agent is pointed at its server with COROOT_URL.
  const settings = readPushSettings({
    ...env,
    VIGIL_COLLECTOR_URL: env.VIGIL_COLLECTOR_URL || env.COROOT_URL,
  });
  const spool = (name: string) => path.join(settings.dataDir, name);
  return startComposedClusterAgent({
    listen,
    scrapeIntervalMs: settings.scrapeIntervalMs,
    ...(settings.collectorUrl === undefined
      ? {}
      : {
          server: {
            collectorUrl: settings.collectorUrl,
            apiKey: settings.apiKey,
            spoolDirs: {
              metrics: spool('cluster-agent-spool'),
              events: spool('cluster-agent-events-spool'),
              profiles: spool('cluster-agent-profiles-spool'),
            },
            spoolMaxBytes: settings.spoolMaxBytes,
          },
        }),
    extraTargets: staticTargets(env.VIGIL_CLUSTER_TARGETS),
    env,
    logger,
  });
}
