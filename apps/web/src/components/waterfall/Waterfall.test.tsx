// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { TraceView } from '@vigil/spec';
import { span, wideTrace } from './test-spans.ts';
import { Waterfall } from './Waterfall.tsx';

afterEach(cleanup);

const trace: TraceView = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spans: [
    span('root', '', 0, 100, { serviceName: 'frontend', name: 'GET /cart' }),
    span('db', 'root', 5, 40, {
      serviceName: 'cart',
      name: 'SELECT cart',
      statusCode: 'Error',
      statusMessage: 'deadline exceeded',
      attributes: { 'db.system': 'postgresql', 'db.statement': 'SELECT * FROM cart' },
      resourceAttributes: { 'host.name': 'cart-7d9f' },
    }),
    span('cache', 'db', 6, 2, { serviceName: 'cart', name: 'redis GET' }),
    span('lost', 'gone', 50, 10, { serviceName: 'payments', name: 'charge' }),
  ],
};

const dataRows = (): HTMLElement[] =>
  screen.getAllByRole('row').filter((r) => r.getAttribute('aria-rowindex') !== null);

describe('Waterfall', () => {
  it('renders the tree with nesting levels and marks orphans and errors in text', () => {
    render(<Waterfall trace={trace} />);
    const rows = dataRows();
    expect(rows.map((r) => r.getAttribute('aria-level'))).toEqual(['1', '2', '3', '1']);
    expect(within(rows[1]!).getByRole('button', { name: /error.*cart.*SELECT cart/ })).toBeTruthy();
    expect(within(rows[3]!).getByRole('button', { name: /orphan.*payments.*charge/ })).toBeTruthy();
  });

  it('collapses and expands a subtree', () => {
    render(<Waterfall trace={trace} />);
    fireEvent.click(screen.getByRole('button', { name: 'Collapse SELECT cart' }));
    expect(screen.queryByRole('button', { name: /redis GET/ })).toBeNull();
    expect(dataRows()[1]?.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(screen.getByRole('button', { name: 'Expand SELECT cart' }));
    expect(screen.getByRole('button', { name: /redis GET/ })).toBeTruthy();
  });

  it('shows attributes, resource and status message of the clicked span', () => {
    render(<Waterfall trace={trace} />);
    fireEvent.click(screen.getByRole('button', { name: /^⚠ error cart SELECT cart/ }));
    const panel = screen.getByRole('region', { name: 'Span details: SELECT cart' });
    const attributes = within(panel).getByRole('table', { name: 'Attributes' });
    expect(within(attributes).getByRole('row', { name: 'db.system postgresql' })).toBeTruthy();
    expect(within(panel).getByRole('table', { name: 'Resource' }).textContent).toContain('cart-7d9f');
    expect(panel.textContent).toContain('Error: deadline exceeded');
    fireEvent.click(within(panel).getByRole('button', { name: 'Close span details' }));
    expect(screen.queryByRole('region', { name: /Span details/ })).toBeNull();
  });

  it('announces the critical path and stops when the highlight is turned off', () => {
    render(<Waterfall trace={trace} />);
    expect(screen.getAllByRole('button', { name: /on the critical path/ })).toHaveLength(3);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Highlight critical path' }));
    expect(screen.queryAllByRole('button', { name: /on the critical path/ })).toHaveLength(0);
  });

  it('lists every service in the legend', () => {
    render(<Waterfall trace={trace} />);
    const legend = screen.getByRole('list', { name: 'Legend' });
    expect(
      within(legend)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(expect.arrayContaining(['cart', 'frontend', 'payments']));
  });

  it('renders only a window of rows for a 10,000-span trace and follows the scroll', () => {
    render(<Waterfall trace={{ traceId: 'x', spans: wideTrace(10_000) }} viewportHeightPx={480} />);
    expect(screen.getByRole('treegrid').getAttribute('aria-rowcount')).toBe('10000');
    const first = dataRows();
    expect(first.length).toBeGreaterThan(10);
    expect(first.length).toBeLessThan(60);
    expect(first[0]?.getAttribute('aria-rowindex')).toBe('1');

    const body = screen.getAllByRole('rowgroup')[1]!;
    body.scrollTop = 5000 * 24;
    fireEvent.scroll(body);
    const indexes = dataRows().map((r) => Number(r.getAttribute('aria-rowindex')));
    expect(indexes.length).toBeLessThan(60);
    expect(Math.min(...indexes)).toBeGreaterThan(4900);
    expect(indexes).toContain(5001);
  });
});
