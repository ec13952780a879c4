import { execFileSync } from 'node:child_process';
import { nodeExporterAvailable, serviceGate, startNodeExporter } from '@vigil/testkit';
import { describe, expect, it } from 'vitest';
import { formatExposition, type MetricFamily } from '@vigil/agent-kit';
import { collectNodeMetrics } from './node-metrics.ts';
import { parseDiskstats, parseMeminfo, parseNetDev, parseProcStat } from './proc-stats.ts';

describe('procfs parsers', () => {
  it('reads CPU seconds per mode and the logical cores from /proc/stat', () => {
    const stat = [
      'cpu  1000 20 300 40000 50 6 7 8 0 0',
      'cpu0 500 10 150 20000 25 3 3 4 0 0',
      'cpu1 500 10 150 20000 25 3 4 4 0 0',
      'intr 123',
    ].join('\n');
    expect(parseProcStat(stat)).toEqual({
      seconds: {
        user: 10,
        nice: 0.2,
        system: 3,
        idle: 400,
        iowait: 0.5,
        irq: 0.06,
        softirq: 0.07,
        steal: 0.08,
      },
      logicalCores: 2,
    });
    expect(() => parseProcStat('intr 1')).toThrow(/no "cpu" line/);
  });

  it('reads meminfo in bytes, diskstats of whole disks and net/dev per interface', () => {
    expect(parseMeminfo('MemTotal:       24576000 kB\nHugePages_Total:       0\n')).toEqual(
      new Map([
        ['MemTotal', 24576000 * 1024],
        ['HugePages_Total', 0],
      ]),
    );
    const disks = parseDiskstats(
      [
        ' 253       0 vda 1000 5 20000 300 2000 7 40000 600 0 900 1000 0 0 0 0',
        ' 253       1 vda1 10 0 200 3 20 0 400 6 0 9 10 0 0 0 0',
      ].join('\n'),
      (d) => d === 'vda',
    );
    expect(disks).toEqual(
      new Map([
        [
          'vda',
          {
            reads: 1000,
            readBytes: 20000 * 512,
            readSeconds: 0.3,
            writes: 2000,
            writtenBytes: 40000 * 512,
            writeSeconds: 0.6,
            ioSeconds: 0.9,
          },
        ],
      ]),
    );
    const net = parseNetDev(
      [
        'Inter-|   Receive                                                |  Transmit',
        ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
        '    lo: 1000 10 0 0 0 0 0 0 2000 20 0 0 0 0 0 0',
      ].join('\n'),
    );
    expect(net.get('lo')).toEqual({
      receivedBytes: 1000,
      receivedPackets: 10,
      transmittedBytes: 2000,
      transmittedPackets: 20,
    });
  });
});

describe('formatExposition', () => {
  it('writes HELP, TYPE and escaped labels, and leaves empty families out', () => {
    const families: MetricFamily[] = [
      {
        name: 'a_total',
        type: 'counter',
        help: 'A\\b\nc',
        samples: [{ labels: { x: 'q"\\\n' }, value: 1.5 }],
      },
      { name: 'empty', type: 'gauge', help: 'none', samples: [] },
      { name: 'g', type: 'gauge', help: 'G', samples: [{ labels: {}, value: NaN }] },
    ];
    expect(formatExposition(families)).toBe(
      '# HELP a_total A\\\\b\\nc\n# TYPE a_total counter\na_total{x="q\\"\\\\\\n"} 1.5\n' +
        '# HELP g G\n# TYPE g gauge\ng NaN\n',
    );
  });
});

/** `name{labels} value` lines of a Prometheus text page, by name and sorted label text. */
function parsePage(text: string): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels = (match[3] ?? '')
      .split(',')
      .filter((l) => l !== '')
      .sort()
      .join(',');
    if (!out.has(match[1]!)) out.set(match[1]!, new Map());
    out.get(match[1]!)!.set(labels, Number(match[4]));
  }
  return out;
}

