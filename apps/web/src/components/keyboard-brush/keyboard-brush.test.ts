import { describe, expect, it } from 'vitest';
import { brushBounds, brushKey, clampBrush, inSelection, type KeyboardBrush } from './keyboard-brush.ts';

const size = { columns: 5, rows: 3 };
const at = (column: number, row: number) => ({ column, row });

describe('brushKey', () => {
  it.each<[string, KeyboardBrush, string, boolean, KeyboardBrush]>([
    ['right moves one column', { cursor: at(1, 1) }, 'ArrowRight', false, { cursor: at(2, 1) }],
    ['left stops at the first column', { cursor: at(0, 1) }, 'ArrowLeft', false, { cursor: at(0, 1) }],
    ['right stops at the last column', { cursor: at(4, 1) }, 'ArrowRight', false, { cursor: at(4, 1) }],
    ['up goes to the higher row', { cursor: at(1, 1) }, 'ArrowUp', false, { cursor: at(1, 2) }],
    ['up stops at the top row', { cursor: at(1, 2) }, 'ArrowUp', false, { cursor: at(1, 2) }],
    ['down stops at row 0', { cursor: at(1, 0) }, 'ArrowDown', false, { cursor: at(1, 0) }],
    ['Home goes to the first column', { cursor: at(3, 2) }, 'Home', false, { cursor: at(0, 2) }],
    ['End goes to the last column', { cursor: at(1, 2) }, 'End', false, { cursor: at(4, 2) }],
    [
      'Shift starts a selection at the old cursor',
      { cursor: at(1, 1) },
      'ArrowRight',
      true,
      { cursor: at(2, 1), anchor: at(1, 1) },
    ],
    [
      'Shift keeps the anchor while extending',
      { cursor: at(2, 1), anchor: at(1, 1) },
      'ArrowUp',
      true,
      { cursor: at(2, 2), anchor: at(1, 1) },
    ],
    [
      'Shift at the edge still selects the cell',
      { cursor: at(4, 0) },
      'ArrowRight',
      true,
      { cursor: at(4, 0), anchor: at(4, 0) },
    ],
    [
      'a plain move drops the selection',
      { cursor: at(2, 1), anchor: at(1, 1) },
      'ArrowLeft',
      false,
      { cursor: at(1, 1) },
    ],
    [
      'Escape drops the selection',
      { cursor: at(2, 1), anchor: at(0, 0) },
      'Escape',
      false,
      { cursor: at(2, 1) },
    ],
  ])('%s', (_, brush, key, shiftKey, expected) => {
    expect(brushKey(brush, { key, shiftKey }, size)).toEqual({ kind: 'move', brush: expected });
  });

  it.each<[string, KeyboardBrush, object]>([
    [
      'applies the selected rectangle',
      { cursor: at(3, 0), anchor: at(1, 2) },
      { from: at(1, 2), to: at(3, 0) },
    ],
    [
      'applies the cursor cell alone without a selection',
      { cursor: at(2, 1) },
      { from: at(2, 1), to: at(2, 1) },
    ],
  ])('Enter %s and keeps only the cursor', (_, brush, corners) => {
    expect(brushKey(brush, { key: 'Enter', shiftKey: false }, size)).toEqual({
      kind: 'apply',
      ...corners,
      brush: { cursor: brush.cursor },
    });
  });

  it.each([
    ['Escape without a selection', 'Escape'],
    ['Tab', 'Tab'],
    ['a letter', 'a'],
  ])('leaves %s to the page', (_, key) => {
    expect(brushKey({ cursor: at(0, 0) }, { key, shiftKey: false }, size)).toEqual({ kind: 'ignored' });
  });
});

describe('brushBounds and inSelection', () => {
  const bounds = brushBounds({ cursor: at(1, 2), anchor: at(3, 0) });

  it('orders the corners whichever way the rectangle was drawn', () => {
    expect(bounds).toEqual({ column0: 1, column1: 3, row0: 0, row1: 2 });
  });

  it.each([
    [at(1, 0), true],
    [at(3, 2), true],
    [at(2, 1), true],
    [at(0, 1), false],
    [at(4, 1), false],
  ])('cell %o inside: %s', (point, expected) => {
    expect(inSelection(bounds, point)).toBe(expected);
  });

  it('selects nothing without an anchor', () => {
    expect(brushBounds({ cursor: at(1, 1) })).toBeUndefined();
    expect(inSelection(undefined, at(1, 1))).toBe(false);
  });
});

describe('clampBrush', () => {
  it('pulls cursor and anchor into a grid that shrank', () => {
    expect(clampBrush({ cursor: at(9, 5), anchor: at(2, 7) }, { columns: 4, rows: 2 })).toEqual({
      cursor: at(3, 1),
      anchor: at(2, 1),
    });
  });
});
