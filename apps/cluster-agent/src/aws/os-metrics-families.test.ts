import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseOsMetrics } from './enhanced-monitoring.ts';
import { osMetricsFamilies } from './os-metrics-families.ts';

const recorded = readFileSync(new URL('./testdata/rds-os-metrics-shop-db.json', import.meta.url), 'utf8');
const series = (doc: string) =>
  osMetricsFamilies(new Map([['eu-west-1/db', parseOsMetrics(doc)]])).flatMap((f) =>
    f.samples.map((s) => {
      const { rds_instance_id: _id, ...labels } = s.labels;
      return `${f.name}${JSON.stringify(labels)} ${s.value}`;
    }),
  );

describe('Enhanced Monitoring documents as series', () => {
  it('reads the recorded RDS for PostgreSQL document', () => {
    const out = series(recorded);
    expect(out).toContain('aws_rds_cpu_usage_percent{"mode":"system"} 3.41');
    expect(out).toContain('aws_rds_load_average{"period":"15m"} 0.66');
    expect(out).toContain(`aws_rds_memory_cached_bytes{} ${5212344 * 1024}`);
    expect(out).toContain(`aws_rds_fs_total_bytes{"mount_point":"/rdsdbdata"} ${103053020 * 1024}`);
    expect(out).toContain(
      `aws_rds_io_bytes_per_second{"device":"nvme1n1","operation":"write"} ${1534.4 * 1024}`,
    );
    expect(out).toContain('aws_rds_io_util_percent{"device":"nvme1n1"} 4.1');
    expect(out).toContain('aws_rds_net_tx_bytes_per_second{"interface":"eth0"} 4217790.5');
    // Idle is not a mode of usage; rdsdev (an aggregate of the physical devices) is not a device.
    expect(out.filter((s) => s.includes('"idle"') || s.includes('rdsdev'))).toEqual([]);
  });

  it("reads Aurora's cluster volume, which has no device, as aurora-data", () => {
    const aurora = JSON.stringify({
      engine: 'Aurora',
      numVCPUs: 4,
      diskIO: [
        {
          readLatency: 0.82,
          writeLatency: 1.95,
          writeThroughput: 31205.4,
          readThroughput: 1204.1,
          readIOsPS: 3.2,
          writeIOsPS: 41.7,
          diskQueueDepth: 0.3,
        },
        { device: 'rdstemp', readIOsPS: 0, writeIOsPS: 0.4, await: 0.9, util: 0.1 },
      ],
    });
    expect(series(aurora)).toEqual([
      'aws_rds_cpu_cores{} 4',
      'aws_rds_io_ops_per_second{"device":"aurora-data","operation":"read"} 3.2',
      'aws_rds_io_ops_per_second{"device":"aurora-data","operation":"write"} 41.7',
      'aws_rds_io_latency_seconds{"device":"aurora-data","operation":"read"} 0.00082',
      'aws_rds_io_latency_seconds{"device":"aurora-data","operation":"write"} 0.00195',
    ]);
  });

  it('keeps what it can read from a document with odd fields', () => {
    const odd = JSON.stringify({ numVCPUs: 'two', memory: { total: 1024, free: null }, network: 'eth0' });
    expect(series(odd)).toEqual([`aws_rds_memory_total_bytes{} ${1024 * 1024}`]);
  });

  it('refuses what is not a document', () => {
    expect(() => parseOsMetrics('{"numVCPUs": 2')).toThrow(/not JSON/);
    expect(() => parseOsMetrics('[1,2]')).toThrow(/not an object/);
  });
});
