import { describe, expect, it } from 'vitest';
import {
  formatAttributeText,
  logApiParams,
  parseAttributeText,
  patternSearch,
  readLogFilters,
  writeLogFilters,
  type LogFilters,
} from './log-filters.ts';

describe('log filters in the URL', () => {
  const cases: Array<[string, LogFilters]> = [
    ['nothing', { severities: [], attributes: {} }],
    ['a service', { service: 'cart', severities: [], attributes: {} }],
    ['severities', { severities: ['warn', 'error'], attributes: {} }],
    ['attributes', { severities: [], attributes: { 'k8s.pod.name': 'cart-1', 'http.route': '/a=b' } }],
    ['everything', { service: 'api', severities: ['error'], attributes: { a: '1' }, search: 'timeout db' }],
  ];
  it.each(cases)('round-trips %s and keeps the time range', (_, filters) => {
    const written = writeLogFilters(new URLSearchParams('from=now-6h&to=now'), filters);
    expect(written.get('from')).toBe('now-6h');
    expect(readLogFilters(written)).toEqual({ ...filters, service: filters.service, search: filters.search });
  });

  it('replaces earlier filters instead of adding to them', () => {
    const before = new URLSearchParams('service=a&severity=info&attr.x=1&search=old');
    const after = writeLogFilters(before, { severities: ['error'], attributes: { y: '2' } });
    expect(after.toString()).toBe('severity=error&attr.y=2');
  });

  it('reads severities case-insensitively, without blanks or repeats', () => {
    expect(readLogFilters(new URLSearchParams('severity=ERROR,,warn,error')).severities).toEqual([
      'error',
      'warn',
    ]);
  });

  it('sends attributes as attr.<key> API parameters', () => {
    expect(logApiParams({ severities: [], attributes: { pod: 'x' }, search: 'a' }, 1, 2)).toEqual({
      from: 1,
      to: 2,
      service: undefined,
      search: 'a',
      'attr.pod': 'x',
    });
  });
});

describe('attribute text', () => {
  it.each([
    ['a=1, b = 2', { a: '1', b: '2' }, []],
    ['url=/x?y=1', { url: '/x?y=1' }, []],
    ['broken, =v, ok=1', { ok: '1' }, ['broken', '=v']],
    ['', {}, []],
  ])('parses %j', (text, attributes, invalid) => {
    expect(parseAttributeText(text)).toEqual({ attributes, invalid });
  });

  it('formats what it parses', () => {
    expect(parseAttributeText(formatAttributeText({ a: '1', 'b.c': 'x' })).attributes).toEqual({
      a: '1',
      'b.c': 'x',
    });
  });
});

describe('patternSearch', () => {
  it.each([
    ['Invalid user <*> from <*>', 'invalid user from'],
    ['port:<*> closed by peer', 'closed by peer'],
    ['GET /api/v1/cart failed', 'get api v1 cart failed'],
    ['<*> <*>', ''],
  ])('%j → %j', (pattern, search) => {
    expect(patternSearch(pattern)).toBe(search);
  });
});
