import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogRecord } from '@vigil/protocols';
import type { LogSearchQuery, LogView } from '@vigil/spec';
import { encodeLogsJson, LOG_COLUMNS } from './encode/logs.ts';
import { LogStore } from './log-store.ts';
import { listServices } from './services.ts';
import { sql } from './sql.ts';
import { TraceStore } from './trace-store.ts';
import { nsAt, openTestDatabase, type TestDatabase } from './testing/test-database.ts';

const MIN = 60_000;
// A multiple of ten minutes, so epoch-aligned histogram buckets line up with the records below.
const NOW = Math.floor(Date.now() / (10 * MIN)) * 10 * MIN;
const TRICKY = 'quote \' double " back\\slash\nnewline\ttab\r ünïcödé 日本 🎉 {p0:String}';
const TRACE = '0af7651916cd43dd8448eb211c80319c';

const resource = { 'service.name': 'api', 'k8s.pod.name': 'api-1' };
const scope = { 'scope.attr': 'x' };

function log(overrides: Partial<LogRecord> & Pick<LogRecord, 'body'>): LogRecord {
  return {
    timeUnixNano: nsAt(NOW - 10 * MIN),
    traceId: '',
    spanId: '',
    traceFlags: 0,
    severityText: 'INFO',
    severityNumber: 9,
    serviceName: 'api',
    resourceSchemaUrl: 'https://opentelemetry.io/schemas/1.21.0',
    resourceAttributes: resource,
    scopeSchemaUrl: '',
    scopeName: 'app',
    scopeVersion: '1.0',
    scopeAttributes: scope,
    attributes: {},
    eventName: '',
    ...overrides,
  };
}

const failed = log({
  body: 'Payment FAILED for order 42',
  severityText: 'ERROR',
  severityNumber: 17,
  timeUnixNano: nsAt(NOW - 9 * MIN, 1),
  traceId: TRACE,
  spanId: 'b7ad6b7169203331',
  traceFlags: 1,
});
const fail = log({
  body: 'fail: retry budget exhausted',
  severityText: 'warn',
  severityNumber: 13,
  timeUnixNano: nsAt(NOW - 8 * MIN, 2),
  attributes: { 'http.status_code': '503' },
});
const tricky = log({
  body: TRICKY,
  timeUnixNano: nsAt(NOW - 7 * MIN, 123_456_789),
  attributes: { [TRICKY]: TRICKY, empty: '' },
  eventName: 'user.login',
});
const numberOnly = log({
  body: 'disk almost full',
  severityText: '',
  severityNumber: 18,
  serviceName: 'worker',
  resourceAttributes: { 'service.name': 'worker', region: 'eu' },
  timeUnixNano: nsAt(NOW - 6 * MIN),
});
const textOnly = log({
  body: 'cache warmed',
  severityText: 'Warning',
  severityNumber: 0,
  serviceName: 'worker',
  timeUnixNano: nsAt(NOW - 5 * MIN),
});
const old = log({
  body: 'payment failed long ago',
  severityText: 'ERROR',
  severityNumber: 17,
  timeUnixNano: nsAt(NOW - 120 * MIN),
});

const ALL = [failed, fail, tricky, numberOnly, textOnly, old];

function query(overrides: Partial<LogSearchQuery> = {}): LogSearchQuery {
  return { fromMs: NOW - 60 * MIN, toMs: NOW, attributes: {}, limit: 100, ...overrides };
}

function view(r: LogRecord): LogView {
  return {
    timestampUnixNano: r.timeUnixNano.toString(),
    serviceName: r.serviceName,
    severityText: r.severityText,
    severityNumber: r.severityNumber,
    body: r.body,
    traceId: r.traceId,
    spanId: r.spanId,
    attributes: r.attributes,
    resourceAttributes: r.resourceAttributes,
  };
}

