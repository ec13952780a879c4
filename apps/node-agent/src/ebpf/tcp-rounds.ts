/**
 * Reads the map dumps of tcp-program.ts back into one {@link TcpRound} per interval: bpftrace
 * prints each map as a JSON object (keys of several parts joined by commas, tuple values as
 * arrays, empty maps not at all), and the program ends every round with its `H` line.
 *
 * Aggregate keys are `kind,pid,cgroup,ip,port,comm`; `comm` comes last because it may itself
 * hold commas. Socket keys are the kernel address as bpftrace prints it (a signed decimal).
 */
import { endpoint } from './tcp-events.ts';
import { L7_BUCKETS, L7_INBOUND_KIND_BASE, L7_KIND_BASE, L7_SUM_SLOT } from './l7-program.ts';
import { MESSAGE_KIND_BASE } from './messaging-program.ts';
import { AggregateKind } from './tcp-program.ts';

/** Who connected where: the key of every per-interval map. */
export interface ConnectionKey {
  readonly pid: number;
  /** cgroup v2 id of the connecting task ('0' when unknown). */
  readonly cgroupId: string;
  readonly destination: string;
  readonly comm: string;
}

export interface CountedConnections {
  readonly key: ConnectionKey;
  readonly count: number;
  /** Connects: the time they took, summed. */
  readonly seconds: number;
}

export interface ClosedConnections {
  readonly key: ConnectionKey;
  readonly count: number;
  /** Final totals of the connections that closed, summed. */
  readonly sent: number;
  readonly received: number;
  readonly retransmits: number;
}

export interface LiveConnection {
  readonly sock: string;
  readonly key: ConnectionKey;
  readonly source: string;
  /** Totals so far. */
  readonly sent: number;
  readonly received: number;
  readonly retransmits: number;
}

/** Requests of one protocol and status from one process to one peer, in one interval. */
export interface L7Counts {
  /**
   * Outbound: the process sent the requests, `key.destination` is the peer. Inbound: it answered
   * them, `key.destination` is its own (listening) address.
   */
  readonly inbound: boolean;
  readonly key: ConnectionKey;
  /** The program's protocol number (l7-program.ts `L7_PROTOCOLS`). */
  readonly protocol: number;
  /** HTTP: status class 1-5 (0 unknown); others: 1 ok, 2 failed, 0 unknown. */
  readonly status: number;
  /** Requests per latency bucket (`L7_BUCKETS`, then +Inf); not cumulative. */
  readonly buckets: number[];
  readonly seconds: number;
}

/** Messages a process published to or received from one broker, in one interval. */
export interface MessageCounts {
  readonly key: ConnectionKey;
  /** messaging-program.ts `MESSAGE_BROKERS`. */
  readonly broker: number;
  /** 1 produce, 2 consume. */
  readonly method: number;
  readonly count: number;
}

/** What happened since the previous round, and the connections open now. */
export interface TcpRound {
  readonly l7: readonly L7Counts[];
  readonly messages: readonly MessageCounts[];
  readonly connects: readonly CountedConnections[];
  readonly failures: readonly CountedConnections[];
  readonly closed: readonly ClosedConnections[];
  readonly live: readonly LiveConnection[];
  /** Connections not followed since the program started: its socket map was full. */
  readonly unfollowed: number;
  /**
   * The interval map held as many entries as it can (`mapSize`): counts of this interval may
   * have been dropped (bpftrace 0.17 cannot tell, a sum into a full map fails silently).
   */
  readonly aggregateFull: boolean;
  /** Reads whose saved registers did not hold their arguments (l7-program.ts `argsFromRegs`). */
  readonly l7RegisterMisses: number;
}

type Entries = Readonly<Record<string, unknown>>;

interface Totals {
  readonly key: ConnectionKey;
  connects: number;
  connectNs: number;
  failures: number;
  closes: number;
  sent: number;
  received: number;
  retransmits: number;
}

/** Collects a round's map dumps; `finish()` at the `H` line returns the round and starts the next. */
export class TcpRoundReader {
  private maps = new Map<string, Entries>();
  private full = 0;
  private l7miss = 0;

  /** `mapSize`: the entries each kernel map can hold (to tell when the interval map was full). */
  constructor(private readonly mapSize = Infinity) {}

  /** One dumped map: `@agg0` or `@agg1`, `@info`, `@tx`, … */
  add(name: string, entries: unknown): void {
    // The interval map comes in two copies (0 and 1): a round holds one of them.
    const base = name === '@agg0' || name === '@agg1' ? '@agg' : name;
    this.maps.set(base, typeof entries === 'object' && entries !== null ? (entries as Entries) : {});
    if (name === '@full') this.full = typeof entries === 'number' ? entries : 0;
    if (name === '@l7miss') this.l7miss = typeof entries === 'number' ? entries : 0;
  }

  /** Forgets a partly read round (bpftrace stopped in the middle of one). */
  reset(): void {
    this.maps = new Map();
  }

