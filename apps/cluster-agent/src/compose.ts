/**
 * The whole cluster agent, put together from its parts. Both `vigil cluster-agent` (run.ts) and
 * the one `vigil up` runs beside its server (apps/cli) start it here:
 *
 * ```
 * targets = server's /v1/config ∪ VIGIL_CLUSTER_TARGETS ∪ pod annotations ∪ RDS endpoints
 *            │                                                   (first listed wins per address)
 *            ▼
 * collection rounds (agent.ts) ──► remote write (spool)
 *   + series of the Kubernetes watch and AWS discovery
 *   database changes ──┐
 * Kubernetes Events ───┴──► event shipper (OTLP logs, spool) ──► POST /v1/logs
 * pods annotated for profiling ──► profile scraper ──► profile shipper (spool) ──► POST /v1/profiles
 * ```
 *
 * Kubernetes is on only where the environment points at an API server (in a pod, or a kubeconfig
 * named explicitly); AWS only with the server's AWS settings or VIGIL_AWS_DISCOVERY=1. Nothing
 * is probed on its own.
 */
import { parseDurationMs, type Logger } from '@vigil/core';
import { openDiskSpool, ProfileShipper } from '@vigil/agent-kit';
import { AGENT_VERSION, startClusterAgent, type FamilySource, type RunningClusterAgent } from './agent.ts';
import {
  awsConfigFromEnv,
  rdsCredentialsFromEnv,
  startAwsDiscovery,
  type AwsConfig,
  type AwsDiscovery,
} from './aws/index.ts';
import type { DatabaseChange } from './changes/database-change.ts';
import { changeToLogRecord } from './changes/to-log-record.ts';
import { targetAddress, type Target } from './collectors/target.ts';
import { defaultCollectors } from './collectors/default-collectors.ts';
import { kubeConfigFromEnv, startKubernetesWatch, type KubernetesWatch } from './kubernetes/index.ts';
import { startProfileScraper, type ProfileScraper } from './profiling/index.ts';
import { startEventShipper, type EventShipper } from './ship/event-shipper.ts';
import { serverTargets, type TargetSource } from './targets/target-source.ts';

type Env = Readonly<Record<string, string | undefined>>;

export interface ComposedAgentSettings {
  readonly listen: { readonly host: string; readonly port: number };
  readonly scrapeIntervalMs: number;
  /** The server: targets from its /v1/config, everything pushed to it. Undefined: `/metrics` only. */
  readonly server?: {
    readonly collectorUrl: string;
    readonly apiKey?: string | undefined;
    readonly spoolDirs: { readonly metrics: string; readonly events: string; readonly profiles: string };
    readonly spoolMaxBytes: number;
  };
  /** Targets named in the environment (VIGIL_CLUSTER_TARGETS). */
  readonly extraTargets: readonly Target[];
  /** Read for Kubernetes (KUBERNETES_SERVICE_HOST, VIGIL_KUBECONFIG), AWS and the cluster name. */
  readonly env: Env;
  readonly logger: Logger;
}

