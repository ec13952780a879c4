/**
 * Where the agent finds the Kubernetes API, from its environment only:
 *
 *   KUBERNETES_SERVICE_HOST set (the agent runs in a pod) ─► in-cluster: https://host:port, the
 *       service account's CA and token (the token file is re-read, as bound tokens rotate)
 *   else VIGIL_KUBECONFIG, else KUBECONFIG ─► that kubeconfig file (the first of a list)
 *   else ─► undefined: no Kubernetes. Nothing is guessed (no localhost:8080, no ~/.kube/config).
 */
import { existsSync } from 'node:fs';
import { delimiter } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** In-cluster config when KUBERNETES_SERVICE_HOST is set, else VIGIL_KUBECONFIG / KUBECONFIG's file; undefined when none (Kubernetes off). Never guesses an address. */
export function kubeConfigFromEnv(env: Readonly<Record<string, string | undefined>>): KubeConfig | undefined {
  const host = env.KUBERNETES_SERVICE_HOST?.trim();
  if (host) {
    const port = env.KUBERNETES_SERVICE_PORT?.trim() || '443';
    const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
    const kc = new KubeConfig();
    // The same shape as the library's loadFromCluster(), which reads process.env instead of `env`.
    kc.loadFromOptions({
      clusters: [
        { name: 'inCluster', server, caFile: `${SERVICE_ACCOUNT_DIR}/ca.crt`, skipTLSVerify: false },
      ],
      users: [
        {
          name: 'inClusterUser',
          authProvider: { name: 'tokenFile', config: { tokenFile: `${SERVICE_ACCOUNT_DIR}/token` } },
        },
      ],
      contexts: [{ name: 'inClusterContext', cluster: 'inCluster', user: 'inClusterUser' }],
      currentContext: 'inClusterContext',
    });
    return kc;
  }
  const list = (env.VIGIL_KUBECONFIG ?? env.KUBECONFIG ?? '').trim();
  if (list === '') return undefined;
  const file = list.split(delimiter).find((f) => f !== '');
  if (file === undefined) return undefined;
  if (!existsSync(file))
    throw new Error(`the kubeconfig ${file} (VIGIL_KUBECONFIG / KUBECONFIG) does not exist`);
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  if (!kc.getCurrentCluster())
    throw new Error(`the kubeconfig ${file} has no current context with a cluster`);
  return kc;
}
