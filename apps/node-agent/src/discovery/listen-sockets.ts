/**
 * Which processes listen on which TCP addresses, from procfs alone (no eBPF needed): the
 * listening sockets of `/proc/net/tcp` and `/proc/net/tcp6` (state 0A), matched to processes
 * through the `socket:[inode]` links of `/proc/<pid>/fd` (other users' need root). Addresses are
 * written as Coroot's `container_net_tcp_listen_info{listen_addr}` writes them: `ip:port`, IPv6
 * in brackets.
 *
 * `/proc/net/tcp` rows: `sl local_address rem_address st … uid timeout inode …`, an address as
 * hex `IP:PORT`; the IP is the kernel's in-memory bytes, so each 32-bit word reads little-endian
 * (`0100007F` is 127.0.0.1), the port big-endian.
 */
import { readFile } from 'node:fs/promises';
import { listDir, readLink } from './procfs-sync.ts';
import path from 'node:path';

const LISTEN = 0x0a;

/** Listening sockets by inode → address, from the text of /proc/net/tcp and /proc/net/tcp6. */
export function listeningSockets(tcp4: string, tcp6: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const text of [tcp4, tcp6]) {
    // Most rows of a busy node are connections (thousands in TIME_WAIT: megabytes of text). A
    // standalone ` 0A ` can only be the state column (the other columns are hex words joined by
    // ':' or decimal), so only the rows holding one are cut out and split.
    let at = text.indexOf(' 0A ');
    while (at >= 0) {
      const start = text.lastIndexOf('\n', at) + 1;
      let end = text.indexOf('\n', at);
      if (end < 0) end = text.length;
      at = text.indexOf(' 0A ', end);
      const fields = text.slice(start, end).trim().split(/\s+/);
      if (fields.length < 10) continue;
      if (Number.parseInt(fields[3]!, 16) !== LISTEN) continue;
      const inode = Number(fields[9]);
      if (!(inode > 0)) continue;
      out.set(inode, formatHexAddress(fields[1]!));
    }
  }
  return out;
}

/** `0100007F:1538` → `127.0.0.1:5432`; 32-hex-digit IPv6 → `[::1]:6379`. */
export function formatHexAddress(hex: string): string {
  const [ip, port] = hex.split(':') as [string, string];
  const portNumber = Number.parseInt(port, 16);
  if (ip.length === 8) return `${ipv4FromWord(ip)}:${portNumber}`;
  if (ip.length !== 32) throw new Error(`not a /proc/net/tcp address: ${hex}`);
  const bytes: number[] = [];
  for (let w = 0; w < 4; w++) {
    const word = ip.slice(8 * w, 8 * w + 8);
    // Each 32-bit word is printed as the host (little-endian) integer: bytes in reverse.
    for (let b = 3; b >= 0; b--) bytes.push(Number.parseInt(word.slice(2 * b, 2 * b + 2), 16));
  }
  return `[${formatIpv6(bytes)}]:${portNumber}`;
}

function ipv4FromWord(word: string): string {
  const parts: number[] = [];
  for (let b = 3; b >= 0; b--) parts.push(Number.parseInt(word.slice(2 * b, 2 * b + 2), 16));
  return parts.join('.');
}

/** RFC 5952: lowercase, no leading zeros, the longest run of 2+ zero groups as `::`; v4-mapped. */
function formatIpv6(bytes: readonly number[]): string {
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return `::ffff:${bytes.slice(12).join('.')}`;
  }
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** Inodes of the sockets a process holds open ([] when it is gone or not readable). */
export async function socketInodes(pid: number, procRoot = '/proc'): Promise<number[]> {
  const dir = path.join(procRoot, String(pid), 'fd');
  const inodes: number[] = [];
  for (const fd of listDir(dir)) {
    const link = readLink(`${dir}/${fd}`);
    if (link !== undefined && link.startsWith('socket:[')) inodes.push(Number(link.slice(8, -1)));
  }
  return inodes;
}

/** The addresses each of `pids` listens on (only pids with at least one). */
export async function listenAddresses(
  pids: readonly number[],
  procRoot = '/proc',
): Promise<Map<number, string[]>> {
  const [tcp4, tcp6] = await Promise.all([
    readFile(path.join(procRoot, 'net/tcp'), 'utf8').catch(() => ''),
    readFile(path.join(procRoot, 'net/tcp6'), 'utf8').catch(() => ''),
  ]);
  const listening = listeningSockets(tcp4, tcp6);
  const out = new Map<number, string[]>();
  await Promise.all(
    pids.map(async (pid) => {
      const addresses = new Set<string>();
      for (const inode of await socketInodes(pid, procRoot)) {
        const address = listening.get(inode);
        if (address !== undefined) addresses.add(address);
      }
      if (addresses.size > 0) out.set(pid, [...addresses].sort());
    }),
  );
  return out;
}

/** Socket inode → the pid holding it, for `pids` (a socket shared after fork: one of them). */
export async function socketOwners(
  pids: readonly number[],
  procRoot = '/proc',
): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  const lists = await Promise.all(pids.map((pid) => socketInodes(pid, procRoot)));
  // The lowest pid (usually the parent) wins a socket its children inherited.
  const order = pids.map((pid, i) => ({ pid, inodes: lists[i]! })).sort((a, b) => a.pid - b.pid);
  for (const { pid, inodes } of order) for (const inode of inodes) if (!out.has(inode)) out.set(inode, pid);
  return out;
}

/** One pid per network namespace among `pids`, leaving out the agent's own namespace. */
export async function otherNetnsPids(pids: readonly number[], procRoot = '/proc'): Promise<number[]> {
  const own = readLink(path.join(procRoot, 'self/ns/net'));
  const links = pids.map((pid) => readLink(`${procRoot}/${pid}/ns/net`));
  const seen = new Set<string>();
  const out: number[] = [];
  pids.forEach((pid, i) => {
    const ns = links[i];
    if (ns === undefined || ns === own || seen.has(ns)) return;
    seen.add(ns);
    out.push(pid);
  });
  return out;
}