describe('LogStore', () => {
  let t: TestDatabase;
  let store: LogStore;
  beforeAll(async () => {
    t = await openTestDatabase();
    store = new LogStore(t.db);
    expect(await store.insert(ALL)).toEqual({ kind: 'ok' });
  });
  afterAll(() => t.cleanup());

  const bodies = async (q: Partial<LogSearchQuery>): Promise<string[]> =>
    (await store.search(query(q))).map((r) => r.body);

  it('returns records newest first with every field exact', async () => {
    expect(await store.search(query())).toEqual([textOnly, numberOnly, tricky, fail, failed].map(view));
  });

  it('stores the columns the API does not return as written', async () => {
    const [row] = await t.db.query<Record<string, unknown>>(sql`
      SELECT TraceFlags, ResourceSchemaUrl, ScopeName, ScopeVersion, ScopeAttributes, EventName,
             \`__otel_materialized_k8s.pod.name\` AS pod
      FROM ${t.db.table('otel_logs')} WHERE Body = ${TRICKY}`);
    expect(row).toEqual({
      TraceFlags: 0,
      ResourceSchemaUrl: 'https://opentelemetry.io/schemas/1.21.0',
      ScopeName: 'app',
      ScopeVersion: '1.0',
      ScopeAttributes: scope,
      EventName: 'user.login',
      pod: 'api-1',
    });
  });

  it('matches whole tokens only, case-insensitively', async () => {
    expect(await bodies({ search: 'fail' })).toEqual([fail.body]);
    expect(await bodies({ search: 'FAILED' })).toEqual([failed.body]);
    expect(await bodies({ search: 'fai' })).toEqual([]);
  });

  it('requires every token of the search text', async () => {
    expect(await bodies({ search: 'payment order' })).toEqual([failed.body]);
    expect(await bodies({ search: 'payment retry' })).toEqual([]);
    expect(await bodies({ search: 'retry-budget' })).toEqual([fail.body]);
  });

  it('finds tokens next to quotes, backslashes and non-ASCII text', async () => {
    expect(await bodies({ search: 'backslash' })).toEqual([]);
    expect(await bodies({ search: 'back slash' })).toEqual([tricky.body]);
    expect(await bodies({ search: 'ünïcödé' })).toEqual([tricky.body]);
    expect(await bodies({ search: '🎉' })).toEqual([tricky.body]);
  });

  it('ignores search text without any token', async () => {
    expect(await bodies({ search: ' !? ' })).toHaveLength(5);
  });

  it('uses the token index on lower(Body)', async () => {
    const plan = await t.db.query<{ explain: string }>(sql`EXPLAIN indexes = 1
      SELECT count() FROM ${t.db.table('otel_logs')} WHERE hasToken(lower(Body), ${'payment'})`);
    expect(plan.map((p) => p.explain).join('\n')).toMatch(/Name: idx_lower_body/);
  });

  it('matches severity by text, case-insensitively, or by the level number range', async () => {
    expect(await bodies({ severity: 'error' })).toEqual([numberOnly.body, failed.body]);
    expect(await bodies({ severity: 'WARN' })).toEqual([fail.body]);
    expect(await bodies({ severity: 'warning' })).toEqual([textOnly.body, fail.body]);
    expect(await bodies({ severity: 'info' })).toEqual([tricky.body]);
    expect(await bodies({ severity: 'fatal' })).toEqual([]);
  });

  it('filters by service and by trace id', async () => {
    expect(await bodies({ service: 'worker' })).toEqual([textOnly.body, numberOnly.body]);
    expect(await bodies({ service: 'nope' })).toEqual([]);
    expect(await bodies({ traceId: TRACE.toUpperCase() })).toEqual([failed.body]);
    expect(await bodies({ traceId: 'f'.repeat(32) })).toEqual([]);
  });

  it('filters by log or resource attribute equality', async () => {
    expect(await bodies({ attributes: { 'http.status_code': '503' } })).toEqual([fail.body]);
    expect(await bodies({ attributes: { region: 'eu' } })).toEqual([numberOnly.body]);
    expect(await bodies({ attributes: { [TRICKY]: TRICKY } })).toEqual([tricky.body]);
    expect(await bodies({ attributes: { 'http.status_code': '500' } })).toEqual([]);
    expect(await bodies({ attributes: { empty: '' } })).toEqual([tricky.body]);
    expect(await bodies({ attributes: { absent: '' } })).toEqual([]);
  });

  it('keeps records outside the window out and honours the limit', async () => {
    expect(await bodies({ search: 'long ago' })).toEqual([]);
    expect(await bodies({ search: 'long ago', fromMs: NOW - 180 * MIN })).toEqual([old.body]);
    expect(await bodies({ limit: 2 })).toEqual([textOnly.body, numberOnly.body]);
  });

  it('counts per bucket and normalised severity, with every bucket of the range present', async () => {
    const histogram = await store.histogram(query({ fromMs: NOW - 10 * MIN, toMs: NOW - 4 * MIN }), 2 * MIN);
    expect(histogram).toEqual({
      stepMs: 2 * MIN,
      buckets: [
        { timeMs: NOW - 10 * MIN, counts: { error: 1 } },
        { timeMs: NOW - 8 * MIN, counts: { warn: 1, info: 1 } },
        // No severity text: counted by its number (18 → error). Text wins when present.
        { timeMs: NOW - 6 * MIN, counts: { error: 1, warning: 1 } },
      ],
    });
  });

  it('applies the search filters to the histogram and refuses a step that is too fine', async () => {
    const histogram = await store.histogram(query({ search: 'payment' }), 60 * MIN);
    expect(histogram.buckets.reduce((n, b) => n + (b.counts.error ?? 0), 0)).toBe(1);
    await expect(store.histogram(query(), 1)).rejects.toMatchObject({ code: 'bad_request' });
    await expect(store.histogram(query(), 0)).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('lists services seen in spans or logs with their newest timestamp', async () => {
    await new TraceStore(t.db).insert([
      {
        traceId: TRACE,
        spanId: 'b7ad6b7169203331',
        parentSpanId: '',
        traceState: '',
        name: 'GET /',
        kind: 'Server',
        startTimeUnixNano: nsAt(NOW - 3 * MIN),
        durationNs: 1,
        statusCode: 'Unset',
        statusMessage: '',
        serviceName: 'api',
        resourceAttributes: resource,
        scopeName: '',
        scopeVersion: '',
        attributes: {},
        events: [],
        links: [],
      },
    ]);
    expect(await listServices(t.db, NOW - 60 * MIN, NOW)).toEqual([
      { name: 'api', lastSeenMs: NOW - 3 * MIN, signals: ['traces', 'logs'] },
      { name: 'worker', lastSeenMs: NOW - 5 * MIN, signals: ['logs'] },
    ]);
    expect(await listServices(t.db, NOW - 4 * MIN, NOW)).toEqual([
      { name: 'api', lastSeenMs: NOW - 3 * MIN, signals: ['traces'] },
    ]);
  });

  it('stores the same values through the JSONEachRow encoder as through TSV', async () => {
    const copy = { ...tricky, serviceName: 'json-copy' };
    await t.db.insertRaw('otel_logs', LOG_COLUMNS, 'JSONEachRow', encodeLogsJson([copy]));
    expect(await store.search(query({ service: 'json-copy' }))).toEqual([view(copy)]);
  });
});
