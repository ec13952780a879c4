/**
 * Hand-built worlds for RCA tests: applications, instances, nodes and connections with every
 * series defaulting to "no data" (or a quiet constant), so a test states only what matters.
 */
import {
  constantSeries,
  emptySeries,
  mapSeries,
  type Application,
  type Connection,
  type HistogramBucket,
  type Instance,
  type L7Protocol,
  type L7Stats,
  type NodeInfo,
  type TcpStats,
  type TimeGrid,
  type TimeSeries,
  type World,
} from '@vigil/model';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Bucket bounds of the agent's latency histograms, seconds. */
const LE = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, Infinity];

/**
 * L7 stats of `rps` requests per second whose latencies are exponentially distributed with
 * mean `meanLatencySeconds` (p95 ≈ 3 × mean), `errorPercent` of them failing.
 */
export function l7Traffic(
  grid: TimeGrid,
  rps: number,
  meanLatencySeconds: TimeSeries,
  errorPercent: TimeSeries = constantSeries(grid, 0),
  errorStatus = '5xx',
): L7Stats {
  const histogram: HistogramBucket[] = LE.map((le) => ({
    le,
    rate: mapSeries(meanLatencySeconds, (mean) => rps * (le === Infinity ? 1 : 1 - Math.exp(-le / mean))),
  }));
  const ok = mapSeries(errorPercent, (p) => (rps * (100 - p)) / 100);
  const failed = mapSeries(errorPercent, (p) => (rps * p) / 100);
  const okStatus = errorStatus === 'failed' ? 'ok' : '2xx';
  return {
    requestsByStatus: new Map([
      [okStatus, ok],
      [errorStatus, failed],
    ]),
    histogram,
  };
}

export interface ConnectionSpec {
  readonly toApp: string;
  readonly l7?: ReadonlyMap<L7Protocol, L7Stats>;
  readonly tcp?: Partial<TcpStats>;
}

export interface InstanceSpec extends Partial<Omit<Instance, 'id' | 'appId' | 'node' | 'upstreams'>> {
  readonly id: string;
  readonly node: string;
  readonly connections?: readonly ConnectionSpec[];
}

export interface AppSpec {
  readonly id: string;
  readonly name?: string;
  readonly kind?: Application['kind'];
  readonly instances?: readonly InstanceSpec[];
}

export interface NodeSpec extends Partial<Omit<NodeInfo, 'name' | 'instances'>> {
  readonly name: string;
}

function tcpStats(grid: TimeGrid, spec: Partial<TcpStats> = {}): TcpStats {
  const none = emptySeries(grid);
  return {
    connects: spec.connects ?? none,
    failedConnects: spec.failedConnects ?? none,
    retransmits: spec.retransmits ?? none,
    activeConnections: spec.activeConnections ?? none,
    rttSeconds: spec.rttSeconds ?? none,
  };
}

function buildInstance(grid: TimeGrid, appId: string, spec: InstanceSpec): Instance {
  const none = emptySeries(grid);
  const upstreams: Connection[] = (spec.connections ?? []).map((c) => ({
    fromApp: appId,
    fromInstance: spec.id,
    destination: `${c.toApp}:80`,
    actualDestination: `${c.toApp}:80`,
    toApp: c.toApp,
    l7: c.l7 ?? new Map(),
    tcp: tcpStats(grid, c.tcp),
  }));
  return {
    up: constantSeries(grid, 1),
    images: [],
    listens: [],
    cpuUsageCores: none,
    cpuLimitCores: none,
    cpuThrottled: none,
    memoryRssBytes: none,
    memoryLimitBytes: none,
    oomKills: none,
    restarts: none,
    volumes: [],
    logs: { byLevel: new Map(), patterns: new Map() },
    dns: undefined,
    runtime: { jvmSafepointSeconds: none, pythonGilWaitSeconds: none, nodejsEventLoopBlockedSeconds: none },
    memoryPressure: none,
    diskDelay: none,
    database: new Map(),
    inbound: new Map(),
    ...spec,
    appId,
    upstreams,
  };
}

/** A world on `grid`: applications' upstreams/downstreams and nodes' instances filled in. */
export function buildWorld(grid: TimeGrid, apps: readonly AppSpec[], nodes: readonly NodeSpec[] = []): World {
  const built = apps.map((a) => {
    const instances = (a.instances ?? []).map((i) => buildInstance(grid, a.id, i));
    const app: Mutable<Application> = {
      id: a.id,
      kind: a.kind ?? 'kubernetes',
      namespace: '',
      name: a.name ?? a.id,
      category: 'application',
      types: [],
      instances,
      upstreams: instances.flatMap((i) => i.upstreams),
      downstreams: [],
    };
    return app;
  });
  for (const app of built) {
    app.downstreams = built.flatMap((other) => other.upstreams.filter((c) => c.toApp === app.id));
  }
  const allInstances = built.flatMap((a) => a.instances);
  const none = emptySeries(grid);
  const nodeInfos: NodeInfo[] = nodes.map((n) => ({
    hostname: n.name,
    cpuUsagePercent: none,
    cpuCores: none,
    memoryTotalBytes: none,
    memoryAvailableBytes: none,
    diskIoTime: new Map(),
    network: new Map(),
    ips: [],
    ...n,
    instances: allInstances.filter((i) => i.node === n.name),
  }));
  return { grid, nodes: nodeInfos, applications: built, incomplete: [] };
}
