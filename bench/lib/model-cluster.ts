/**
 * A synthetic Kubernetes cluster for the model benchmark (bench/model.ts): N applications with
 * ~5 instances each (3-7) on N/10 nodes, every instance making 4 outbound connections to a pod
 * of another application (so that connections resolve through `container_net_tcp_listen_info`),
 * 1 in 25 applications also calling an external address, 1 in 50 in the middle of a rollout.
 *
 * Each instance sends what Coroot's node agent sends (the metric names and labels of
 * packages/testkit/src/scenarios/simulate.ts): container_info with the image, the listen
 * address, CPU (usage, limit, throttling), memory (RSS, limit, PSI), disk delay, restarts and
 * OOM kills, a volume on the databases, logs by level with a warning pattern (and an error
 * pattern where the app fails requests), a runtime signal on java/python/nodejs apps, DNS
 * requests on 1 in 5 apps, the inbound L7 requests it served and, per connection, L7 counts by
 * status with the 11+1 latency buckets and the TCP series; the cluster agent adds `pg_*`,
 * `redis_up`, … per database pod; nodes send CPU, memory, disk, network and their address.
 *
 * Two renderings of the same cluster:
 * - `modelReads` (model-cluster-reads.ts): per model query id (packages/model/src/queries.ts), the series the
 *   metrics cache would answer on a grid — `rate()`/`% 1e7`/`sum without` drop `__name__` (and
 *   the summed labels), plain selectors keep it. Timestamp arrays are shared per span and value
 *   arrays come from a pool (a few dozen noise variants per base value), so the input stays
 *   small while every series still has its own labels and its own arrays as far as the model
 *   can tell (it never writes to them).
 * - {@link rawSeries}: the agents' raw samples (cumulative counters, `__name__` included) for
 *   remote write, application by application.
 *
 * Query texts are parsed from MODEL_QUERIES to route a metric to its query id, so a query that
 * changes shape makes the generator fail instead of silently feeding the model nothing.
 */
import type { MetricSeries } from '@vigil/protocols';

export type Labels = Record<string, string>;

// ---- topology -----------------------------------------------------------------------------

type Protocol = 'http' | 'postgres' | 'mysql' | 'redis' | 'memcached' | 'mongo';

const NOUN: Record<Protocol, string> = {
  http: 'requests',
  postgres: 'queries',
  mysql: 'queries',
  redis: 'queries',
  memcached: 'queries',
  mongo: 'queries',
};
const PORT: Record<Protocol, number> = {
  http: 8080,
  postgres: 5432,
  mysql: 3306,
  redis: 6379,
  memcached: 11211,
  mongo: 27017,
};
const DB_TYPE: Partial<Record<Protocol, string>> = {
  postgres: 'postgres',
  mysql: 'mysql',
  redis: 'redis',
  memcached: 'memcached',
  mongo: 'mongodb',
};
/** The node agent's L7 histogram buckets, seconds (+Inf added). */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const RPS = [2, 10, 40, 150];
const LATENCY = [0.004, 0.02, 0.08];

/** Which points of the window a series has: all, the first part (old pods), the last (new pods). */
export type Span = 'full' | 'early' | 'late';
const EARLY_END = 90; // old pods gone after 22.5 min
const LATE_START = 80; // new pods up from 20 min: a finished rollout with a 30-min summary

export interface ClusterInstance {
  readonly containerId: string;
  readonly node: number;
  readonly ip: string;
  readonly image: string;
  readonly span: Span;
}

export interface ClusterApp {
  readonly index: number;
  readonly id: string;
  readonly name: string;
  readonly namespace: string;
  readonly protocol: Protocol;
  readonly type: string | undefined;
  readonly instances: readonly ClusterInstance[];
  readonly rps: number;
  readonly latency: number;
  readonly errorRate: number;
  readonly limits: boolean;
  readonly restarts: boolean;
  readonly dns: boolean;
  /** Apps this one calls (indexes), and the external address it calls, if any. */
  readonly calls: readonly number[];
  readonly external: string | undefined;
}