describe('collectNodeMetrics against prometheus-node-exporter on this machine', () => {
  it('reports the same memory, cores, CPU time, disk and network counters as the node exporter', async () => {
    if (
      !serviceGate(
        'prometheus-node-exporter',
        nodeExporterAvailable(),
        'apt-get install prometheus-node-exporter',
      )
    ) {
      return;
    }
    const exporter = await startNodeExporter();
    try {
      const before = parsePage(formatExposition(await collectNodeMetrics()));
      const theirs = parsePage(await (await fetch(`http://${exporter.address}/metrics`)).text());
      const after = parsePage(formatExposition(await collectNodeMetrics()));
      const one = (page: Map<string, Map<string, number>>, name: string, labels = ''): number => {
        const v = page.get(name)?.get(labels);
        if (v === undefined) throw new Error(`${name}{${labels}} missing`);
        return v;
      };
      // Between our two reads, theirs: counters must fall in [before, after].
      const between = (ours: string, labels: string, their: string, theirLabels: string): void => {
        const t = one(theirs, their, theirLabels);
        expect(t, `${their}{${theirLabels}}`).toBeGreaterThanOrEqual(one(before, ours, labels) - 1e-9);
        expect(t, `${their}{${theirLabels}}`).toBeLessThanOrEqual(one(after, ours, labels) + 1e-9);
      };
      expect(one(before, 'node_resources_memory_total_bytes')).toBe(
        one(theirs, 'node_memory_MemTotal_bytes'),
      );
      const theirCores = [...(theirs.get('node_cpu_seconds_total') ?? new Map()).keys()].filter((k) =>
        k.includes('mode="idle"'),
      ).length;
      expect(one(before, 'node_resources_cpu_logical_cores')).toBe(theirCores);
      // CPU seconds: theirs are per core; ours summed over cores.
      for (const mode of ['user', 'system', 'idle']) {
        let sum = 0;
        for (const [k, v] of theirs.get('node_cpu_seconds_total')!)
          if (k.includes(`mode="${mode}"`)) sum += v;
        expect(sum, mode).toBeGreaterThanOrEqual(
          one(before, 'node_resources_cpu_usage_seconds_total', `mode="${mode}"`) - 0.05,
        );
        expect(sum, mode).toBeLessThanOrEqual(
          one(after, 'node_resources_cpu_usage_seconds_total', `mode="${mode}"`) + 0.05,
        );
      }
      // The node exporter leaves lo out by default: compare an interface both report.
      const theirDevices = [...(theirs.get('node_network_receive_bytes_total') ?? new Map()).keys()];
      const shared = [...(before.get('node_net_received_bytes_total') ?? new Map()).keys()].find((k) =>
        theirDevices.includes(k.replace('interface=', 'device=')),
      );
      expect(shared, 'an interface both report').toBeDefined();
      const device = shared!.replace('interface=', 'device=');
      between('node_net_received_bytes_total', shared!, 'node_network_receive_bytes_total', device);
      between('node_net_transmitted_packets_total', shared!, 'node_network_transmit_packets_total', device);
      const disk = [...(before.get('node_resources_disk_reads_total') ?? new Map()).keys()][0];
      expect(disk, 'a whole disk').toBeDefined();
      between('node_resources_disk_reads_total', disk!, 'node_disk_reads_completed_total', disk!);
      between('node_resources_disk_written_bytes_total', disk!, 'node_disk_written_bytes_total', disk!);
    } finally {
      await exporter.stop();
    }
  });
});

describe('interface metrics against iproute2 on this machine', () => {
  it('lists every address `ip -o addr` shows, and up as `ip -o link` says', async () => {
    let addrs: string;
    let links: string;
    try {
      addrs = execFileSync('ip', ['-o', 'addr'], { encoding: 'utf8' });
      links = execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' });
    } catch {
      if (!serviceGate('the ip command (iproute2)', false, 'apt-get install iproute2')) return;
      throw new Error('unreachable');
    }
    const page = parsePage(formatExposition(await collectNodeMetrics()));
    const ips = page.get('node_net_interface_ip') ?? new Map<string, number>();
    for (const line of addrs.split('\n').filter((l) => l.trim() !== '')) {
      const [, iface, , cidr] = line.split(/\s+/) as [string, string, string, string];
      const ip = cidr.split('/')[0]!;
      expect(ips.get(`interface="${iface}",ip="${ip}"`), line).toBe(1);
    }
    const up = page.get('node_net_interface_up') ?? new Map<string, number>();
    for (const line of links.split('\n').filter((l) => l.trim() !== '')) {
      const iface = line.split(':')[1]!.trim().split('@')[0]!;
      const flags = /<([^>]*)>/.exec(line)?.[1]?.split(',') ?? [];
      expect(up.get(`interface="${iface}"`), line).toBe(flags.includes('UP') ? 1 : 0);
    }
  });
});
