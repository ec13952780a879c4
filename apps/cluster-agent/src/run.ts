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
import { startClusterAgent, type RunningClusterAgent } from './agent.ts';
import { defaultCollectors } from './collectors/default-collectors.ts';
import { serverTargets, staticTargets, type TargetSource } from './targets/target-source.ts';

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
  const extra = staticTargets(env.VIGIL_CLUSTER_TARGETS);
  const targets: TargetSource =
    settings.collectorUrl === undefined
      ? { current: () => Promise.resolve(extra) }
      : serverTargets({ collectorUrl: settings.collectorUrl, apiKey: settings.apiKey, logger }, extra);
  return startClusterAgent({
    listen,
    scrapeIntervalMs: settings.scrapeIntervalMs,
    targets,
    collectors: defaultCollectors(),
    ...(settings.collectorUrl === undefined
      ? {}
      : {
          push: {
            collectorUrl: settings.collectorUrl,
            apiKey: settings.apiKey,
            spoolDir: path.join(settings.dataDir, 'cluster-agent-spool'),
            spoolMaxBytes: settings.spoolMaxBytes,
          },
        }),
    logger,
  });
}
