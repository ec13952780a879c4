/** A parsed listen address. `host` '' means every interface. */
export interface ListenAddress {
  host: string;
  port: number;
}

/**
 * Reads `host:port`, `:port`, `[::1]:port` or a bare port. Returns an error string instead of
 * throwing so the config loader can list every problem at once.
 */
export function parseListenAddress(text: string): ListenAddress | string {
  const trimmed = text.trim();
  let host = '';
  let portText = trimmed;
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(trimmed);
  if (bracketed) {
    host = bracketed[1] ?? '';
    portText = bracketed[2] ?? '';
  } else if (trimmed.includes(':')) {
    const idx = trimmed.lastIndexOf(':');
    host = trimmed.slice(0, idx);
    portText = trimmed.slice(idx + 1);
  }
  if (!/^\d+$/.test(portText)) return `"${text}" is not a listen address: expected host:port or :port`;
  const port = Number(portText);
  if (port > 65535) return `"${text}" has port ${port}, above 65535`;
  return { host, port };
}

/** The host to give net.Server.listen: '' means all interfaces. */
export function listenHost(addr: ListenAddress): string | undefined {
  return addr.host === '' ? undefined : addr.host;
}

export function formatListenAddress(addr: ListenAddress): string {
  const host = addr.host.includes(':') ? `[${addr.host}]` : addr.host;
  return `${host}:${addr.port}`;
}
