/**
 * Outbound TCP connections from procfs, for when eBPF cannot run (no root, no bpftrace, no
 * tracefs). Each poll reads `/proc/net/tcp{,6}`, keeps the sockets that are connecting
 * (SYN_SENT) or connected (ESTABLISHED) from a local port nobody listens on, finds their
 * processes through `/proc/<pid>/fd`, and tells the connection tracker what changed since the
 * last poll, as the eBPF program would have:
 *
 * - a socket seen connected for the first time: a successful connect (its duration unknown: 0);
 * - a connected socket gone: closed;
 * - a connecting socket gone without being seen connected, after SYN retransmits: a failed
 *   connect (one gone after a clean first SYN may have connected and closed between polls).
 *
 * What polling cannot see: connections opened and closed between two polls, failures faster
 * than a poll, bytes and retransmits (the tracker's counters for those stay at 0). Sockets whose
owner cannot be read (another user's, without root) are skipped without walking every fd again. The agent
 * reports this mode in `/health` and `vigil_node_agent_capability{capability="ebpf"} 0`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { formatHexAddress, socketOwners } from '../discovery/listen-sockets.ts';
import { listPids } from '../discovery/process-info.ts';
import type { TcpTracker } from './tcp-tracker.ts';

const ESTABLISHED = 0x01;
const SYN_SENT = 0x02;
const LISTEN = 0x0a;

interface SocketRow {
  readonly state: number;
  readonly destination: string;
  /** The `retrnsmt` column: for a connecting socket, SYNs sent again without an answer. */
  readonly retransmits: number;
}

interface Followed {
  readonly pid: number;
  readonly comm: string;
  readonly destination: string;
  connected: boolean;
  retransmits: number;
}

export class ProcfsConnections {
  private readonly followed = new Map<number, Followed>();
  private inodeOwner = new Map<number, number>();

  /** Owners of the outbound sockets seen by the last poll (for latency without eBPF). */
  get socketOwners(): ReadonlyMap<number, number> {
    return this.inodeOwner;
  }
  /** Sockets whose owner the last fd walk did not find (another user's, without root). */
  private unowned = new Set<number>();
  /** Accepted (inbound) sockets: still inbound after their listener closed. */
  private inbound = new Set<number>();

  /**
   * @param netnsPids one pid per network namespace other than the agent's (containers not on
   *   the host network), whose `/proc/<pid>/net/tcp{,6}` are read too
   */
  constructor(
    private readonly tracker: TcpTracker,
    private readonly procRoot = '/proc',
    private readonly netnsPids: () => readonly number[] = () => [],
  ) {}

  async poll(): Promise<void> {
    const outbound = new Map<number, SocketRow>();
    const inbound = new Set<number>();
    for (const prefix of ['', ...this.netnsPids().map((pid) => `${pid}/`)]) {
      const [tcp4, tcp6] = await Promise.all(
        ['net/tcp', 'net/tcp6'].map((f) =>
          readFile(path.join(this.procRoot, `${prefix}${f}`), 'utf8').catch(() => ''),
        ),
      );
      for (const [inode, row] of outboundSockets(tcp4!, tcp6!, this.inbound, inbound))
        outbound.set(inode, row);
    }
    this.inbound = inbound;
    const unknown = [...outbound.keys()].filter(
      (inode) => !this.followed.has(inode) && !this.inodeOwner.has(inode) && !this.unowned.has(inode),
    );
    if (unknown.length > 0) await this.learnOwners();
    const unowned = new Set<number>();
    for (const [inode, row] of outbound) {
      let socket = this.followed.get(inode);
      if (socket === undefined) {
        const pid = this.inodeOwner.get(inode);
        if (pid === undefined) {
          unowned.add(inode); // not looked for again while it lives
          continue;
        }
        socket = {
          pid,
          comm: await this.comm(pid),
          destination: row.destination,
          connected: false,
          retransmits: 0,
        };
        this.followed.set(inode, socket);
      }
      socket.retransmits = row.retransmits;
      if (row.state === ESTABLISHED && !socket.connected) {
        socket.connected = true;
        this.tracker.handle({
          kind: 'connect',
          pid: socket.pid,
          sock: `inode:${inode}`,
          durationNs: 0,
          source: '',
          destination: socket.destination,
          comm: socket.comm,
        });
      }
    }
    this.unowned = unowned;
    for (const [inode, socket] of this.followed) {
      if (outbound.has(inode)) continue;
      this.followed.delete(inode);
      if (socket.connected) {
        this.tracker.handle({ kind: 'close', sock: `inode:${inode}` });
      } else if (socket.retransmits > 0) {
        // Still unanswered SYNs when last seen, then gone without connecting: it gave up. A
        // socket gone after a clean first SYN may as well have connected and closed between polls.
        this.tracker.handle({
          kind: 'failed',
          pid: socket.pid,
          destination: socket.destination,
          comm: socket.comm,
        });
      }
    }
    for (const inode of this.inodeOwner.keys()) if (!outbound.has(inode)) this.inodeOwner.delete(inode);
  }

  private async learnOwners(): Promise<void> {
    this.inodeOwner = await socketOwners(await listPids(this.procRoot), this.procRoot);
  }

  private async comm(pid: number): Promise<string> {
    const text = await readFile(path.join(this.procRoot, String(pid), 'comm'), 'utf8').catch(() => 'unknown');
    return text.trim();
  }
}

/**
 * Connecting and connected sockets whose local port is not a listening one, by inode. Sockets
 * on a listening port are accepted (inbound) ones: they are added to `inboundOut`, and those in
 * `knownInbound` stay excluded even once their listener has closed.
 */
export function outboundSockets(
  tcp4: string,
  tcp6: string,
  knownInbound: ReadonlySet<number> = new Set(),
  inboundOut?: Set<number>,
): Map<number, SocketRow> {
  const listeningPorts = new Set<string>();
  const candidates: Array<{
    inode: number;
    state: number;
    localPort: string;
    remote: string;
    retransmits: number;
  }> = [];
  for (const text of [tcp4, tcp6]) {
    for (const row of text.split('\n').slice(1)) {
      const f = row.trim().split(/\s+/);
      if (f.length < 10) continue;
      const state = Number.parseInt(f[3]!, 16);
      const localPort = f[1]!.slice(f[1]!.indexOf(':') + 1);
      if (state === LISTEN) listeningPorts.add(localPort);
      else if (state === ESTABLISHED || state === SYN_SENT) {
        const inode = Number(f[9]);
        if (inode > 0) {
          candidates.push({
            inode,
            state,
            localPort,
            remote: f[2]!,
            retransmits: Number.parseInt(f[6]!, 16) || 0,
          });
        }
      }
    }
  }
  const out = new Map<number, SocketRow>();
  for (const c of candidates) {
    if (knownInbound.has(c.inode) || listeningPorts.has(c.localPort)) {
      inboundOut?.add(c.inode); // the accepting side of an inbound connection
      continue;
    }
    out.set(c.inode, {
      state: c.state,
      destination: unmapIpv4(formatHexAddress(c.remote)),
      retransmits: c.retransmits,
    });
  }
  return out;
}

/** `[::ffff:127.0.0.1]:5432` → `127.0.0.1:5432`, as the eBPF path writes it. */
function unmapIpv4(address: string): string {
  const match = /^\[::ffff:(\d+\.\d+\.\d+\.\d+)\]:(\d+)$/.exec(address);
  return match ? `${match[1]}:${match[2]}` : address;
}
