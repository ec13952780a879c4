/**
 * The node agent's process so far: `/metrics` (the node's metrics, Prometheus text format 0.0.4)
 * and `/health` on one HTTP listener (`:10300` by default, as Coroot's agent), collected fresh
 * on every scrape. Collection of containers, eBPF and pushing to the server are not built yet
 * (README); `/health` says which capabilities this process has.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatExposition } from '@vigil/agent-kit';
import { collectNodeMetrics, type NodeRoots } from './node/node-metrics.ts';

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface NodeAgentOptions {
  /** Host and port to listen on; port 0 picks a free one. */
  readonly listen: { readonly host: string; readonly port: number };
  readonly roots?: NodeRoots;
}

export interface RunningNodeAgent {
  /** `http://host:port` of the listener. */
  readonly url: string;
  stop(): Promise<void>;
}

/** What this process can do, for `/health` (the degraded modes the issue asks to report). */
export function capabilities(): { root: boolean; ebpf: boolean } {
  return { root: process.getuid?.() === 0, ebpf: false };
}

export async function startNodeAgent(options: NodeAgentOptions): Promise<RunningNodeAgent> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://agent');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (url.pathname === '/metrics') {
      collectNodeMetrics(options.roots).then(
        (families) => {
          res.writeHead(200, { 'content-type': EXPOSITION_CONTENT_TYPE });
          res.end(req.method === 'HEAD' ? undefined : formatExposition(families));
        },
        (err: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`collecting the node's metrics failed: ${(err as Error).message}\n`);
        },
      );
      return;
    }
    if (url.pathname === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok', capabilities: capabilities() }));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: /metrics and /health are served\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.listen.port, options.listen.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** `host:port`, `:port` (all interfaces) or `[v6]:port` → listen options. */
export function parseListen(text: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(text.trim());
  const port = Number(match?.[3]);
  if (!match || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`listen address "${text}" is not host:port, :port or [ipv6]:port`);
  }
  return { host: match[1] ?? (match[2] || '0.0.0.0'), port };
}
