/**
 * The commands that put a new ingestion key to use, filled in with the key and this server's
 * address. The secret's name and namespace are the ones deploy/kubernetes/node-agent-daemonset.yaml
 * reads, so the manifests work unchanged.
 */

/** Single-quotes a value for a POSIX shell: generated keys are url-safe, but an origin may not be. */
function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@%+=-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Runs the node agent on a host, pushing to `collectorUrl` with `key`. */
export function nodeAgentCommand(collectorUrl: string, key: string): string {
  return `VIGIL_COLLECTOR_URL=${shellQuote(collectorUrl)} VIGIL_API_KEY=${shellQuote(key)} vigil node-agent`;
}

/** Creates the Secret the Kubernetes node and cluster agents read their key from. */
export function kubernetesSecretCommand(key: string): string {
  return `kubectl -n vigil create secret generic vigil-node-agent --from-literal=api-key=${shellQuote(key)}`;
}
