/**
 * The cluster agent's Kubernetes part: kube-state-metrics-compatible series, Kubernetes Events as
 * OTLP logs, and database and Go profiling targets from pod annotations (kubernetes-watch.ts).
 */
export {
  startKubernetesWatch,
  type KubernetesWatch,
  type KubernetesWatchOptions,
} from './kubernetes-watch.ts';
export { kubeConfigFromEnv } from './kube-config.ts';
