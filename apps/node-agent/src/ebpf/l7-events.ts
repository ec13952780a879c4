/**
 * The two per-request lines the L7 probes print (l7-program.ts, dns-program.ts), parsed:
 *
 * ```
 * T <inbound 0|1> <protocol> <status> <http code> <pid> <start ns> <duration ns> <cgroup> <peer ip> <peer port> <comm>\t<request bytes>
 * D <pid> <cgroup> <rcode> <duration ns> <comm>\t<question bytes>
 * ```
 *
 * Bytes come as bpftrace's `%r` prints a buffer: printable ASCII as is, anything else as `\xNN`.
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

export function parseSpanLine(line: string): L7SpanEvent | undefined {
  const tab = line.lastIndexOf('\t');
  if (!line.startsWith('T ') || tab < 0) return undefined;
  const f = line.slice(2, tab).split(' ');
  if (f.length < 11) return undefined;
  const pid = Number(f[4]);
  const port = Number(f[9]);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return undefined;
  const code = Number(f[3]);
  return {
    inbound: f[0] === '1',
    protocol: Number(f[1]),
    status: Number(f[2]),
    httpCode: code >= 100 && code <= 599 ? code : 0,
    pid,
    startMonotonicNs: BigInt(f[5]!),
    durationNs: Number(f[6]),
    cgroupId: f[7]!,
    peer: endpoint(f[8]!, port),
    comm: f.slice(10).join(' ') || 'unknown',
    request: unescapeBuffer(line.slice(tab + 1)),
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
