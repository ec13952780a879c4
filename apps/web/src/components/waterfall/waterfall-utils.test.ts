import { describe, expect, it } from 'vitest';
import { durationLabelPlacement, formatDurationNs } from './format.ts';
import { serviceColour } from './service-colour.ts';
import { timeTicks } from './time-ticks.ts';
import { rowWindow } from './use-windowed-rows.ts';

describe('timeTicks', () => {
  it.each([
    { spanNs: 1_000, expected: [0, 200, 400, 600, 800, 1000] },
    { spanNs: 7e6, expected: [0, 2e6, 4e6, 6e6] },
    { spanNs: 0, expected: [0] },
  ])('puts ticks at round steps over $spanNs ns', ({ spanNs, expected }) => {
    expect(timeTicks(spanNs)).toEqual(expected);
  });
});

describe('rowWindow', () => {
  it.each([
    { scrollTop: 0, expected: { start: 0, end: 14 } },
    { scrollTop: 1200, expected: { start: 42, end: 64 } },
    { scrollTop: 1e9, expected: { start: 92, end: 100 } },
  ])('covers the viewport plus overscan at scrollTop $scrollTop', ({ scrollTop, expected }) => {
    expect(rowWindow(scrollTop, 100, 24, 100, 8)).toEqual(expected);
  });
});

describe('serviceColour', () => {
  it('gives a service the same colour every time and different services different colours', () => {
    expect(serviceColour('checkout')).toBe(serviceColour('checkout'));
    expect(serviceColour('checkout')).not.toBe(serviceColour('cart'));
  });
});

describe('formatDurationNs', () => {
  it.each([
    [800, '800 ns'],
    [12_500, '12.5 µs'],
    [340e6, '340 ms'],
    [1.25e9, '1.25 s'],
  ])('formats %d ns as %s', (ns, text) => {
    expect(formatDurationNs(ns)).toBe(text);
  });
});

describe('durationLabelPlacement', () => {
  it.each([
    ['after a bar that ends early', 10, 30, { left: 'calc(40% + 4px)' }],
    ['before a late bar that starts far enough in', 70, 25, { right: 'calc(30% + 4px)' }],
    [
      'inside a bar across the whole cell',
      0,
      100,
      { right: '4px', background: 'var(--mantine-color-body)', padding: '0 3px' },
    ],
  ])('%s', (_name, left, width, want) => {
    expect(durationLabelPlacement(left, width)).toEqual(want);
  });
});
