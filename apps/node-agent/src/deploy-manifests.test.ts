/**
 * The node agent's install files under deploy/: every Kubernetes manifest validated against the
 * API schema of its kind (kubernetes-models), the facts the agent depends on asserted one by one
 * (the schema accepts a pod without hostPID, and ignores a misspelt `hostPid`), and the systemd
 * unit read as systemd reads it, verified by systemd-analyze where it is installed.
 */
import { spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DaemonSet, type IDaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import { Secret } from 'kubernetes-models/v1/Secret';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

const DEPLOY_DIR = fileURLToPath(new URL('../../../deploy/', import.meta.url));
const K8S_DIR = join(DEPLOY_DIR, 'kubernetes');
const UNIT_FILE = join(DEPLOY_DIR, 'systemd', 'vigil-node-agent.service');
const ENV_EXAMPLE_FILE = join(DEPLOY_DIR, 'systemd', 'node-agent.env.example');
const AGENT_PORT = 10300;

/** The environment variables the node agent documents (ARCHITECTURE.md), aliases included. */
const AGENT_ENV_NAMES = new Set([
  'VIGIL_COLLECTOR_URL',
  'COLLECTOR_ENDPOINT',
  'VIGIL_API_KEY',
  'API_KEY',
  'VIGIL_SCRAPE_INTERVAL',
  'SCRAPE_INTERVAL',
  'VIGIL_DATA_DIR',
  'VIGIL_NODE_AGENT_LISTEN',
  'VIGIL_SPOOL_MAX_BYTES',
]);

type ModelClass = (new (data: never) => { validate(): void }) & { apiVersion: string; kind: string };

/** Every kind deploy/kubernetes may contain. A kind missing here fails validation, never passes. */
const MODELS = new Map<string, ModelClass>(
  [Namespace, ServiceAccount, Secret, DaemonSet, Deployment, ClusterRole, ClusterRoleBinding].map((m) => [
    `${m.apiVersion} ${m.kind}`,
    m,
  ]),
);

/** Throws when `object` breaks the schema of its kind, or when its kind has no schema here. */
function validateManifest(object: Record<string, unknown>): void {
  const Model = MODELS.get(`${String(object.apiVersion)} ${String(object.kind)}`);
  if (!Model) {
    throw new Error(`no schema for apiVersion ${String(object.apiVersion)}, kind ${String(object.kind)}`);
  }
  // The YAML is untyped; validate() is what checks it.
  new Model(object as never).validate();
}

interface ManifestDoc {
  readonly file: string;
  readonly object: Record<string, unknown>;
}

const KUSTOMIZATION = 'kustomization.yaml';
const manifestFiles = readdirSync(K8S_DIR)
  .filter((f) => /\.ya?ml$/.test(f) && f !== KUSTOMIZATION)
  .sort();

function readManifests(): ManifestDoc[] {
  return manifestFiles.flatMap((file) =>
    parseAllDocuments(readFileSync(join(K8S_DIR, file), 'utf8')).flatMap((doc) => {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
      const object: unknown = doc.toJS();
      if (object === null) return []; // an empty document, as after a trailing `---`
      if (typeof object !== 'object' || Array.isArray(object))
        throw new Error(`${file}: a document is not a map`);
      return [{ file, object: object as Record<string, unknown> }];
    }),
  );
}

/** Every object of deploy/kubernetes (the cluster agent's files too: they share the namespace). */
const manifests = readManifests();
/** The node agent's own objects and the namespace; the cluster agent's have their own test. */
const nodeAgentManifests = manifests.filter((m) => /^(node-agent-|namespace\.ya?ml$)/.test(m.file));

/** The node agent's objects of the kind `is` recognises (a kubernetes-models type guard). */
function objectsOf<T>(is: (value: unknown) => value is T): T[] {
  const out: T[] = [];
  for (const { object } of nodeAgentManifests) if (is(object)) out.push(object);
  return out;
}

function theDaemonSet(): IDaemonSet {
  const all = objectsOf(DaemonSet.is);
  expect(all).toHaveLength(1);
  return all[0]!;
}

function theAgentContainer(): IContainer {
  const containers = theDaemonSet().spec?.template.spec?.containers ?? [];
  expect(containers).toHaveLength(1);
  return containers[0]!;
}

/** The probe's port as a number, resolving a named port through the container's ports. */
function probePort(probe: IProbe | undefined, container: IContainer): number | undefined {
  const port = probe?.httpGet?.port;
  if (typeof port === 'string') return container.ports?.find((p) => p.name === port)?.containerPort;
  return port;
}

function envOf(container: IContainer, name: string): NonNullable<IContainer['env']>[number] | undefined {
  return container.env?.find((e) => e.name === name);
}

describe('deploy/kubernetes', () => {
  it('holds the namespace, service account, secret and daemonset of the agent', () => {
    expect(nodeAgentManifests.map((m) => m.object.kind).sort()).toEqual([
      'DaemonSet',
      'Namespace',
      'Secret',
      'ServiceAccount',
    ]);
  });

  it.each(manifests.map((m) => [`${m.file}: ${String(m.object.kind)}`, m.object] as const))(
    '%s is valid against the Kubernetes API schema',
    (_name, object) => {
      expect(() => validateManifest(object)).not.toThrow();
    },
  );

  it('fails a kind it has no schema for instead of passing it', () => {
    expect(() =>
      validateManifest({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }),
    ).toThrow(/no schema for apiVersion example\.com\/v1, kind Widget/);
  });

  it('rejects a broken copy of the daemonset, so the validator is live', () => {
    const original = manifests.find((m) => m.object.kind === 'DaemonSet')!.object;
    const wrongType = structuredClone(original) as { spec: { template: { spec: Record<string, unknown> } } };
    wrongType.spec.template.spec.hostPID = 'yes';
    expect(() => validateManifest(wrongType)).toThrow(/hostPID must be boolean/);

    const nameless = structuredClone(original) as { spec: { template: { spec: { containers: object[] } } } };
    nameless.spec.template.spec.containers = [{ image: 'vigil:latest' }];
    expect(() => validateManifest(nameless)).toThrow(/containers\/0 must have required property name/);
  });

  it('runs `vigil node-agent` privileged in the host PID and network namespaces, resolving cluster names', () => {
    const pod = theDaemonSet().spec?.template.spec;
    const container = theAgentContainer();
    expect(pod?.hostPID).toBe(true);
    expect(pod?.hostNetwork).toBe(true);
    expect(pod?.dnsPolicy).toBe('ClusterFirstWithHostNet');
    expect(container.securityContext?.privileged).toBe(true);
    expect(container.image).toBeTruthy(); // optional in the schema, required by the kubelet
    expect([...(container.command ?? []), ...(container.args ?? [])]).toContain('node-agent');
  });

  it('probes GET /health on the port the agent listens on', () => {
    const container = theAgentContainer();
    for (const probe of [container.readinessProbe, container.livenessProbe]) {
      expect(probe?.httpGet?.path).toBe('/health');
      expect(probePort(probe, container)).toBe(AGENT_PORT);
    }
    const listen = envOf(container, 'VIGIL_NODE_AGENT_LISTEN')?.value;
    if (listen !== undefined) expect(listen).toMatch(new RegExp(`:${AGENT_PORT}$`));
  });

  it('takes the API key from a key of a Secret that the manifests create in the same namespace', () => {
    const ref = envOf(theAgentContainer(), 'VIGIL_API_KEY')?.valueFrom?.secretKeyRef;
    expect(ref?.name).toBeTruthy();
    const secret = objectsOf(Secret.is).find((s) => s.metadata?.name === ref?.name);
    expect(secret?.metadata?.namespace).toBe(theDaemonSet().metadata?.namespace);
    expect(Object.keys({ ...secret?.data, ...secret?.stringData })).toContain(ref?.key);
  });

  it('sets only environment variables the agent documents, with a collector URL', () => {
    const container = theAgentContainer();
    for (const e of container.env ?? []) expect(AGENT_ENV_NAMES, e.name).toContain(e.name);
    expect(() => new URL(envOf(container, 'VIGIL_COLLECTOR_URL')?.value ?? '')).not.toThrow();
  });

  it('keeps the spool (VIGIL_DATA_DIR) on a host directory, so it survives the pod', () => {
    const ds = theDaemonSet();
    const container = theAgentContainer();
    const dataDir = envOf(container, 'VIGIL_DATA_DIR')?.value;
    const mount = container.volumeMounts?.find((m) => m.mountPath === dataDir);
    const volume = ds.spec?.template.spec?.volumes?.find((v) => v.name === mount?.name);
    expect(volume?.hostPath?.type).toBe('DirectoryOrCreate');
    expect(mount?.readOnly ?? false).toBe(false);
  });

  it('runs on every node: tolerates every taint, node-critical priority, one node at a time in updates', () => {
    const ds = theDaemonSet();
    const pod = ds.spec?.template.spec;
    expect(pod?.tolerations).toContainEqual({ operator: 'Exists' });
    expect(pod?.priorityClassName).toBe('system-node-critical');
    expect(ds.spec?.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } });
  });

  it('requests CPU and memory and limits memory', () => {
    const resources = theAgentContainer().resources;
    expect(resources?.requests?.cpu).toBeTruthy();
    expect(resources?.requests?.memory).toBeTruthy();
    expect(resources?.limits?.memory).toBeTruthy();
  });

  it('mounts only declared volumes and declares only mounted ones', () => {
    const mounted = (theAgentContainer().volumeMounts ?? []).map((m) => m.name).sort();
    const declared = (theDaemonSet().spec?.template.spec?.volumes ?? []).map((v) => v.name).sort();
    expect(mounted).toEqual(declared);
  });

  it.each([
    ['/sys/fs/cgroup', true],
    ['/sys/kernel/tracing', false],
    ['/sys/kernel/debug', false],
    ['/run', true],
    ['/var/log', true],
    ['/var/lib/docker/containers', true],
  ] as const)('mounts the host path %s (read-only: %s)', (hostPath, readOnly) => {
    const volume = theDaemonSet().spec?.template.spec?.volumes?.find((v) => v.hostPath?.path === hostPath);
    const mount = theAgentContainer().volumeMounts?.find((m) => m.name === volume?.name);
    expect(mount).toBeDefined();
    expect(mount?.readOnly ?? false).toBe(readOnly);
  });

  it('selects its own pods and runs them with a service account and namespace it creates', () => {
    const ds = theDaemonSet();
    expect(ds.spec?.template.metadata?.labels).toMatchObject(
      ds.spec?.selector.matchLabels ?? { missing: true },
    );
    const accountName = ds.spec?.template.spec?.serviceAccountName;
    expect(objectsOf(ServiceAccount.is).map((a) => a.metadata?.name)).toContain(accountName);
    const namespaces = objectsOf(Namespace.is).map((n) => n.metadata?.name);
    for (const m of nodeAgentManifests.filter((d) => d.object.kind !== 'Namespace')) {
      expect(namespaces, m.file).toContain(
        (m.object.metadata as { namespace?: string } | undefined)?.namespace,
      );
    }
  });

  it('lists every manifest file in kustomization.yaml, and only files that exist', () => {
    const kustomization = parse(readFileSync(join(K8S_DIR, KUSTOMIZATION), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(kustomization.kind).toBe('Kustomization');
    const resources = kustomization.resources as string[];
    for (const r of resources) expect(existsSync(join(K8S_DIR, r)), r).toBe(true);
    expect([...resources].sort()).toEqual(manifestFiles);
  });

  it('builds with kustomize (kubectl kustomize) into the same objects', (ctx) => {
    if (!hasCommand('kubectl')) {
      skipWithReason(
        ctx,
        'kubectl is not installed; only the file list of kustomization.yaml was checked, not its build',
      );
      return;
    }
    const built = spawnSync('kubectl', ['kustomize', K8S_DIR], { encoding: 'utf8', timeout: 30_000 });
    expect(built.status, built.stderr).toBe(0);
    const objects = parseAllDocuments(built.stdout).map((d) => d.toJS() as Record<string, unknown>);
    expect(objects).toHaveLength(manifests.length);
    for (const o of objects) expect(() => validateManifest(o)).not.toThrow();
  });
});

/** Sections of a systemd unit file: name → key → every value assigned, in order. */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  // A line ending in a backslash continues on the next one; systemd joins them with a space.
  for (const raw of text.replace(/\\\n/g, ' ').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      current = new Map();
      sections.set(section[1]!, current);
      continue;
    }
    const eq = line.indexOf('=');
    if (!current || eq < 0) throw new Error(`not a key=value line inside a section: ${line}`);
    const key = line.slice(0, eq).trim();
    current.set(key, [...(current.get(key) ?? []), line.slice(eq + 1).trim()]);
  }
  return sections;
}

