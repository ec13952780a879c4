/**
 * The cluster agent's install files under deploy/kubernetes: every manifest of the directory
 * validated against the API schema of its kind (kubernetes-models), the facts the agent depends on
 * asserted one by one, and the ClusterRole compared with the watches the code starts
 * (kubernetes/resources.ts): a watch added without its RBAC rule, or a rule the code does not
 * need, fails here.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { ClusterRole, type IClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { rbacRules, type RbacRule } from './kubernetes/resources.ts';

const K8S_DIR = fileURLToPath(new URL('../../../deploy/kubernetes/', import.meta.url));
const AGENT_PORT = 10301;

/** The variables the cluster agent reads (README.md, run.ts, kubernetes/kube-config.ts). */
const AGENT_ENV_NAMES = new Set([
  'VIGIL_COLLECTOR_URL',
  'COROOT_URL',
  'COLLECTOR_ENDPOINT',
  'VIGIL_API_KEY',
  'API_KEY',
  'VIGIL_SCRAPE_INTERVAL',
  'SCRAPE_INTERVAL',
  'VIGIL_CLUSTER_AGENT_LISTEN',
  'VIGIL_CLUSTER_TARGETS',
  'VIGIL_DATA_DIR',
  'VIGIL_SPOOL_MAX_BYTES',
  'VIGIL_KUBECONFIG',
  'KUBECONFIG',
]);

type ModelClass = (new (data: never) => { validate(): void }) & { apiVersion: string; kind: string };

/** Every kind deploy/kubernetes may contain; a kind missing here fails validation. */
const MODELS = new Map<string, ModelClass>(
  [Namespace, ServiceAccount, Secret, DaemonSet, Deployment, ClusterRole, ClusterRoleBinding].map((m) => [
    `${m.apiVersion} ${m.kind}`,
    m,
  ]),
);

function validateManifest(object: Record<string, unknown>): void {
  const Model = MODELS.get(`${String(object.apiVersion)} ${String(object.kind)}`);
  if (!Model)
    throw new Error(`no schema for apiVersion ${String(object.apiVersion)}, kind ${String(object.kind)}`);
  new Model(object as never).validate();
}

const files = readdirSync(K8S_DIR)
  .filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml')
  .sort();
const manifests = files.flatMap((file) =>
  parseAllDocuments(readFileSync(join(K8S_DIR, file), 'utf8')).flatMap((doc) => {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const object = doc.toJS() as Record<string, unknown> | null;
    return object === null ? [] : [{ file, object }];
  }),
);
const ours = manifests.filter((m) => m.file.startsWith('cluster-agent-'));

/** The objects of `list` that `is` (a kubernetes-models type guard) recognises. */
function objectsOf<T>(
  is: (value: unknown) => value is T,
  list: readonly { object: unknown }[] = manifests,
): T[] {
  const out: T[] = [];
  for (const { object } of list) if (is(object)) out.push(object);
  return out;
}

/** The one object of the cluster agent's files of that kind (and name). */
function only<T extends { metadata?: { name?: string } }>(
  is: (value: unknown) => value is T,
  name?: string,
): T {
  const found = objectsOf(is, ours).filter((o) => name === undefined || o.metadata?.name === name);
  expect(found).toHaveLength(1);
  return found[0]!;
}

const theDeployment = (): IDeployment => only(Deployment.is);
function theContainer(): IContainer {
  const containers = theDeployment().spec?.template.spec?.containers ?? [];
  expect(containers).toHaveLength(1);
  return containers[0]!;
}
const envOf = (name: string) => theContainer().env?.find((e) => e.name === name);

/** Rules in one canonical form: one entry per (group, resource), verbs sorted. */
function canonical(rules: readonly RbacRule[]): string[] {
  return rules
    .flatMap((r) =>
      r.apiGroups.flatMap((g) => r.resources.map((res) => `${g}/${res}: ${[...r.verbs].sort().join(',')}`)),
    )
    .sort();
}