  finish(): TcpRound {
    const m = this.maps;
    this.maps = new Map();
    // One record per (pid, cgroup, destination, comm), filled from the entries of each kind.
    const byKey = new Map<string, Totals>();
    const l7 = new Map<string, L7Counts>();
    const messages: MessageCounts[] = [];
    const aggregate = Object.entries(m.get('@agg') ?? {});
    for (const [k, value] of aggregate) {
      const comma = k.indexOf(',');
      const kind = Number(k.slice(0, comma));
      const rest = k.slice(comma + 1);
      if (kind >= MESSAGE_KIND_BASE) {
        const key = parseKey(rest);
        const m = kind - MESSAGE_KIND_BASE;
        if (key !== undefined)
          messages.push({ key, broker: Math.floor(m / 10), method: m % 10, count: num(value) });
        continue;
      }
      if (kind >= L7_KIND_BASE) {
        addL7(l7, kind, rest, num(value));
        continue;
      }
      let t = byKey.get(rest);
      if (t === undefined) {
        const key = parseKey(rest);
        if (key === undefined) continue;
        t = { key, connects: 0, connectNs: 0, failures: 0, closes: 0, sent: 0, received: 0, retransmits: 0 };
        byKey.set(rest, t);
      }
      const n = num(value);
      if (kind === AggregateKind.connects) t.connects += n;
      else if (kind === AggregateKind.connectNs) t.connectNs += n;
      else if (kind === AggregateKind.failures) t.failures += n;
      else if (kind === AggregateKind.closes) t.closes += n;
      else if (kind === AggregateKind.closedSent) t.sent += n;
      else if (kind === AggregateKind.closedReceived) t.received += n;
      else if (kind === AggregateKind.closedRetransmits) t.retransmits += n;
    }
    const connects: CountedConnections[] = [];
    const failures: CountedConnections[] = [];
    const closed: ClosedConnections[] = [];
    for (const t of byKey.values()) {
      if (t.connects > 0) connects.push({ key: t.key, count: t.connects, seconds: t.connectNs / 1e9 });
      if (t.failures > 0) failures.push({ key: t.key, count: t.failures, seconds: 0 });
      if (t.closes > 0)
        closed.push({
          key: t.key,
          count: t.closes,
          sent: t.sent,
          received: t.received,
          retransmits: t.retransmits,
        });
    }
    const tx = m.get('@tx') ?? {};
    const rx = m.get('@rx') ?? {};
    const rt = m.get('@rt') ?? {};
    const live: LiveConnection[] = [];
    const counters = (sock: string) => ({
      // The byte counters start at 1 (tcp-program.ts).
      sent: Math.max(0, num(tx[sock]) - 1),
      received: Math.max(0, num(rx[sock]) - 1),
      retransmits: num(rt[sock]),
    });
    // The portable program's form: every field in the key, `sock,pid,cgroup,sport,dport,saddr,daddr,comm`.
    for (const key of Object.keys(m.get('@live') ?? {})) {
      const f = splitFields(key, 8);
      if (f === undefined) continue;
      const [sock, pid, cgroup, sport, dport, saddr, daddr, comm] = f;
      live.push({
        sock,
        key: { pid: Number(pid), cgroupId: cgroup, destination: endpoint(daddr, Number(dport)), comm },
        source: endpoint(saddr, Number(sport)),
        ...counters(sock),
      });
    }
    for (const [sock, value] of Object.entries(m.get('@info') ?? {})) {
      // (pid, cgroup, sport, dport, saddr, daddr, comm)
      if (!Array.isArray(value) || value.length < 7) continue;
      const [pid, cgroup, sport, dport, saddr, daddr, comm] = value as [
        number,
        number,
        number,
        number,
        string,
        string,
        string,
      ];
      live.push({
        sock,
        key: { pid, cgroupId: String(cgroup), destination: endpoint(daddr, dport), comm },
        source: endpoint(saddr, sport),
        ...counters(sock),
      });
    }
    return {
      connects,
      failures,
      closed,
      live,
      unfollowed: this.full,
      aggregateFull: aggregate.length >= this.mapSize,
      l7RegisterMisses: this.l7miss,
      l7: [...l7.values()],
      messages,
    };
  }
}

/** One L7 entry (kind = 10000 + protocol·1000 + status·100 + slot) into its record. */
function addL7(into: Map<string, L7Counts>, kind: number, rest: string, value: number): void {
  const inbound = kind >= L7_INBOUND_KIND_BASE;
  const protocol = Math.floor((kind - (inbound ? L7_INBOUND_KIND_BASE : L7_KIND_BASE)) / 1000);
  const status = Math.floor((kind % 1000) / 100);
  const slot = kind % 100;
  const id = `${inbound ? 'in' : 'out'}|${protocol}|${status}|${rest}`;
  let counts = into.get(id);
  if (counts === undefined) {
    const key = parseKey(rest);
    if (key === undefined) return;
    counts = {
      inbound,
      key,
      protocol,
      status,
      buckets: new Array<number>(L7_BUCKETS.length + 1).fill(0),
      seconds: 0,
    };
    into.set(id, counts);
  }
  if (slot === L7_SUM_SLOT) (counts as { seconds: number }).seconds += value / 1e9;
  else if (slot <= L7_BUCKETS.length) counts.buckets[slot]! += value;
}

function parseKey(key: string): ConnectionKey | undefined {
  const f = splitFields(key, 5);
  if (f === undefined) return undefined;
  const [pid, cgroupId, ip, port, comm] = f;
  return { pid: Number(pid), cgroupId, destination: endpoint(ip, Number(port)), comm };
}

/** `key` cut at its first `count - 1` commas (the last field, a `comm`, may hold commas itself). */
function splitFields<N extends number>(key: string, count: N): Fields<N> | undefined {
  const fields: string[] = [];
  let from = 0;
  for (let i = 1; i < count; i++) {
    const comma = key.indexOf(',', from);
    if (comma < 0) return undefined;
    fields.push(key.slice(from, comma));
    from = comma + 1;
  }
  fields.push(key.slice(from));
  return fields as Fields<N>;
}

/** `N` strings: the fields of a key, as many as asked for. */
type Fields<N extends number, T extends string[] = []> = T['length'] extends N
  ? T
  : Fields<N, [...T, string]>;

function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}
