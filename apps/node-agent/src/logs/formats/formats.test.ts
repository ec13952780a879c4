import { describe, expect, it } from 'vitest';
import { parseCriLine } from './cri-line.ts';
import { parseDockerJsonLine } from './docker-json-line.ts';
import { PartialLineJoiner } from './runtime-line.ts';

const T = Date.parse('2024-05-06T07:08:09.123Z');

describe('parseDockerJsonLine', () => {
  it.each([
    [
      '{"log":"hello\\n","stream":"stdout","time":"2024-05-06T07:08:09.123456789Z"}',
      { text: 'hello', stream: 'stdout', timestampMs: T, partial: false },
    ],
    [
      '{"log":"piece","stream":"stderr","time":"2024-05-06T07:08:09.123Z"}',
      { text: 'piece', stream: 'stderr', timestampMs: T, partial: true },
    ],
    [
      '{"log":"crlf\\r\\n","stream":"stdout","time":"2024-05-06T07:08:09.123Z"}',
      { text: 'crlf', stream: 'stdout', timestampMs: T, partial: false },
    ],
  ])('decodes %s', (line, expected) => {
    expect(parseDockerJsonLine(line)).toEqual(expected);
  });

  it.each(['not json', '{"stream":"stdout"}', '[1]', 'null'])('skips %s', (line) => {
    expect(parseDockerJsonLine(line)).toBeUndefined();
  });
});

describe('parseCriLine', () => {
  it.each([
    [
      '2024-05-06T07:08:09.123456789Z stdout F hello world',
      { text: 'hello world', stream: 'stdout', timestampMs: T, partial: false },
    ],
    [
      '2024-05-06T07:08:09.123+00:00 stderr P  leading space',
      { text: ' leading space', stream: 'stderr', timestampMs: T, partial: true },
    ],
    ['2024-05-06T07:08:09.123Z stdout F', { text: '', stream: 'stdout', timestampMs: T, partial: false }],
  ])('decodes %s', (line, expected) => {
    expect(parseCriLine(line)).toEqual(expected);
  });

  it.each(['garbage', '2024-05-06T07:08:09Z stdin F x', '2024-05-06T07:08:09Z stdout X x'])(
    'skips %s',
    (line) => {
      expect(parseCriLine(line)).toBeUndefined();
    },
  );
});

describe('PartialLineJoiner', () => {
  it('joins pieces per stream and keeps the first piece’s time', () => {
    const joiner = new PartialLineJoiner();
    expect(joiner.push({ text: 'a', stream: 'stdout', timestampMs: 1, partial: true })).toBeUndefined();
    expect(joiner.push({ text: 'x', stream: 'stderr', timestampMs: 2, partial: false })).toEqual({
      text: 'x',
      stream: 'stderr',
      timestampMs: 2,
    });
    expect(joiner.push({ text: 'b', stream: 'stdout', timestampMs: 3, partial: true })).toBeUndefined();
    expect(joiner.push({ text: 'c', stream: 'stdout', timestampMs: 4, partial: false })).toEqual({
      text: 'abc',
      stream: 'stdout',
      timestampMs: 1,
    });
  });

  it('cuts a joined line at the bound', () => {
    const joiner = new PartialLineJoiner(5);
    joiner.push({ text: 'abcd', stream: 'stdout', timestampMs: 1, partial: true });
    expect(joiner.push({ text: 'efgh', stream: 'stdout', timestampMs: 1, partial: false })?.text).toBe(
      'abcde',
    );
  });
});
