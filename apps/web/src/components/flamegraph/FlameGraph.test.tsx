// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import type { DiffFlameGraphNode, FlameGraphNode } from '@vigil/spec';
import { ROW_HEIGHT_PX } from './flame-draw.ts';
import { FlameGraph } from './FlameGraph.tsx';
import { renderWithMantine } from './test-utils.tsx';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

function n(name: string, total: number, children: FlameGraphNode[] = []): FlameGraphNode {
  return { name, total, self: total - children.reduce((s, c) => s + c.total, 0), children };
}

// In jsdom the container has no width, so the graph lays out at the 960 px fallback: 9.6 px/unit.
const PX = 9.6;
const tree = n('total', 100, [n('main', 60, [n('parse', 30), n('eval', 20)]), n('gc', 40)]);

const canvas = (): HTMLElement => screen.getByRole('application', { name: /flame graph/i });
const at = (x: number, depth: number) => ({ clientX: x * PX, clientY: depth * ROW_HEIGHT_PX + 5 });
const statuses = (): string[] => screen.getAllByRole('status').map((s) => s.textContent ?? '');
const functionCells = (): string[] =>
  within(screen.getByRole('table'))
    .getAllByRole('row')
    .slice(1)
    .map((r) => within(r).getAllByRole('cell')[0]?.textContent ?? '');

describe('FlameGraph', () => {
  it('draws nothing but stays usable when the canvas has no 2D context', () => {
    renderWithMantine(<FlameGraph root={tree} unit="samples" />);
    expect(canvas().getAttribute('aria-label')).toMatch(/of total, 5 frames shown/);
    expect(functionCells()).toEqual(['gc', 'parse', 'eval', 'main']); // by self, largest first
  });

  it('zooms into a clicked frame and resets', () => {
    renderWithMantine(<FlameGraph root={tree} unit="samples" />);
    const reset = screen.getByRole('button', { name: 'Reset zoom' });
    expect(reset).toHaveProperty('disabled', true);

    fireEvent.click(canvas(), at(10, 1)); // main
    expect(canvas().getAttribute('aria-label')).toMatch(/of main, 3 frames shown/);
    expect(screen.getByRole('table', { name: 'Top functions under main' })).toBeTruthy();
    expect(functionCells()).not.toContain('gc');
    const crumbs = screen.getByRole('navigation', { name: 'Zoom path' });
    expect(within(crumbs).getByRole('button', { name: 'total' })).toBeTruthy();

    // After zooming, main spans the full width: eval now sits at 30/60 of it.
    fireEvent.click(canvas(), { clientX: 960 * 0.55, clientY: ROW_HEIGHT_PX + 5 });
    expect(canvas().getAttribute('aria-label')).toMatch(/of eval/);

    fireEvent.click(screen.getByRole('button', { name: 'Reset zoom' }));
    expect(canvas().getAttribute('aria-label')).toMatch(/of total/);
    expect(screen.getByRole('table', { name: 'Top functions' })).toBeTruthy();
  });

  it('zooms out to an ancestor from the breadcrumb', () => {
    renderWithMantine(<FlameGraph root={tree} unit="samples" />);
    fireEvent.click(canvas(), at(10, 2)); // parse, under main
    const crumbs = screen.getByRole('navigation', { name: 'Zoom path' });
    fireEvent.click(within(crumbs).getByRole('button', { name: 'main' }));
    expect(canvas().getAttribute('aria-label')).toMatch(/of main/);
  });

  it('moves a keyboard selection, announces it, and zooms on Enter', () => {
    renderWithMantine(<FlameGraph root={tree} unit="samples" />);
    fireEvent.keyDown(canvas(), { key: 'ArrowDown' }); // selects the root first
    fireEvent.keyDown(canvas(), { key: 'ArrowDown' });
    fireEvent.keyDown(canvas(), { key: 'ArrowRight' });
    expect(statuses()).toContain('gc: total 40 (40.00%), self 40');
    fireEvent.keyDown(canvas(), { key: 'Enter' });
    expect(canvas().getAttribute('aria-label')).toMatch(/of gc/);
    fireEvent.keyDown(canvas(), { key: 'Escape' });
    expect(canvas().getAttribute('aria-label')).toMatch(/of total/);
  });

  it('shows name, self, total and share of the hovered frame', () => {
    renderWithMantine(<FlameGraph root={tree} unit="samples" />);
    fireEvent.mouseMove(canvas(), at(35, 2)); // eval
    const tip = screen.getByRole('tooltip');
    expect(tip.textContent).toContain('eval');
    expect(tip.textContent).toContain('Total: 20 (20.00% of total)');
    expect(tip.textContent).toContain('Self: 20');
    fireEvent.mouseLeave(canvas());
    expect(screen.queryByRole('tooltip')).toBeNull();
  });

  it('reports the frames and share a search matches', () => {
    renderWithMantine(<FlameGraph root={tree} unit="samples" />);
    fireEvent.change(screen.getByRole('textbox', { name: 'Search frames' }), { target: { value: 'ar' } });
    expect(statuses()).toContain('1 matching frame, 30.00% of total (30)'); // parse
    fireEvent.change(screen.getByRole('textbox', { name: 'Search frames' }), { target: { value: 'a' } });
    expect(statuses()).toContain('4 matching frames, 100.00% of total (100)');
  });
});

describe('diff FlameGraph', () => {
  function dn(
    name: string,
    total: number,
    baseTotal: number,
    children: DiffFlameGraphNode[] = [],
  ): DiffFlameGraphNode {
    return { name, total, self: total, baseTotal, baseSelf: baseTotal, children };
  }
  const diff = dn('total', 100, 100, [dn('grew', 70, 20), dn('shrank', 30, 80)]);

  it('shows a legend and the change in the tooltip', () => {
    renderWithMantine(<FlameGraph root={diff} unit="samples" />);
    expect(screen.getByRole('group', { name: 'Diff colour legend' }).textContent).toMatch(/Shrank.*Grew/);
    // Diff widths are current + base share: "grew" spans (0.7 + 0.2) / 2 of the width.
    fireEvent.mouseMove(canvas(), { clientX: 100, clientY: ROW_HEIGHT_PX + 5 });
    expect(screen.getByRole('tooltip').textContent).toContain('Change in share: +71.4%');
  });

  it('draws frames that grew in red and frames that shrank in blue', () => {
    const fills: Array<{ style: string; x: number; y: number }> = [];
    const ctx = {
      fillStyle: '',
      setTransform: () => undefined,
      clearRect: () => undefined,
      fillRect(x: number, y: number) {
        fills.push({ style: String(this.fillStyle), x, y });
      },
      measureText: (t: string) => ({ width: t.length * 7 }),
      fillText: () => undefined,
      strokeRect: () => undefined,
    };
    // jsdom has no canvas; a recording context shows what would be painted.
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(
      ctx as unknown as CanvasRenderingContext2D,
    );
    renderWithMantine(<FlameGraph root={diff} unit="samples" />);
    const row1 = fills.filter((f) => f.y === ROW_HEIGHT_PX).sort((a, b) => a.x - b.x);
    expect(row1.map((f) => f.style.split(',')[0])).toEqual(['hsl(0', 'hsl(220']);
  });
});
