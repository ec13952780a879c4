/**
 * The node page's charts, built from `GET /api/v1/nodes/<name>` in the chart JSON that
 * TimeSeriesChart reads. The server sends raw series here (not report charts), so the page
 * derives what a reader wants: memory used = total − available, disk busy time as a percentage,
 * each interface's traffic in and out on one chart.
 */
import { lineOf, type ChartJson, type SeriesJson } from '../../components/charts/chart-types.ts';
import type { NodeView } from './node-types.ts';

/** Point by point `a − b` on a's grid; a gap where either is missing or the grids differ. */
export function subtractSeries(a: SeriesJson, b: SeriesJson): SeriesJson {
  const aligned = a.fromMs === b.fromMs && a.stepMs === b.stepMs;
  return {
    fromMs: a.fromMs,
    stepMs: a.stepMs,
    values: a.values.map((v, i) => {
      const w = aligned ? b.values[i] : null;
      return v === null || w === null || w === undefined ? null : v - w;
    }),
  };
}

/** Every value times `factor`, gaps kept. */
export function scaleSeries(s: SeriesJson, factor: number): SeriesJson {
  return { ...s, values: s.values.map((v) => (v === null ? null : v * factor)) };
}

/** The short name of an instance id (`/k8s/ns/pod/container` → `pod`), as the server's reports name them. */
export function instanceName(id: string): string {
  const parts = id.split('/').filter((p) => p !== '');
  return parts[0] === 'k8s' && parts.length >= 3 ? parts[2]! : (parts[parts.length - 1] ?? id);
}

/** CPU, memory, disk and network of the node, then CPU and memory of the containers on it. */
export function nodeCharts(node: NodeView): ChartJson[] {
  const { charts, containers } = node;
  const disks = Object.entries(charts.diskIoTime).sort(([a], [b]) => a.localeCompare(b));
  const interfaces = Object.entries(charts.network).sort(([a], [b]) => a.localeCompare(b));
  return [
    { title: 'CPU usage', unit: '%', lines: [lineOf('CPU', charts.cpuUsagePercent)] },
    {
      title: 'Memory',
      unit: 'bytes',
      lines: [
        lineOf('used', subtractSeries(charts.memoryTotalBytes, charts.memoryAvailableBytes)),
        lineOf('total', charts.memoryTotalBytes),
      ],
    },
    {
      // Busy seconds per second × 100: the share of time the device was busy, as iostat's %util.
      title: 'Disk utilisation',
      unit: '%',
      lines: disks.map(([device, s]) => lineOf(device, scaleSeries(s, 100))),
    },
    {
      title: 'Network',
      unit: 'bytes/s',
      lines: interfaces.flatMap(([name, t]) => [
        lineOf(`${name} in`, t.receivedBytesPerSecond),
        lineOf(`${name} out`, t.transmittedBytesPerSecond),
      ]),
    },
    {
      title: 'CPU by container',
      unit: 'cores',
      lines: containers.map((c) => lineOf(instanceName(c.id), c.cpuCores)),
    },
    {
      title: 'Memory RSS by container',
      unit: 'bytes',
      lines: containers.map((c) => lineOf(instanceName(c.id), c.memoryRssBytes)),
    },
  ];
}
