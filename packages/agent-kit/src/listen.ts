/** `host:port`, `:port` (all interfaces) or `[v6]:port` → listen options; an agent's `--listen`. */
export function parseListen(text: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(text.trim());
  const port = Number(match?.[3]);
  if (!match || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`listen address "${text}" is not host:port, :port or [ipv6]:port`);
  }
  return { host: match[1] ?? (match[2] || '0.0.0.0'), port };
}
