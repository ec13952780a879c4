export { identifyingPath, parseProcCgroup, type CgroupPaths } from './discovery/proc-cgroup.ts';
export { identifyCgroup, type CgroupIdentity, type CgroupKind } from './discovery/cgroup-identity.ts';
