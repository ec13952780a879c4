import { describe, expect, it } from 'vitest';
import { MultilineAssembler, type AssembledMessage } from './multiline-assembler.ts';
import { loghubAvailable, readLoghubStructured } from '../testing/index.ts';

/** Pushes every line (timestamps 1000, 1001, …) and flushes; returns the messages' texts. */
function assemble(lines: readonly string[], assembler = new MultilineAssembler()): string[] {
  const out: AssembledMessage[] = [];
  lines.forEach((line, i) => out.push(...assembler.push(line, 1000 + i)));
  out.push(...assembler.flush());
  return out.map((m) => m.text);
}

describe('MultilineAssembler', () => {
  it('keeps a Java stack trace with "Caused by:" and "... N more" in one message', () => {
    const trace = [
      'Exception in thread "main" java.lang.IllegalStateException: boom',
      '\tat com.acme.Handler.run(Handler.java:42)',
      '\tat java.base/java.lang.Thread.run(Thread.java:833)',
      'Caused by: java.io.IOException: connection reset',
      '\tat com.acme.Client.read(Client.java:7)',
      '\t... 2 more',
    ];
    expect(assemble([...trace, 'next message'])).toEqual([trace.join('\n'), 'next message']);
  });

  it('joins an exception to the error line before it when lines have no timestamps', () => {
    const lines = ['ERROR request failed', 'java.lang.NullPointerException: x', '\tat a.B.c(B.java:1)'];
    expect(assemble([...lines, 'INFO ok'])).toEqual([lines.join('\n'), 'INFO ok']);
  });

  it('keeps a bare Python traceback, its exception line and a chained traceback together', () => {
    const traceback = [
      'Traceback (most recent call last):',
      '  File "app.py", line 3, in <module>',
      '    main()',
      "KeyError: 'user'",
      '',
      'During handling of the above exception, another exception occurred:',
      '',
      'Traceback (most recent call last):',
      '  File "app.py", line 5, in <module>',
      'ValueError: bad user',
    ];
    expect(assemble([...traceback, 'started worker 2'])).toEqual([traceback.join('\n'), 'started worker 2']);
  });

  it('keeps two bare tracebacks in a row apart', () => {
    const first = ['Traceback (most recent call last):', '  File "a.py", line 1, in <module>', 'KeyError: 1'];
    const second = [
      'Traceback (most recent call last):',
      '  File "b.py", line 2, in <module>',
      'KeyError: 2',
    ];
    expect(assemble([...first, ...second])).toEqual([first.join('\n'), second.join('\n')]);
  });

  it('joins logger.exception output (an ERROR line, then its traceback) without timestamps', () => {
    const lines = [
      'ERROR:root:could not load config',
      'Traceback (most recent call last):',
      '  File "app.py", line 9, in load',
      'FileNotFoundError: [Errno 2] No such file or directory',
    ];
    expect(assemble([...lines, 'INFO:root:retrying'])).toEqual([lines.join('\n'), 'INFO:root:retrying']);
  });

  it('joins indented continuation lines and drops trailing blank lines', () => {
    expect(assemble(['config:', '  port: 8080', '  host: a', '', 'done'])).toEqual([
      'config:\n  port: 8080\n  host: a',
      'done',
    ]);
  });

  it('in a stream whose messages start with a timestamp, joins every line without one', () => {
    const first = [
      '2024-01-02 10:00:00,001 ERROR [worker-1] Job failed',
      'java.lang.RuntimeException: step 3',
      'details follow on an unindented line',
    ];
    const second = '2024-01-02 10:00:01,002 INFO [worker-1] Job retried';
    expect(assemble([...first, second])).toEqual([first.join('\n'), second]);
  });

  it('never joins a JSON line to the timestamped message before it', () => {
    const lines = ['2024-01-02 10:00:00 WARN cache cold', '{"level":"info","msg":"ready"}', '{"msg":"next"}'];
    expect(assemble(lines)).toEqual(lines);
  });

  it('gives each message the timestamp of its first line', () => {
    const assembler = new MultilineAssembler();
    expect(assembler.push('2024-01-02T10:00:00Z boom', 5000)).toEqual([]);
    expect(assembler.push('  detail', 5010)).toEqual([]);
    expect(assembler.push('2024-01-02T10:00:01Z next', 6000)).toEqual([
      { text: '2024-01-02T10:00:00Z boom\n  detail', timestampMs: 5000 },
    ]);
  });

  it.skipIf(!loghubAvailable())('leaves the single-line messages of every Loghub sample one per line', () => {
    for (const { system, rawLines } of readLoghubStructured()) {
      expect(assemble(rawLines), system).toEqual(rawLines.map((l) => l.replace(/\r$/, '')));
    }
  });

  it('emits the last message of a quiet stream once quietMs have passed since its last line', () => {
    const assembler = new MultilineAssembler({ quietMs: 500 });
    assembler.push('ERROR failed', 1000);
    assembler.push('\tat x.Y.z(Y.java:1)', 1200);
    expect(assembler.flushOlderThan(1600)).toEqual([]);
    expect(assembler.flushOlderThan(1700)).toEqual([
      { text: 'ERROR failed\n\tat x.Y.z(Y.java:1)', timestampMs: 1000 },
    ]);
    expect(assembler.hasPending).toBe(false);
    expect(assembler.flush()).toEqual([]);
  });

  it('cuts a message at maxLines and at maxBytes, and truncates an over-long line', () => {
    const byLines = assemble(
      ['head', ...Array.from({ length: 5 }, (_, i) => `  frame ${i}`)],
      new MultilineAssembler({ maxLines: 3 }),
    );
    expect(byLines).toEqual(['head\n  frame 0\n  frame 1', '  frame 2\n  frame 3\n  frame 4']);
    const byBytes = assemble(
      ['head', '  0123456789', '  0123456789'],
      new MultilineAssembler({ maxBytes: 20 }),
    );
    expect(byBytes).toEqual(['head\n  0123456789', '  0123456789']);
    const long = assemble(['é'.repeat(20)], new MultilineAssembler({ maxBytes: 9 }));
    expect(long).toEqual(['éééé']);
  });

  it('ignores blank lines between messages and strips carriage returns', () => {
    expect(assemble(['', 'a\r', '', 'b'])).toEqual(['a', 'b']);
  });

  it('refuses bounds that are not positive numbers', () => {
    expect(() => new MultilineAssembler({ maxLines: 0 })).toThrow(/maxLines must be a positive number/);
  });
});
