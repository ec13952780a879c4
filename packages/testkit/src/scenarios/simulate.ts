/**
 * Runs a {@link SystemSpec} with its effects over a window and writes the series its node agents
 * would have pushed (see system.ts for the model of requests, latency and errors).
 */
import { rng, type Random } from '../generators/random.ts';
import { appStateAt, callStateAt, type Effect } from './effects.ts';
import { writeNodes } from './node-series.ts';
import { SeriesWriter, type RawSeries } from './series-writer.ts';
import type { AppSpec, CallSpec, Protocol, SimulationWindow, StepState, SystemSpec } from './system.ts';

/** The node agent's L7 histogram buckets, seconds. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** How long a retransmitted segment delays a request: the minimum TCP RTO. */
const RTO_SECONDS = 0.2;

const NOUN: Record<Protocol, string> = {
  http: 'requests',
  postgres: 'queries',
  mysql: 'queries',
  redis: 'queries',
  memcached: 'queries',
};

function statusOf(protocol: Protocol, failed: boolean): string {
  if (protocol === 'http') return failed ? '5xx' : '2xx';
  return failed ? 'failed' : 'ok';
}

/** Share of requests of mean latency `mean` done within `le`: a shifted exponential (half fixed, half spread). */
function within(le: number, mean: number): number {
  const fixed = mean / 2;
  return le < fixed ? 0 : 1 - Math.exp(-(le - fixed) / (mean - fixed));
}

interface Flow {
  /** Requests per second the app serves. */
  readonly rps: number;
  readonly latencySeconds: number;
  readonly errorRate: number;
}

export function simulate(
  system: SystemSpec,
  effects: readonly Effect[],
  window: SimulationWindow,
): RawSeries[] {
  const out = new SeriesWriter();
  const random = rng(window.seed);
  const appIndex = new Map(system.apps.map((a, i) => [a.id, i]));
  const appById = new Map(system.apps.map((a) => [a.id, a]));
  const rps = requestRates(system);
  const stepS = window.scrapeMs / 1000;
  const start = Math.ceil(window.fromMs / window.scrapeMs) * window.scrapeMs;
  for (let t = start; t <= window.toMs; t += window.scrapeMs) {
    const states = new Map(system.apps.map((a) => [a.id, appStateAt(effects, a.id, t, window.scrapeMs)]));
    const flows = new Map<string, Flow>();
    const flowOf = (id: string): Flow => {
      const known = flows.get(id);
      if (known) return known;
      const app = appById.get(id)!;
      const state = states.get(id)!;
      let latency = app.serviceSeconds * state.serviceFactor;
      let ok = 1 - Math.min(1, app.errorRate + state.extraErrorRate);
      for (const c of system.calls.filter((x) => x.from === id)) {
        const callee = flowOf(c.to);
        latency += c.perRequest * callLatency(system, effects, c, callee, rps.get(id)! * c.perRequest, t);
        ok *= (1 - callee.errorRate) ** c.perRequest;
      }
      const flow = { rps: rps.get(id)!, latencySeconds: latency, errorRate: 1 - ok };
      flows.set(id, flow);
      return flow;
    };
    for (const app of system.apps) {
      const flow = flowOf(app.id);
      writeApp(
        out,
        system,
        app,
        appIndex.get(app.id)!,
        flow,
        states.get(app.id)!,
        t,
        stepS,
        random,
        effects,
        flowOf,
      );
    }
    writeNodes(out, system, flows, states, t, stepS);
  }
  return out.series();
}

function requestRates(system: SystemSpec): Map<string, number> {
  const rates = new Map<string, number>();
  const rateOf = (id: string, seen: ReadonlySet<string>): number => {
    if (rates.has(id)) return rates.get(id)!;
    if (seen.has(id)) throw new Error(`call cycle through ${id}`);
    let r = system.entry[id] ?? 0;
    for (const c of system.calls.filter((x) => x.to === id))
      r += rateOf(c.from, new Set([...seen, id])) * c.perRequest;
    rates.set(id, r);
    return r;
  };
  for (const a of system.apps) rateOf(a.id, new Set());
  return rates;
}

