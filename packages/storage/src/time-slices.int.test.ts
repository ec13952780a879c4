import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogRecord, SpanRecord } from '@vigil/protocols';
import { LogStore } from './log-store.ts';
import { nsAt, openTestDatabase, type TestDatabase } from './testing/test-database.ts';
import { newestFirstSlices, RECENT_SLICE_MS } from './time-slices.ts';
import { TraceStore } from './trace-store.ts';

const NOW = Date.now();
const MIN = 60_000;
const resource = { 'service.name': 'slices' };

const span = (traceId: string, spanId: string, atMs: number): SpanRecord => ({
  traceId,
  spanId,
  parentSpanId: '',
  traceState: '',
  name: 'op',
  kind: 'Server',
  startTimeUnixNano: nsAt(atMs),
  durationNs: 1_000,
  statusCode: 'Unset',
  statusMessage: '',
  serviceName: 'slices',
  resourceAttributes: resource,
  scopeName: '',
  scopeVersion: '',
  attributes: {},
  events: [],
  links: [],
});

const log = (body: string, atMs: number): LogRecord => ({
  timeUnixNano: nsAt(atMs),
  traceId: '',
  spanId: '',
  traceFlags: 0,
  severityText: 'INFO',
  severityNumber: 9,
  serviceName: 'slices',
  body,
  resourceSchemaUrl: '',
  resourceAttributes: resource,
  scopeSchemaUrl: '',
  scopeName: '',
  scopeVersion: '',
  scopeAttributes: {},
  attributes: {},
  eventName: '',
});

let t: TestDatabase;
let traces: TraceStore;
let logs: LogStore;
// Trace R is recent, O is three hours old, X crosses the one-hour boundary (spans on both sides).
const R = '1'.repeat(32);
const O = '2'.repeat(32);
const X = '3'.repeat(32);

beforeAll(async () => {
  t = await openTestDatabase();
  traces = new TraceStore(t.db);
  logs = new LogStore(t.db);
  const inserted = await traces.insert([
    span(R, '1000000000000001', NOW - 10 * MIN),
    span(O, '2000000000000001', NOW - 180 * MIN),
    span(X, '3000000000000001', NOW - 30 * MIN),
    span(X, '3000000000000002', NOW - 90 * MIN),
  ]);
  expect(inserted.kind).toBe('ok');
  const logged = await logs.insert([
    log('newest', NOW - 5 * MIN),
    log('middle', NOW - 50 * MIN),
    log('oldest', NOW - 300 * MIN),
  ]);
  expect(logged.kind).toBe('ok');
});
afterAll(async () => {
  await t?.cleanup();
});

const day = { fromMs: NOW - 1440 * MIN, toMs: NOW, attributes: {} };

describe('newest-first time slices', () => {
  it('split a long range into the newest hour and the rest, and leave a short one whole', () => {
    expect(newestFirstSlices(0, 10 * RECENT_SLICE_MS)).toEqual([
      { fromMs: 9 * RECENT_SLICE_MS, toMs: 10 * RECENT_SLICE_MS },
      { fromMs: 0, toMs: 9 * RECENT_SLICE_MS },
    ]);
    expect(newestFirstSlices(0, RECENT_SLICE_MS)).toEqual([{ fromMs: 0, toMs: RECENT_SLICE_MS }]);
  });

  it('give log pages equal to one query over the whole range, newest first', async () => {
    const bodies = async (limit: number) =>
      (await logs.search({ ...day, service: 'slices', limit })).map((l) => l.body);
    expect(await bodies(1)).toEqual(['newest']);
    expect(await bodies(2)).toEqual(['newest', 'middle']);
    expect(await bodies(3)).toEqual(['newest', 'middle', 'oldest']);
    expect(await bodies(100)).toEqual(['newest', 'middle', 'oldest']);
  });

  it('list a trace that matches on both sides of the boundary once, with all its spans', async () => {
    const found = await traces.search({ ...day, service: 'slices', limit: 100 });
    expect(found.map((tr) => tr.traceId).sort()).toEqual([R, O, X].sort());
    expect(found.find((tr) => tr.traceId === X)?.spanCount).toBe(2);
    const two = await traces.search({ ...day, service: 'slices', limit: 2 });
    expect(two.map((tr) => tr.traceId).sort()).toEqual([R, X].sort());
  });
});
