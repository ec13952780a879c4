// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { logAt, renderAt } from '../../pages/logs/test-harness.tsx';
import { LogList } from './LogList.tsx';

afterEach(cleanup);

const T0 = 1_700_000_000_000;

describe('LogList', () => {
  it('renders only a window of rows for 100k records', () => {
    const records = Array.from({ length: 100_000 }, (_, i) => logAt(T0 + i, `message ${i}`));
    renderAt(<LogList records={records} follow={false} initialRect={{ width: 800, height: 300 }} />);
    const rows = within(screen.getByRole('list', { name: 'Log messages' })).getAllByRole('listitem');
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(40);
    expect(rows[0]?.getAttribute('aria-setsize')).toBe('100000');
  });

  it('expands a clicked row into its attributes, pretty JSON body and trace link', () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const records = [
      logAt(T0, 'plain message'),
      logAt(T0 + 1, '{"msg":"charge failed","amount":12}', {
        traceId,
        severityText: 'ERROR',
        attributes: { 'order.id': 'o-7', attempt: '2' },
        resourceAttributes: { 'k8s.pod.name': 'cart-1' },
      }),
    ];
    renderAt(<LogList records={records} follow={false} initialRect={{ width: 800, height: 300 }} />);
    const row = screen.getByRole('button', { name: /charge failed/ });
    expect(row.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByRole('table', { name: 'Attributes' })).toBeNull();
    fireEvent.click(row);
    expect(row.getAttribute('aria-expanded')).toBe('true');
    const table = screen.getByRole('table', { name: 'Attributes' });
    expect(within(table).getByText('order.id')).toBeTruthy();
    expect(within(table).getByText('o-7')).toBeTruthy();
    expect(
      within(screen.getByRole('table', { name: 'Resource attributes' })).getByText('cart-1'),
    ).toBeTruthy();
    expect(screen.getByLabelText('Message body').textContent).toContain('"amount": 12');
    expect(screen.getByRole('link', { name: /view trace/i }).getAttribute('href')).toBe(
      `/traces?trace=${traceId}`,
    );
    fireEvent.click(row);
    expect(screen.queryByRole('table', { name: 'Attributes' })).toBeNull();
  });

  it('offers no trace link for a record logged outside a span', () => {
    renderAt(<LogList records={[logAt(T0, 'no span')]} follow={false} />);
    fireEvent.click(screen.getByRole('button', { name: /no span/ }));
    expect(screen.queryByRole('link', { name: /view trace/i })).toBeNull();
  });
});