function callLatency(
  system: SystemSpec,
  effects: readonly Effect[],
  c: CallSpec,
  callee: Flow,
  callsPerSecond: number,
  t: number,
): number {
  const net = callStateAt(effects, c.from, c.to, t);
  const delayed = callsPerSecond > 0 ? Math.min(1, net.retransmitsPerSecond / callsPerSecond) : 0;
  return callee.latencySeconds + system.rttSeconds + net.extraRttSeconds + delayed * RTO_SECONDS;
}

/** Pod names change with every deployment, as a rollout replaces pods. */
function containerId(app: AppSpec, revision: number, i: number): string {
  const [, root, ns, name] = app.id.split('/');
  if (root === 'k8s' && ns !== undefined && name !== undefined)
    return `/k8s/${ns}/${name}-r${revision}-${i}/${name}`;
  return app.instances > 1 ? `${app.id}-${i}` : app.id;
}

function revisionAt(effects: readonly Effect[], app: string, t: number): number {
  return effects.filter((e) => e.kind === 'deployment' && e.app === app && e.fromMs <= t).length;
}

function podIp(system: SystemSpec, app: AppSpec, appIdx: number, i: number): string {
  const nodeIdx = system.nodes.findIndex((n) => n.name === app.node);
  return `10.42.${nodeIdx}.${appIdx * 10 + i + 2}`;
}

