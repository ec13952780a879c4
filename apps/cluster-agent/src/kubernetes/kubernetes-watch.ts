/**
 * The cluster agent's view of Kubernetes: one Reflector (list + watch) per resource of
 * WATCHED_RESOURCES, and what is derived from their stores on demand:
 *
 *   pods, nodes, services, endpointslices, deployments, replicasets, statefulsets, daemonsets,
 *   jobs, cronjobs ──► families(): kube-state-metrics series of the state known now
 *   pods (+ Secrets read by name) ──► databaseTargets(), profileTargets.current()
 *   events ──► EventForwarder ──► EventSink (OTLP logs, service.name=KubernetesEvents)
 *
 * Nothing is computed on a change; a scrape or a collection round reads the stores.
 */
import type {
  CoreV1Event,
  KubeConfig,
  V1CronJob,
  V1DaemonSet,
  V1Deployment,
  V1EndpointSlice,
  V1Job,
  V1Node,
  V1Pod,
  V1ReplicaSet,
  V1Service,
  V1StatefulSet,
} from '@kubernetes/client-node';
import type { MetricFamily } from '@vigil/agent-kit';
import type { Logger } from '@vigil/core';
import type { Target } from '../collectors/target.ts';
import type { EventSink } from '../ship/event-shipper.ts';
import type { ProfileTargetSource } from '../targets/profile-target.ts';
import { EventForwarder } from './events.ts';
import { FamilyBuilder } from './families.ts';
import { serverUrl } from './kube-request.ts';
import { addEndpointSeries, addNodeSeries, addServiceSeries } from './ksm-cluster.ts';
import { addPodSeries } from './ksm-pods.ts';
import {
  addCronJobSeries,
  addDaemonSetSeries,
  addDeploymentSeries,
  addJobSeries,
  addReplicaSetSeries,
  addStatefulSetSeries,
} from './ksm-workloads.ts';
import type { OwnerLookup } from './owners.ts';
import { annotatedTargets, profileTargetOf, withSecret } from './pod-targets.ts';
import { Reflector, type KubeObject, type ReflectorHandlers, type ReflectorTuning } from './reflector.ts';
import { WATCHED_RESOURCES, type WatchedResourceName } from './resources.ts';
import { SecretCache } from './secret-cache.ts';

export interface KubernetesWatchOptions {
  readonly kubeConfig: KubeConfig;
  /** undefined: events not shipped (and not watched). */
  readonly events?: EventSink;
  readonly clusterName?: string;
  readonly logger: Logger;
  readonly now?: () => number;
}

export interface KubernetesWatch {
  /** kube-state-metrics series for the state the watches know now. */
  families(): MetricFamily[];
  /** Database targets from pod annotations (Secrets resolved). */
  databaseTargets(): readonly Target[];
  /** Go profiling targets from pod annotations. */
  readonly profileTargets: ProfileTargetSource;
  /** Resolves when every watch has finished its first list (or failed it, logged). */
  ready(): Promise<void>;
  /** For /health: per resource, listed?, last error. */
  status(): Readonly<Record<string, { readonly synced: boolean; readonly error?: string }>>;
  stop(): Promise<void>;
}

/** Timings tests shorten. */
export interface KubernetesWatchTuning extends ReflectorTuning {
  readonly secretRefreshMs?: number;
  readonly eventLookbackMs?: number;
}

/**
 * Starts every watch and returns at once; `ready()` tells when the first lists are in. Rejects
 * only when the kubeconfig has no current cluster: an API server that cannot be reached is
 * retried, and shown in `status()` and the log.
 */
export async function startKubernetesWatch(options: KubernetesWatchOptions): Promise<KubernetesWatch> {
  return startWatchWithTuning(options, {});
}

