/**
 * AWS discovery as a long-lived component: a discovery round (discovery-round.ts) every interval,
 * and at once when the configuration changes (the server's answer, polled by the target source,
 * can change at any time; the clients are then rebuilt and what was discovered with the old
 * configuration is dropped). Off, it does nothing at all: no client exists, nothing is asked.
 *
 *   config() ──changed?──► rebuild clients ──► round ──► series (families()), RDS targets
 *                                                  └──► errors by service ──► aws_discovery_error
 *
 * A list that cannot be read keeps the last one read with the same configuration: an expired
 * key or a throttled call must not make every database vanish from the map while
 * `aws_discovery_error` says what is wrong.
 */
import { lookup } from 'node:dns/promises';
import type { MetricFamily } from '@vigil/agent-kit';
import type { Logger } from '@vigil/core';
import type { Target } from '../collectors/target.ts';
import { buildAwsClients, type AwsClients } from './aws-clients.ts';
import { awsConfigKey, type AwsConfig } from './aws-config.ts';
import { AWS_SERVICES, discoveryRound, type AwsService } from './discovery-round.ts';
import type { CacheNodeInfo } from './elasticache-discovery.ts';
import { elasticacheFamilies } from './elasticache-families.ts';
import { osMetricsFamilies } from './os-metrics-families.ts';
import type { RdsInstance } from './rds-discovery.ts';
import { rdsFamilies } from './rds-families.ts';
import { rdsDatabaseTargets, type RdsCredentialsLookup } from './rds-targets.ts';

export interface AwsDiscoveryOptions {
  /** The configuration now; undefined: off. Asked before every round and every few seconds. */
  readonly config: () => AwsConfig | undefined;
  readonly logger: Logger;
  /** Time between rounds (default 60 s, as Coroot's). */
  readonly intervalMs?: number;
  readonly now?: () => number;
  /** An endpoint's IPv4 address for the `ipv4` label; default: the system resolver. */
  readonly lookupIpv4?: (hostname: string) => Promise<string | undefined>;
}

export interface AwsDiscovery {
  /** Runs a round now, after any round in progress (tests; the timer runs them too). */
  refresh(): Promise<void>;
  /** The last round's series; empty while off. */
  families(): MetricFamily[];
  /** RDS Postgres/MySQL-compatible instances as targets, those `credentialsFor` knows only. */
  databaseTargets(credentialsFor: RdsCredentialsLookup): readonly Target[];
  status(): { readonly enabled: boolean; readonly lastRefreshMs?: number; readonly error?: string };
  stop(): Promise<void>;
}

/** How often the configuration is looked at between rounds. */
const CONFIG_CHECK_MS = 5_000;

export function startAwsDiscovery(options: AwsDiscoveryOptions): AwsDiscovery {
  const { logger } = options;
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 60_000;
  const lookupIpv4 = options.lookupIpv4 ?? systemLookupIpv4;

  let key: string | undefined;
  let clients: AwsClients | undefined;
  let rds: RdsInstance[] = [];
  let cacheNodes: CacheNodeInfo[] = [];
  let errors = new Map<AwsService, string>();
  let families: MetricFamily[] = [];
  let lastRefreshMs: number | undefined;
  let lastRoundMs = -Infinity;
  let busy = false;
  let chain: Promise<void> = Promise.resolve();

  const reset = () => {
    clients?.destroy();
    clients = undefined;
    key = undefined;
    rds = [];
    cacheNodes = [];
    errors = new Map();
    families = [];
    lastRefreshMs = undefined;
  };

  const reportErrors = (next: Map<AwsService, string>) => {
    for (const service of AWS_SERVICES) {
      const before = errors.get(service);
      const after = next.get(service);
      if (after !== undefined && after !== before)
        logger.warn({ service, err: after }, 'AWS discovery failed');
      else if (after === undefined && before !== undefined)
        logger.info({ service }, 'AWS discovery works again');
    }
  };

  const round = async (): Promise<void> => {
    busy = true;
    try {
      lastRoundMs = now();
      const config = options.config();
      if (!config) {
        if (key !== undefined) logger.info({}, 'AWS discovery switched off');
        reset();
        return;
      }
      const nextKey = awsConfigKey(config);
      if (nextKey !== key || !clients) {
        reset();
        clients = buildAwsClients(config);
        key = nextKey;
        logger.info(
          { region: config.region, staticKeys: config.accessKeyId !== undefined },
          'AWS discovery on',
        );
      }
      const result = await discoveryRound({ clients, config, knownRds: rds, nowMs: now(), lookupIpv4 });
      rds = result.rds ?? rds;
      cacheNodes = result.cacheNodes ?? cacheNodes;
      reportErrors(result.errors);
      errors = result.errors;
      families = [
        ...rdsFamilies(rds, result.ipv4),
        ...osMetricsFamilies(result.osMetrics),
        ...elasticacheFamilies(cacheNodes, result.ipv4),
        errorFamily(errors),
      ];
      lastRefreshMs = now();
    } catch (err) {
      // discoveryRound catches the services' errors; this is a bug, kept from killing the timer.
      logger.error({ err: (err as Error).message }, 'AWS discovery round failed');
    } finally {
      busy = false;
    }
  };

  const run = (): Promise<void> => {
    const next = chain.then(round);
    chain = next;
    return next;
  };

  const configChanged = () => {
    const config = options.config();
    return (config ? awsConfigKey(config) : undefined) !== key;
  };
  const tick = () => {
    if (!busy && (configChanged() || now() - lastRoundMs >= intervalMs)) void run();
  };
  const first = setTimeout(tick, 0);
  const timer = setInterval(tick, Math.min(CONFIG_CHECK_MS, intervalMs));
  first.unref();
  timer.unref();

  return {
    refresh: run,
    families: () => families,
    databaseTargets: (credentialsFor) => rdsDatabaseTargets(rds, credentialsFor),
    status() {
      const error = [...errors].map(([service, message]) => `${service}: ${message}`).join('; ');
      return {
        enabled: options.config() !== undefined,
        ...(lastRefreshMs !== undefined ? { lastRefreshMs } : {}),
        ...(error ? { error } : {}),
      };
    },
    async stop() {
      clearTimeout(first);
      clearInterval(timer);
      await chain;
      reset();
    },
  };
}

/** `aws_discovery_error`: per service, 1 with the error, or 0 with `error=""` when it worked. */
function errorFamily(errors: ReadonlyMap<AwsService, string>): MetricFamily {
  return {
    name: 'aws_discovery_error',
    type: 'gauge',
    help: 'Whether asking the AWS service failed in the last round (the error in `error`).',
    samples: AWS_SERVICES.map((service) => {
      const error = errors.get(service);
      return { labels: { service, error: error ?? '' }, value: error === undefined ? 0 : 1 };
    }),
  };
}

async function systemLookupIpv4(hostname: string): Promise<string | undefined> {
  try {
    return (await lookup(hostname, { family: 4 })).address;
  } catch {
    return undefined;
  }
}