function writeApp(
  out: SeriesWriter,
  system: SystemSpec,
  app: AppSpec,
  appIdx: number,
  flow: Flow,
  state: StepState,
  t: number,
  stepS: number,
  random: Random,
  effects: readonly Effect[],
  flowOf: (id: string) => Flow,
): void {
  const revision = revisionAt(effects, app.id, t);
  const noise = () => 1 + 0.06 * (random() - 0.5);
  // Pods that cannot start (pods_pending) report nothing; the others share the load.
  const running = Math.max(0, app.instances - state.missingInstances);
  const [, root, namespace, workload] = app.id.split('/');
  if (root === 'k8s' && namespace !== undefined && workload !== undefined)
    out.gauge('kube_deployment_spec_replicas', { namespace, deployment: workload }, t, app.instances);
  for (let i = 0; i < running; i++) {
    const base = { machine_id: app.node, container_id: containerId(app, revision, i), app_id: app.id };
    const perInstance = flow.rps / running;
    out.gauge('container_info', { ...base, image: state.image ?? app.image }, t, 1);
    if (app.type) out.gauge('container_application_type', { ...base, application_type: app.type }, t, 1);
    out.gauge(
      'container_net_tcp_listen_info',
      { ...base, listen_addr: `${podIp(system, app, appIdx, i)}:${app.port}`, proxy: '' },
      t,
      1,
    );
    // CPU: usage never exceeds the limit; throttling is what the limit cut off.
    const wanted = app.cpuBaseCores + app.cpuPerRequest * perInstance + state.extraCpuCores;
    const used = Math.min(wanted * noise(), app.cpuLimitCores ?? Infinity);
    out.counter('container_resources_cpu_usage_seconds_total', base, t, used * stepS);
    out.counter(
      'container_resources_cpu_throttled_seconds_total',
      base,
      t,
      state.throttledSecondsPerSecond * stepS,
    );
    if (app.cpuLimitCores !== undefined)
      out.gauge('container_resources_cpu_limit_cores', base, t, app.cpuLimitCores);
    const limit = app.memoryLimitBytes;
    const rss =
      i === 0 && state.memoryTowardsLimit > 0 && limit !== undefined
        ? app.memoryBytes + (limit - app.memoryBytes) * state.memoryTowardsLimit
        : app.memoryBytes * noise() + state.memoryExtraBytes;
    out.gauge('container_resources_memory_rss_bytes', base, t, rss);
    if (limit !== undefined) out.gauge('container_resources_memory_limit_bytes', base, t, limit);
    out.counter('container_oom_kills_total', base, t, i === 0 ? state.oomKills : 0);
    out.counter('container_restarts_total', base, t, i === 0 ? state.restarts : 0);
    if (app.volume) {
      const v = { ...base, mount_point: app.volume.mountPoint, device: 'vdb', volume: 'data' };
      out.gauge('container_resources_disk_size_bytes', v, t, app.volume.sizeBytes);
      out.gauge(
        'container_resources_disk_used_bytes',
        v,
        t,
        Math.min(app.volume.sizeBytes, app.volume.usedBytes + state.diskExtraBytes),
      );
    }
    out.counter(
      'container_log_messages_total',
      { ...base, source: 'stdout', level: 'info' },
      t,
      app.infoLogsPerSecond * stepS * noise(),
    );
    for (const l of state.logs) {
      const labels = { ...base, source: 'stdout', level: l.level, pattern_hash: l.hash, sample: l.sample };
      out.counter('container_log_messages_total', labels, t, (l.perSecond / running) * stepS * noise());
    }
    // A server logs an error for each request it fails.
    if (flow.errorRate > 0.0005) {
      const labels = {
        ...base,
        source: 'stderr',
        level: 'error',
        pattern_hash: errorPatternHash(app.id),
        sample: 'request failed: upstream returned an error',
      };
      out.counter('container_log_messages_total', labels, t, perInstance * flow.errorRate * stepS);
    }
    writeClusterAgent(out, app, `${podIp(system, app, appIdx, i)}:${app.port}`, flow, state, t);
    if (app.dnsLookupsPerSecond) writeDns(out, base, app.dnsLookupsPerSecond * stepS, state, t);
    if (app.runtime) {
      const paused = app.runtime.pausedSecondsPerSecond + state.extraRuntimePauseSecondsPerSecond;
      out.counter(RUNTIME_COUNTERS[app.runtime.kind], base, t, paused * stepS);
    }
    // Inbound requests it served.
    writeRequests(
      out,
      `container_${app.serves}_inbound_${NOUN[app.serves]}`,
      base,
      app.serves,
      perInstance,
      flow,
      t,
      stepS,
      noise,
    );
    // Its calls, spread evenly over the callee's pods (through the callee's service address).
    for (const c of system.calls.filter((x) => x.from === app.id)) {
      const callee = system.apps.find((a) => a.id === c.to)!;
      const calleeIdx = system.apps.indexOf(callee);
      const calleeFlow = flowOf(callee.id);
      const net = callStateAt(effects, app.id, callee.id, t);
      const latency = callLatency(system, effects, c, calleeFlow, flow.rps * c.perRequest, t);
      const calleeRunning =
        callee.instances - appStateAt(effects, callee.id, t, stepS * 1000).missingInstances;
      for (let j = 0; j < calleeRunning; j++) {
        const ip = podIp(system, callee, calleeIdx, j);
        const dest = {
          destination: `10.43.0.${calleeIdx + 1}:${callee.port}`,
          actual_destination: `${ip}:${callee.port}`,
        };
        const rate = (perInstance * c.perRequest) / calleeRunning;
        writeRequests(
          out,
          `container_${callee.serves}_${NOUN[callee.serves]}`,
          { ...base, ...dest },
          callee.serves,
          rate,
          { ...calleeFlow, latencySeconds: latency },
          t,
          stepS,
          noise,
        );
        out.counter('container_net_tcp_successful_connects_total', { ...base, ...dest }, t, 0.05 * stepS);
        out.gauge('container_net_tcp_active_connections', { ...base, ...dest }, t, 4);
        out.counter(
          'container_net_tcp_retransmits_total',
          { ...base, ...dest },
          t,
          (net.retransmitsPerSecond / running / calleeRunning) * stepS,
        );
        out.counter(
          'container_net_tcp_failed_connects_total',
          { ...base, destination: dest.destination },
          t,
          net.failedConnectsPerSecond * stepS,
        );
        out.gauge(
          'container_net_latency_seconds',
          { ...base, destination_ip: ip },
          t,
          (system.rttSeconds + net.extraRttSeconds) * noise(),
        );
      }
    }
  }
}

