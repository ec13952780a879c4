export { identifyingPath, parseProcCgroup, type CgroupPaths } from './discovery/proc-cgroup.ts';
export { identifyCgroup, type CgroupIdentity, type CgroupKind } from './discovery/cgroup-identity.ts';
export { commandName, detectAppType } from './discovery/app-type.ts';
export {
  listPids,
  parseStat,
  readProcess,
  readProcesses,
  type ProcessInfo,
} from './discovery/process-info.ts';
export {
  formatHexAddress,
  listenAddresses,
  listeningSockets,
  socketInodes,
} from './discovery/listen-sockets.ts';
export { formatExposition, type MetricFamily, type Sample } from '@vigil/agent-kit';
export { collectNodeMetrics, type NodeRoots } from './node/node-metrics.ts';
export { parseListen, startNodeAgent, type NodeAgentOptions, type RunningNodeAgent } from './agent.ts';
export {
  detectLayout,
  readContainerResources,
  type CgroupLayout,
  type ContainerResources,
} from './cgroups/container-resources.ts';
export { createAgentLogger } from './logging.ts';
export { runNodeAgent } from './run.ts';
export { applyAgentProcessSettings } from './process-settings.ts';
