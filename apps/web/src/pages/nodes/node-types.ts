/** The JSON of the node routes, as apps/server/src/model/views.ts writes it (`nodeRow`, `nodeView`). */
import type { SeriesJson } from '../../components/charts/chart-types.ts';

/** A row of `GET /api/v1/overview/nodes`. Figures are the newest in the range; NaN travels as null. */
export interface NodeRow {
  /** machine_id; what `/api/v1/nodes/<name>` is looked up by (the hostname works too). */
  readonly name: string;
  readonly hostname: string;
  readonly ips: readonly string[];
  readonly cpuCores: number | null;
  readonly cpuUsagePercent: number | null;
  readonly cpuUsagePercentMax: number | null;
  readonly memoryTotalBytes: number | null;
  readonly memoryUsedPercent: number | null;
  /**
   * Bytes per second through the node's own NICs, each way: `lo`, container veths, bridges and
   * tunnels are left out, as they carry the same bytes again (packages/model node-network.ts).
   */
  readonly networkReceivedBytesPerSecond: number | null;
  readonly networkTransmittedBytesPerSecond: number | null;
  /** Containers and processes on the node. */
  readonly instances: number;
  /** The agent reported CPU recently. */
  readonly up: boolean;
}

/** `GET /api/v1/overview/nodes`. */
export interface NodesOverview {
  readonly nodes: readonly NodeRow[];
}

/** A container or process on the node, with its series. */
export interface NodeContainer {
  readonly id: string;
  readonly appId: string;
  readonly category: string;
  readonly cpuCores: SeriesJson;
  readonly memoryRssBytes: SeriesJson;
}

/** One network interface's traffic. */
export interface InterfaceTrafficJson {
  readonly receivedBytesPerSecond: SeriesJson;
  readonly transmittedBytesPerSecond: SeriesJson;
}

/** `GET /api/v1/nodes/<name>`. */
export interface NodeView extends NodeRow {
  readonly charts: {
    readonly cpuUsagePercent: SeriesJson;
    readonly memoryTotalBytes: SeriesJson;
    readonly memoryAvailableBytes: SeriesJson;
    /** Busy seconds per second, by device. */
    readonly diskIoTime: Readonly<Record<string, SeriesJson>>;
    /** Bytes per second each way, by interface: the NICs the row's network figures add up. */
    readonly network: Readonly<Record<string, InterfaceTrafficJson>>;
  };
  readonly containers: readonly NodeContainer[];
}
