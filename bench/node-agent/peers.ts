/**
 * What the agent is compared with and pushes to: Debian's `prometheus-node-exporter` on a free
 * loopback port, scraped by the bench every interval as Prometheus would, and a remote write
 * sink that reads each request and answers 204.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freeLoopbackPort, NODE_EXPORTER_BIN, startPeer } from '@vigil/testkit';

export interface ScrapedExporter {
  readonly pid: number;
  readonly version: string;
  /** Scrapes so far, and the series (sample lines) in the last one. */
  scrapes(): { count: number; failures: number; lastSeries: number; lastBytes: number };
  stop(): Promise<void>;
}

export async function startScrapedExporter(intervalSeconds: number): Promise<ScrapedExporter> {
  const address = `127.0.0.1:${await freeLoopbackPort()}`;
  const url = `http://${address}/metrics`;
  const peer = await startPeer(NODE_EXPORTER_BIN, [`--web.listen-address=${address}`], url);
  let count = 0;
  let failures = 0;
  let lastSeries = 0;
  let lastBytes = 0;
  let version = 'unknown';
  const scrape = async (): Promise<void> => {
    try {
      const text = await (await fetch(url)).text();
      count++;
      lastBytes = text.length;
      lastSeries = text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
      version = /node_exporter_build_info\{[^}]*version="([^"]+)"/.exec(text)?.[1] ?? version;
    } catch {
      failures++;
    }
  };
  await scrape();
  const timer = setInterval(() => void scrape(), intervalSeconds * 1000);
  return {
    pid: peer.pid,
    get version() {
      return version;
    },
    scrapes: () => ({ count, failures, lastSeries, lastBytes }),
    stop: async () => {
      clearInterval(timer);
      await peer.stop();
    },
  };
}

export interface Sink {
  readonly url: string;
  received(): { requests: number; bytes: number };
  close(): Promise<void>;
}

/** A remote write receiver that keeps nothing: reads the body, answers 204. */
export async function startSink(): Promise<Sink> {
  let requests = 0;
  let bytes = 0;
  const server = createServer((req, res) => {
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      requests++;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received: () => ({ requests, bytes }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