export interface Cluster {
  readonly apps: readonly ClusterApp[];
  readonly nodes: number;
  readonly instances: number;
  readonly connections: number;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const nodeName = (k: number) => `node-${String(k).padStart(4, '0')}`;
const nodeIp = (k: number) => `10.0.${k >> 8}.${(k & 255) + 1}`;
const podIp = (g: number) => `10.${64 + (g >> 16)}.${(g >> 8) & 255}.${g & 255}`;
const serviceIp = (i: number) => `10.96.${(i >> 8) & 255}.${i & 255}`;

export function buildCluster(appCount: number, seed = 1): Cluster {
  const random = mulberry32(seed);
  const nodes = Math.max(1, Math.round(appCount / 10));
  const apps: ClusterApp[] = [];
  let pods = 0;
  let connections = 0;
  for (let i = 0; i < appCount; i++) {
    const slot = i % 20;
    const protocol: Protocol =
      slot < 2
        ? 'postgres'
        : slot === 2
          ? 'mysql'
          : slot < 5
            ? 'redis'
            : slot === 5
              ? 'memcached'
              : slot === 6
                ? 'mongo'
                : 'http';
    const namespace = `ns-${String(Math.floor(i / 20)).padStart(3, '0')}`;
    const name = `${protocol === 'http' ? 'svc' : protocol}-${i}`;
    const runtime = ['java', 'python', 'nodejs', undefined][i % 4];
    const count = 3 + (i % 5);
    const rollout = i % 50 === 7;
    const instances: ClusterInstance[] = [];
    const generations: Array<{ hash: string; image: string; span: Span }> = rollout
      ? [
          {
            hash: `${(i * 7919).toString(16).slice(-5)}a`,
            image: `registry.local/${name}:1.0`,
            span: 'early',
          },
          {
            hash: `${(i * 7919).toString(16).slice(-5)}b`,
            image: `registry.local/${name}:1.1`,
            span: 'late',
          },
        ]
      : [
          {
            hash: `${(i * 7919).toString(16).slice(-5)}a`,
            image: `registry.local/${name}:1.0`,
            span: 'full',
          },
        ];
    for (const g of generations)
      for (let j = 0; j < count; j++) {
        pods++;
        instances.push({
          containerId: `/k8s/${namespace}/${name}-${g.hash}-${j}/${name}`,
          node: (i * 7 + j * 3) % nodes,
          ip: podIp(pods),
          image: g.image,
          span: g.span,
        });
      }
    const calls = new Set<number>();
    while (appCount > 4 && calls.size < 4) {
      const t = Math.floor(random() * appCount);
      if (t !== i) calls.add(t);
    }
    const external = i % 25 === 0 ? `203.0.113.${(i % 250) + 1}:443` : undefined;
    connections += instances.length * (calls.size + (external ? 1 : 0));
    apps.push({
      index: i,
      id: `/k8s/${namespace}/${name}`,
      name,
      namespace,
      protocol,
      type: DB_TYPE[protocol] ?? runtime,
      instances,
      rps: RPS[i % RPS.length]!,
      latency: protocol === 'redis' || protocol === 'memcached' ? 0.001 : LATENCY[i % LATENCY.length]!,
      errorRate: i % 50 === 3 ? 0.1 : 0.001,
      limits: i % 5 !== 4,
      restarts: i % 100 === 11,
      dns: i % 5 === 1,
      calls: [...calls],
      external,
    });
  }
  return { apps, nodes, instances: pods, connections };
}

// ---- values ---------------------------------------------------------------------------------

/** How a series' value moves: around `base`, or as a counter rising `base` per second. */
export interface Signal {
  readonly base: number;
  /** Relative noise amplitude (0: constant). */
  readonly noise: number;
  /** Noise variant: series with the same variant move together (a histogram's buckets). */
  readonly variant: number;
  /** For counters read raw (`% 1e7`): rise in `steps` unit jumps instead of `base` per second. */
  readonly steps?: number;
}

export const VARIANTS = 16;
const NOISE_POINTS = 1024;
const NOISE: Float64Array[] = (() => {
  const random = mulberry32(42);
  return Array.from({ length: VARIANTS }, () => {
    const a = new Float64Array(NOISE_POINTS);
    for (let t = 0; t < NOISE_POINTS; t++) a[t] = random() * 2 - 1;
    return a;
  });
})();

/** Value at point `t` of a gauge or a rate. */
export function level(s: Signal, t: number): number {
  return s.base * (1 + s.noise * NOISE[s.variant % VARIANTS]![t % NOISE_POINTS]!);
}

/** Value at point `t` of a counter whose increase per step is `level(s, t) * stepS`. */
export function counterValues(s: Signal, from: number, to: number, stepS: number): number[] {
  const out: number[] = [];
  let v = 1000 * (s.variant + 1);
  for (let t = from; t < to; t++) {
    if (s.steps !== undefined)
      v +=
        s.steps > 0 && t > from && (t - from) % Math.max(1, Math.floor((to - from) / s.steps)) === 0 ? 1 : 0;
    else v += level(s, t) * stepS;
    out.push(v);
  }
  return out;
}

// ---- the agents' series, independent of rendering ----------------------------------------------

/** Receives every series of the cluster. `name` is the agent's metric name; counters end in _total or _seconds. */
export interface Sink {
  series(name: string, labels: Labels, signal: Signal, span: Span, counter: boolean): void;
  /** Node CPU: busy and total cores (the query divides `mode!="idle"` by all modes). */
  nodeCpu(labels: Labels, busyCores: number, cores: number, variant: number): void;
}

function within(le: number, mean: number): number {
  const fixed = mean / 2;
  return le < fixed ? 0 : 1 - Math.exp(-(le - fixed) / (mean - fixed));
}

function requests(
  sink: Sink,
  family: string,
  labels: Labels,
  protocol: Protocol,
  rps: number,
  latency: number,
  errorRate: number,
  variant: number,
  span: Span,
): void {
  const [ok, failed] = protocol === 'http' ? ['2xx', '5xx'] : ['ok', 'failed'];
  const sig = (base: number): Signal => ({ base, noise: 0.1, variant });
  sink.series(`${family}_total`, { ...labels, status: ok! }, sig(rps * (1 - errorRate)), span, true);
  sink.series(`${family}_total`, { ...labels, status: failed! }, sig(rps * errorRate), span, true);
  for (const le of BUCKETS)
    sink.series(
      `${family}_duration_seconds_total_bucket`,
      { ...labels, le: String(le) },
      sig(rps * within(le, latency)),
      span,
      true,
    );
  sink.series(`${family}_duration_seconds_total_bucket`, { ...labels, le: '+Inf' }, sig(rps), span, true);
}

/** Every series of the apps `[from, to)` (and, with `withNodes`, of the nodes). */
export function emitCluster(
  cluster: Cluster,
  sink: Sink,
  from: number,
  to: number,
  withNodes: boolean,
): void {
  const perNode = new Array<number>(cluster.nodes).fill(0);
  for (const app of cluster.apps)
    for (const inst of app.instances) perNode[inst.node]! += 0.05 + (app.rps / app.instances.length) * 0.002;
  if (withNodes)
    for (let k = 0; k < cluster.nodes; k++) {
      const labels = { machine_id: nodeName(k) };
      const g = (base: number, noise = 0): Signal => ({ base, noise, variant: k });
      sink.series(
        'node_info',
        { ...labels, hostname: nodeName(k), kernel_version: '6.1.0' },
        g(1),
        'full',
        false,
      );
      sink.series(
        'node_net_interface_ip',
        { ...labels, interface: 'eth0', ip: nodeIp(k) },
        g(1),
        'full',
        false,
      );
      sink.series('node_resources_cpu_logical_cores', labels, g(16), 'full', false);
      sink.nodeCpu(labels, Math.min(15, perNode[k]! + 0.5), 16, k);
      sink.series('node_resources_memory_total_bytes', labels, g(64 * 2 ** 30), 'full', false);
      sink.series('node_resources_memory_available_bytes', labels, g(30 * 2 ** 30, 0.05), 'full', false);
      sink.series(
        'node_resources_disk_io_time_seconds_total',
        { ...labels, device: 'vda' },
        g(0.05, 0.3),
        'full',
        true,
      );
      sink.series(
        'node_net_received_bytes_total',
        { ...labels, interface: 'eth0' },
        g(2e6, 0.2),
        'full',
        true,
      );
      sink.series(
        'node_net_transmitted_bytes_total',
        { ...labels, interface: 'eth0' },
        g(2e6, 0.2),
        'full',
        true,
      );
    }
  for (const app of cluster.apps.slice(from, to)) {
    const port = PORT[app.protocol];
    app.instances.forEach((inst, j) => {
      const v = (app.index + j) % VARIANTS;
      const g = (base: number, noise = 0.05, variant = v): Signal => ({ base, noise, variant });
      const base = { machine_id: nodeName(inst.node), container_id: inst.containerId, app_id: app.id };
      const share = app.rps / app.instances.length;
      const s = (name: string, labels: Labels, signal: Signal, counter: boolean) =>
        sink.series(name, labels, signal, inst.span, counter);
      s('container_info', { ...base, image: inst.image }, g(1, 0), false);
      if (app.type) s('container_application_type', { ...base, application_type: app.type }, g(1, 0), false);
      s(
        'container_net_tcp_listen_info',
        { ...base, listen_addr: `${inst.ip}:${port}`, proxy: '' },
        g(1, 0),
        false,
      );
      const cpu = 0.05 + share * 0.002;
      s('container_resources_cpu_usage_seconds_total', base, g(cpu, 0.2), true);
      s('container_resources_cpu_throttled_seconds_total', base, g(cpu * 0.01, 0.5), true);
      const rss = (app.type && DB_TYPE[app.protocol] ? 2 : 0.3) * 2 ** 30;
      s('container_resources_memory_rss_bytes', base, g(rss, 0.03), false);
      if (app.limits) {
        s('container_resources_cpu_limit_cores', base, g(1, 0), false);
        s('container_resources_memory_limit_bytes', base, g(rss * 2, 0), false);
      }
      s(
        'container_restarts_total',
        base,
        { base: 0, noise: 0, variant: v, steps: app.restarts && j === 0 ? 3 : 0 },
        true,
      );
      s('container_oom_kills_total', base, { base: 0, noise: 0, variant: v, steps: 0 }, true);
      s(
        'container_resources_memory_pressure_waiting_seconds_total',
        { ...base, kind: 'some' },
        g(0.001, 0.5),
        true,
      );
      s('container_resources_disk_delay_seconds_total', base, g(0.002, 0.5), true);
      if (DB_TYPE[app.protocol]) {
        const vol = { ...base, mount_point: '/var/lib/data', device: 'vdb', volume: 'data' };
        s('container_resources_disk_size_bytes', vol, g(100 * 2 ** 30, 0), false);
        s('container_resources_disk_used_bytes', vol, g(40 * 2 ** 30, 0.001), false);
      }
      s(
        'container_log_messages_total',
        { ...base, source: 'stdout', level: 'info' },
        g(share * 0.5, 0.2),
        true,
      );
      s(
        'container_log_messages_total',
        {
          ...base,
          source: 'stdout',
          level: 'warning',
          pattern_hash: `w${app.index.toString(16).padStart(15, '0')}`,
          sample: 'slow request: took <*> ms',
        },
        g(0.05, 0.5),
        true,
      );
      if (app.errorRate > 0.01)
        s(
          'container_log_messages_total',
          {
            ...base,
            source: 'stderr',
            level: 'error',
            pattern_hash: `e${app.index.toString(16).padStart(15, '0')}`,
            sample: 'request failed: upstream returned an error',
          },
          g(share * app.errorRate, 0.2),
          true,
        );
      if (app.type === 'java') s('container_jvm_safepoint_time_seconds', base, g(0.002, 0.5), true);
      if (app.type === 'python')
        s('container_python_thread_lock_wait_time_seconds', base, g(0.01, 0.5), true);
      if (app.type === 'nodejs')
        s('container_nodejs_event_loop_blocked_time_seconds_total', base, g(0.003, 0.5), true);
      // The cluster agent, about the database this pod runs.
      const address = `${inst.ip}:${port}`;
      const db = { address, instance: address };
      if (app.protocol === 'postgres') {
        s('pg_up', db, g(1, 0), false);
        s('pg_latency_seconds', { ...db, summary: 'avg' }, g(app.latency, 0.1), false);
        s('pg_latency_seconds', { ...db, summary: 'p99' }, g(app.latency * 3, 0.1), false);
        const conn = { ...db, db: 'app', user: 'app', state: 'active', wait_event_type: '', query: '' };
        s('pg_connections', conn, g(20, 0.1), false);
        s('pg_setting', { ...db, name: 'max_connections', unit: '' }, g(100, 0), false);
      } else if (app.protocol !== 'http') s(`${app.protocol}_up`, db, g(1, 0), false);
      // Served, then called.
      const family = (p: Protocol, inbound: boolean) =>
        `container_${p}_${inbound ? 'inbound_' : ''}${NOUN[p]}`;
      requests(
        sink,
        family(app.protocol, true),
        base,
        app.protocol,
        share,
        app.latency,
        app.errorRate,
        v,
        inst.span,
      );
      if (app.dns)
        requests(
          sink,
          'container_dns_requests',
          { ...base, request_type: 'A', domain: `${app.name}.${app.namespace}.svc.cluster.local` },
          'mysql', // statuses ok/failed
          share * 0.5,
          0.002,
          0.001,
          v,
          inst.span,
        );
      const dests: Array<{
        destination: string;
        actual: string;
        protocol: Protocol;
        latency: number;
        err: number;
      }> = app.calls.map((c, k) => {
        const callee = cluster.apps[c]!;
        const target = callee.instances[(j + k) % callee.instances.length]!;
        const p = PORT[callee.protocol];
        return {
          destination: `${serviceIp(callee.index)}:${p}`,
          actual: `${target.ip}:${p}`,
          protocol: callee.protocol,
          latency: callee.latency,
          err: callee.errorRate,
        };
      });
      if (app.external)
        dests.push({
          destination: app.external,
          actual: app.external,
          protocol: 'http',
          latency: 0.08,
          err: 0.001,
        });
      for (const d of dests) {
        const to = { ...base, destination: d.destination, actual_destination: d.actual };
        const rate = share * 0.5;
        requests(
          sink,
          family(d.protocol, false),
          to,
          d.protocol,
          rate,
          d.latency + 0.0005,
          d.err,
          v,
          inst.span,
        );
        s('container_net_tcp_successful_connects_total', to, g(0.05, 0.2), true);
        s('container_net_tcp_failed_connects_total', { ...base, destination: d.destination }, g(0, 0), true);
        s('container_net_tcp_retransmits_total', to, g(0.01, 0.5), true);
        s('container_net_tcp_active_connections', to, g(4, 0), false);
        const ip = d.actual.slice(0, d.actual.lastIndexOf(':'));
        s('container_net_latency_seconds', { ...base, destination_ip: ip }, g(0.0005, 0.2), false);
      }
    });
  }
}

export function spanRange(span: Span, points: number): [number, number] {
  if (span === 'early') return [0, Math.min(points, EARLY_END)];
  if (span === 'late') return [Math.min(points, LATE_START), points];
  return [0, points];
}

// ---- rendering 2: the agents' raw samples ---------------------------------------------------------

/**
 * Raw series of apps `[from, to)` (with the nodes when `from` is 0) over `points` scrapes every
 * `stepMs` from `fromMs`, as remote write would carry them. Spans are placed so that the last
 * `gridPoints` scrapes line up with the model's grid (`late` pods start at the same grid point).
 */
export function rawSeries(
  cluster: Cluster,
  from: number,
  to: number,
  window: { fromMs: number; stepMs: number; points: number; gridPoints: number },
): MetricSeries[] {
  const out: MetricSeries[] = [];
  const lead = window.points - window.gridPoints;
  const stepS = window.stepMs / 1000;
  const rangeOf = (span: Span): [number, number] => {
    if (span === 'full') return [0, window.points];
    const [a, b] = spanRange(span, window.gridPoints);
    return [span === 'early' ? 0 : a + lead, b + lead];
  };
  const emit = (name: string, labels: Labels, values: (a: number, b: number) => number[], span: Span) => {
    const [a, b] = rangeOf(span);
    out.push({
      labels: Object.entries({ __name__: name, ...labels })
        .sort(([x], [y]) => (x < y ? -1 : 1))
        .map(([n, value]) => ({ name: n, value })),
      timestampsMs: Array.from({ length: b - a }, (_, k) => window.fromMs + (a + k) * window.stepMs),
      values: values(a, b),
    });
  };
  const gauge = (s: Signal) => (a: number, b: number) =>
    Array.from({ length: b - a }, (_, k) => level(s, a + k));
  emitCluster(
    cluster,
    {
      series(name, labels, signal, span, counter) {
        emit(name, labels, counter ? (a, b) => counterValues(signal, a, b, stepS) : gauge(signal), span);
      },
      nodeCpu(labels, busy, cores, variant) {
        const busyS: Signal = { base: busy, noise: 0.1, variant };
        emit(
          'node_resources_cpu_usage_seconds_total',
          { ...labels, mode: 'user' },
          (a, b) => counterValues(busyS, a, b, stepS),
          'full',
        );
        const idle: Signal = { base: cores - busy, noise: 0, variant };
        emit(
          'node_resources_cpu_usage_seconds_total',
          { ...labels, mode: 'idle' },
          (a, b) => counterValues(idle, a, b, stepS),
          'full',
        );
      },
    },
    from,
    to,
    from === 0,
  );
  return out;
}
