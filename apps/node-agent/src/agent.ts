/**
 * The node agent: the composition root of what runs on every node.
 *
 * ```
 * every scrape interval:  registry.scan()  (procfs + cgroups + Docker names)
 *                         procfs poll of connections   (only without eBPF)
 *                         collect: node + containers + TCP family + the agent's own
 *                         → pusher.enqueue (remote write, through the disk spool)
 * all the time:           bpftrace → TcpTracker / OOM kills        (with eBPF)
 *                                  → L7 counts, DNS answers, sampled requests → spans to /v1/traces (l7/)
 *                         container logs → patterns, counts, OTLP records to /v1/logs (logs/)
 *                         JVM hsperfdata files; Node.js/Python uprobes when enabled (runtimes/)
 *                         bpftrace profile:hz:99 → symbolised stacks → pprof per container to /v1/profiles (profiling/)
 * HTTP :10300:            /metrics (collected fresh), /health (capabilities, push state)
 * ```
 *
 * Without root, bpftrace or tracefs the agent still runs: connections come from procfs
 * polling, and `/health`, the log and `vigil_node_agent_capability` say what is degraded.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  formatExposition,
  openDiskSpool,
  startPusher,
  type MetricFamily,
  type RemoteWritePusher,
  type Sample,
} from '@vigil/agent-kit';
import { silentLogger, type Logger } from '@vigil/core';
import { startCollectionLoop } from './collection-loop.ts';
import { detectLayout } from './cgroups/container-resources.ts';
import { ProcfsConnections } from './connections/procfs-connections.ts';
import { SocketLatency } from './connections/socket-latency.ts';
import { TcpTracker } from './connections/tcp-tracker.ts';
import { conntrackAvailable, resolveNat } from './connections/conntrack.ts';
import { DnsTracker } from './l7/dns-tracker.ts';
import { L7Tracker } from './l7/l7-tracker.ts';
import { DEFAULT_MAX_SPANS_PER_SECOND, startNodeSpans, type NodeSpans } from './l7/node-spans.ts';
import { ContainerRegistry } from './containers/registry.ts';
import { DockerClient } from './docker/docker-client.ts';
import { DockerDiscovery } from './docker/docker-discovery.ts';
import { DockerRuntimeNames } from './docker/docker-runtime-names.ts';
import { CombinedRuntimeNames } from './containerd/combined-runtime-names.ts';
import { ContainerdClient, findContainerdSocket } from './containerd/containerd-client.ts';
import { ContainerdRuntimeNames } from './containerd/containerd-runtime-names.ts';
import { CrioClient, findCrioSocket } from './crio/crio-client.ts';
import { CrioRuntimeNames } from './crio/crio-runtime-names.ts';
import { EbpfCollector } from './ebpf/ebpf-collector.ts';
import { startNodeLogs, type NodeLogs } from './logs/node-logs.ts';
import { readMachineIdentity } from './node/machine-identity.ts';
import { startNodeProfiling, type NodeProfiling } from './profiling/node-profiling.ts';
import { RuntimeMetrics } from './runtimes/runtime-metrics.ts';
import { collectNodeMetrics, type NodeRoots } from './node/node-metrics.ts';

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Set by the bundler (build/bundle.ts); undefined when running from source. */
declare const __VIGIL_VERSION__: string | undefined;

export const AGENT_VERSION: string =
  typeof __VIGIL_VERSION__ === 'string'
    ? __VIGIL_VERSION__
    : (
        JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
          version: string;
        }
      ).version;

