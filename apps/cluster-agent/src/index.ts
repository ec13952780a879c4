/** The cluster agent (see agent.ts): databases' metrics from the targets the server lists. */
export {
  AGENT_VERSION,
  startClusterAgent,
  type ClusterAgentOptions,
  type FamilySource,
  type RunningClusterAgent,
} from './agent.ts';
export { runClusterAgent } from './run.ts';
export { combinedTargets, startComposedClusterAgent, type ComposedAgentSettings } from './compose.ts';
export type { Collection, Collector, CollectorFactory } from './collectors/collector.ts';
export { targetAddress, type Target, type TargetType } from './collectors/target.ts';
export { defaultCollectors } from './collectors/default-collectors.ts';
export { serverTargets, staticTargets, type TargetSource } from './targets/target-source.ts';