describe('deploy/kubernetes: the cluster agent', () => {
  it('holds its service account, ClusterRole, ClusterRoleBinding and Deployment', () => {
    expect(ours.map((m) => String(m.object.kind)).sort()).toEqual([
      'ClusterRole',
      'ClusterRoleBinding',
      'Deployment',
      'ServiceAccount',
    ]);
  });

  it.each(manifests.map((m) => [`${m.file}: ${String(m.object.kind)}`, m.object] as const))(
    '%s is valid against the Kubernetes API schema',
    (_name, object) => {
      expect(() => validateManifest(object)).not.toThrow();
    },
  );

  it('rejects a broken copy of the Deployment, so the validator is live', () => {
    const broken = structuredClone(theDeployment()) as unknown as { spec: { replicas: unknown } };
    broken.spec.replicas = 'one';
    expect(() => validateManifest(broken as unknown as Record<string, unknown>)).toThrow(
      /replicas must be integer/,
    );
  });

  it('grants exactly the resources and verbs the watch code uses, and nothing else', () => {
    const role: IClusterRole = only(ClusterRole.is);
    const granted = (role.rules ?? []).map((r) => ({
      apiGroups: r.apiGroups ?? [],
      resources: r.resources ?? [],
      verbs: r.verbs,
    }));
    expect(canonical(granted)).toEqual(canonical(rbacRules()));
    expect(canonical(rbacRules())).toContain('/secrets: get');
    for (const r of role.rules ?? []) {
      expect(r.verbs.every((v) => ['get', 'list', 'watch'].includes(v))).toBe(true);
      expect(r.resourceNames).toBeUndefined();
      expect(r.nonResourceURLs).toBeUndefined();
    }
  });

  it('binds the role to the service account the Deployment runs as, which gets a token', () => {
    const binding = only(ClusterRoleBinding.is);
    const deployment = theDeployment();
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: only(ClusterRole.is).metadata?.name,
    });
    const account = only(ServiceAccount.is, deployment.spec?.template.spec?.serviceAccountName);
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: account.metadata?.name, namespace: deployment.metadata?.namespace },
    ]);
    expect(account.metadata?.namespace).toBe(deployment.metadata?.namespace);
    expect(account.automountServiceAccountToken).not.toBe(false);
    expect(deployment.spec?.template.spec?.automountServiceAccountToken).not.toBe(false);
  });

  it('runs one `vigil cluster-agent`, never two at once', () => {
    const spec = theDeployment().spec;
    expect(spec?.replicas).toBe(1);
    expect(spec?.strategy?.type).toBe('Recreate');
    expect(spec?.template.metadata?.labels).toMatchObject(spec?.selector.matchLabels ?? { missing: true });
    expect(theContainer().image).toBeTruthy();
    expect(theContainer().command).toEqual(['vigil', 'cluster-agent']);
  });

  it('probes GET /health on the port it listens on', () => {
    const container = theContainer();
    expect(container.ports?.map((p) => p.containerPort)).toEqual([AGENT_PORT]);
    for (const probe of [container.readinessProbe, container.livenessProbe]) {
      expect(probe?.httpGet?.path).toBe('/health');
      expect(probe?.httpGet?.port).toBe(AGENT_PORT);
    }
    expect(envOf('VIGIL_CLUSTER_AGENT_LISTEN')?.value).toBe(`:${AGENT_PORT}`);
  });

  it('takes the collector URL and the API key from the same places as the node agent', () => {
    const nodeAgent = objectsOf(DaemonSet.is)[0]?.spec?.template.spec?.containers[0];
    const nodeEnv = (name: string) => nodeAgent?.env?.find((e) => e.name === name);
    expect(envOf('VIGIL_COLLECTOR_URL')).toEqual(nodeEnv('VIGIL_COLLECTOR_URL'));
    expect(envOf('VIGIL_API_KEY')).toEqual(nodeEnv('VIGIL_API_KEY'));
    const ref = envOf('VIGIL_API_KEY')?.valueFrom?.secretKeyRef;
    const secret = objectsOf(Secret.is).find((s) => s.metadata?.name === ref?.name);
    expect(secret?.metadata?.namespace).toBe(theDeployment().metadata?.namespace);
    expect(Object.keys({ ...secret?.data, ...secret?.stringData })).toContain(ref?.key);
    for (const e of theContainer().env ?? []) expect(AGENT_ENV_NAMES, e.name).toContain(e.name);
  });

  it('runs as non-root on a read-only root filesystem, with the spool on a writable emptyDir', () => {
    const pod = theDeployment().spec?.template.spec;
    const container = theContainer();
    expect(pod?.securityContext?.runAsNonRoot).toBe(true);
    expect(container.securityContext?.readOnlyRootFilesystem).toBe(true);
    expect(container.securityContext?.allowPrivilegeEscalation).toBe(false);
    const dataDir = envOf('VIGIL_DATA_DIR')?.value;
    const mount = container.volumeMounts?.find((m) => m.mountPath === dataDir);
    expect(mount?.readOnly ?? false).toBe(false);
    expect(pod?.volumes?.find((v) => v.name === mount?.name)?.emptyDir).toBeDefined();
    const mounted = (container.volumeMounts ?? []).map((m) => m.name).sort();
    expect((pod?.volumes ?? []).map((v) => v.name).sort()).toEqual(mounted);
  });

  it('requests CPU and memory and limits memory', () => {
    const resources = theContainer().resources;
    expect(resources?.requests?.cpu).toBeTruthy();
    expect(resources?.requests?.memory).toBeTruthy();
    expect(resources?.limits?.memory).toBeTruthy();
  });

  it('is listed in kustomization.yaml, and kustomize builds it', (ctx) => {
    const kustomization = parse(readFileSync(join(K8S_DIR, 'kustomization.yaml'), 'utf8')) as {
      resources: string[];
    };
    for (const m of ours) expect(kustomization.resources).toContain(m.file);
    const onPath = (process.env.PATH ?? '').split(delimiter).some((dir) => {
      try {
        accessSync(join(dir, 'kubectl'), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
    if (!onPath) {
      process.stdout.write(
        '[skip] kubectl is not installed; only the file list of kustomization.yaml was checked\n',
      );
      ctx.skip();
      return;
    }
    const built = spawnSync('kubectl', ['kustomize', K8S_DIR], { encoding: 'utf8', timeout: 30_000 });
    expect(built.status, built.stderr).toBe(0);
    const kinds = parseAllDocuments(built.stdout).map((d) => {
      const o = d.toJS() as { kind: string; metadata: { name: string } };
      return `${o.kind}/${o.metadata.name}`;
    });
    expect(kinds).toEqual(
      expect.arrayContaining([
        'ServiceAccount/vigil-cluster-agent',
        'ClusterRole/vigil-cluster-agent',
        'ClusterRoleBinding/vigil-cluster-agent',
        'Deployment/vigil-cluster-agent',
      ]),
    );
  });
});
