/**
 * The lines tcp-program.ts prints (everything else it reports comes as map dumps, read by
 * tcp-rounds.ts): OOM kills as they happen and the `H` that
 * ends each round.
 */

export type TcpProgramLine =
  | { readonly kind: 'oom'; readonly pid: number; readonly cgroupId: string; readonly comm: string }
  | { readonly kind: 'heartbeat' };

/** One printed line; undefined for a line this program does not print. */
export function parseTcpProgramLine(line: string): TcpProgramLine | undefined {
  if (line === 'H') return { kind: 'heartbeat' };
  if (!line.startsWith('O ')) return undefined;
  const f = line.split(' ');
  const pid = Number(f[1]);
  if (!Number.isInteger(pid)) return undefined;
  return { kind: 'oom', pid, cgroupId: f[2] ?? '0', comm: f.slice(3).join(' ') || 'unknown' };
}

/**
 * `ip:port` as Coroot writes destinations: IPv6 in brackets, IPv4-mapped IPv6 addresses
 * (a v6 socket talking to a v4 peer, or any socket as `sock:inet_sock_set_state` reports its
 * v6 address fields) as plain IPv4.
 */
export function endpoint(ip: string, port: number): string {
  if (ip.startsWith('::ffff:') && ip.includes('.')) return `${ip.slice(7)}:${port}`;
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}