/** A stable 16-hex-digit pattern hash per app, as the node agent's clusterer would name it. */
function errorPatternHash(appId: string): string {
  let h = 0x811c9dc5;
  for (const ch of appId) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0').repeat(2);
}

/** What the cluster agent reports about a database it can reach (label `address`). */
function writeClusterAgent(
  out: SeriesWriter,
  app: AppSpec,
  address: string,
  flow: Flow,
  state: StepState,
  t: number,
): void {
  const labels = { address, instance: address };
  const own = app.serviceSeconds * state.serviceFactor;
  if (app.type === 'postgres') {
    out.gauge('pg_up', labels, t, 1);
    out.gauge('pg_latency_seconds', { ...labels, summary: 'avg' }, t, own);
    out.gauge('pg_latency_seconds', { ...labels, summary: 'p99' }, t, own * 3);
    out.gauge(
      'pg_connections',
      { ...labels, db: 'shop', user: 'api', state: 'active', wait_event_type: '', query: '' },
      t,
      Math.min(90, 10 + flow.rps * own),
    );
    out.gauge('pg_setting', { ...labels, name: 'max_connections', unit: '' }, t, 100);
  }
  if (app.type === 'redis') out.gauge('redis_up', labels, t, 1);
}

function writeRequests(
  out: SeriesWriter,
  family: string,
  labels: Readonly<Record<string, string>>,
  protocol: Protocol,
  rps: number,
  flow: Flow,
  t: number,
  stepS: number,
  noise: () => number,
): void {
  const n = rps * stepS * noise();
  out.counter(
    `${family}_total`,
    { ...labels, status: statusOf(protocol, false) },
    t,
    n * (1 - flow.errorRate),
  );
  out.counter(`${family}_total`, { ...labels, status: statusOf(protocol, true) }, t, n * flow.errorRate);
  const mean = flow.latencySeconds * noise();
  for (const le of BUCKETS)
    out.counter(
      `${family}_duration_seconds_total_bucket`,
      { ...labels, le: String(le) },
      t,
      n * within(le, mean),
    );
  out.counter(`${family}_duration_seconds_total_bucket`, { ...labels, le: '+Inf' }, t, n);
}

/** What the node agent calls each runtime's stop-the-world counter. */
const RUNTIME_COUNTERS = {
  jvm: 'container_jvm_safepoint_time_seconds',
  nodejs: 'container_nodejs_event_loop_blocked_time_seconds_total',
  python: 'container_python_thread_lock_wait_time_seconds',
} as const;

/**
 * `lookups` name lookups over the step, by status: the failing shares of the effects, the rest
 * answered `ok` in a millisecond. No noise: adding DNS to an app leaves every other series of
 * a scenario as it was.
 */
function writeDns(
  out: SeriesWriter,
  base: Readonly<Record<string, string>>,
  lookups: number,
  state: StepState,
  t: number,
): void {
  const labels = { ...base, domain: 'postgres.shop.svc.cluster.local', request_type: 'A' };
  const parts = [...state.dnsFailures];
  const failed = parts.reduce((sum, f) => sum + f.share, 0);
  parts.push({ status: 'ok', share: Math.max(0, 1 - failed), latencySeconds: 0.001 });
  for (const f of parts)
    out.counter('container_dns_requests_total', { ...labels, status: f.status }, t, lookups * f.share);
  for (const le of BUCKETS)
    out.counter(
      'container_dns_requests_duration_seconds_total_bucket',
      { ...base, le: String(le) },
      t,
      parts.reduce((sum, f) => sum + lookups * f.share * within(le, f.latencySeconds), 0),
    );
  out.counter('container_dns_requests_duration_seconds_total_bucket', { ...base, le: '+Inf' }, t, lookups);
}
