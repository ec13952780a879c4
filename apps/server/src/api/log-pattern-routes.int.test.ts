import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogPatternsResponse, LogSearchQuery, LogView } from '@vigil/spec';
import { exportLogs, makeLogs } from '../testing/otel-clients.ts';
import { startTestServer, TEST_API_KEY, type TestServer } from '../testing/test-server.ts';
import { scanLogs, TREND_BUCKETS } from './log-pattern-routes.ts';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
  // Three templates with varying values: 5 logins, 3 cache misses, 1 payment. makeLogs makes
  // record i INFO when i is even, ERROR when odd.
  const body = (i: number): string => {
    if (i < 5) return `user ${100 + i} logged in from 10.0.0.${i}`;
    if (i < 8) return `cache miss for key k-${i} after ${i * 3} ms`;
    return 'payment 4411 declined by bank';
  };
  await exportLogs(
    new ProtoLogExporter({ url: `${t.otlpHttp}/v1/logs`, headers: { 'X-API-Key': TEST_API_KEY } }),
    makeLogs('patterns-svc', 9, body),
  );
  await t.server.forceFlush();
});
afterAll(async () => {
  await t?.stop();
});

const patterns = (query: string) =>
  t.getJson<LogPatternsResponse>(`/api/v1/logs/patterns?service=patterns-svc&${query}`);

describe('GET /api/v1/logs/patterns', () => {
  it('groups records by template with counts, a sample, the usual severity and a trend', async () => {
    const res = await patterns('');
    expect(res.status).toBe(200);
    expect(res.body.sampled).toBe(false);
    expect(res.body.scanned).toBe(9);
    expect(res.body.patterns.map((p) => [p.count, p.severity])).toEqual([
      [5, 'info'],
      [3, 'error'],
      [1, 'info'],
    ]);
    const [logins, misses, payment] = res.body.patterns;
    expect(logins?.sample).toMatch(/^user 10\d logged in from 10\.0\.0\.\d$/);
    expect(logins?.pattern).toBe('user <*> logged in from <*>');
    expect(misses?.sample).toMatch(/^cache miss for key k-\d after \d+ ms$/);
    expect(payment?.sample).toBe('payment 4411 declined by bank');
    for (const p of res.body.patterns) {
      expect(p.hash).toMatch(/^[0-9a-f]{16}$/);
      expect(p.trend.length).toBeLessThanOrEqual(TREND_BUCKETS);
      expect(p.trend.reduce((a, b) => a + b, 0)).toBe(p.count);
    }
  });

  it('applies severity lists, full-text tokens and the pattern limit', async () => {
    const errors = await patterns('severity=error');
    // Odd records are errors: logins 1 and 3, cache misses 5 and 7; ties sort by pattern text.
    expect(errors.body.scanned).toBe(4);
    expect(errors.body.patterns.map((p) => [p.count, p.severity, p.pattern.split(' ')[0]])).toEqual([
      [2, 'error', 'cache'],
      [2, 'error', 'user'],
    ]);
    const both = await patterns('severity=error,info&limit=1');
    expect(both.body.scanned).toBe(9);
    expect(both.body.patterns.map((p) => p.count)).toEqual([5]);
    const cache = await patterns('search=cache%20miss');
    expect(cache.body.patterns.map((p) => [p.count, p.pattern.startsWith('cache miss')])).toEqual([
      [3, true],
    ]);
  });

  it('refuses a malformed limit with 400', async () => {
    expect((await patterns('limit=0')).status).toBe(400);
    expect((await patterns('step=60s')).status).toBe(400);
  });
});

describe('scanLogs', () => {
  // 2500 records, five per millisecond, newest first like the store answers.
  const all: LogView[] = Array.from({ length: 2500 }, (_, i) => {
    const ms = 1_000_000 - Math.floor(i / 5);
    return {
      timestampUnixNano: (BigInt(ms) * 1_000_000n + BigInt(4 - (i % 5))).toString(),
      serviceName: 's',
      severityText: 'INFO',
      severityNumber: 9,
      body: `r${i}`,
      traceId: '',
      spanId: '',
      attributes: {},
      resourceAttributes: {},
    };
  });
  const search = async (q: LogSearchQuery): Promise<LogView[]> =>
    all
      .filter((r) => {
        const ms = Number(BigInt(r.timestampUnixNano) / 1_000_000n);
        return ms >= q.fromMs && ms < q.toMs;
      })
      .slice(0, q.limit);
  const query: LogSearchQuery = { fromMs: 0, toMs: 2_000_000, attributes: {}, limit: 1000 };

  it('reads every record once across page boundaries that fall inside a millisecond', async () => {
    const seen: string[] = [];
    const result = await scanLogs(search, query, 10_000, (r) => seen.push(r.body));
    expect(result).toEqual({ scanned: 2500, complete: true });
    expect(new Set(seen).size).toBe(2500);
  });

  it('stops at the budget and says the scan was incomplete', async () => {
    const seen: string[] = [];
    const result = await scanLogs(search, query, 1200, (r) => seen.push(r.body));
    expect(result.complete).toBe(false);
    expect(result.scanned).toBe(seen.length);
    expect(seen.length).toBeLessThanOrEqual(1200);
    expect(new Set(seen).size).toBe(seen.length);
  });
});
