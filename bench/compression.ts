/**
 * Compression of Vigil's tables against the OpenTelemetry Collector ClickHouse exporter's
 * default DDL, on the same rows: generator spans, generator logs, and each Loghub sample (real
 * logs of eight systems) replicated to 1M lines over 24 h.
 *
 * Ratio = data_uncompressed_bytes / data_compressed_bytes of the table's active parts in
 * system.parts after OPTIMIZE … FINAL (column data only; each schema on its own uncompressed
 * size, which LowCardinality makes smaller in Vigil's). Also given: bytes on disk (marks, primary
 * and skip indexes included), Vigil/exporter bytes, and Vigil's ratio on the exporter's
 * uncompressed size (both schemas measured against the same base).
 * Goals: Vigil no larger than the exporter on every dataset; ≥ 12x on logs, ≥ 8x on spans.
 *
 * Run: npm run bench:compression -- [--rows N] [--lines N] [--only NAME] [--exact]
 * `--exact` also measures Loghub copies kept byte for byte (see lib/loghub.ts for why that
 * flatters both schemas). Writes bench/.out/compression.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { makeTempDir, SyntheticLogSource, SyntheticSpanSource } from '@vigil/testkit';
import type { LogRecord, SpanRecord } from '@vigil/protocols';
import { encodeLogsTsv, encodeSpansTsv, LOG_COLUMNS, openDatabase, SPAN_COLUMNS } from '@vigil/storage';
import { readLoghubSamples, LoghubSource } from './lib/loghub.ts';
import { measureDataset, type DatasetResult, type EncodedSource } from './lib/compression-measure.ts';
import { describeMachine, machineInfo } from './lib/machine-info.ts';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    lines: { type: 'string', default: '1000000' },
    only: { type: 'string' },
    exact: { type: 'boolean', default: false },
  },
});
const BATCH = 100_000;
const DAY_NS = 86_400_000_000_000n;
const GOALS = { logsRatio: 12, spansRatio: 8 };
const out = (line: string): void => void process.stdout.write(`${line}\n`);

function encoded<T>(source: { next(n: number): T[] }, encode: (batch: T[]) => Buffer): EncodedSource {
  return {
    next: () => {
      const batch = source.next(BATCH);
      return batch.length > 0 ? encode(batch) : undefined;
    },
  };
}

// The last 24 h, so Vigil's 7-day TTL keeps every row through the final merge.
const startNs = BigInt(Math.floor(Date.now() / 60_000) * 60_000) * 1_000_000n - DAY_NS;
const rows = Number(args.rows);
const lines = Number(args.lines);
type Job = { key: string; table: 'otel_traces' | 'otel_logs'; source: () => EncodedSource };
const spans = (): EncodedSource =>
  encoded<SpanRecord>(new SyntheticSpanSource(rows, 1, startNs, { rangeNs: DAY_NS }), encodeSpansTsv);
const logs = (): EncodedSource =>
  encoded<LogRecord>(new SyntheticLogSource(rows, 2, startNs, { rangeNs: DAY_NS }), encodeLogsTsv);
const jobs: Job[] = [
  { key: 'synthetic_spans', table: 'otel_traces', source: spans },
  { key: 'synthetic_logs', table: 'otel_logs', source: logs },
];
for (const sample of readLoghubSamples()) {
  for (const retime of args.exact ? [true, false] : [true]) {
    jobs.push({
      key: `loghub_${sample.name.toLowerCase()}${retime ? '' : '_exact'}`,
      table: 'otel_logs',
      source: () => encoded(new LoghubSource(sample, lines, startNs, DAY_NS, retime), encodeLogsTsv),
    });
  }
}

const machine = machineInfo();
out(`# compression: Vigil vs exporter default DDL on ${describeMachine(machine)}`);
const temp = makeTempDir('vigil-bench-compression-');
// Holds the embedded engine open while per-dataset databases come and go.
const anchor = await openDatabase({ dataDir: temp.dir, database: 'bench_compression' });
const results: DatasetResult[] = [];
const mb = (b: number): string => (b / 1e6).toFixed(1).padStart(7);
out(
  `${'dataset'.padEnd(24)} ${'rows'.padStart(9)}  ${'vigil'.padStart(7)} ${'export'.padStart(7)}  ` +
    `${'vigil MB'.padStart(8)} ${'exp MB'.padStart(7)}  ${'v/e'.padStart(5)} ${'disk v/e'.padStart(8)}  goals`,
);
for (const job of jobs.filter((j) => !args.only || j.key.includes(args.only))) {
  const columns = job.table === 'otel_traces' ? SPAN_COLUMNS : LOG_COLUMNS;
  const r = await measureDataset(temp.dir, job.key, job.table, columns, job.source());
  results.push(r);
  const goalRatio = job.table === 'otel_traces' ? GOALS.spansRatio : GOALS.logsRatio;
  const goals = [
    r.vigilToExporterBytes <= 1 ? 'smaller: met' : 'smaller: MISSED',
    `≥${goalRatio}x: ${r.vigil.ratio >= goalRatio ? 'met' : 'MISSED'}`,
  ].join(', ');
  out(
    `${job.key.padEnd(24)} ${String(r.rows).padStart(9)}  ${`${r.vigil.ratio}x`.padStart(7)} ${`${r.exporter.ratio}x`.padStart(7)}  ` +
      `${mb(r.vigil.compressedBytes).padStart(8)} ${mb(r.exporter.compressedBytes)}  ${r.vigilToExporterBytes.toFixed(2).padStart(5)} ` +
      `${r.vigilToExporterDiskBytes.toFixed(2).padStart(8)}  ${goals}`,
  );
}
await anchor.close();
temp.cleanup();

const report = {
  machine,
  ratioDefinition:
    'system.parts sum(data_uncompressed_bytes) / sum(data_compressed_bytes), active parts, after OPTIMIZE TABLE … FINAL; bytesOnDisk = sum(bytes_on_disk)',
  goals: GOALS,
  rows,
  loghubLines: lines,
  results,
};
mkdirSync(new URL('.out/', import.meta.url), { recursive: true });
writeFileSync(new URL('.out/compression.json', import.meta.url), JSON.stringify(report, null, 2));
out('wrote bench/.out/compression.json');
