/**
 * `container_net_latency_seconds{destination_ip}`: the kernel's smoothed round-trip time (srtt)
 * of each container's live outbound TCP connections, per destination IP. Coroot pings the
 * destinations from the container's network namespace; the agent reads what TCP already
 * measured instead, from one `ss` per collection (and one per other network namespace):
 *
 * ```
 * ss -tinHe state established state listening
 * ESTAB  0  0  127.0.0.1:52764  127.0.0.1:5432  ino:81852 sk:100d cgroup:/ <->
 * \t ts sack bbr wscale:10,10 rto:204 rtt:0.017/0.018 mss:32768 … minrtt:0.01 snd_wnd:65536
 * ```
 *
 * `rtt:<srtt>/<rttvar>` is in ms; `ino:` is the socket's inode, which the agent maps to the
 * process holding it (`/proc/<pid>/fd`), and so to its container. Sockets whose local port is
 * listened on are the accepting side of inbound connections and are left out, as are sockets
 * with no RTT sample yet. A container's value per IP is the median over its sockets to it.
 *
 * What the figure is not: srtt includes the peer's delayed ACKs (up to 40 ms on Linux) and
 * queueing, and an idle socket keeps its last srtt; it is the latency TCP saw, not a ping.
 */
import { execFile } from 'node:child_process';
import { endpoint } from '../ebpf/tcp-events.ts';
import type { MetricFamily, Sample } from '@vigil/agent-kit';
import { silentLogger, type Logger } from '@vigil/core';

export interface SocketRtt {
  readonly inode: number;
  /** Local and peer address as `ip:port` (IPv6 in brackets, IPv4-mapped written as IPv4). */
  readonly local: string;
  readonly peer: string;
  /** The peer's IP, IPv4-mapped IPv6 written as IPv4. */
  readonly peerIp: string;
  readonly srttSeconds: number;
}

export interface SocketLatencyOptions {
  /** The `ss` binary (default `ss` on PATH). */
  readonly ssPath?: string;
  /** The `nsenter` binary, for other network namespaces (default `nsenter` on PATH). */
  readonly nsenterPath?: string;
  /** Per `ss` run; default 5 s. */
  readonly timeoutMs?: number;
  readonly logger?: Logger;
}

export interface LatencyCollectOptions {
  /** Socket inode → pid holding it (see {@link socketOwners}). */
  readonly inodeOwner: ReadonlyMap<number, number>;
  /**
   * The container of a connection the eBPF tracker follows, by its local and peer address; asked
   * first, so that with eBPF no walk of every process's fds is needed.
   */
  readonly containerOfConnection?: (local: string, peer: string) => string | undefined;
  readonly containerOf: (pid: number) => string;
  /** The labels of a container's series (`container_id`, `app_id`). */
  readonly labelsOf: (containerId: string) => Readonly<Record<string, string>>;
  /** One pid in each network namespace other than the agent's (see {@link otherNetnsPids}). */
  readonly netnsPids?: readonly number[];
}

const SS_ARGS = ['-tinHe', 'state', 'established', 'state', 'listening'];
const STATES = new Set(['ESTAB', 'LISTEN', 'SYN-SENT', 'SYN-RECV', 'FIN-WAIT-1', 'FIN-WAIT-2', 'CLOSE-WAIT']);

/**
 * Outbound established sockets with an RTT sample, from `ss -tinHe state established state
 * listening` (two lines per socket, or one with `-O`). With `loopback: false`, sockets to
 * loopback addresses are left out (in a container's own namespace they stay inside it).
 */
export function parseSsOutput(text: string, options: { loopback?: boolean } = {}): SocketRtt[] {
  const sockets: string[][] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const tokens = line.trim().split(/\s+/);
    // The `-i` details are a second, indented line of the socket above.
    if (/^\s/.test(line) && sockets.length > 0) sockets[sockets.length - 1]!.push(...tokens);
    else sockets.push(tokens);
  }
  const listeningPorts = new Set<string>();
  const established: Array<{ local: string; localPort: string; peer: string; tokens: string[] }> = [];
  for (const tokens of sockets) {
    const state = STATES.has(tokens[0]!) ? tokens.shift()! : 'ESTAB';
    const local = tokens[2];
    const peer = tokens[3];
    if (local === undefined || peer === undefined) continue;
    const localPort = local.slice(local.lastIndexOf(':') + 1);
    if (state === 'LISTEN') listeningPorts.add(localPort);
    else if (state === 'ESTAB') established.push({ local, localPort, peer, tokens: tokens.slice(4) });
  }
  const out: SocketRtt[] = [];
  for (const s of established) {
    if (listeningPorts.has(s.localPort)) continue; // the accepting side of an inbound connection
    let inode = 0;
    let srttMs: number | undefined;
    for (const t of s.tokens) {
      if (t.startsWith('ino:')) inode = Number(t.slice(4));
      else if (t.startsWith('rtt:')) srttMs = Number.parseFloat(t.slice(4));
    }
    if (!(inode > 0) || srttMs === undefined || !(srttMs > 0)) continue;
    const peerIp = hostOf(s.peer);
    if (options.loopback === false && isLoopback(peerIp)) continue;
    out.push({ inode, local: address(s.local), peer: address(s.peer), peerIp, srttSeconds: srttMs / 1000 });
  }
  return out;
}

