/** The lines tcp-program.ts prints, parsed. Socket ids stay strings: they are 64-bit kernel addresses. */

export type TcpEvent =
  | {
      readonly kind: 'connect';
      readonly pid: number;
      readonly sock: string;
      readonly durationNs: number;
      readonly source: string;
      readonly destination: string;
      /** cgroup v2 id of the connecting task ('0' when unknown). */
      readonly cgroupId: string;
      readonly comm: string;
    }
  | {
      readonly kind: 'failed';
      readonly pid: number;
      readonly sock: string;
      readonly durationNs: number;
      readonly destination: string;
      readonly cgroupId: string;
      readonly comm: string;
    }
  | {
      readonly kind: 'close';
      readonly sock: string;
      readonly sent: number;
      readonly received: number;
      readonly retransmits: number;
    }
  | { readonly kind: 'oom'; readonly pid: number; readonly cgroupId: string; readonly comm: string }
  | { readonly kind: 'heartbeat' };

/** One printed line → event; undefined for a line this program does not print. */
export function parseTcpEvent(line: string): TcpEvent | undefined {
  const f = line.split(' ');
  switch (f[0]) {
    case 'C':
      if (f.length < 10) return undefined;
      return {
        kind: 'connect',
        pid: Number(f[1]),
        sock: f[2]!,
        durationNs: Number(f[3]),
        source: endpoint(f[4]!, Number(f[5])),
        destination: endpoint(f[6]!, Number(f[7])),
        cgroupId: f[8]!,
        comm: f.slice(9).join(' '),
      };
    case 'F':
      if (f.length < 8) return undefined;
      return {
        kind: 'failed',
        pid: Number(f[1]),
        sock: f[2]!,
        durationNs: Number(f[3]),
        destination: endpoint(f[4]!, Number(f[5])),
        cgroupId: f[6]!,
        comm: f.slice(7).join(' '),
      };
    case 'X':
      if (f.length < 5) return undefined;
      return {
        kind: 'close',
        sock: f[1]!,
        sent: Number(f[2]),
        received: Number(f[3]),
        retransmits: Number(f[4]),
      };
    case 'O':
      return {
        kind: 'oom',
        pid: Number(f[1]),
        cgroupId: f[2] ?? '0',
        comm: f.slice(3).join(' ') || 'unknown',
      };
    case 'H':
      return { kind: 'heartbeat' };
    default:
      return undefined;
  }
}

/**
 * `ip:port` as Coroot writes destinations: IPv6 in brackets, IPv4-mapped IPv6 addresses
 * (a v6 socket talking to a v4 peer) as plain IPv4.
 */
export function endpoint(ip: string, port: number): string {
  if (ip.startsWith('::ffff:') && ip.includes('.')) return `${ip.slice(7)}:${port}`;
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}
