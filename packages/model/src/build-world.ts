/**
 * Builds the {@link World} for a window from the model's cached queries (queries.ts):
 *
 * 1. read every query over the grid (in parallel);
 * 2. nodes from the node series, instances from every series that names a container;
 * 3. listeners and node addresses → a {@link DestinationResolver};
 * 4. outbound L7 and TCP series → connections, each resolved to the instance listening at its
 *    destination (or an external application named after the address);
 * 5. instances grouped into applications by `app_id`; every connection also becomes a
 *    downstream of the application it reached.
 */
import { appIdentity, categorizer, type CategoryRules } from './app-identity.ts';
import type { ModelDataSource } from './data-source.ts';
import { DestinationResolver } from './destinations.ts';
import { l7Stats } from './l7-stats.ts';
import { INBOUND_PROTOCOLS, l7QueryIds, MODEL_QUERIES } from './queries.ts';
import { buildConnections, type Reads } from './world-connections.ts';
import { databaseSeries, logStats } from './world-parts.ts';
import { workloadAnnotations } from './workload-annotations.ts';
import { desiredReplicas } from './workload-replicas.ts';
import { interfaceTraffic } from './node-network.ts';
import { instanceKey, nodeKey, SeriesIndex } from './series-index.ts';
import { emptySeries, mapSeries, sumSeries, type TimeGrid } from './time-series.ts';
import {
  type Application,
  type Instance,
  type L7Protocol,
  type L7Stats,
  type NodeInfo,
  type World,
} from './world.ts';

export interface BuildWorldOptions {
  readonly categories?: CategoryRules;
  readonly signal?: AbortSignal;
}

async function readAll(source: ModelDataSource, grid: TimeGrid, signal?: AbortSignal): Promise<Reads> {
  const entries = await Promise.all(
    MODEL_QUERIES.map(async (q) => [q.id, await source.read(q.id, grid, signal)] as const),
  );
  return new Map(entries);
}

