/**
 * What pod annotations ask the agent to collect, with the annotation names of Coroot's cluster
 * agent:
 *
 *   coroot.com/<type>-scrape: "true"                       type: postgres mysql redis mongodb memcached
 *   coroot.com/<type>-scrape-port                          default 5432 3306 6379 27017 11211
 *   coroot.com/<type>-scrape-credentials-username|-password
 *   coroot.com/<type>-scrape-credentials-secret-name       a Secret in the pod's namespace, whose
 *     …-secret-username-key / …-secret-password-key        keys override the inline values
 *   coroot.com/<type>-scrape-param-<name>                  e.g. postgres sslmode, mysql tls
 *
 *   coroot.com/profile-scrape: "true" + coroot.com/profile-port   (or pyroscope.io/scrape + /port)
 *
 * Only running pods with an IP are targets. Unlike Coroot (one database per pod, the last type
 * annotated wins), every annotated type of a pod is a target. A target whose Secret cannot be read
 * yet is left out until it can (Coroot does the same).
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { Target, TargetType } from '../collectors/target.ts';
import type { ProfileTarget } from '../targets/profile-target.ts';
import { kubeMapToLabels } from './label-names.ts';
import { podWorkload, type OwnerLookup } from './owners.ts';

/** The database types annotations may name, with their default ports. */
export const DEFAULT_PORTS: Readonly<Record<TargetType, number>> = {
  postgres: 5432,
  mysql: 3306,
  redis: 6379,
  mongodb: 27017,
  memcached: 11211,
};

/** Where a target's credentials are kept, when in a Secret. */
export interface SecretRef {
  readonly namespace: string;
  readonly name: string;
  readonly usernameKey?: string;
  readonly passwordKey?: string;
}

/** A target as the annotations describe it, before its Secret is read. */
export interface AnnotatedTarget {
  readonly target: Target;
  readonly secret?: SecretRef;
}

function runningIp(pod: V1Pod): string | undefined {
  return pod.status?.phase === 'Running' && pod.status.podIP ? pod.status.podIP : undefined;
}

function parsePort(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,5}$/.test(text.trim())) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

/** `/k8s/<ns>/<pod>/<container>` for the container that declares `port` (or the only one). */
function instanceOf(pod: V1Pod, port: number): string {
  const base = `/k8s/${pod.metadata?.namespace}/${pod.metadata?.name}`;
  const containers = pod.spec?.containers ?? [];
  const byPort = containers.find((c) => c.ports?.some((p) => p.containerPort === port));
  const container = byPort ?? (containers.length === 1 ? containers[0] : undefined);
  return container ? `${base}/${container.name}` : base;
}

/** The database targets a pod's annotations describe. */
export function annotatedTargets(pod: V1Pod): AnnotatedTarget[] {
  const ip = runningIp(pod);
  const a = pod.metadata?.annotations;
  if (!ip || !a) return [];
  const out: AnnotatedTarget[] = [];
  for (const type of Object.keys(DEFAULT_PORTS) as TargetType[]) {
    const p = `coroot.com/${type}-scrape`;
    if (a[p] !== 'true') continue;
    const port = a[`${p}-port`] === undefined ? DEFAULT_PORTS[type] : parsePort(a[`${p}-port`]);
    if (port === undefined) continue;
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(a)) {
      if (k.startsWith(`${p}-param-`) && v !== '') params[k.slice(`${p}-param-`.length)] = v;
    }
    const username = a[`${p}-credentials-username`];
    const password = a[`${p}-credentials-password`];
    const secretName = a[`${p}-credentials-secret-name`];
    const usernameKey = a[`${p}-credentials-secret-username-key`] || undefined;
    const passwordKey = a[`${p}-credentials-secret-password-key`] || undefined;
    out.push({
      target: {
        type,
        host: ip,
        port,
        ...(username || password ? { credentials: { username, password } } : {}),
        ...(Object.keys(params).length > 0 ? { params } : {}),
        instance: instanceOf(pod, port),
      },
      ...(secretName && (usernameKey || passwordKey)
        ? { secret: { namespace: pod.metadata?.namespace ?? '', name: secretName, usernameKey, passwordKey } }
        : {}),
    });
  }
  return out;
}

/** The target with its Secret's values in, or undefined while the Secret is not readable. */
export function withSecret(
  t: AnnotatedTarget,
  data: Readonly<Record<string, string>> | undefined,
): Target | undefined {
  if (!t.secret) return t.target;
  if (!data) return undefined;
  const username = (t.secret.usernameKey && data[t.secret.usernameKey]) || t.target.credentials?.username;
  const password = (t.secret.passwordKey && data[t.secret.passwordKey]) || t.target.credentials?.password;
  return { ...t.target, credentials: { username, password } };
}

/** The pod's Go profiling target, if its annotations ask for one. */
export function profileTargetOf(pod: V1Pod, lookup: OwnerLookup): ProfileTarget | undefined {
  const ip = runningIp(pod);
  const a = pod.metadata?.annotations ?? {};
  const scrape = a['coroot.com/profile-scrape'] || a['pyroscope.io/scrape'];
  const port = parsePort(a['coroot.com/profile-port'] || a['pyroscope.io/port']);
  if (!ip || scrape !== 'true' || port === undefined) return undefined;
  const ns = pod.metadata?.namespace ?? '';
  return {
    baseUrl: `http://${ip.includes(':') ? `[${ip}]` : ip}:${port}`,
    serviceName: `/k8s/${ns}/${podWorkload(pod, lookup)}`,
    labels: {
      ...kubeMapToLabels('label', pod.metadata?.labels),
      namespace: ns,
      pod: pod.metadata?.name ?? '',
      ...(pod.spec?.nodeName ? { node: pod.spec.nodeName } : {}),
    },
  };
}