/** NAME=value assignments of Environment= values (space-separated, optionally double-quoted). */
function environmentNames(values: readonly string[]): string[] {
  return values.flatMap((v) =>
    [...v.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => (m[1] ?? m[2]!).split('=')[0]!),
  );
}

/** Whether `command` is an executable on PATH (found without running it). */
function hasCommand(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function skipWithReason(ctx: { skip(note?: string): void }, reason: string): void {
  process.stdout.write(`[skip] ${reason}\n`);
  ctx.skip(reason);
}

describe('deploy/systemd', () => {
  const unit = parseUnit(readFileSync(UNIT_FILE, 'utf8'));
  const service = unit.get('Service') ?? new Map<string, string[]>();
  const last = (key: string): string | undefined => service.get(key)?.at(-1);

  it('runs `vigil node-agent` by absolute path, as root, restarting it always', () => {
    const [program, ...args] = (last('ExecStart') ?? '').split(/\s+/);
    expect(program).toMatch(/^\/.*\/vigil$/);
    expect(args).toEqual(['node-agent']);
    expect(last('User') ?? 'root').toBe('root');
    expect(last('Restart')).toBe('always');
    expect(last('RestartSec')).toBeTruthy();
    expect(unit.get('Install')?.get('WantedBy')).toEqual(['multi-user.target']);
  });

  it('lets eBPF lock memory and keeps the spool in its state directory', () => {
    expect(last('LimitMEMLOCK')).toBe('infinity');
    expect(last('StateDirectory')).toBe('vigil-node-agent');
    expect(service.get('Environment')).toContain('VIGIL_DATA_DIR=/var/lib/vigil-node-agent');
    expect(last('EnvironmentFile')).toBe('-/etc/vigil/node-agent.env');
  });

  it('uses none of the sandboxing options that would hide processes, connections or cgroups', () => {
    const blinding = [
      'ProtectProc',
      'ProcSubset',
      'PrivateNetwork',
      'ProtectControlGroups',
      'ProtectKernelTunables',
    ];
    expect([...service.keys()].filter((k) => blinding.includes(k))).toEqual([]);
  });

  it('names only environment variables the agent documents, in the unit and the example file', () => {
    const example = readFileSync(ENV_EXAMPLE_FILE, 'utf8');
    // Commented-out assignments count too: they are documentation someone will uncomment.
    const exampleNames = [...example.matchAll(/^#?\s*([A-Za-z_][A-Za-z0-9_]*)=/gm)].map((m) => m[1]!);
    expect(exampleNames).toEqual(expect.arrayContaining(['VIGIL_COLLECTOR_URL', 'VIGIL_API_KEY']));
    const unitNames = environmentNames(service.get('Environment') ?? []);
    for (const name of [...exampleNames, ...unitNames]) expect(AGENT_ENV_NAMES, name).toContain(name);
  });

  it('passes systemd-analyze verify, which reports a broken copy', (ctx) => {
    if (!hasCommand('systemd-analyze')) {
      skipWithReason(ctx, 'systemd-analyze is not installed; the unit was only checked by the parser above');
      return;
    }
    // verify also checks that ExecStart's program exists; vigil is not installed here, so the
    // copy runs this machine's node instead. Warnings leave the exit status 0: any output fails.
    const dir = mkdtempSync(join(tmpdir(), 'vigil-unit-'));
    const verify = (text: string): string => {
      const file = join(dir, 'vigil-node-agent.service');
      writeFileSync(file, text.replace(/^ExecStart=\S+/m, `ExecStart=${process.execPath}`));
      const r = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8', timeout: 30_000 });
      return `${r.stdout}${r.stderr}${r.status === 0 ? '' : `exit status ${String(r.status)}`}`.trim();
    };
    try {
      const text = readFileSync(UNIT_FILE, 'utf8');
      expect(verify(text)).toBe('');
      expect(verify(text.replace(/^Restart=always$/m, 'Restart=sometimes'))).toMatch(/restart/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
