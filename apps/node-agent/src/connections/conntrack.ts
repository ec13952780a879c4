/**
 * Where NAT sent a connection, for `actual_destination`: the kernel's connection-tracking table
 * of the connecting process's network namespace, `/proc/<pid>/net/nf_conntrack`
 * (CONFIG_NF_CONNTRACK_PROCFS; the table fills once the namespace has a NAT rule, e.g. kube-proxy's
 * or Docker's). An entry lists the original direction, then the reply's:
 *
 *     ipv4 2 tcp 6 431999 ESTABLISHED src=127.0.0.1 dst=127.0.0.77 sport=35540 dport=5555 src=127.0.0.1 dst=127.0.0.1 sport=5432 dport=35540 [ASSURED] …
 *
 * When the reply comes from somewhere other than the original destination the connection was
 * DNATed (a Kubernetes Service, a published port) and the reply's source is where it really
 * went: here 127.0.0.77:5555 → 127.0.0.1:5432. IPv6 addresses are printed in full there
 * (`2001:0db8:0000:…`); they are compared in one canonical form.
 */
import { listDir, readLink, readText } from '../discovery/procfs-sync.ts';

/** A live connection as the connecting process sees it: `ip:port` or `[ipv6]:port`. */
export interface NatQuery {
  readonly pid: number;
  readonly source: string;
  readonly destination: string;
}

/** `source|destination` → the actual destination, for the DNATed TCP entries of a table. */
export function parseNatEntries(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (!line.includes(' tcp ')) continue;
    const fields = tupleFields(line);
    if (fields === undefined) continue;
    const { src, dst, sport, dport, replySrc, replySport } = fields;
    const destination = endpointKey(dst, dport);
    const actual = endpointKey(replySrc, replySport);
    if (actual === destination) continue;
    out.set(`${endpointKey(src, sport)}|${destination}`, formatEndpoint(replySrc, replySport));
  }
  return out;
}

/**
 * The actual destinations of `queries` (by `source|destination` as given), reading the table of
 * each network namespace involved once. Connections without a NAT entry are left out.
 */
export function resolveNat(queries: readonly NatQuery[], procRoot = '/proc'): Map<string, string> {
  const byNetns = new Map<string, { pid: number; queries: NatQuery[] }>();
  for (const q of queries) {
    const netns = readLink(`${procRoot}/${q.pid}/ns/net`);
    if (netns === undefined) continue; // gone
    const group = byNetns.get(netns);
    if (group === undefined) byNetns.set(netns, { pid: q.pid, queries: [q] });
    else group.queries.push(q);
  }
  const out = new Map<string, string>();
  for (const { pid, queries: group } of byNetns.values()) {
    const text = readText(`${procRoot}/${pid}/net/nf_conntrack`);
    if (text === undefined || text === '') continue;
    const entries = parseNatEntries(text);
    if (entries.size === 0) continue;
    for (const q of group) {
      const actual = entries.get(`${canonicalEndpoint(q.source)}|${canonicalEndpoint(q.destination)}`);
      if (actual !== undefined) out.set(`${q.source}|${q.destination}`, actual);
    }
  }
  return out;
}

/** Whether this kernel keeps the table in procfs at all. */
export function conntrackAvailable(procRoot = '/proc'): boolean {
  return listDir(`${procRoot}/self/net`).includes('nf_conntrack');
}

interface Tuples {
  readonly src: string;
  readonly dst: string;
  readonly sport: string;
  readonly dport: string;
  readonly replySrc: string;
  readonly replySport: string;
}

/** The original src, dst, sport, dport, then the reply's src and sport, of one entry. */
function tupleFields(line: string): Tuples | undefined {
  const values: string[] = [];
  let from = 0;
  for (const name of ['src=', 'dst=', 'sport=', 'dport=', 'src=', 'dst=', 'sport=']) {
    const at = line.indexOf(name, from);
    if (at < 0) return undefined;
    const end = line.indexOf(' ', at);
    values.push(line.slice(at + name.length, end < 0 ? undefined : end));
    from = end < 0 ? line.length : end;
  }
  const [src, dst, sport, dport, replySrc, , replySport] = values;
  return { src: src!, dst: dst!, sport: sport!, dport: dport!, replySrc: replySrc!, replySport: replySport! };
}

/** `ip:port` in the form the agent's labels use (`[ipv6]:port`, IPv6 compressed). */
function formatEndpoint(ip: string, port: string): string {
  if (!ip.includes(':')) return `${ip}:${port}`;
  return `${new URL(`http://[${ip}]/`).hostname}:${port}`;
}

/** An `ip` and `port` as one key, IPv6 in full lower-case groups. */
function endpointKey(ip: string, port: string): string {
  return `${canonicalIp(ip)}:${port}`;
}

/** A label-form endpoint (`1.2.3.4:80`, `[2001:db8::1]:443`) as {@link endpointKey} writes it. */
function canonicalEndpoint(endpoint: string): string {
  const colon = endpoint.lastIndexOf(':');
  const host = endpoint.slice(0, colon);
  const ip = host.startsWith('[') ? host.slice(1, -1) : host;
  return endpointKey(ip, endpoint.slice(colon + 1));
}

function canonicalIp(ip: string): string {
  if (!ip.includes(':')) return ip;
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const left = head === '' ? [] : head!.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? [] : new Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((g) => parseInt(g, 16).toString(16)).join(':');
}
