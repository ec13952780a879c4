import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpanRecord } from '@vigil/protocols';
import type { SpanView, TraceSearchQuery } from '@vigil/spec';
import { encodeSpansJson, SPAN_COLUMNS } from './encode/spans.ts';
import { sql } from './sql.ts';
import { TraceStore } from './trace-store.ts';
import { nsAt, openTestDatabase, type TestDatabase } from './testing/test-database.ts';

const NOW = Date.now();
const MIN = 60_000;
const TRICKY = 'quote \' double " back\\slash\nnewline\ttab ünïcödé 日本 🎉 {p0:String}';

const resource = { 'service.name': 'frontend', 'k8s.pod.name': 'fe-1' };
const trickyResource = { 'service.name': 'frontend', [TRICKY]: TRICKY };
const paymentResource = { 'service.name': 'payment', region: 'eu-west-1' };

function span(overrides: Partial<SpanRecord> & Pick<SpanRecord, 'traceId' | 'spanId'>): SpanRecord {
  return {
    parentSpanId: '',
    traceState: '',
    name: 'op',
    kind: 'Internal',
    startTimeUnixNano: nsAt(NOW - 10 * MIN),
    durationNs: 1_000_000,
    statusCode: 'Unset',
    statusMessage: '',
    serviceName: 'frontend',
    resourceAttributes: resource,
    scopeName: '',
    scopeVersion: '',
    attributes: {},
    events: [],
    links: [],
    ...overrides,
  };
}

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const C = 'c'.repeat(32);
const D = 'd'.repeat(32);
const J = 'e'.repeat(32);

// Trace A: frontend root (300 ms) → payment error span (250 ms), ten minutes ago.
const aRoot = span({
  traceId: A,
  spanId: 'a000000000000001',
  traceState: 'vendor=1,other=2',
  name: 'GET /checkout',
  kind: 'Server',
  startTimeUnixNano: nsAt(NOW - 10 * MIN, 123_456),
  durationNs: 300_000_000,
  scopeName: '@opentelemetry/instrumentation-http',
  scopeVersion: '0.41.0',
  resourceAttributes: trickyResource,
  attributes: { 'http.route': '/checkout', note: TRICKY, empty: '' },
  events: [
    { timeUnixNano: nsAt(NOW - 10 * MIN, 999_999), name: 'cache miss', attributes: { key: TRICKY } },
    { timeUnixNano: nsAt(NOW - 10 * MIN + 1, 1), name: TRICKY, attributes: {} },
  ],
  links: [{ traceId: C, spanId: 'c000000000000001', traceState: 'x=y', attributes: { why: 'retry' } }],
});
const aPayment = span({
  traceId: A,
  spanId: 'a000000000000002',
  parentSpanId: 'a000000000000001',
  name: 'charge card',
  kind: 'Client',
  serviceName: 'payment',
  resourceAttributes: paymentResource,
  startTimeUnixNano: nsAt(NOW - 10 * MIN + 20, 7),
  durationNs: 250_000_000,
  statusCode: 'Error',
  statusMessage: `card declined: ${TRICKY}`,
  attributes: { 'http.status_code': '500' },
});
// Trace B: two cart spans whose parent never arrived (no root), five minutes ago, 5 ms.
const b1 = span({
  traceId: B,
  spanId: 'b000000000000001',
  parentSpanId: 'ffffffffffffffff',
  name: 'load cart',
  serviceName: 'cart',
  startTimeUnixNano: nsAt(NOW - 5 * MIN),
  durationNs: 5_000_000,
  statusCode: 'Ok',
});
const b2 = span({
  traceId: B,
  spanId: 'b000000000000002',
  parentSpanId: 'b000000000000001',
  name: 'redis GET',
  serviceName: 'cart',
  startTimeUnixNano: nsAt(NOW - 5 * MIN + 1),
  durationNs: 2_000_000,
});
// Trace C: three hours ago, outside the default search window.
const c1 = span({
  traceId: C,
  spanId: 'c000000000000001',
  name: 'old',
  startTimeUnixNano: nsAt(NOW - 180 * MIN),
});
// Trace D: root starts 2 min before the window opens, a child falls inside it.
const dRoot = span({
  traceId: D,
  spanId: 'd000000000000001',
  name: 'batch job',
  serviceName: 'worker',
  startTimeUnixNano: nsAt(NOW - 62 * MIN),
  durationNs: 180_000_000_000,
});
const dChild = span({
  traceId: D,
  spanId: 'd000000000000002',
  parentSpanId: 'd000000000000001',
  name: 'step',
  serviceName: 'worker',
  startTimeUnixNano: nsAt(NOW - 59 * MIN),
  durationNs: 1_000_000,
});

const ALL = [aRoot, aPayment, b1, b2, c1, dRoot, dChild];

