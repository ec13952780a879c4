/** A real `prometheus-node-exporter` (Debian) on loopback, as a scrape target in tests. */
import { existsSync } from 'node:fs';
import { freeLoopbackPort, startPeer } from './peer-process.ts';

export const NODE_EXPORTER_BIN = process.env.VIGIL_NODE_EXPORTER_BIN ?? '/usr/bin/prometheus-node-exporter';

export function nodeExporterAvailable(): boolean {
  return existsSync(NODE_EXPORTER_BIN);
}

export interface NodeExporter {
  /** `127.0.0.1:<port>`, as a scrape target. */
  readonly address: string;
  stop(): Promise<void>;
}

export async function startNodeExporter(): Promise<NodeExporter> {
  const port = await freeLoopbackPort();
  const address = `127.0.0.1:${port}`;
  const peer = await startPeer(
    NODE_EXPORTER_BIN,
    [`--web.listen-address=${address}`],
    `http://${address}/metrics`,
  );
  return { address, stop: () => peer.stop() };
}
