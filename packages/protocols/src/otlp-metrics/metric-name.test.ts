import { describe, expect, it } from 'vitest';
import { prometheusMetricName, prometheusUnit, type NamingKind } from './metric-name.ts';

interface NameCase {
  name: string;
  unit: string;
  kind: NamingKind;
  expected: string;
}

const gauge = (name: string, unit: string, expected: string): NameCase => ({
  name,
  unit,
  kind: 'gauge',
  expected,
});
const counter = (name: string, unit: string, expected: string): NameCase => ({
  name,
  unit,
  kind: 'monotonicCounter',
  expected,
});

// Expectations from the OTel compatibility spec's examples, prometheus/otlptranslator
// metric_namer_test.go and Prometheus's former otlptranslator/prometheus/metric_name_builder_test.go.
const WITH_SUFFIXES: readonly NameCase[] = [
  gauge('system.filesystem.usage', 'By', 'system_filesystem_usage_bytes'),
  counter('system.io', 'By', 'system_io_bytes_total'),
  counter('network_transmitted_bytes_total', 'By', 'network_transmitted_bytes_total'),
  gauge('\t system.filesystem.usage       ', '  By\t', 'system_filesystem_usage_bytes'),
  gauge('system.network.dropped', '{packets}', 'system_network_dropped'),
  gauge('system.network.dropped', 'nonstandard:_1', 'system_network_dropped_nonstandard:_1'),
  counter('system.network.dropped', '{packets}', 'system_network_dropped_total'),
  gauge('system.network.dropped', 'packets', 'system_network_dropped_packets'),
  gauge('system.network.packets.dropped', 'packets', 'system_network_packets_dropped'),
  gauge('system.network.packets', 'packets', 'system_network_packets'),
  counter('system.network.packets', 'packets', 'system_network_packets_total'),
  gauge('hw.gpu.memory.utilization', '1', 'hw_gpu_memory_utilization_ratio'),
  gauge('hw.fan.speed_ratio', '1', 'hw_fan_speed_ratio'),
  counter('objects', '1', 'objects_total'),
  gauge('hw.cpu.speed_limit', 'Hz', 'hw_cpu_speed_limit_hertz'),
  gauge('broken.metric.speed', 'km/h', 'broken_metric_speed_km_per_hour'),
  gauge('astro.light.speed_limit', 'm/s', 'astro_light_speed_limit_meters_per_second'),
  gauge('system.network.dropped', 'non/standard:_1', 'system_network_dropped_non_per_standard:_1'),
  gauge('broken.metric.speed', 'km/°', 'broken_metric_speed_km'),
  gauge('broken.metric.success_ratio', '%', 'broken_metric_success_ratio_percent'),
  gauge('broken.metric.success_percent', '%', 'broken_metric_success_percent'),
  gauge('test.metric.no_unit', '', 'test_metric_no_unit'),
  gauge('test.metric.spaces', '   \t  ', 'test_metric_spaces'),
  counter(
    'active_directory.ds.replication.sync.object.pending',
    '{objects}',
    'active_directory_ds_replication_sync_object_pending_total',
  ),
  gauge(
    'active_directory.ds.replication.object.rate',
    '{objects}/s',
    'active_directory_ds_replication_object_rate_per_second',
  ),
  gauge(
    'active_directory.ds.ldap.bind.last_successful.time',
    'ms',
    'active_directory_ds_ldap_bind_last_successful_time_milliseconds',
  ),
  gauge('apache.workers', 'connections', 'apache_workers_connections'),
  counter('bigip.virtual_server.request.count', '{requests}', 'bigip_virtual_server_request_count_total'),
  counter('system.disk.operation_time', 's', 'system_disk_operation_time_seconds_total'),
  gauge('system.cpu.load_average.15m', '1', 'system_cpu_load_average_15m_ratio'),
  gauge(
    'mongodbatlas.process.journaling.data_files',
    'MiBy',
    'mongodbatlas_process_journaling_data_files_mebibytes',
  ),
  gauge('mongodbatlas.process.oplog.rate', 'GiBy/h', 'mongodbatlas_process_oplog_rate_gibibytes_per_hour'),
  gauge(
    'mongodbatlas.process.db.query_targeting.scanned_per_returned',
    '{scanned}/{returned}',
    'mongodbatlas_process_db_query_targeting_scanned_per_returned',
  ),
  gauge('nsxt.node.memory.usage', 'KBy', 'nsxt_node_memory_usage_kilobytes'),
  gauge('redis.latest_fork', 'us', 'redis_latest_fork_microseconds'),
  gauge('3.14 digits', '', '_3_14_digits'),
  gauge('envoy__rule_engine_zlib_buf_error', '', 'envoy_rule_engine_zlib_buf_error'),
  gauge(':foo::bar', '', ':foo::bar'),
  counter(':foo::bar', '', ':foo::bar_total'),
  counter('system.io', 'foo/bar', 'system_io_foo_per_bar_total'),
  counter('metric_with_字符_foreign_characters', '', 'metric_with_foreign_characters_total'),
  gauge('requests', '1/s', 'requests_per_second'),
  gauge('custom_metric', 'By/{custom}', 'custom_metric_bytes'),
  gauge('response_time_seconds', 's', 'response_time_seconds'),
  gauge(
    'metric__with__multiple__underscores',
    'unit__multiple__underscores',
    'metric_with_multiple_underscores_unit_multiple_underscores',
  ),
  gauge('custom_metric', 'unit@with#special/chars', 'custom_metric_unit_with_special_per_chars'),
  gauge('metric', 'By/', 'metric_bytes'),
  gauge('metric', ' By / s ', 'metric_bytes_per_second'),
  gauge('metric', '/', 'metric'),
  gauge('capacity', 'TiBy', 'capacity_tibibytes'),
  gauge('temperature', 'Cel', 'temperature_celsius'),
  gauge('invoices', '1/mo', 'invoices_per_month'),
  {
    name: 'http.request.duration',
    unit: 'ms',
    kind: 'histogram',
    expected: 'http_request_duration_milliseconds',
  },
  { name: 'response_time', unit: 'ms', kind: 'summary', expected: 'response_time_milliseconds' },
  { name: 'active_connections', unit: '', kind: 'nonMonotonicCounter', expected: 'active_connections' },
  // Not a gauge, so unit "1" adds no _ratio.
  { name: 'queue.fill', unit: '1', kind: 'nonMonotonicCounter', expected: 'queue_fill' },
  // Receiver behaviour the spec's wording does not describe: a unit word anywhere prevents the
  // suffix; `total` moves to the end; `per_second` is appended even when already there.
  gauge('seconds.spent', 's', 'seconds_spent'),
  counter('total.requests', '', 'requests_total'),
  gauge('throughput_per_second', '1/s', 'throughput_per_second_per_second'),
];