function query(overrides: Partial<TraceSearchQuery> = {}): TraceSearchQuery {
  return { fromMs: NOW - 60 * MIN, toMs: NOW, attributes: {}, limit: 20, ...overrides };
}

function expectedView(s: SpanRecord): SpanView {
  return {
    spanId: s.spanId,
    parentSpanId: s.parentSpanId,
    serviceName: s.serviceName,
    name: s.name,
    kind: s.kind,
    startTimeUnixNano: s.startTimeUnixNano.toString(),
    durationNs: s.durationNs,
    statusCode: s.statusCode,
    statusMessage: s.statusMessage,
    attributes: s.attributes,
    resourceAttributes: s.resourceAttributes,
    events: s.events.map((e) => ({
      timeUnixNano: e.timeUnixNano.toString(),
      name: e.name,
      attributes: e.attributes,
    })),
  };
}

describe('TraceStore', () => {
  let t: TestDatabase;
  let store: TraceStore;
  beforeAll(async () => {
    t = await openTestDatabase();
    store = new TraceStore(t.db);
    expect(await store.insert(ALL)).toEqual({ kind: 'ok' });
  });
  afterAll(() => t.cleanup());

  const ids = async (q: Partial<TraceSearchQuery>): Promise<string[]> =>
    (await store.search(query(q))).map((s) => s.traceId);

  it('reads a trace back with every field exact: unicode, quotes, newlines, nanoseconds, events', async () => {
    const trace = await store.getTrace(A);
    expect(trace).toEqual({ traceId: A, spans: [expectedView(aRoot), expectedView(aPayment)] });
  });

  it('stores trace state and links as written', async () => {
    const rows = await t.db.query<Record<string, unknown>>(sql`
      SELECT TraceState, Links.TraceId AS lt, Links.SpanId AS ls, Links.TraceState AS lst, Links.Attributes AS la,
             ScopeName, ScopeVersion
      FROM ${t.db.table('otel_traces')} WHERE SpanId = ${aRoot.spanId}`);
    expect(rows).toEqual([
      {
        TraceState: 'vendor=1,other=2',
        lt: [C],
        ls: ['c000000000000001'],
        lst: ['x=y'],
        la: [{ why: 'retry' }],
        ScopeName: '@opentelemetry/instrumentation-http',
        ScopeVersion: '0.41.0',
      },
    ]);
  });

  it('returns null for a trace it never saw, and finds one given in upper case', async () => {
    expect(await store.getTrace('0'.repeat(31) + '1')).toBeNull();
    expect((await store.getTrace(B.toUpperCase()))?.spans.map((s) => s.spanId)).toEqual([
      b1.spanId,
      b2.spanId,
    ]);
  });

  it('fills the TraceId → (Start, End) lookup table through the materialized view', async () => {
    const rows = await t.db.query<{ TraceId: string; s: number; e: number }>(sql`
      SELECT TraceId, toUnixTimestamp(min(Start)) AS s, toUnixTimestamp(max(End)) AS e
      FROM ${t.db.table('otel_traces_trace_id_ts')} WHERE TraceId IN ${[A, D]} GROUP BY TraceId ORDER BY TraceId`);
    expect(rows).toEqual([
      { TraceId: A, s: Math.floor((NOW - 10 * MIN) / 1000), e: Math.floor((NOW - 10 * MIN + 20) / 1000) },
      { TraceId: D, s: Math.floor((NOW - 62 * MIN) / 1000), e: Math.floor((NOW - 59 * MIN) / 1000) },
    ]);
  });

  it('summarizes matching traces newest first, with root, whole-trace duration and span count', async () => {
    const found = await store.search(query());
    expect(found).toEqual([
      {
        traceId: B,
        rootServiceName: 'cart',
        rootSpanName: 'load cart',
        startTimeUnixNano: b1.startTimeUnixNano.toString(),
        durationNs: 5_000_000,
        spanCount: 2,
        hasError: false,
      },
      {
        traceId: A,
        rootServiceName: 'frontend',
        rootSpanName: 'GET /checkout',
        startTimeUnixNano: aRoot.startTimeUnixNano.toString(),
        durationNs: 300_000_000,
        spanCount: 2,
        hasError: true,
      },
      // D matched through its child, but the summary covers the root outside the window too.
      {
        traceId: D,
        rootServiceName: 'worker',
        rootSpanName: 'batch job',
        startTimeUnixNano: dRoot.startTimeUnixNano.toString(),
        durationNs: 180_001_000_000,
        spanCount: 2,
        hasError: false,
      },
    ]);
  });

  it('keeps traces outside the time window out', async () => {
    expect(await ids({})).not.toContain(C);
    expect(await ids({ fromMs: NOW - 200 * MIN, toMs: NOW - 170 * MIN })).toEqual([C]);
  });

  it('filters by service', async () => {
    expect(await ids({ service: 'payment' })).toEqual([A]);
    expect(await ids({ service: 'cart' })).toEqual([B]);
    expect(await ids({ service: 'nobody' })).toEqual([]);
  });

  it('filters by span name', async () => {
    expect(await ids({ spanName: 'redis GET' })).toEqual([B]);
    expect(await ids({ spanName: 'redis' })).toEqual([]);
  });

  it('filters by the duration of the matching span', async () => {
    expect(await ids({ minDurationMs: 200 })).toEqual([A]);
    expect(await ids({ minDurationMs: 260 })).toEqual([A]);
    expect(await ids({ minDurationMs: 260, service: 'payment' })).toEqual([]);
    expect(await ids({ maxDurationMs: 3 })).toEqual([B, D]);
    expect(await ids({ minDurationMs: 4, maxDurationMs: 6 })).toEqual([B]);
  });

  it('filters by status: error needs an error span, ok needs none', async () => {
    expect(await ids({ status: 'error' })).toEqual([A]);
    expect(await ids({ status: 'ok' })).toEqual([B, D]);
    expect(await ids({ status: 'error', service: 'frontend' })).toEqual([]);
  });

  it('filters by span or resource attribute equality', async () => {
    expect(await ids({ attributes: { 'http.status_code': '500' } })).toEqual([A]);
    expect(await ids({ attributes: { region: 'eu-west-1' } })).toEqual([A]);
    expect(await ids({ attributes: { [TRICKY]: TRICKY } })).toEqual([A]);
    expect(await ids({ attributes: { note: TRICKY } })).toEqual([A]);
    expect(await ids({ attributes: { 'http.status_code': '200' } })).toEqual([]);
    expect(await ids({ attributes: { region: 'eu-west-1', 'http.status_code': '500' } })).toEqual([A]);
    // An empty value matches a key present with '' only, never a missing key.
    expect(await ids({ attributes: { empty: '' } })).toEqual([A]);
    expect(await ids({ attributes: { absent: '' } })).toEqual([]);
  });

  it('honours the limit, keeping the newest traces', async () => {
    expect(await ids({ limit: 1 })).toEqual([B]);
  });

  it('treats the window as [from, to) to the nanosecond', async () => {
    const fromMs = NOW - 300 * MIN;
    const toMs = fromMs + MIN;
    const atFrom = span({
      traceId: '1'.repeat(32),
      spanId: '1000000000000001',
      startTimeUnixNano: nsAt(fromMs),
    });
    const beforeTo = span({
      traceId: '2'.repeat(32),
      spanId: '2000000000000001',
      startTimeUnixNano: nsAt(toMs) - 1n,
    });
    const atTo = span({ traceId: '3'.repeat(32), spanId: '3000000000000001', startTimeUnixNano: nsAt(toMs) });
    const beforeFrom = span({
      traceId: '4'.repeat(32),
      spanId: '4000000000000001',
      startTimeUnixNano: nsAt(fromMs) - 1n,
    });
    expect(await store.insert([atFrom, beforeTo, atTo, beforeFrom])).toEqual({ kind: 'ok' });
    expect(await ids({ fromMs, toMs })).toEqual(['2'.repeat(32), '1'.repeat(32)]);
  });

  it('finds a trace written in its own insert within the same second as another', async () => {
    // Regression: the lookup window is whole seconds; part pruning must not round it away.
    const wholeSecondMs = Math.floor((NOW - 20 * MIN) / 1000) * 1000;
    const startNs = nsAt(wholeSecondMs, 900_000_000 - 1); // x.899999999 and x.9: one second

    const first = span({ traceId: '5'.repeat(32), spanId: '5000000000000001', startTimeUnixNano: startNs });
    const second = span({
      traceId: '6'.repeat(32),
      spanId: '6000000000000001',
      startTimeUnixNano: startNs + 1n,
    });
    await store.insert([first]);
    await store.insert([second]);
    expect((await store.getTrace('6'.repeat(32)))?.spans).toEqual([expectedView(second)]);
    expect((await store.getTrace('5'.repeat(32)))?.spans).toEqual([expectedView(first)]);
  });

  it('returns nothing for an empty or inverted window', async () => {
    expect(await store.search(query({ fromMs: NOW, toMs: NOW }))).toEqual([]);
  });

  it('stores the same values through the JSONEachRow encoder as through TSV', async () => {
    const copy = [aRoot, aPayment].map((s) => ({ ...s, traceId: J }));
    await t.db.insertRaw('otel_traces', SPAN_COLUMNS, 'JSONEachRow', encodeSpansJson(copy));
    const original = await store.getTrace(A);
    expect(await store.getTrace(J)).toEqual({ ...original, traceId: J });
  });
});