/** startKubernetesWatch with timings of the caller's choice. */
export function startWatchWithTuning(
  options: KubernetesWatchOptions,
  tuning: KubernetesWatchTuning,
): KubernetesWatch {
  const now = options.now ?? Date.now;
  const logger = options.logger.child({ component: 'kubernetes' });
  const { kubeConfig } = options;
  serverUrl(kubeConfig); // throws now rather than in every retry of every watch
  const secrets = new SecretCache({ kubeConfig, logger, now, refreshMs: tuning.secretRefreshMs });
  const make = <T extends KubeObject>(name: WatchedResourceName, handlers?: ReflectorHandlers<T>) =>
    new Reflector<T>({ ...tuning, name, path: WATCHED_RESOURCES[name].path, kubeConfig, logger, handlers });
  const r = {
    pods: make<V1Pod>('pods'),
    nodes: make<V1Node>('nodes'),
    services: make<V1Service>('services'),
    endpointslices: make<V1EndpointSlice>('endpointslices'),
    deployments: make<V1Deployment>('deployments'),
    replicasets: make<V1ReplicaSet>('replicasets'),
    statefulsets: make<V1StatefulSet>('statefulsets'),
    daemonsets: make<V1DaemonSet>('daemonsets'),
    jobs: make<V1Job>('jobs'),
    cronjobs: make<V1CronJob>('cronjobs'),
    ...(options.events
      ? {
          events: make<CoreV1Event>(
            'events',
            new EventForwarder({
              sink: options.events,
              clusterName: options.clusterName,
              now,
              lookbackMs: tuning.eventLookbackMs,
            }),
          ),
        }
      : {}),
  };
  const reflectors: Reflector<KubeObject>[] = Object.values(r);
  for (const reflector of reflectors) reflector.start();

  const lookup: OwnerLookup = {
    replicaSet: (ns, name) => r.replicasets.store.get(`${ns}/${name}`),
    job: (ns, name) => r.jobs.store.get(`${ns}/${name}`),
  };
  const annotated = () => [...r.pods.store.values()].flatMap(annotatedTargets);

  return {
    families() {
      const b = new FamilyBuilder();
      for (const pod of r.pods.store.values()) addPodSeries(b, pod);
      for (const d of r.deployments.store.values()) addDeploymentSeries(b, d);
      for (const rs of r.replicasets.store.values()) addReplicaSetSeries(b, rs);
      for (const s of r.statefulsets.store.values()) addStatefulSetSeries(b, s);
      for (const d of r.daemonsets.store.values()) addDaemonSetSeries(b, d);
      for (const j of r.jobs.store.values()) addJobSeries(b, j);
      for (const c of r.cronjobs.store.values()) addCronJobSeries(b, c);
      for (const n of r.nodes.store.values()) addNodeSeries(b, n);
      for (const s of r.services.store.values()) addServiceSeries(b, s);
      addEndpointSeries(b, r.endpointslices.store.values());
      return b.build();
    },
    databaseTargets() {
      const all = annotated();
      secrets.retain(
        new Set(all.flatMap((t) => (t.secret ? [`${t.secret.namespace}/${t.secret.name}`] : []))),
      );
      return all.flatMap((t) => {
        const target = withSecret(t, t.secret && secrets.get(t.secret.namespace, t.secret.name));
        return target ? [target] : [];
      });
    },
    profileTargets: {
      current: () => [...r.pods.store.values()].flatMap((pod) => profileTargetOf(pod, lookup) ?? []),
    },
    async ready() {
      await Promise.all(reflectors.map((x) => x.firstSync));
      // Secrets named by the listed pods are read before "ready", so the first collection round
      // already has their credentials.
      await secrets.refresh(
        annotated().flatMap((t) => (t.secret ? [[t.secret.namespace, t.secret.name] as const] : [])),
      );
    },
    status() {
      const out: Record<string, { synced: boolean; error?: string }> = {};
      for (const [name, x] of Object.entries(r) as [string, Reflector<KubeObject>][]) {
        out[name] = x.error === undefined ? { synced: x.synced } : { synced: x.synced, error: x.error };
      }
      return out;
    },
    async stop() {
      await Promise.all(reflectors.map((x) => x.stop()));
    },
  };
}