export async function buildWorld(
  source: ModelDataSource,
  grid: TimeGrid,
  options: BuildWorldOptions = {},
): Promise<World> {
  const reads = await readAll(source, grid, options.signal);
  const byInstance = (id: string) => new SeriesIndex(grid, reads.get(id)?.series ?? [], instanceKey);
  const byNode = (id: string) => new SeriesIndex(grid, reads.get(id)?.series ?? [], nodeKey);
  const incomplete = [...reads].filter(([, r]) => !r.complete).map(([id]) => id);

  // Instances: every (machine, container) any container series names.
  const info = byInstance('container_info');
  const cpu = byInstance('container_cpu_usage');
  const appOf = new Map<string, string>();
  for (const read of reads.values())
    for (const s of read.series) {
      const key = instanceKey(s.labels);
      if (key !== undefined && !appOf.has(key))
        appOf.set(key, s.labels['app_id'] || s.labels['container_id']!);
    }

  const resolver = new DestinationResolver();
  for (const s of reads.get('node_ips')?.series ?? []) {
    const node = nodeKey(s.labels);
    const ip = s.labels['ip'];
    if (node !== undefined && ip) resolver.addNodeIp(node, ip);
  }
  const listens = byInstance('container_listens');
  for (const key of listens.keys())
    for (const l of listens.all(key)) {
      const addr = l.labels['listen_addr'];
      if (addr) resolver.addListener(addr, { instanceKey: key, node: key.slice(0, key.indexOf('|')) });
    }

  const connections = buildConnections(grid, reads, resolver, appOf);
  const logs = byInstance('container_log_messages');
  const types = byInstance('container_application_type');
  const indexes = {
    cpuLimit: byInstance('container_cpu_limit'),
    throttled: byInstance('container_throttled_time'),
    rss: byInstance('container_memory_rss'),
    memLimit: byInstance('container_memory_limit'),
    oom: byInstance('container_oom_kills_total'),
    restarts: byInstance('container_restarts'),
    volUsed: byInstance('container_volume_used'),
    volSize: byInstance('container_volume_size'),
    memoryPressure: byInstance('container_memory_pressure'),
    diskDelay: byInstance('container_disk_delay'),
    jvmSafepoint: byInstance('container_jvm_safepoint'),
    gil: byInstance('container_python_gil_wait'),
    eventLoop: byInstance('container_nodejs_event_loop_blocked'),
  };
  const dnsIds = l7QueryIds('dns', false);
  const dnsCounts = byInstance(dnsIds.count);
  const dnsBuckets = byInstance(dnsIds.histogram);
  const database = databaseSeries(grid, reads, resolver);
  const inboundIdx = INBOUND_PROTOCOLS.map((p) => {
    const ids = l7QueryIds(p, true);
    return { protocol: p, counts: byInstance(ids.count), buckets: byInstance(ids.histogram) };
  });

  const instances: Instance[] = [];
  const typesOf = new Map<string, Set<string>>();
  for (const [key, appId] of appOf) {
    const [node, id] = [key.slice(0, key.indexOf('|')), key.slice(key.indexOf('|') + 1)];
    const presence = info.all(key).length > 0 ? info.all(key) : cpu.all(key);
    const up = mapSeries(
      sumSeries(
        grid,
        presence.map((p) => p.series),
      ),
      (v) => (Number.isNaN(v) ? NaN : 1),
    );
    const inbound = new Map<L7Protocol, L7Stats>();
    for (const i of inboundIdx) {
      const counts = i.counts.all(key);
      if (counts.length > 0) inbound.set(i.protocol, l7Stats(grid, counts, i.buckets.all(key)));
    }
    const t = typesOf.get(appId) ?? new Set<string>();
    for (const s of types.all(key)) if (s.labels['application_type']) t.add(s.labels['application_type']);
    typesOf.set(appId, t);
    instances.push({
      id,
      appId,
      node,
      up,
      images: [
        ...new Set(
          info
            .all(key)
            .map((s) => s.labels['image'] ?? '')
            .filter((x) => x !== ''),
        ),
      ],
      listens: [
        ...new Set(
          listens
            .all(key)
            .map((s) => s.labels['listen_addr'] ?? '')
            .filter((x) => x !== ''),
        ),
      ],
      cpuUsageCores: cpu.one(key),
      cpuLimitCores: indexes.cpuLimit.one(key),
      cpuThrottled: indexes.throttled.one(key),
      memoryRssBytes: indexes.rss.one(key),
      memoryLimitBytes: indexes.memLimit.one(key),
      oomKills: indexes.oom.one(key),
      restarts: indexes.restarts.one(key),
      volumes: indexes.volUsed.all(key).map((v) => ({
        mountPoint: v.labels['mount_point'] ?? '',
        device: v.labels['device'] ?? '',
        usedBytes: v.series,
        sizeBytes:
          indexes.volSize.all(key).find((s) => s.labels['mount_point'] === v.labels['mount_point'])?.series ??
          emptySeries(grid),
      })),
      logs: logStats(grid, logs.all(key)),
      dns: dnsCounts.all(key).length > 0 ? l7Stats(grid, dnsCounts.all(key), dnsBuckets.all(key)) : undefined,
      runtime: {
        jvmSafepointSeconds: indexes.jvmSafepoint.one(key),
        pythonGilWaitSeconds: indexes.gil.one(key),
        nodejsEventLoopBlockedSeconds: indexes.eventLoop.one(key),
      },
      memoryPressure: indexes.memoryPressure.one(key),
      diskDelay: indexes.diskDelay.one(key),
      database: database.get(key) ?? new Map(),
      inbound,
      upstreams: connections.get(key) ?? [],
    });
  }

  const categoryOf = categorizer(options.categories);
  // Indexes once, so grouping stays linear in instances and connections.
  const ownBy = groupBy(instances, (i) => i.appId);
  const downstreamBy = groupBy([...connections.values()].flat(), (c) => c.toApp);
  const appIds = new Set([...ownBy.keys(), ...downstreamBy.keys()]);
  const annotations = workloadAnnotations(reads.get('kube_workload_annotations'));
  const desired = desiredReplicas(reads.get('kube_desired_replicas'), grid);
  const applications: Application[] = [...appIds].sort().map((id) => {
    const own = ownBy.get(id) ?? [];
    const identity = appIdentity(id);
    const annotated = annotations.get(id);
    const desiredInstances = desired.get(id);
    return {
      ...(annotated ? { annotations: annotated } : {}),
      ...(desiredInstances ? { desiredInstances } : {}),
      id,
      ...identity,
      category: identity.kind === 'external' ? 'external' : categoryOf(id),
      types: [...(typesOf.get(id) ?? [])].sort(),
      instances: own,
      upstreams: own.flatMap((i) => i.upstreams),
      downstreams: downstreamBy.get(id) ?? [],
    };
  });

  return { grid, nodes: buildNodes(grid, instances, byNode), applications, incomplete };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

function buildNodes(
  grid: TimeGrid,
  instances: readonly Instance[],
  byNode: (id: string) => SeriesIndex,
): NodeInfo[] {
  const info = byNode('node_info');
  const cpu = byNode('node_cpu_usage_percent');
  const cores = byNode('node_cpu_cores');
  const total = byNode('node_memory_total_bytes');
  const available = byNode('node_memory_available_bytes');
  const disk = byNode('node_disk_io_time');
  const received = byNode('node_net_rx_bytes');
  const transmitted = byNode('node_net_tx_bytes');
  const ips = byNode('node_ips');
  const names = new Set<string>([...info.keys(), ...cpu.keys(), ...total.keys()]);
  for (const i of instances) if (i.node !== '') names.add(i.node);
  const onNode = groupBy(instances, (i) => i.node);
  return [...names].sort().map((name) => ({
    name,
    hostname: info.all(name)[0]?.labels['hostname'] ?? name,
    cpuUsagePercent: cpu.one(name),
    cpuCores: cores.one(name),
    memoryTotalBytes: total.one(name),
    memoryAvailableBytes: available.one(name),
    diskIoTime: new Map(disk.all(name).map((d) => [d.labels['device'] ?? '', d.series])),
    network: interfaceTraffic(grid, received.all(name), transmitted.all(name)),
    ips: [
      ...new Set(
        ips
          .all(name)
          .map((s) => s.labels['ip'] ?? '')
          .filter((x) => x !== ''),
      ),
    ],
    instances: onNode.get(name) ?? [],
  }));
}
