import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ERROR_BURSTS,
  SyntheticLogSource,
  SyntheticSpanSource,
  syntheticLogs,
  syntheticSpans,
} from './telemetry.ts';

const DAY_NS = 86_400_000_000_000n;
const START_NS = 1_700_000_000_000_000_000n;

describe('synthetic telemetry', () => {
  it('gives the same records for the same seed, in one array or streamed in batches', () => {
    const whole = syntheticSpans(3000, 7, START_NS, { rangeNs: DAY_NS });
    const source = new SyntheticSpanSource(3000, 7, START_NS, { rangeNs: DAY_NS });
    const streamed = [...source.next(1000), ...source.next(1000), ...source.next(5000)];
    expect(streamed).toEqual(whole);
    expect(source.next(10)).toEqual([]);
    expect(syntheticLogs(500, 3)).toEqual(new SyntheticLogSource(500, 3).next(500));
    expect(syntheticSpans(100, 8)).not.toEqual(syntheticSpans(100, 9));
  });

  it('keeps records inside the range and in time order', () => {
    const logs = syntheticLogs(20_000, 2, START_NS, { rangeNs: DAY_NS });
    for (let i = 1; i < logs.length; i++) {
      // Each record has up to 1 µs of jitter inside its slot; slots never go backwards.
      expect(logs[i]!.timeUnixNano + 1000n).toBeGreaterThanOrEqual(logs[i - 1]!.timeUnixNano);
    }
    expect(logs[0]!.timeUnixNano).toBeGreaterThanOrEqual(START_NS);
    expect(logs.at(-1)!.timeUnixNano).toBeLessThan(START_NS + DAY_NS);
  });

  it("raises a service's error rate during its burst, in spans and in logs", () => {
    const burst = DEFAULT_ERROR_BURSTS[0]!;
    const inBurst = (ns: bigint): boolean => {
      const at = Number(ns - START_NS) / Number(DAY_NS);
      return at >= burst.from && at < burst.to;
    };
    const rate = (flags: boolean[]): number => flags.filter(Boolean).length / Math.max(1, flags.length);
    const servers = syntheticSpans(200_000, 1, START_NS, { rangeNs: DAY_NS }).filter(
      (s) => s.serviceName === burst.service && s.kind === 'Server',
    );
    const during = servers.filter((s) => inBurst(s.startTimeUnixNano)).map((s) => s.statusCode === 'Error');
    const outside = servers.filter((s) => !inBurst(s.startTimeUnixNano)).map((s) => s.statusCode === 'Error');
    expect(rate(during)).toBeGreaterThan(0.3);
    expect(rate(outside)).toBeLessThan(0.1);

    const logs = syntheticLogs(100_000, 2, START_NS, { rangeNs: DAY_NS }).filter(
      (l) => l.serviceName === burst.service,
    );
    const errorsDuring = rate(
      logs.filter((l) => inBurst(l.timeUnixNano)).map((l) => l.severityText === 'ERROR'),
    );
    const errorsOutside = rate(
      logs.filter((l) => !inBurst(l.timeUnixNano)).map((l) => l.severityText === 'ERROR'),
    );
    expect(errorsDuring).toBeGreaterThan(0.3);
    expect(errorsOutside).toBeLessThan(0.1);
  });

  it('spreads a day of traffic by time of day, busiest in the afternoon (UTC)', () => {
    // START_NS is 22:13 UTC; the 16:00 peak is 17.8 h in, the 04:00 trough 5.8 h in.
    const logs = syntheticLogs(50_000, 4, START_NS, { rangeNs: DAY_NS });
    const perHour = new Array<number>(24).fill(0);
    for (const l of logs) perHour[Number((l.timeUnixNano - START_NS) / 3_600_000_000_000n)]!++;
    expect(perHour[17]!).toBeGreaterThan(2 * perHour[5]!);
  });
});
