import { OVERFLOW_PATTERN, PatternClusterer } from '@vigil/logs';
import type { OutgoingLogRecord } from '@vigil/protocols';
import { describe, expect, it } from 'vitest';
import { LogCounters } from './log-counters.ts';
import { LogPipeline } from './log-pipeline.ts';

const T0 = Date.parse('2026-01-02T10:00:00.000Z');

function makePipeline(source = 'stdout/stderr') {
  const records: Array<{ containerId: string; record: OutgoingLogRecord }> = [];
  const counters = new LogCounters();
  let nowMs = T0 + 60_000;
  const pipeline = new LogPipeline(
    { containerId: '/docker/app', source },
    {
      counters,
      clusterer: new PatternClusterer({ maxPatterns: 16 }),
      samples: new Map(),
      onRecord: (containerId, record) => records.push({ containerId, record }),
      now: () => nowMs,
    },
  );
  return { pipeline, records, counters, advance: (ms: number) => (nowMs += ms) };
}

function counted(counters: LogCounters): Array<Record<string, string | number>> {
  return (
    counters
      .families((id) => ({ container_id: id }))[0]
      ?.samples.map((s): Record<string, string | number> => ({ ...s.labels, value: s.value }))
      .sort((a, b) => `${a.level}${a.pattern_hash}`.localeCompare(`${b.level}${b.pattern_hash}`)) ?? []
  );
}

describe('LogPipeline', () => {
  it('assembles a Java stack trace into one error record and counts it under its pattern', () => {
    const { pipeline, records, counters } = makePipeline();
    const trace = [
      '2026-01-02 10:00:00.000 ERROR [main] c.a.OrderService - order 1234 failed',
      'java.lang.IllegalStateException: stock is negative',
      '\tat com.acme.OrderService.place(OrderService.java:42)',
      '\tat com.acme.Main.main(Main.java:7)',
      'Caused by: java.io.IOException: connection reset',
      '\t... 2 more',
    ];
    trace.forEach((line, i) => pipeline.pushLine(line, T0 + i, 'stderr'));
    expect(records).toHaveLength(0); // not complete until the next message or quiet time
    pipeline.pushLine(
      '2026-01-02 10:00:01.000 INFO [main] c.a.OrderService - order 1235 placed',
      T0 + 1000,
      'stderr',
    );
    expect(records).toHaveLength(1);
    const error = records[0]!.record;
    expect(error.body).toBe(trace.join('\n'));
    expect(error).toMatchObject({
      severityText: 'error',
      severityNumber: 17,
      timeUnixNano: BigInt(T0) * 1_000_000n,
    });
    expect(error.attributes['log.iostream']).toBe('stderr');
    expect(error.attributes['pattern.hash']).toMatch(/^[0-9a-f]{16}$/);
    pipeline.flush();
    expect(records.map((r) => r.record.severityText)).toEqual(['error', 'info']);
    expect(records[1]!.record.attributes['pattern.hash']).toBeUndefined();
    expect(counted(counters)).toEqual([
      {
        container_id: '/docker/app',
        source: 'stdout/stderr',
        level: 'error',
        pattern_hash: error.attributes['pattern.hash'],
        sample: trace.join('\n'),
        value: 1,
      },
      {
        container_id: '/docker/app',
        source: 'stdout/stderr',
        level: 'info',
        pattern_hash: '',
        sample: '',
        value: 1,
      },
    ]);
  });

  it('puts messages that differ only in numbers under one pattern, with the first as its sample', () => {
    const { pipeline, records, counters } = makePipeline();
    for (const ms of [120, 250, 3000]) pipeline.pushLine(`WARN request took ${ms} ms (slow)`, T0, '');
    pipeline.pushLine('ERROR cannot connect to db', T0, '');
    pipeline.flush();
    const hashes = records.map((r) => r.record.attributes['pattern.hash']);
    expect(new Set(hashes.slice(0, 3)).size).toBe(1);
    expect(hashes[3]).not.toBe(hashes[0]);
    const rows = counted(counters);
    expect(rows.find((r) => r.level === 'warning')).toMatchObject({
      pattern_hash: hashes[0],
      sample: 'WARN request took 120 ms (slow)',
      value: 3,
    });
    expect(rows.find((r) => r.level === 'error')).toMatchObject({ pattern_hash: hashes[3], value: 1 });
  });

  it('turns a JSON line into its message, level, trace ids and attributes', () => {
    const { pipeline, records } = makePipeline();
    pipeline.pushLine(
      JSON.stringify({
        level: 'error',
        msg: 'payment declined',
        time: '2026-01-02T10:00:05.250Z',
        trace_id: '5b8efff798038103d269b633813fc60c',
        span_id: 'eee19b7ec3c1b174',
        user: { id: 42 },
      }),
      T0,
      'stdout',
    );
    pipeline.flush();
    expect(records).toHaveLength(1);
    const record = records[0]!.record;
    expect(record).toMatchObject({
      body: 'payment declined',
      severityText: 'error',
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      timeUnixNano: BigInt(Date.parse('2026-01-02T10:00:05.250Z')) * 1_000_000n,
    });
    expect(record.attributes['user.id']).toBe('42');
    expect(record.attributes['log.iostream']).toBe('stdout');
  });

  it('completes a message once its stream has been quiet for a second', () => {
    const { pipeline, records, advance } = makePipeline();
    pipeline.pushLine('ERROR something broke', T0 + 60_000, '');
    pipeline.tick();
    expect(records).toHaveLength(0);
    advance(1500);
    pipeline.tick();
    expect(records).toHaveLength(1);
  });

  it('takes the level given by journald over the text', () => {
    const { pipeline, records } = makePipeline('journald');
    pipeline.pushMessage('all good here', T0, 'critical');
    expect(records[0]!.record.severityText).toBe('critical');
  });

  it('counts messages beyond the container’s pattern bound under the overflow pattern', () => {
    const { pipeline, records, counters } = makePipeline(); // bound: 16 patterns
    const words =
      'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma'.split(
        ' ',
      );
    words.forEach((w, i) => pipeline.pushLine(`ERROR ${'x '.repeat(i)}${w} failed`, T0, ''));
    pipeline.flush();
    const hashes = records.map((r) => r.record.attributes['pattern.hash']);
    expect(new Set(hashes.slice(0, 16)).size).toBe(16);
    expect(hashes[16]).toBe(OVERFLOW_PATTERN.hash);
    expect(hashes[17]).toBe(OVERFLOW_PATTERN.hash);
    const rows = counted(counters);
    expect(rows).toHaveLength(17);
    expect(rows.find((r) => r.pattern_hash === OVERFLOW_PATTERN.hash)?.value).toBe(2);
  });
});
