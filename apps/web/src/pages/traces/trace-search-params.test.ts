import { describe, expect, it } from 'vitest';
import { parseAttributeFilter, readFilters, traceSearchParams, writeFilters } from './trace-search-params.ts';

describe('trace search params', () => {
  it('round-trips filters through the URL and keeps the time range', () => {
    const url = writeFilters(new URLSearchParams('from=now-6h&to=now&trace=abc'), {
      service: 'cart',
      minDurationMs: 20,
      status: 'error',
      attributes: { 'http.route': '/cart' },
    });
    expect(url.toString()).toBe(
      'from=now-6h&to=now&service=cart&minDurationMs=20&status=error&attr.http.route=%2Fcart',
    );
    expect(readFilters(url)).toEqual({
      service: 'cart',
      spanName: undefined,
      minDurationMs: 20,
      maxDurationMs: undefined,
      status: 'error',
      attributes: { 'http.route': '/cart' },
    });
  });

  it('ignores malformed values in a hand-edited URL', () => {
    const filters = readFilters(new URLSearchParams('minDurationMs=abc&status=warn&attr.=x'));
    expect(filters).toMatchObject({ minDurationMs: undefined, status: undefined, attributes: {} });
  });

  it('turns filters into the API query with attr.<key> parameters', () => {
    expect(traceSearchParams({ service: 'cart', attributes: { 'k8s.pod': 'p1' } }, 1, 2, 500)).toEqual({
      service: 'cart',
      from: 1,
      to: 2,
      limit: 500,
      'attr.k8s.pod': 'p1',
    });
  });

  it.each([
    ['http.status_code=500', { 'http.status_code': '500' }],
    ['  a = b=c ', { a: 'b=c' }],
    ['', {}],
    ['novalue', undefined],
    ['=x', undefined],
  ])('parses the attribute filter %j', (text, expected) => {
    expect(parseAttributeFilter(text)).toEqual(expected);
  });
});