export interface NodeAgentOptions {
  /** Host and port to listen on; port 0 picks a free one. */
  readonly listen: { readonly host: string; readonly port: number };
  readonly roots?: NodeRoots;
  /** How often containers are scanned and metrics pushed (default 15 s). */
  readonly scrapeIntervalMs?: number;
  /** Where and how to push; undefined: `/metrics` only. */
  readonly push?: {
    readonly collectorUrl: string;
    readonly apiKey?: string | undefined;
    readonly spoolDir: string;
    readonly spoolMaxBytes?: number;
    /** Default `/v1/metrics` (Coroot's and Vigil's path). */
    readonly writePath?: string;
    readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  };
  /** false: never try eBPF (procfs only). Default true. */
  readonly ebpf?: boolean;
  /** Entries per eBPF map (live connections followed, connection keys per interval); default 16384. */
  readonly ebpfMapSize?: number;
  /**
   * false: the TCP program always runs under `bpftrace -e` (VIGIL_EBPF_AOT=off). By default it
   * runs compiled ahead of time when L7 is off (~13 MB instead of ~100 MB; ebpf/bpftrace-aot.ts).
   */
  readonly ebpfAot?: boolean;
  /** false: no L7 request tracing (eBPF still counts connections). Default true. */
  readonly l7?: boolean;
  /**
   * false: L7 read probes remember their arguments in a map at syscall entry even on x86-64,
   * where by default they read them from the saved registers (VIGIL_L7_READ_ARGS=entry).
   */
  readonly l7ReadArgsFromRegisters?: boolean;
  /**
   * false: L7 on the syscall probes even where the socket tracepoints would carry it
   * (VIGIL_L7_HOOKS=syscalls; see l7-program.ts).
   */
  readonly l7OnSocketProbes?: boolean;
  /**
   * Fraction of L7 requests sent as eBPF spans to `/v1/traces` when pushing (TRACES_SAMPLING,
   * default 1; 0 turns spans off).
   */
  readonly tracesSampling?: number | undefined;
  /** Span events per second at most (VIGIL_TRACES_MAX_PER_SECOND, default 100). */
  readonly maxSpansPerSecond?: number;
  /**
   * true: Node.js event-loop and Python GIL metrics through uprobes (VIGIL_RUNTIME_UPROBES=on).
   * Off by default: each runs a bpftrace process of its own (~100 MB) and every probed
   * event-loop turn costs ~2 µs. JVM metrics (hsperfdata files) are always on.
   */
  readonly runtimeUprobes?: boolean;
  /** false: no eBPF CPU profiling (VIGIL_PROFILING=off). Default true (needs eBPF). */
  readonly profiling?: boolean;
  /** CPU profiling's samples per second on each CPU (VIGIL_PROFILING_HZ); default DEFAULT_PROFILING_HZ. */
  readonly profilingHz?: number;
  /** false: no container logs (VIGIL_LOGS=off). Default true. */
  readonly logs?: boolean;
  /** Docker's API socket; default the first of /var/run/docker.sock and /host/run/docker.sock. */
  readonly dockerSocket?: string;
  readonly logger?: Logger;
}

export interface AgentCapabilities {
  readonly root: boolean;
  readonly ebpf: boolean;
  /** Why eBPF is not used (connections then come from procfs polling). */
  readonly ebpfUnavailable?: string;
  readonly docker: boolean;
  readonly dockerUnavailable?: string;
}

export interface RunningNodeAgent {
  /** `http://host:port` of the listener. */
  readonly url: string;
  readonly capabilities: AgentCapabilities;
  /** bpftrace's pid while it runs. */
  readonly bpftracePid: number | undefined;
  /** Runs one scan-collect-push cycle now, or right after the one in flight (tests; the timer does the same). */
  collectOnce(): Promise<MetricFamily[]>;
  /** Container logs, unless disabled. */
  readonly logs: NodeLogs | undefined;
  /** eBPF CPU profiling, unless off or without eBPF. */
  readonly profiling: NodeProfiling | undefined;
  /** eBPF spans, when pushing with L7 and sampling on. */
  readonly spans: NodeSpans | undefined;
  stop(): Promise<void>;
}

const DOCKER_SOCKETS = ['/var/run/docker.sock', '/host/run/docker.sock'];

