/**
 * Kubernetes labels and annotations as kube-state-metrics v2 turns them into Prometheus labels
 * (`kube_pod_labels{label_app_kubernetes_io_name="…"}`):
 *
 *   key ──[^a-zA-Z0-9_] → "_"──► snake_case (`fooBar` → `foo_bar`) ──► lower case ──► prefix + "_"
 *
 * Keys are taken in sorted order; when two keys end up with the same name, the first keeps
 * nothing and every one of them is renamed `<name>_conflict1`, `<name>_conflict2`, … in that
 * order (a generated name that is itself taken is skipped), as kube-state-metrics does. Values
 * are left as they are.
 */

/** `prefix_<sanitized key>` for one key, without conflict handling. */
export function kubeLabelName(prefix: string, key: string): string {
  const sanitized = key.replace(/[^a-zA-Z0-9_]/g, '_');
  return `${prefix}_${sanitized.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()}`;
}

/** The Prometheus labels for `map` (labels or annotations), keys sorted, conflicts renamed. */
export function kubeMapToLabels(
  prefix: 'label' | 'annotation',
  map: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  const keys = Object.keys(map ?? {}).sort();
  const names: string[] = [];
  const values: string[] = [];
  const used = new Map<string, number>(); // emitted name → its index in names
  const conflicts = new Map<string, number>(); // base name → suffixes handed out
  const nextFree = (base: string, count: number): [string, number] => {
    for (;;) {
      count++;
      const candidate = `${base}_conflict${count}`;
      if (!used.has(candidate)) return [candidate, count];
    }
  };
  for (const key of keys) {
    const base = kubeLabelName(prefix, key);
    let name = base;
    const seen = conflicts.get(base);
    if (seen !== undefined) {
      const [next, count] = nextFree(base, seen);
      name = next;
      conflicts.set(base, count);
    } else if (used.has(base)) {
      // First collision: the entry already emitted under the bare name becomes _conflict1.
      const idx = used.get(base)!;
      const [renamed, c1] = nextFree(base, 0);
      used.delete(base);
      names[idx] = renamed;
      used.set(renamed, idx);
      const [next, c2] = nextFree(base, c1);
      name = next;
      conflicts.set(base, c2);
    }
    used.set(name, names.length);
    names.push(name);
    values.push(map![key]!);
  }
  const out: Record<string, string> = {};
  names.forEach((n, i) => (out[n] = values[i]!));
  return out;
}

/**
 * The annotations exported (`kube_*_annotations`): those Coroot's cluster agent allows, and
 * nothing else. Annotations may hold credentials (`coroot.com/postgres-scrape-credentials-password`)
 * and whole manifests (`kubectl.kubernetes.io/last-applied-configuration`).
 */
export const ANNOTATIONS_ALLOWLIST: readonly string[] = [
  'coroot.com/application-category',
  'coroot.com/custom-application-name',
  'coroot.com/slo-availability-objective',
  'coroot.com/slo-latency-objective',
  'coroot.com/slo-latency-threshold',
];

/** The allowlisted annotations of an object. */
export function allowedAnnotations(
  annotations: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ANNOTATIONS_ALLOWLIST) {
    const v = annotations?.[key];
    if (v !== undefined) out[key] = v;
  }
  return out;
}