const WITHOUT_SUFFIXES: readonly NameCase[] = [
  counter('system.io', 'By', 'system_io'),
  gauge('3.14 digits', 'By', '_3_14_digits'),
  gauge('envoy__rule_engine_zlib_buf_error', '', 'envoy__rule_engine_zlib_buf_error'),
  gauge(':foo::bar', '', ':foo::bar'),
  gauge('foo.bar', '1', 'foo_bar'),
  counter('metric_with_字符_foreign_characters', '', 'metric_with___foreign_characters'),
  gauge('metric@@##$$name', '', 'metric_name'),
  gauge('#test', '', 'test'),
  gauge('___', '', '___'),
];

describe('prometheusMetricName', () => {
  it.each(WITH_SUFFIXES)('names $kind $name with unit "$unit" $expected', (c) => {
    expect(prometheusMetricName(c.name, c.unit, c.kind, true)).toEqual({ name: c.expected });
  });

  it.each(WITHOUT_SUFFIXES)('without suffixes only escapes $name to $expected', (c) => {
    expect(prometheusMetricName(c.name, c.unit, c.kind, false)).toEqual({ name: c.expected });
  });

  it.each([
    { name: '', suffixes: true, error: 'metric name "" normalizes to an empty name' },
    { name: '@#$%', suffixes: true, error: 'metric name "@#$%" normalizes to an empty name' },
    { name: '___', suffixes: true, error: 'metric name "___" normalizes to an empty name' },
    {
      name: '@_#_$_%',
      suffixes: false,
      error: 'metric name "@_#_$_%" normalizes to "_____", which has only underscores',
    },
  ])('refuses $name when nothing valid remains (suffixes: $suffixes)', (c) => {
    expect(prometheusMetricName(c.name, '', 'gauge', c.suffixes)).toEqual({ error: c.error });
  });
});

describe('prometheusUnit', () => {
  it.each([
    ['ms', 'milliseconds'],
    ['By/s', 'bytes_per_second'],
    ['1/s', 'per_second'],
    ['1', ''],
    ['{packets}', ''],
    ['By/{custom}', 'bytes'],
    ['custom_unit', 'custom_unit'],
    ['unit@with#special/chars', 'unit_with_special_per_chars'],
    ['', ''],
  ])('turns UCUM unit "%s" into UNIT metadata "%s"', (unit, expected) => {
    expect(prometheusUnit(unit)).toBe(expected);
  });
});
