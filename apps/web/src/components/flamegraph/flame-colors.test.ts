import { describe, expect, it } from 'vitest';
import type { DiffFlameGraphNode } from '@vigil/spec';
import { diffChange, diffColor, packageColor, packageOf } from './flame-colors.ts';

function d(total: number, baseTotal: number): DiffFlameGraphNode {
  return { name: 'f', total, self: total, baseTotal, baseSelf: baseTotal, children: [] };
}

describe('packageOf', () => {
  it.each([
    ['github.com/acme/shop/cart.(*Cart).Add cart.go:12', 'github.com/acme/shop/cart'],
    ['net/http.(*conn).serve', 'net/http'],
    ['runtime.mallocgc', 'runtime'],
    ['std::vec::Vec::push', 'std::vec::Vec'],
    ['app.handlers.get', 'app.handlers'],
    ['main', 'main'],
  ])('%s → %s', (name, pkg) => {
    expect(packageOf(name)).toBe(pkg);
  });
});

describe('packageColor', () => {
  it('gives frames of one package the same colour', () => {
    expect(packageColor('runtime.mallocgc')).toBe(packageColor('runtime.gcBgMarkWorker'));
  });

  it('gives different packages different colours (for these two)', () => {
    expect(packageColor('runtime.mallocgc')).not.toBe(packageColor('net/http.(*conn).serve'));
  });
});

describe('diffChange and diffColor', () => {
  it.each([
    { name: 'grew', node: d(60, 30), hue: 'hsl(0,', sign: 1 },
    { name: 'new', node: d(10, 0), hue: 'hsl(0,', sign: 1 },
    { name: 'shrank', node: d(10, 40), hue: 'hsl(220,', sign: -1 },
    { name: 'gone', node: d(0, 10), hue: 'hsl(220,', sign: -1 },
    { name: 'unchanged', node: d(50, 50), hue: 'hsl(0, 0%', sign: 0 },
  ])('colours a frame that $name by the sign of its change', ({ node, hue, sign }) => {
    const change = diffChange(node, 100, 100);
    expect(Math.sign(change)).toBe(sign);
    expect(diffColor(change).startsWith(hue)).toBe(true);
  });

  it('compares shares, not raw values, when the windows differ in length', () => {
    // Twice the samples in a window twice as long: the same share, so no change.
    expect(diffChange(d(40, 20), 200, 100)).toBe(0);
  });

  it('makes larger changes more saturated (darker)', () => {
    const light = Number(/(\d+)%\)$/.exec(diffColor(0.2))?.[1]);
    const dark = Number(/(\d+)%\)$/.exec(diffColor(0.9))?.[1]);
    expect(dark).toBeLessThan(light);
  });
});
