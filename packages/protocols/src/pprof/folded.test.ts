import { describe, expect, it } from 'vitest';
import { DecodeError } from '../decode-error.ts';
import { formatFolded, parseFolded } from './folded.ts';

describe('parseFolded', () => {
  it('reads frames root first and the count after the last space, summing repeated stacks', () => {
    const p = parseFolded('main;handle request;parse 12\r\n\nmain;idle 3\nmain;idle 4\n', 'cpu:samples');
    expect(p.types).toEqual(['cpu:samples']);
    expect(p.stacks).toEqual([
      { frames: ['main', 'handle request', 'parse'], values: [12], labels: {} },
      { frames: ['main', 'idle'], values: [7], labels: {} },
    ]);
  });

  it('round-trips through formatFolded', () => {
    const text = 'a;b;c 5\na;d 1\nfn /src/x.go:12;leaf 40\n';
    const p = parseFolded(text, 'cpu:samples');
    expect(formatFolded(p.stacks.map((s) => ({ frames: s.frames, value: s.values[0] ?? 0 })))).toBe(text);
  });

  const bad: Array<[string, RegExp]> = [
    ['main;work', /line 1 has no count/],
    ['ok 1\nmain;work -3', /line 2 ends in "-3", not a count/],
    ['main;;work 3', /line 1 has an empty frame name/],
    [' 4', /line 1 has no count/],
  ];
  for (const [text, message] of bad) {
    it(`refuses ${JSON.stringify(text)} naming the line`, () => {
      expect(() => parseFolded(text, 'cpu:samples')).toThrow(DecodeError);
      expect(() => parseFolded(text, 'cpu:samples')).toThrow(message);
    });
  }
});
