import { describe, expect, it } from 'vitest';
import { detectLevel, levelFromJournaldPriority, levelFromName, type LogLevel } from './detect-level.ts';
import { loghubAvailable, readLoghubStructured } from '../testing/index.ts';

describe('detectLevel', () => {
  it.each<[string, LogLevel]>([
    ['2024-01-02 10:00:00.123 ERROR [main] c.a.Handler - request failed', 'error'],
    ['2024-01-02T10:00:00Z WARN  disk almost full', 'warning'],
    ['[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok', 'info'],
    ['[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6', 'error'],
    ['time="2024-01-02T10:00:00Z" level=warning msg="slow query"', 'warning'],
    ['level=debug msg=tick', 'debug'],
    ['E0412 10:00:00.123456   1 reflector.go:138] failed to list pods', 'error'],
    ['W0412 10:00:00.123456   1 warnings.go:70] deprecated API', 'warning'],
    ['I0412 10:00:00.123456   1 leaderelection.go:248] attempting to acquire lease', 'info'],
    ['F0412 10:00:00.123456   1 main.go:10] cannot start', 'critical'],
    ['2024/01/02 10:00:00 [crit] 1#1: *1 open() failed', 'critical'],
    ['FATAL: the database system is shutting down', 'critical'],
    ['panic: runtime error: index out of range', 'critical'],
    ['ERROR:root:could not connect', 'error'],
    ['Traceback (most recent call last):\n  File "x.py", line 1, in <module>', 'error'],
    ['<warn> something odd', 'warning'],
    ['{"level":"error","msg":"boom"}', 'error'],
    ['TRACE entering loop', 'debug'],
    ['ts=2024-01-02T10:00:00Z lvl=warn msg=x', 'warning'],
    ['{"time":"x","severity": "critical","msg":"y"}', 'critical'],
    // lower-case level words in running text are not levels, nor words that contain one
    ['request done status=error code=500', 'unknown'],
    ['net::ERR_CONNECTION_RESET while loading', 'unknown'],
    ['the request had an error in its body', 'unknown'],
    ['connection from 10.0.0.1 at Fri Jun 17 07:07:00 2005', 'unknown'],
    ['', 'unknown'],
  ])('%j → %s', (message, level) => {
    expect(detectLevel(message)).toBe(level);
  });

  it('looks for the level only in the head of the message', () => {
    const late = `${'word '.repeat(40)}ERROR`;
    expect(detectLevel(late)).toBe('unknown');
  });
});

describe('detectLevel on real Loghub lines', () => {
  const LEVELS: Readonly<Record<string, LogLevel>> = {
    notice: 'info',
    info: 'info',
    warn: 'warning',
    error: 'error',
    fatal: 'critical',
  };
  const systems = ['Apache', 'HDFS', 'Spark', 'Zookeeper'];
  it.skipIf(!loghubAvailable())(
    'agrees with the Level column of every line of Apache, HDFS, Spark and Zookeeper',
    () => {
      const samples = readLoghubStructured().filter((s) => systems.includes(s.system));
      expect(samples).toHaveLength(systems.length);
      for (const { system, rawLines, levels } of samples) {
        const wrong: string[] = [];
        rawLines.forEach((line, i) => {
          const expected = LEVELS[levels[i]!.toLowerCase()];
          expect(expected, `${system} line ${i + 1} has a level`).toBeDefined();
          if (detectLevel(line) !== expected) wrong.push(`${system}:${i + 1} ${expected}: ${line}`);
        });
        expect(wrong, wrong.slice(0, 5).join('\n')).toEqual([]);
      }
    },
  );

  it.skipIf(!loghubAvailable())('finds no level in syslog lines that carry none (OpenSSH)', () => {
    const sample = readLoghubStructured().find((s) => s.system === 'OpenSSH')!;
    const levels = new Set(sample.rawLines.map((l) => detectLevel(l)));
    // "error: Received disconnect …" and "fatal: Write failed …" are marked; nothing else is.
    expect([...levels].sort()).toEqual(['critical', 'error', 'unknown']);
  });
});

describe('level names', () => {
  it('maps structured level names and journald priorities', () => {
    expect(levelFromName(' WARN ')).toBe('warning');
    expect(levelFromName('Information')).toBe('info');
    expect(levelFromName('loud')).toBeUndefined();
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(levelFromJournaldPriority)).toEqual([
      'critical',
      'critical',
      'critical',
      'error',
      'warning',
      'info',
      'info',
      'debug',
    ]);
    expect(levelFromJournaldPriority(9)).toBe('unknown');
  });
});
