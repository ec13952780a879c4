import { describe, expect, it } from 'vitest';
import { compile } from './sql.ts';
import { searchTokens, severityCondition, severityLevel } from './log-search.ts';

describe('searchTokens', () => {
  it.each([
    ['fail', ['fail']],
    ['Payment FAILED: card-declined', ['payment', 'failed', 'card', 'declined']],
    ['  ', []],
    ['!!!', []],
    ['a.b a.b', ['a', 'b']],
    ['user_id=42', ['user', 'id', '42']],
    ['Ärger über 🎉', ['Ärger', 'über', '🎉']],
    ['ERROR Übel', ['error', 'Übel']],
  ])('splits %j into %j', (text, tokens) => {
    expect(searchTokens(text)).toEqual(tokens);
  });
});

describe('severityLevel', () => {
  it.each([
    [1, 'trace'],
    [4, 'trace'],
    [5, 'debug'],
    [9, 'info'],
    [13, 'warn'],
    [17, 'error'],
    [20, 'error'],
    [24, 'fatal'],
    [0, undefined],
    [25, undefined],
  ])('maps %d to %s', (n, level) => {
    expect(severityLevel(n)).toBe(level);
  });
});

describe('severityCondition', () => {
  it('matches the text case-insensitively or the number range of a known level', () => {
    expect(compile(severityCondition('ERROR'))).toEqual({
      query:
        '(lower(SeverityText) IN {p0:Array(String)} OR SeverityNumber BETWEEN {p1:Int64} AND {p2:Int64})',
      params: { p0: ['error'], p1: 17, p2: 20 },
    });
  });

  it('accepts "warning" for the warn level and keeps both spellings', () => {
    expect(compile(severityCondition('Warning')).params).toEqual({ p0: ['warning', 'warn'], p1: 13, p2: 16 });
  });

  it('matches an unknown level by text only', () => {
    expect(compile(severityCondition('notice'))).toEqual({
      query: 'lower(SeverityText) IN {p0:Array(String)}',
      params: { p0: ['notice'] },
    });
  });
});