/** `ip:port` as the eBPF events write it (tcp-events.ts `endpoint`). */
function address(text: string): string {
  return endpoint(hostOf(text), Number(text.slice(text.lastIndexOf(':') + 1)));
}

/** `127.0.0.1:5432`, `[::1]:6379`, `[::ffff:10.0.0.1]:80`, `10.0.0.1%eth0:80` → the IP. */
function hostOf(address: string): string {
  let host = address.slice(0, address.lastIndexOf(':'));
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  const zone = host.indexOf('%');
  if (zone >= 0) host = host.slice(0, zone);
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(host);
  return mapped ? mapped[1]! : host;
}

function isLoopback(ip: string): boolean {
  return ip === '::1' || ip.startsWith('127.');
}

/** Runs `ss` once per collection (in each network namespace) and turns its RTTs into the family. */
export class SocketLatency {
  private missing: string | undefined;
  private readonly failedOnce = new Set<string>();
  private readonly logger: Logger;

  constructor(private readonly options: SocketLatencyOptions = {}) {
    this.logger = options.logger ?? silentLogger;
  }

  /** Why the family is empty for good (`ss` not found), or undefined while `ss` runs. */
  get unavailable(): string | undefined {
    return this.missing;
  }

  /** RTTs of the outbound sockets of the agent's network namespace and of each `netnsPids`'. */
  async read(netnsPids: readonly number[] = []): Promise<SocketRtt[]> {
    if (this.missing !== undefined) return [];
    const ss = this.options.ssPath ?? 'ss';
    const own = await this.run('own', ss, SS_ARGS);
    if (own === undefined) return [];
    const out = parseSsOutput(own);
    const nsenter = this.options.nsenterPath ?? 'nsenter';
    const others = await Promise.all(
      netnsPids.map((pid) => this.run(`netns of ${pid}`, nsenter, ['-t', String(pid), '-n', ss, ...SS_ARGS])),
    );
    for (const text of others) if (text !== undefined) out.push(...parseSsOutput(text, { loopback: false }));
    return out;
  }

  /** `container_net_latency_seconds`, the median srtt per container and destination IP. */
  async collect(options: LatencyCollectOptions): Promise<MetricFamily> {
    return latencyFamily(await this.read(options.netnsPids), options);
  }

  private run(where: string, file: string, args: readonly string[]): Promise<string | undefined> {
    return new Promise((resolve) => {
      execFile(
        file,
        args,
        { timeout: this.options.timeoutMs ?? 5000, maxBuffer: 64 << 20, encoding: 'utf8' },
        (err, stdout, stderr) => {
          if (err === null) {
            resolve(stdout);
            return;
          }
          if (where === 'own' && (err as NodeJS.ErrnoException).code === 'ENOENT') {
            this.missing = `${file} not found (it comes with iproute2)`;
            this.logger.warn({ reason: this.missing }, 'container_net_latency_seconds is not collected');
          } else if (!this.failedOnce.has(where)) {
            if (this.failedOnce.size > 1000) this.failedOnce.clear();
            // Said once per namespace: a process gone meanwhile, nsenter without root, a timeout.
            this.failedOnce.add(where);
            this.logger.warn({ err: stderr.trim() || err.message, where }, 'ss failed');
          }
          resolve(undefined);
        },
      );
    });
  }
}

/** The family from RTTs read earlier (see {@link SocketLatency.collect}). */
export function latencyFamily(
  rtts: readonly SocketRtt[],
  options: Pick<LatencyCollectOptions, 'inodeOwner' | 'containerOf' | 'labelsOf' | 'containerOfConnection'>,
): MetricFamily {
  const byKey = new Map<string, { container: string; ip: string; values: number[] }>();
  for (const rtt of rtts) {
    let container = options.containerOfConnection?.(rtt.local, rtt.peer);
    if (container === undefined) {
      const pid = options.inodeOwner.get(rtt.inode);
      if (pid === undefined) continue;
      container = options.containerOf(pid);
    }
    const key = `${container}\u0000${rtt.peerIp}`;
    let entry = byKey.get(key);
    if (entry === undefined) byKey.set(key, (entry = { container, ip: rtt.peerIp, values: [] }));
    entry.values.push(rtt.srttSeconds);
  }
  const samples: Sample[] = [];
  for (const { container, ip, values } of byKey.values()) {
    samples.push({ labels: { ...options.labelsOf(container), destination_ip: ip }, value: median(values) });
  }
  return {
    name: 'container_net_latency_seconds',
    type: 'gauge',
    help: 'Smoothed round-trip time of the container’s TCP connections to the destination IP',
    samples,
  };
}

function median(values: number[]): number {
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  return values.length % 2 === 1 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
}