export async function startComposedClusterAgent(
  settings: ComposedAgentSettings,
): Promise<RunningClusterAgent> {
  const { logger, env, server } = settings;
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  };
  try {
    let events: EventShipper | undefined;
    let profiles: ProfileShipper | undefined;
    if (server) {
      events = await startEventShipper({
        collectorUrl: server.collectorUrl,
        apiKey: server.apiKey,
        spoolDir: server.spoolDirs.events,
        spoolMaxBytes: server.spoolMaxBytes,
        logger: logger.child({ component: 'event-shipper' }),
        version: AGENT_VERSION,
      });
      stops.push(() => events!.stop());
      profiles = new ProfileShipper({
        collectorUrl: server.collectorUrl,
        apiKey: server.apiKey,
        spool: await openDiskSpool(server.spoolDirs.profiles, { maxBytes: server.spoolMaxBytes }),
        logger: logger.child({ component: 'profile-shipper' }),
        version: AGENT_VERSION,
        agentName: 'vigil-cluster-agent',
      });
      stops.push(() => profiles!.stop());
    }

    const kubeConfig = kubeConfigFromEnv(env);
    let kube: KubernetesWatch | undefined;
    let scraper: ProfileScraper | undefined;
    if (kubeConfig) {
      kube = await startKubernetesWatch({
        kubeConfig,
        ...(events ? { events } : {}),
        ...(env.VIGIL_CLUSTER_NAME ? { clusterName: env.VIGIL_CLUSTER_NAME } : {}),
        logger: logger.child({ component: 'kubernetes' }),
      });
      stops.push(() => kube!.stop());
      if (profiles) {
        scraper = startProfileScraper({
          targets: kube.profileTargets,
          sink: profiles,
          logger: logger.child({ component: 'profiles' }),
          ...profileTiming(env),
        });
        stops.push(() => scraper!.stop());
      }
    }

    const fromServer = server
      ? serverTargets({ collectorUrl: server.collectorUrl, apiKey: server.apiKey, logger })
      : undefined;
    // Environment settings are read once: a bad value stops the agent at start-up.
    const awsFromEnv = awsConfigFromEnv(env);
    // The operator's explicit setting on the agent wins over the project's.
    const awsConfig = (): AwsConfig | undefined => awsFromEnv ?? fromServer?.awsConfig();
    const rdsCredentials = rdsCredentialsFromEnv(env.VIGIL_AWS_RDS_CREDENTIALS);
    let aws: AwsDiscovery | undefined;
    if (fromServer !== undefined || awsFromEnv !== undefined) {
      aws = startAwsDiscovery({ config: awsConfig, logger: logger.child({ component: 'aws' }) });
      stops.push(() => aws!.stop());
    }

    const sources: FamilySource[] = [];
    if (kube) sources.push({ name: 'kubernetes', families: () => kube.families() });
    if (aws) sources.push({ name: 'aws', families: () => aws.families() });
    const health: Record<string, () => unknown> = {};
    if (kube) health.kubernetes = () => kube.status();
    if (aws) health.aws = () => aws.status();
    if (scraper) health.profiles = () => scraper.stats();
    if (events) health.events = () => events.stats();

    const agent = await startClusterAgent({
      listen: settings.listen,
      scrapeIntervalMs: settings.scrapeIntervalMs,
      targets: combinedTargets(
        fromServer,
        settings.extraTargets,
        kube,
        aws ? { databaseTargets: () => aws.databaseTargets(rdsCredentials) } : undefined,
      ),
      collectors: defaultCollectors(detailsTiming(env)),
      ...(server
        ? {
            push: {
              collectorUrl: server.collectorUrl,
              apiKey: server.apiKey,
              spoolDir: server.spoolDirs.metrics,
              spoolMaxBytes: server.spoolMaxBytes,
            },
          }
        : {}),
      sources,
      ...(events
        ? {
            onChanges: (target: Target, changes: readonly DatabaseChange[]) => {
              const address = targetAddress(target);
              for (const change of changes) {
                const { resource, record } = changeToLogRecord(change, { type: target.type, address });
                events.ship(resource, record);
              }
            },
          }
        : {}),
      health,
      logger,
    });
    return {
      port: agent.port,
      collectOnce: () => agent.collectOnce(),
      async stop() {
        await agent.stop();
        await stopAll();
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/**
 * Every source's targets, the first listing of an address kept: the server's come first (an
 * Editor saved credentials for them), then the environment's, the annotations', and RDS's.
 */
export function combinedTargets(
  server: TargetSource | undefined,
  extra: readonly Target[],
  kube: Pick<KubernetesWatch, 'databaseTargets'> | undefined,
  aws: { databaseTargets(): readonly Target[] } | undefined,
): TargetSource {
  return {
    async current() {
      const all = [
        ...(server ? await server.current() : []),
        ...extra,
        ...(kube?.databaseTargets() ?? []),
        ...(aws?.databaseTargets() ?? []),
      ];
      const seen = new Set<string>();
      return all.filter((t) => {
        const key = `${t.type} ${targetAddress(t)}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    },
  };
}

/** A duration setting (`15s`, `1m`; a bare `0` is zero); undefined when unset; names itself when bad. */
function durationSetting(env: Env, name: string): number | undefined {
  const text = env[name]?.trim();
  if (text === undefined || text === '') return undefined;
  if (text === '0') return 0;
  try {
    return parseDurationMs(text);
  } catch (err) {
    throw new Error(`${name}: ${(err as Error).message}`, { cause: err });
  }
}

/** `VIGIL_PROFILE_INTERVAL` (default 60s) and `VIGIL_PROFILE_CPU_DURATION` (default 10s). */
export function profileTiming(env: Env): { intervalMs?: number; cpuSeconds?: number } {
  const intervalMs = durationSetting(env, 'VIGIL_PROFILE_INTERVAL');
  const cpuMs = durationSetting(env, 'VIGIL_PROFILE_CPU_DURATION');
  if (cpuMs !== undefined && (cpuMs < 1000 || cpuMs % 1000 !== 0))
    throw new Error('VIGIL_PROFILE_CPU_DURATION: whole seconds, at least 1s (Go takes ?seconds=N)');
  if (intervalMs !== undefined && cpuMs !== undefined && cpuMs >= intervalMs)
    throw new Error('VIGIL_PROFILE_CPU_DURATION must be shorter than VIGIL_PROFILE_INTERVAL');
  return {
    ...(intervalMs === undefined ? {} : { intervalMs }),
    ...(cpuMs === undefined ? {} : { cpuSeconds: cpuMs / 1000 }),
  };
}

/** `VIGIL_DB_DETAILS_INTERVAL`: per-table statistics and schema snapshots (default 60s; 0s: every round). */
export function detailsTiming(env: Env): { detailsIntervalMs?: number } {
  const detailsIntervalMs = durationSetting(env, 'VIGIL_DB_DETAILS_INTERVAL');
  return detailsIntervalMs === undefined ? {} : { detailsIntervalMs };
}
