import { describe, expect, it } from 'vitest';
import { compile } from '../sql.ts';
import { anchoredRegex, matcherCondition, matchersCondition } from './matchers.ts';

describe('anchoredRegex', () => {
  const ok: Array<[string, string]> = [
    ['abc', '^(?s:abc)$'],
    ['a|b', '^(?s:a|b)$'],
    ['(a)(b)', '^(?s:(a)(b))$'],
    ['a\\)', '^(?s:a\\))$'],
    ['[)]', '^(?s:[)])$'],
    ['[])]', '^(?s:[])])$'],
    ['[^])]', '^(?s:[^])])$'],
    ['[[:alpha:])]+', '^(?s:[[:alpha:])]+)$'],
    ['\\Qa)b\\E', '^(?s:\\Qa)b\\E)$'],
    ['\\Qa)b', '^(?s:\\Qa)b\\E)$'],
    ['', '^(?s:)$'],
  ];
  for (const [input, expected] of ok) {
    it(`anchors ${JSON.stringify(input)}`, () => {
      expect(anchoredRegex(input)).toBe(expected);
    });
  }

  for (const input of ['a)|(b', ')', 'a)', '(a))']) {
    it(`refuses ${JSON.stringify(input)}, whose ) would close the anchoring group`, () => {
      expect(() => anchoredRegex(input)).toThrow(/unexpected \)/);
    });
  }
});

describe('matcherCondition', () => {
  it('reads __name__ from MetricName and other labels from the map, values as parameters', () => {
    expect(compile(matcherCondition({ name: '__name__', op: '=', value: 'up' })!)).toEqual({
      query: 'MetricName = {p0:String}',
      params: { p0: 'up' },
    });
    expect(compile(matcherCondition({ name: 'job', op: '!~', value: 'a.*' })!)).toEqual({
      query: 'NOT match(Labels[{p0:String}], {p1:String})',
      params: { p0: 'job', p1: '^(?s:a.*)$' },
    });
  });

  it('drops =~".*" (matches everything) and turns !~".*" into false', () => {
    expect(matcherCondition({ name: 'x', op: '=~', value: '.*' })).toBeUndefined();
    expect(compile(matchersCondition([{ name: 'x', op: '!~', value: '.*' }])).query).toBe('(0)');
    expect(compile(matchersCondition([])).query).toBe('1');
  });
});
