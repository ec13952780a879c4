// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { Heatmap } from './Heatmap.tsx';
import { TEST_GRID } from './test-grid.ts';

afterEach(cleanup);

const grid = TEST_GRID;

describe('Heatmap', () => {
  it('labels every cell with its count, marking cells that hold errors', () => {
    render(<Heatmap grid={grid} onSelect={() => {}} />);
    const cells = screen.getAllByRole('gridcell');
    expect(cells).toHaveLength(grid.cells.length);
    expect(
      cells.filter((c) => /2 traces, 1 with errors/.test(c.getAttribute('aria-label') ?? '')),
    ).toHaveLength(1);
    expect(screen.getAllByRole('row')).toHaveLength(grid.edgesNs.length - 1);
  });

  it('reports the rectangle dragged from one cell to another', () => {
    const onSelect = vi.fn();
    render(<Heatmap grid={grid} onSelect={onSelect} />);
    const rows = screen.getAllByRole('row');
    const start = rows[1]!.children[2]!; // row 1 = 5–10 ms, column 2
    const end = rows[3]!.children[5]!; // row 3 = 20–50 ms, column 5
    fireEvent.mouseDown(start);
    fireEvent.mouseEnter(end);
    fireEvent.mouseUp(end);
    expect(onSelect).toHaveBeenCalledWith({ fromMs: 1200, toMs: 1600, minDurationMs: 5, maxDurationMs: 50 });
  });

  it('ignores a mouse-up without a preceding press', () => {
    const onSelect = vi.fn();
    render(<Heatmap grid={grid} onSelect={onSelect} />);
    fireEvent.mouseUp(screen.getAllByRole('gridcell')[0]!);
    expect(onSelect).not.toHaveBeenCalled();
  });
});
