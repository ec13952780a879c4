import { describe, expect, it } from 'vitest';
import { startsWithTimestamp } from './timestamp-prefix.ts';

describe('startsWithTimestamp', () => {
  it.each([
    '2024-01-02T10:00:00.123Z INFO x',
    '2024-01-02 10:00:00,123 ERROR x',
    '[2024-01-02 10:00:00] x',
    '2024/01/02 10:00:00 [error] x',
    '17/06/09 20:10:40 INFO x',
    '20171223-22:15:29:606|Step_LSC|x',
    '20171224-0:0:0:234|x',
    '081109 203615 148 INFO x',
    '[Sun Dec 04 04:47:44 2005] [notice] x',
    'Jun 14 15:16:01 combo sshd[1]: x',
    'Dec  1 08:00:00 host x',
    '[10.30 16:49:06] chrome.exe - x',
    '02/Jan/2024:10:00:00 +0000 x',
    '10:00:00.123 x',
    'E0412 10:00:00.123456   1 x.go:1] y',
    '1714000000.123 x',
    'time="2024-01-02T10:00:00Z" level=info',
  ])('%j starts with a timestamp', (line) => {
    expect(startsWithTimestamp(line)).toBe(true);
  });

  it.each([
    '\tat com.acme.X.run(X.java:1)',
    'java.lang.IllegalStateException: boom',
    'Caused by: x',
    'KeyError: 1',
    '{"time":"2024-01-02T10:00:00Z"}',
    '12 items left',
    'Monday is a day',
    '',
  ])('%j does not', (line) => {
    expect(startsWithTimestamp(line)).toBe(false);
  });
});
