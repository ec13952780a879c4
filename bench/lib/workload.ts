/**
 * The benchmark's data: deterministic synthetic records (from @vigil/testkit) cut into OTLP
 * request bodies. The engine-reference child process rebuilds the same records from the same
 * parameters, so both halves of a run insert the same rows.
 */
import { decodeLogsProtobuf, decodeTracesProtobuf, type LogRecord, type SpanRecord } from '@vigil/protocols';
import { LOG_COLUMNS, SPAN_COLUMNS } from '@vigil/storage';
import { syntheticLogs, syntheticSpans } from '@vigil/testkit';
import { encodeLogsRequest, encodeTracesRequest, ProtoWriter } from '@vigil/testkit';

export type Signal = 'traces' | 'logs';

/** What differs between the trace and the log benchmark. */
export interface SignalSpec {
  signal: Signal;
  /** Plural noun for reports. */
  items: string;
  path: '/v1/traces' | '/v1/logs';
  table: 'otel_traces' | 'otel_logs';
  columns: readonly string[];
  defaultItemsPerBody: number;
  /** Goal: server CPU-seconds per million items. */
  goalCpuSecondsPerMillion: number;
}

export const SIGNALS: Record<Signal, SignalSpec> = {
  traces: {
    signal: 'traces',
    items: 'spans',
    path: '/v1/traces',
    table: 'otel_traces',
    columns: SPAN_COLUMNS,
    defaultItemsPerBody: 1000,
    goalCpuSecondsPerMillion: 20,
  },
  logs: {
    signal: 'logs',
    items: 'log records',
    path: '/v1/logs',
    table: 'otel_logs',
    columns: LOG_COLUMNS,
    defaultItemsPerBody: 2000,
    goalCpuSecondsPerMillion: 10,
  },
};

/** How the records are made; enough for another process to make the same ones. */
export interface WorkloadParams {
  signal: Signal;
  bodies: number;
  itemsPerBody: number;
  seed: number;
  /** Decimal string (JSON has no bigint). */
  startNs: string;
}

/**
 * Timestamps 90-30 minutes ago (the generator spreads records over about an hour): well inside
 * the TTL and far from the server's future-skew limit.
 */
export function workloadParams(signal: Signal, bodies: number, itemsPerBody: number): WorkloadParams {
  const startNs = (BigInt(Date.now() - 90 * 60_000) * 1_000_000n).toString();
  return { signal, bodies, itemsPerBody, seed: signal === 'traces' ? 1 : 2, startNs };
}

export function makeRecords(p: WorkloadParams): SpanRecord[] | LogRecord[] {
  const count = p.bodies * p.itemsPerBody;
  return p.signal === 'traces'
    ? syntheticSpans(count, p.seed, BigInt(p.startNs))
    : syntheticLogs(count, p.seed, BigInt(p.startNs));
}

/** Cuts records into consecutive bodies of `itemsPerBody` and encodes each as OTLP/protobuf. */
export function encodeBodies(
  signal: Signal,
  records: readonly (SpanRecord | LogRecord)[],
  itemsPerBody: number,
): Buffer[] {
  const writer = new ProtoWriter();
  const bodies: Buffer[] = [];
  for (let i = 0; i < records.length; i += itemsPerBody) {
    const slice = records.slice(i, i + itemsPerBody);
    bodies.push(
      signal === 'traces'
        ? encodeTracesRequest(slice as SpanRecord[], writer)
        : encodeLogsRequest(slice as LogRecord[], writer),
    );
  }
  return bodies;
}

/** JSON with sorted keys and bigints as strings, so equal records give equal text. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return v.toString();
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
      );
    }
    return v;
  });
}

/**
 * Decodes every `every`-th body with the server's own decoder and compares it with the records
 * it was made from (as multisets: grouping by resource reorders them). Throws on any difference,
 * because a benchmark of an encoder bug measures nothing.
 */
export function checkRoundTrip(
  signal: Signal,
  records: readonly (SpanRecord | LogRecord)[],
  bodies: readonly Buffer[],
  itemsPerBody: number,
  every = 10,
): number {
  let checked = 0;
  for (let b = 0; b < bodies.length; b += every) {
    const decoded = signal === 'traces' ? decodeTracesProtobuf(bodies[b]!) : decodeLogsProtobuf(bodies[b]!);
    const want = records
      .slice(b * itemsPerBody, (b + 1) * itemsPerBody)
      .map(canonical)
      .sort();
    const got = decoded.map(canonical).sort();
    const at = want.findIndex((w, i) => w !== got[i]);
    if (got.length !== want.length || at >= 0) {
      throw new Error(
        `OTLP encoder round trip failed in body ${b}: ${got.length} records decoded, ${want.length} encoded` +
          (at >= 0 ? `\n  encoded ${want[at]}\n  decoded ${got[at]}` : ''),
      );
    }
    checked++;
  }
  return checked;
}
