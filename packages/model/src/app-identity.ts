/**
 * What an application id says about the application (the node agent's ids, shared reference
 * coroot-compat.md "Container ids"), and its category from user-configurable globs.
 *
 * | app id                          | kind       | namespace | name        |
 * | ------------------------------- | ---------- | --------- | ----------- |
 * | `/k8s/shop/api`                 | kubernetes | shop      | api         |
 * | `/k8s-cronjob/shop/cleanup`     | kubernetes | shop      | cleanup     |
 * | `/docker/redis`                 | docker     |           | redis       |
 * | `/system.slice/nginx.service`   | systemd    |           | nginx       |
 * | `/host/nginx`                   | process    |           | nginx       |
 * | `external:10.1.2.3:5432`        | external   |           | 10.1.2.3:5432 |
 */
import type { AppKind } from './world.ts';

export interface AppIdentity {
  readonly kind: AppKind;
  readonly namespace: string;
  readonly name: string;
}

export const EXTERNAL_PREFIX = 'external:';

export function appIdentity(appId: string): AppIdentity {
  if (appId.startsWith(EXTERNAL_PREFIX)) {
    return { kind: 'external', namespace: '', name: appId.slice(EXTERNAL_PREFIX.length) };
  }
  const parts = appId.split('/').filter((p) => p !== '');
  const [root, a, b] = parts;
  if ((root === 'k8s' || root === 'k8s-cronjob') && a !== undefined && b !== undefined) {
    return { kind: 'kubernetes', namespace: a, name: b };
  }
  if (root === 'docker' && a !== undefined) return { kind: 'docker', namespace: '', name: a };
  if (root === 'system.slice' && a !== undefined) {
    return { kind: 'systemd', namespace: '', name: a.replace(/\.service$/, '') };
  }
  return { kind: 'process', namespace: '', name: parts[parts.length - 1] ?? appId };
}

/** Category → globs over app ids (`*` any run of characters, `?` one). First match wins, in order. */
export type CategoryRules = ReadonlyArray<{ readonly category: string; readonly globs: readonly string[] }>;

export const DEFAULT_CATEGORY_RULES: CategoryRules = [
  {
    category: 'control-plane',
    globs: ['/k8s/kube-system/*', '/k8s/kube-*/*', '*kubelet*', '*containerd*', '*dockerd*', '*etcd*'],
  },
  {
    category: 'monitoring',
    globs: [
      '*prometheus*',
      '*grafana*',
      '*alertmanager*',
      '*node-exporter*',
      '*node_exporter*',
      '*vigil*',
      '*coroot*',
      '/k8s/monitoring/*',
    ],
  },
];

function globRegExp(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/** Compiles rules once; the returned function names an app's category ('application' when none matches). */
export function categorizer(rules: CategoryRules = DEFAULT_CATEGORY_RULES): (appId: string) => string {
  const compiled = rules.map((r) => ({ category: r.category, res: r.globs.map(globRegExp) }));
  return (appId) => compiled.find((r) => r.res.some((re) => re.test(appId)))?.category ?? 'application';
}
