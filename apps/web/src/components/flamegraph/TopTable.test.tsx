// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { TopTable } from './TopTable.tsx';
import { renderWithMantine } from './test-utils.tsx';

afterEach(cleanup);

const stats = [
  { name: 'b.parse', self: 50, total: 60 },
  { name: 'a.alloc', self: 20, total: 90 },
  { name: 'c.gc', self: 30, total: 30 },
];

function names(): string[] {
  return within(screen.getByRole('table'))
    .getAllByRole('row')
    .slice(1)
    .map((r) => within(r).getAllByRole('cell')[0]?.textContent ?? '');
}

const header = (name: string): HTMLElement =>
  screen.getByRole('columnheader', { name: new RegExp(`^${name}`) });

describe('TopTable', () => {
  it('sorts by self, largest first, by default', () => {
    renderWithMantine(<TopTable stats={stats} grandTotal={100} unit="samples" caption="Top functions" />);
    expect(names()).toEqual(['b.parse', 'c.gc', 'a.alloc']);
    expect(header('Self').getAttribute('aria-sort')).toBe('descending');
  });

  it.each([
    { clicks: ['Total'], order: ['a.alloc', 'b.parse', 'c.gc'], sort: 'descending' },
    { clicks: ['Total', 'Total'], order: ['c.gc', 'b.parse', 'a.alloc'], sort: 'ascending' },
    { clicks: ['Function'], order: ['a.alloc', 'b.parse', 'c.gc'], sort: 'ascending' },
    { clicks: ['Self'], order: ['a.alloc', 'c.gc', 'b.parse'], sort: 'ascending' },
  ])('after clicking $clicks the order is $order', ({ clicks, order, sort }) => {
    renderWithMantine(<TopTable stats={stats} grandTotal={100} unit="samples" caption="Top functions" />);
    for (const c of clicks) fireEvent.click(screen.getByRole('button', { name: new RegExp(`^${c}`) }));
    expect(names()).toEqual(order);
    expect(header(clicks[0]!).getAttribute('aria-sort')).toBe(sort);
  });

  it('shows values with their share of the total and caps the rows', () => {
    renderWithMantine(<TopTable stats={stats} grandTotal={200} unit="samples" caption="Top" limit={2} />);
    expect(screen.getByRole('row', { name: /b\.parse/ }).textContent).toContain('25.00%');
    expect(names()).toHaveLength(3); // 2 rows + the "more" footer row
    expect(screen.getByText('1 more functions not shown')).toBeTruthy();
  });
});
