/**
 * Label naming as kube-state-metrics does it, resource quantities, and where the API is found.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubeConfigFromEnv } from './kube-config.ts';
import { allowedAnnotations, kubeLabelName, kubeMapToLabels } from './label-names.ts';
import { parseQuantity } from './quantity.ts';

describe('kube-state-metrics label names', () => {
  it.each([
    ['app.kubernetes.io/name', 'label_app_kubernetes_io_name'],
    ['helm.sh/chart', 'label_helm_sh_chart'],
    ['statefulset.kubernetes.io/pod-name', 'label_statefulset_kubernetes_io_pod_name'],
    ['fooBar', 'label_foo_bar'],
    ['HTTPServer', 'label_httpserver'],
    ['k8s-app', 'label_k8s_app'],
    ['version2Beta', 'label_version2_beta'],
  ])('names %s as %s', (key, name) => {
    expect(kubeLabelName('label', key)).toBe(name);
  });

  it('renames every key of a collision _conflictN, in sorted key order', () => {
    expect(kubeMapToLabels('label', { 'a.b': 'dot', a_b: 'underscore', 'a-b': 'dash', c: 'c' })).toEqual({
      label_a_b_conflict1: 'dash',
      label_a_b_conflict2: 'dot',
      label_a_b_conflict3: 'underscore',
      label_c: 'c',
    });
  });

  it('skips a conflict name that another key already has', () => {
    // Sorted: 'a.b', 'a.b_conflict1', 'a_b'; the second already holds label_a_b_conflict1.
    expect(kubeMapToLabels('label', { 'a.b': '1', 'a.b_conflict1': '2', a_b: '3' })).toEqual({
      label_a_b_conflict2: '1',
      label_a_b_conflict1: '2',
      label_a_b_conflict3: '3',
    });
  });

  it('exports only the allowlisted annotations, never credentials', () => {
    const annotations = {
      'coroot.com/slo-latency-threshold': '100ms',
      'coroot.com/postgres-scrape-credentials-password': 'secret',
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
    };
    expect(kubeMapToLabels('annotation', allowedAnnotations(annotations))).toEqual({
      annotation_coroot_com_slo_latency_threshold: '100ms',
    });
  });
});

describe('resource quantities', () => {
  it.each([
    ['250m', 0.25],
    ['2', 2],
    ['1.5', 1.5],
    ['128Mi', 134217728],
    ['1Gi', 1073741824],
    ['1G', 1e9],
    ['500k', 5e5],
    ['1e3', 1000],
    ['100n', 1e-7],
  ])('reads %s as %d', (text, value) => {
    expect(parseQuantity(text)).toBeCloseTo(value, 12);
  });

  it.each(['', 'Mi', '1 Gi', 'ten', '1Xi'])('rejects %j', (text) => {
    expect(parseQuantity(text)).toBeUndefined();
  });
});

describe('kubeConfigFromEnv', () => {
  it('turns Kubernetes off when nothing names an API server', () => {
    expect(kubeConfigFromEnv({})).toBeUndefined();
    expect(kubeConfigFromEnv({ KUBECONFIG: '' })).toBeUndefined();
  });

  it('uses the service account inside a pod', () => {
    const kc = kubeConfigFromEnv({ KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' });
    expect(kc?.getCurrentCluster()).toMatchObject({
      server: 'https://10.96.0.1:443',
      caFile: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
    });
    expect(kc?.getCurrentUser()?.authProvider?.config?.tokenFile).toBe(
      '/var/run/secrets/kubernetes.io/serviceaccount/token',
    );
    expect(kubeConfigFromEnv({ KUBERNETES_SERVICE_HOST: 'fd00::1' })?.getCurrentCluster()?.server).toBe(
      'https://[fd00::1]:443',
    );
  });

  it('reads VIGIL_KUBECONFIG before KUBECONFIG, and fails on a file that is not there', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-kubeconfig-'));
    try {
      const file = join(dir, 'config');
      writeFileSync(
        file,
        [
          'apiVersion: v1',
          'kind: Config',
          'clusters: [{name: lab, cluster: {server: "https://192.0.2.10:6443"}}]',
          'users: [{name: me, user: {token: abc}}]',
          'contexts: [{name: lab, context: {cluster: lab, user: me}}]',
          'current-context: lab',
        ].join('\n'),
      );
      expect(
        kubeConfigFromEnv({ VIGIL_KUBECONFIG: file, KUBECONFIG: '/nope' })?.getCurrentCluster()?.server,
      ).toBe('https://192.0.2.10:6443');
      expect(() => kubeConfigFromEnv({ KUBECONFIG: join(dir, 'missing') })).toThrow(/does not exist/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
