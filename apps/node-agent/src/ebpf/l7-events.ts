/**
 * What the L7 probes hand user space per request (l7-program.ts, dns-program.ts), parsed:
 *
 * - sampled requests, as the values of the span map printed once a second (`@spans0`/`@spans1`,
 *   keyed by time): `[inbound 0|1, protocol, status, http code, pid, start ns, duration ns,
 *   cgroup, peer port, peer ip, comm, request bytes]`;
 * - DNS answers, one line each: `D <pid> <cgroup> <rcode> <duration ns> <comm>\t<question bytes>`.
 *
 * Bytes come as bpftrace prints a buffer: printable ASCII as is, anything else as `\xNN`.
 * Start times are the kernel's monotonic clock (`nsecs`), the clock `process.hrtime` reads too.
 */
import { endpoint } from './tcp-events.ts';

/** A sampled request with its answer's status: becomes one span. */
export interface L7SpanEvent {
  readonly inbound: boolean;
  /** l7-program.ts `L7_PROTOCOLS`. */
  readonly protocol: number;
  /** HTTP: class 1-5 (0 unknown); others 1 ok, 2 failed, 0 unknown. */
  readonly status: number;
  /** HTTP status code (100-599), else 0. */
  readonly httpCode: number;
  readonly pid: number;
  readonly startMonotonicNs: bigint;
  readonly durationNs: number;
  readonly cgroupId: string;
  /** `ip:port` of the other side (the server for outbound requests, the client for inbound). */
  readonly peer: string;
  readonly comm: string;
  /** The request's first bytes. */
  readonly request: Buffer;
}

/** One answered DNS query. */
export interface DnsEvent {
  readonly pid: number;
  readonly cgroupId: string;
  readonly rcode: number;
  readonly durationNs: number;
  readonly comm: string;
  /** The question section's first bytes (name, then type and class). */
  readonly question: Buffer;
}

/** The sampled requests of one printed span map (its entries' values); malformed entries are skipped. */
export function parseSpanMap(entries: unknown): L7SpanEvent[] {
  if (typeof entries !== 'object' || entries === null) return [];
  const out: L7SpanEvent[] = [];
  for (const value of Object.values(entries)) {
    const span = Array.isArray(value) ? parseSpanTuple(value) : undefined;
    if (span !== undefined) out.push(span);
  }
  return out;
}

export function parseSpanTuple(v: readonly unknown[]): L7SpanEvent | undefined {
  if (v.length < 12) return undefined;
  const [inbound, protocol, status, code, pid, start, duration, cgroup, port, ip, comm, request] = v;
  if (!Number.isInteger(pid) || !Number.isInteger(port) || typeof ip !== 'string') return undefined;
  if (typeof start !== 'number' && typeof start !== 'string') return undefined;
  const httpCode = Number(code);
  return {
    inbound: Number(inbound) === 1,
    protocol: Number(protocol),
    status: Number(status),
    httpCode: httpCode >= 100 && httpCode <= 599 ? httpCode : 0,
    pid: pid as number,
    // bpftrace prints u64 as JSON numbers: past 2^53 ns of uptime (104 days) a start time is
    // rounded to a few ns.
    startMonotonicNs: BigInt(typeof start === 'number' ? Math.round(start) : start),
    durationNs: Number(duration),
    cgroupId: String(cgroup),
    peer: endpoint(ip, port as number),
    comm: typeof comm === 'string' && comm !== '' ? comm : 'unknown',
    request: unescapeBuffer(typeof request === 'string' ? request : ''),
  };
}

export function parseDnsLine(line: string): DnsEvent | undefined {
  const tab = line.lastIndexOf('\t');
  if (!line.startsWith('D ') || tab < 0) return undefined;
  const f = line.slice(2, tab).split(' ');
  if (f.length < 5) return undefined;
  const pid = Number(f[0]);
  if (!Number.isInteger(pid)) return undefined;
  return {
    pid,
    cgroupId: f[1]!,
    rcode: Number(f[2]),
    durationNs: Number(f[3]),
    comm: f.slice(4).join(' ') || 'unknown',
    question: unescapeBuffer(line.slice(tab + 1)),
  };
}

const HEX = /^[0-9a-fA-F]{2}$/;

/** bpftrace's `%r` text back to bytes. */
export function unescapeBuffer(text: string): Buffer {
  const out = Buffer.allocUnsafe(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c && text[i + 1] === 'x' && HEX.test(text.slice(i + 2, i + 4))) {
      out[n++] = Number.parseInt(text.slice(i + 2, i + 4), 16);
      i += 3;
    } else {
      out[n++] = c & 0xff;
    }
  }
  return out.subarray(0, n);
}
