import { describe, expect, it } from 'vitest';
import { parseDurationMs } from './duration.ts';

describe('parseDurationMs', () => {
  it.each([
    ['500ms', 500],
    ['15s', 15_000],
    ['1h30m', 5_400_000],
    ['7d', 604_800_000],
    ['1.5s', 1500],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });

  it.each(['', '10', 'abc', '5x', '10s junk'])('rejects %j with a message naming it', (text) => {
    expect(() => parseDurationMs(text)).toThrow(/invalid duration/);
  });
});
