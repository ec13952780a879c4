// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import axe from 'axe-core';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { Heatmap } from './Heatmap.tsx';
import { TEST_GRID } from './test-grid.ts';

afterEach(cleanup);

// Rows 2–5, 5–10, 10–20, 20–50 ms.
const grid = TEST_GRID;
const time = (ms: number) =>
  new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

function renderFocused() {
  const onSelect = vi.fn();
  render(<Heatmap grid={grid} onSelect={onSelect} />);
  const heatmap = screen.getByRole('grid', { name: /^Latency heatmap/ });
  act(() => heatmap.focus());
  const key = (key: string, shiftKey = false) => fireEvent.keyDown(heatmap, { key, shiftKey });
  const active = () => document.getElementById(heatmap.getAttribute('aria-activedescendant') ?? '');
  const selectedCells = () =>
    screen.getAllByRole('gridcell').filter((c) => c.getAttribute('aria-selected') === 'true');
  const announced = () => within(heatmap.closest('figure')!).getByRole('status').textContent;
  return { heatmap, key, active, selectedCells, announced, onSelect };
}

describe('Heatmap by keyboard', () => {
  it('starts on the bottom-left cell and announces the cell under the cursor as it moves', () => {
    const { key, active } = renderFocused();
    expect(active()?.getAttribute('aria-label')).toBe(
      `${time(1000)}–${time(1100)}, 2 ms–5 ms: 2 traces, 1 with errors`,
    );
    key('End');
    key('ArrowUp');
    key('ArrowUp');
    key('ArrowUp');
    key('ArrowUp'); // past the top row: stays
    expect(active()?.getAttribute('aria-label')).toBe(`${time(1900)}–${time(2000)}, 20 ms–50 ms: 1 traces`);
    expect(screen.getByTestId('keyboard-cursor')).toBeTruthy();
  });

  it('applies the rectangle grown with Shift+arrows, with its counts announced', () => {
    const { key, selectedCells, announced, onSelect } = renderFocused();
    key('ArrowRight', true);
    key('ArrowRight', true);
    key('ArrowUp', true);
    expect(selectedCells()).toHaveLength(6);
    expect(announced()).toBe(
      `Selected ${time(1000)}–${time(1300)}, 2 ms–10 ms: 2 traces, 1 with errors. Enter applies, Escape clears.`,
    );
    key('Enter');
    expect(onSelect).toHaveBeenCalledExactlyOnceWith({
      fromMs: 1000,
      toMs: 1300,
      minDurationMs: 2,
      maxDurationMs: 10,
    });
    expect(selectedCells()).toHaveLength(0);
  });

  it('applies the single cell under the cursor once Escape dropped the selection', () => {
    const { key, selectedCells, announced, onSelect } = renderFocused();
    key('ArrowUp');
    key('ArrowRight', true);
    expect(selectedCells()).toHaveLength(2);
    expect(key('Escape')).toBe(false);
    expect(selectedCells()).toHaveLength(0);
    expect(announced()).toBe('');
    key('Enter');
    expect(onSelect).toHaveBeenCalledExactlyOnceWith({
      fromMs: 1100,
      toMs: 1200,
      minDurationMs: 5,
      maxDurationMs: 10,
    });
  });

  it('leaves Escape without a selection and modified arrows to the page', () => {
    const { heatmap, key } = renderFocused();
    expect(key('Escape')).toBe(true);
    expect(fireEvent.keyDown(heatmap, { key: 'ArrowRight', ctrlKey: true })).toBe(true);
    expect(key('ArrowRight')).toBe(false);
  });

  it('hides the keyboard cursor on a mouse press and still reports the dragged rectangle', () => {
    const { heatmap, key, onSelect } = renderFocused();
    key('ArrowRight');
    const rows = within(heatmap).getAllByRole('row');
    fireEvent.mouseDown(rows[0]!.children[0]!);
    expect(screen.queryByTestId('keyboard-cursor')).toBeNull();
    fireEvent.mouseEnter(rows[1]!.children[1]!);
    fireEvent.mouseUp(rows[1]!.children[1]!);
    expect(onSelect).toHaveBeenCalledExactlyOnceWith({
      fromMs: 1000,
      toMs: 1200,
      minDurationMs: 2,
      maxDurationMs: 10,
    });
  });

  it('passes axe with a selection showing', async () => {
    const { key } = renderFocused();
    key('ArrowUp', true);
    // Not judged here: colours (jsdom has no rendering) and landmarks (the chart is not a page).
    const results = await axe.run(document.body, {
      rules: { 'color-contrast': { enabled: false }, region: { enabled: false } },
    });
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`)).toEqual([]);
  });
});
