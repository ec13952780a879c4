/**
 * Which instance listens at the address a connection went to. A destination on loopback, or on
 * one of the caller's node's own addresses, is a process on that same node (a host-network
 * container, a systemd service…): it resolves there, never to another node that happens to
 * listen on 127.0.0.1 too. Any other address resolves to the instance listening on exactly that
 * ip:port, or on a wildcard address of the node that owns the ip.
 */

export interface Listener {
  /** Instance key (`machine_id|container_id`). */
  readonly instanceKey: string;
  readonly node: string;
}

/** `host:port` → [host, port]; accepts `[v6]:port` and bare `v6:port` (last colon). */
export function splitHostPort(address: string): [string, string] | undefined {
  if (address.startsWith('[')) {
    const end = address.indexOf(']:');
    return end < 0 ? undefined : [address.slice(1, end), address.slice(end + 2)];
  }
  const i = address.lastIndexOf(':');
  return i <= 0 ? undefined : [address.slice(0, i), address.slice(i + 1)];
}

export function isLoopback(host: string): boolean {
  return host.startsWith('127.') || host === '::1' || host === 'localhost' || host === '::ffff:127.0.0.1';
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '*' || host === '';
}

export class DestinationResolver {
  /** `ip:port` → listeners. */
  readonly #exact = new Map<string, Listener[]>();
  /** `node|port` → listeners on a wildcard address. */
  readonly #wildcard = new Map<string, Listener[]>();
  /** `node|port` → listeners on a loopback address. */
  readonly #loopback = new Map<string, Listener[]>();
  /** ip → nodes that own it. */
  readonly #ipNodes = new Map<string, Set<string>>();

  addNodeIp(node: string, ip: string): void {
    let nodes = this.#ipNodes.get(ip);
    if (!nodes) this.#ipNodes.set(ip, (nodes = new Set()));
    nodes.add(node);
  }

  addListener(listenAddress: string, listener: Listener): void {
    const hp = splitHostPort(listenAddress);
    if (!hp) return;
    const [host, port] = hp;
    const push = (map: Map<string, Listener[]>, key: string) => {
      const list = map.get(key);
      if (!list) map.set(key, [listener]);
      else if (!list.some((l) => l.instanceKey === listener.instanceKey)) list.push(listener);
    };
    if (isWildcard(host)) push(this.#wildcard, `${listener.node}|${port}`);
    else if (isLoopback(host)) push(this.#loopback, `${listener.node}|${port}`);
    else push(this.#exact, `${host}:${port}`);
  }

  /** The listener a caller on `callerNode` reached at `destination`, if any is known. */
  resolve(callerNode: string, destination: string): Listener | undefined {
    const hp = splitHostPort(destination);
    if (!hp) return undefined;
    const [host, port] = hp;
    const own = isLoopback(host) || this.#ipNodes.get(host)?.has(callerNode) === true;
    if (own) {
      return (
        this.#exact.get(`${host}:${port}`)?.find((l) => l.node === callerNode) ??
        this.#loopback.get(`${callerNode}|${port}`)?.[0] ??
        this.#wildcard.get(`${callerNode}|${port}`)?.[0]
      );
    }
    const exact = this.#exact.get(`${host}:${port}`)?.[0];
    if (exact) return exact;
    for (const node of this.#ipNodes.get(host) ?? []) {
      const l = this.#wildcard.get(`${node}|${port}`)?.[0];
      if (l) return l;
    }
    return undefined;
  }
}
