import { describe, expect, it } from 'vitest';
import { formatGoFloat, formatSampleValue, formatScalarValue } from './go-float.ts';

describe('formatGoFloat', () => {
  it.each([
    [0, 'f', '0'],
    [-0, 'f', '-0'],
    [1, 'f', '1'],
    [0.1, 'f', '0.1'],
    [-2.5, 'f', '-2.5'],
    [123456789.12345679, 'f', '123456789.12345679'],
    [1e21, 'f', '1000000000000000000000'],
    [1.5e-7, 'f', '0.00000015'],
    [1e-7, 'e', '1e-07'],
    [1.5e-7, 'e', '1.5e-07'],
    [1e21, 'e', '1e+21'],
    [1.2345e100, 'e', '1.2345e+100'],
    [-3e-300, 'e', '-3e-300'],
    [0, 'e', '0e+00'],
    [NaN, 'f', 'NaN'],
    [Infinity, 'e', '+Inf'],
    [-Infinity, 'f', '-Inf'],
  ] as const)('formats %d with %s as %s', (v, fmt, expected) => {
    expect(formatGoFloat(v, fmt)).toBe(expected);
  });
});

describe('sample and scalar values as Prometheus writes them', () => {
  it.each([
    [1e-6, '0.000001'],
    [9.99e-7, '9.99e-07'],
    [9.99e20, '999000000000000000000'],
    [1e21, '1e+21'],
    [0, '0'],
    [-0, '-0'],
  ])('sample value %d is %s', (v, expected) => {
    expect(formatSampleValue(v)).toBe(expected);
  });

  it('writes scalars in fixed notation', () => {
    expect(formatScalarValue(1e-7)).toBe('0.0000001');
    expect(formatScalarValue(1e21)).toBe('1000000000000000000000');
  });
});
