/**
 * The Kubernetes resources the cluster agent reads, in one place: the watches are started from
 * WATCHED_RESOURCES, and the RBAC the agent needs is derived from the same list (RBAC_RULES), so
 * deploy/kubernetes/cluster-agent-rbac.yaml is checked against what the code really does
 * (apps/cluster-agent/src/deploy-manifests.test.ts) and a new watch without RBAC fails a test.
 */

/** One resource the agent lists and watches cluster-wide. */
export interface WatchedResource {
  /** The resource (plural) as RBAC and URLs name it: `pods`, `deployments`. */
  readonly resource: string;
  /** API group; '' is the core group. */
  readonly group: string;
  readonly version: string;
  /** The cluster-wide collection: list it, and `?watch=true` on it. */
  readonly path: string;
}

function resource(group: string, version: string, plural: string): WatchedResource {
  const prefix = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
  return { resource: plural, group, version, path: `${prefix}/${plural}` };
}

/** Every watch the agent starts, by key (the key is also the name `status()` reports). */
export const WATCHED_RESOURCES = {
  pods: resource('', 'v1', 'pods'),
  nodes: resource('', 'v1', 'nodes'),
  services: resource('', 'v1', 'services'),
  // core/v1 Endpoints is deprecated since 1.33 and caps at 1000 addresses; slices are what
  // kube-proxy reads, and kube_endpoint_address is derived from them (ksm-cluster.ts).
  endpointslices: resource('discovery.k8s.io', 'v1', 'endpointslices'),
  deployments: resource('apps', 'v1', 'deployments'),
  replicasets: resource('apps', 'v1', 'replicasets'),
  statefulsets: resource('apps', 'v1', 'statefulsets'),
  daemonsets: resource('apps', 'v1', 'daemonsets'),
  jobs: resource('batch', 'v1', 'jobs'),
  cronjobs: resource('batch', 'v1', 'cronjobs'),
  events: resource('', 'v1', 'events'),
} as const satisfies Record<string, WatchedResource>;

export type WatchedResourceName = keyof typeof WATCHED_RESOURCES;

/**
 * Secrets are read one by one, by name, only when a pod annotation references one
 * (`coroot.com/<type>-scrape-credentials-secret-name`); they are never listed or watched.
 */
export const SECRET_READ = { group: '', resource: 'secrets', verbs: ['get'] } as const;

/** A ClusterRole rule, as in the manifest. */
export interface RbacRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

/** The least RBAC for the code above: list+watch (and get) on the watched resources, get on secrets. */
export function rbacRules(): RbacRule[] {
  const byGroup = new Map<string, string[]>();
  for (const r of Object.values(WATCHED_RESOURCES)) {
    byGroup.set(r.group, [...(byGroup.get(r.group) ?? []), r.resource]);
  }
  const rules: RbacRule[] = [...byGroup].map(([group, resources]) => ({
    apiGroups: [group],
    resources: [...resources].sort(),
    verbs: ['get', 'list', 'watch'],
  }));
  rules.push({
    apiGroups: [SECRET_READ.group],
    resources: [SECRET_READ.resource],
    verbs: [...SECRET_READ.verbs],
  });
  return rules;
}