export async function startNodeAgent(options: NodeAgentOptions): Promise<RunningNodeAgent> {
  const logger = options.logger ?? silentLogger;
  const intervalMs = options.scrapeIntervalMs ?? 15_000;
  const identity = await readMachineIdentity({ sys: options.roots?.sys });
  const commonLabels: Record<string, string> = { ...identity };

  const socket = options.dockerSocket ?? DOCKER_SOCKETS.find((p) => existsSync(p)) ?? DOCKER_SOCKETS[0]!;
  // Re-inspected once per interval: restart counts and pids stay one interval fresh.
  const docker = new DockerDiscovery({
    api: new DockerClient({ socketPath: socket }),
    logger,
    maxAgeMs: intervalMs,
  });
  await docker.start();
  const containerd = new ContainerdClient({ socketPath: await findContainerdSocket() });
  const containerdNames = new ContainerdRuntimeNames({ api: containerd, logger });
  // CRI-O is asked only on nodes that have its socket (it would otherwise be reported missing).
  const crioSocket = findCrioSocket();
  const crioNames =
    crioSocket === undefined ? undefined : new CrioRuntimeNames(new CrioClient(crioSocket), { logger });
  const registry = new ContainerRegistry({
    layout: await detectLayout(
      options.roots?.sys === undefined ? undefined : `${options.roots.sys}/fs/cgroup`,
    ),
    // Docker's names first; Kubernetes containers run by containerd or CRI-O from their labels.
    runtimeNames: new CombinedRuntimeNames([
      new DockerRuntimeNames(docker),
      containerdNames,
      ...(crioNames === undefined ? [] : [crioNames]),
    ]),
    procRoot: options.roots?.proc,
  });
  const tracker = new TcpTracker(
    (pid, comm, cgroupId) => registry.containerOf(pid, comm, cgroupId),
    Date.now,
    conntrackAvailable() ? (queries) => resolveNat(queries) : undefined,
  );
  const l7 =
    options.l7 === false
      ? undefined
      : new L7Tracker(
          (pid, comm, cgroupId) => registry.containerOf(pid, comm, cgroupId),
          Date.now,
          (container, destination) => tracker.actualDestination(container, destination),
        );
  const dns =
    options.l7 === false
      ? undefined
      : new DnsTracker((pid, comm, cgroupId) => registry.containerOf(pid, comm, cgroupId));
  await registry.scan();

  const dumpSeconds = Math.max(1, Math.min(15, Math.round(intervalMs / 1000)));
  const sampling = options.tracesSampling ?? 1;
  const spans: NodeSpans | undefined =
    l7 === undefined || options.push === undefined || sampling <= 0
      ? undefined
      : await startNodeSpans({
          logger,
          version: AGENT_VERSION,
          push: options.push,
          containerOf: (pid, comm, cgroupId) => registry.containerOf(pid, comm, cgroupId),
          appIdOf: (id) => registry.labelsOf(id).app_id ?? id,
        });
  let ebpf: EbpfCollector | undefined = new EbpfCollector({
    tracker,
    logger,
    ...(options.l7ReadArgsFromRegisters === false ? { l7ArgsFromRegs: false } : {}),
    ...(options.l7OnSocketProbes === false ? { l7SocketProbes: false } : {}),
    dumpSeconds,
    onOomKill: (pid, comm, cgroupId) => registry.recordOomKill(pid, comm, cgroupId),
    ...(options.ebpfMapSize === undefined ? {} : { mapSize: options.ebpfMapSize }),
    ...(options.ebpfAot === false ? { aot: false } : {}),
    ...(l7 === undefined ? {} : { l7 }),
    ...(dns === undefined ? {} : { dns }),
    ...(spans === undefined
      ? {}
      : {
          spans: {
            sampling: {
              fraction: sampling,
              maxPerSecond: options.maxSpansPerSecond ?? DEFAULT_MAX_SPANS_PER_SECOND,
              excludePid: process.pid,
            },
            onSpan: (event) => spans.onSpan(event),
          },
        }),
  });
  const ebpfUnavailable = options.ebpf === false ? 'disabled by configuration' : await ebpf.start();
  let procfs: ProcfsConnections | undefined;
  if (ebpfUnavailable !== undefined) {
    ebpf = undefined;
    procfs = new ProcfsConnections(tracker, options.roots?.proc, () => registry.netnsPids);
    logger.warn({ reason: ebpfUnavailable }, 'eBPF unavailable: TCP connections come from procfs polling');
  }
  const runtimes = new RuntimeMetrics({
    logger,
    containers: () => registry.list(),
    containerOf: (pid) => registry.containerOf(pid, 'unknown'),
    uprobes: options.runtimeUprobes === true && ebpf !== undefined,
    ...(options.roots?.proc === undefined ? {} : { procRoot: options.roots.proc }),
  });
  await runtimes.start();
  const dockerStatus = docker.status();
  const caps: AgentCapabilities = {
    root: process.getuid?.() === 0,
    ebpf: ebpf !== undefined,
    ...(ebpfUnavailable === undefined ? {} : { ebpfUnavailable }),
    docker: dockerStatus.available,
    ...(dockerStatus.available ? {} : { dockerUnavailable: dockerStatus.reason ?? 'not asked yet' }),
  };

  let pusher: RemoteWritePusher | undefined;
  if (options.push !== undefined) {
    const spool = await openDiskSpool(options.push.spoolDir, { maxBytes: options.push.spoolMaxBytes });
    pusher = startPusher({
      collectorUrl: options.push.collectorUrl,
      apiKey: options.push.apiKey,
      writePath: options.push.writePath,
      spool,
      logger,
      version: AGENT_VERSION,
      // As Coroot's agent: its scrape job's labels, instance = the machine id.
      labels: { ...commonLabels, job: 'vigil-node-agent', instance: identity.machine_id },
      backoff: options.push.backoff,
    });
  }

  const logs =
    options.logs === false
      ? undefined
      : await startNodeLogs({
          docker,
          logger,
          version: AGENT_VERSION,
          ...(options.push === undefined ? {} : { push: options.push }),
        });

  let profiling: NodeProfiling | undefined;
  if (options.profiling !== false && ebpf !== undefined) {
    const started = await startNodeProfiling({
      logger,
      version: AGENT_VERSION,
      containerOf: (pid, comm) => registry.containerOf(pid, comm),
      appIdOf: (id) => registry.labelsOf(id).app_id ?? id,
      ...(options.profilingHz === undefined ? {} : { hz: options.profilingHz }),
      ...(options.push === undefined ? {} : { push: options.push }),
    });
    if ('unavailable' in started) logger.warn({ reason: started.unavailable }, 'CPU profiling is off');
    else profiling = started.profiling;
  }

  const selfFamilies = (): MetricFamily[] => {
    const capability = (name: string, on: boolean): Sample => ({
      labels: { capability: name },
      value: on ? 1 : 0,
    });
    const out: MetricFamily[] = [
      {
        name: 'node_agent_info',
        type: 'gauge',
        help: 'The agent and its version',
        samples: [{ labels: { version: AGENT_VERSION }, value: 1 }],
      },
      {
        name: 'vigil_node_agent_capability',
        type: 'gauge',
        help: '1 when the agent can use the capability, 0 when it runs degraded without it',
        samples: [
          capability('root', caps.root),
          capability('ebpf', ebpf !== undefined && (ebpf.status()?.running ?? false)),
          capability('docker', docker.status().available),
        ],
      },
      ...(ebpf?.families() ?? []),
    ];
    if (pusher !== undefined) {
      const s = pusher.stats();
      const counter = (name: string, help: string, value: number): MetricFamily => ({
        name,
        type: 'counter',
        help,
        samples: [{ labels: {}, value }],
      });
      out.push(
        counter(
          'vigil_node_agent_push_requests_total',
          'Remote write requests the server accepted',
          s.sentRequests,
        ),
        counter('vigil_node_agent_push_samples_total', 'Samples the server accepted', s.sentSamples),
        counter(
          'vigil_node_agent_push_dropped_invalid_total',
          'Requests the server refused as invalid',
          s.droppedInvalidRequests,
        ),
        counter(
          'vigil_node_agent_spool_dropped_bytes_total',
          'Bytes dropped unsent to keep the spool under its size limit',
          s.droppedOverLimitBytes,
        ),
        {
          name: 'vigil_node_agent_spool_bytes',
          type: 'gauge',
          help: 'Bytes waiting in the spool',
          samples: [{ labels: {}, value: s.queuedBytes }],
        },
      );
    }
    return out;
  };

  // Round-trip times come from one `ss` run per interval (and per other network namespace).
  const latency = new SocketLatency({ logger });
  let latencyFamilies: MetricFamily[] = [];
  const measureLatency = async (): Promise<void> => {
    latencyFamilies = [
      await latency.collect({
        inodeOwner: procfs?.socketOwners ?? registry.socketOwners,
        containerOfConnection: (local, peer) => tracker.containerOfConnection(local, peer),
        containerOf: (pid) => registry.containerOf(pid, ''),
        labelsOf: (id) => registry.labelsOf(id),
        netnsPids: caps.root ? registry.netnsPids : [],
      }),
    ];
  };

  const collect = async (): Promise<MetricFamily[]> => [
    ...(await collectNodeMetrics(options.roots)),
    ...registry.families(),
    ...tracker.families((id) => registry.labelsOf(id)),
    ...(l7?.families((id) => registry.labelsOf(id)) ?? []),
    ...(dns?.families((id) => registry.labelsOf(id)) ?? []),
    ...runtimes.families((id) => registry.labelsOf(id)),
    ...latencyFamilies,
    ...(logs?.families((id) => registry.labelsOf(id)) ?? []),
    ...selfFamilies(),
  ];

  // Scan, collect and push; the samples carry the time the cycle started (collection-loop.ts).
  const runCycle = async (startedAtMs: number): Promise<MetricFamily[]> => {
    await registry.scan();
    await Promise.all([
      procfs?.poll(),
      measureLatency(),
      logs?.sync(registry.list()),
      runtimes
        .collect()
        .catch((err: unknown) => logger.warn({ err: (err as Error).message }, 'runtime metrics failed')),
    ]);
    const families = await collect();
    if (pusher !== undefined) {
      const result = await pusher.enqueue(families, startedAtMs);
      if (result.kind === 'failed')
        logger.error({ err: result.error.message }, 'could not queue metrics for the server');
    }
    return families;
  };
  const collectionFailed = (err: unknown): void =>
    logger.error({ err: (err as Error).message }, 'collection failed');
  const loop = startCollectionLoop({ intervalMs, runCycle, onError: collectionFailed });
  const collectOnce = (): Promise<MetricFamily[]> => loop.trigger();

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://agent');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (url.pathname === '/metrics') {
      collect().then(
        (families) => {
          res.writeHead(200, { 'content-type': EXPOSITION_CONTENT_TYPE });
          res.end(req.method === 'HEAD' ? undefined : formatExposition(withLabels(families, commonLabels)));
        },
        (err: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`collecting metrics failed: ${(err as Error).message}\n`);
        },
      );
      return;
    }
    if (url.pathname === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          status: 'ok',
          version: AGENT_VERSION,
          capabilities: { ...caps, docker: docker.status().available },
          ebpf: ebpf?.status(),
          push: pusher?.stats(),
          logs: logs?.status(),
          spans: spans?.stats(),
          runtimes: runtimes.status(),
          profiling: profiling?.status(),
          containers: registry.list().length,
        }),
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: /metrics and /health are served\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.listen.port, options.listen.host, () => resolve());
  }).catch(async (err: unknown) => {
    await loop.stop();
    await ebpf?.stop();
    await profiling?.stop();
    await runtimes.stop();
    await spans?.stop();
    await logs?.stop();
    await pusher?.stop();
    await docker.shutdown();
    await containerdNames.shutdown();
    await crioNames?.shutdown();
    containerd.close();
    throw err;
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  logger.info(
    { url: `http://${host}:${address.port}`, capabilities: caps, push: options.push?.collectorUrl },
    'node agent started',
  );
  // The first interval is pushed at once, so the server sees the node within one interval.
  void collectOnce().catch(collectionFailed);

  return {
    url: `http://${host}:${address.port}`,
    capabilities: caps,
    get bpftracePid() {
      return ebpf?.pid;
    },
    collectOnce,
    logs,
    spans,
    get profiling() {
      return profiling;
    },
    stop: async () => {
      await loop.stop();
      await ebpf?.stop();
      await profiling?.stop();
      await runtimes.stop();
      await spans?.stop();
      await logs?.stop();
      await pusher?.stop();
      await docker.shutdown();
      await containerdNames.shutdown();
      await crioNames?.shutdown();
      containerd.close();
      await new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      });
    },
  };
}

/**
 * The families with `labels` added to every sample (a sample's own label of the same name wins;
 * empty values, which Prometheus treats as absent, are left out).
 */
function withLabels(
  families: readonly MetricFamily[],
  labels: Readonly<Record<string, string>>,
): MetricFamily[] {
  const common = Object.fromEntries(Object.entries(labels).filter(([, v]) => v !== ''));
  return families.map((f) => ({
    ...f,
    samples: f.samples.map((s) => ({ ...s, labels: { ...common, ...s.labels } })),
  }));
}

export { parseListen } from '@vigil/agent-kit';
