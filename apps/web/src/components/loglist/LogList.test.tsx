// @vitest-environment jsdom
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { logAt, renderAt } from '../../pages/logs/test-harness.tsx';
import { LogList } from './LogList.tsx';
import { LOG_ROW_PX } from './LogRow.tsx';

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

  it('asks for older records near the top and keeps the rows in view when they are prepended', () => {
    const records = Array.from({ length: 100 }, (_, i) => logAt(T0 + i, `message ${i}`));
    const older = Array.from({ length: 50 }, (_, i) => logAt(T0 - 50 + i, `older ${i}`));
    const onReachStart = vi.fn();
    // The records live in state, as on the page, so the list sees them change rather than remount.
    function Growing() {
      const [shown, setShown] = useState(records);
      return (
        <>
          <button type="button" onClick={() => setShown([...older, ...records])}>
            Prepend
          </button>
          <LogList
            records={shown}
            follow={false}
            initialRect={{ width: 800, height: 300 }}
            onReachStart={onReachStart}
          />
        </>
      );
    }
    renderAt(<Growing />);
    const list = screen.getByRole('list', { name: 'Log messages' });
    list.scrollTop = 2000;
    fireEvent.scroll(list);
    expect(onReachStart).not.toHaveBeenCalled();
    list.scrollTop = 100;
    fireEvent.scroll(list);
    expect(onReachStart).toHaveBeenCalledTimes(1);
    // Expanded before the prepend, still expanded after it: state follows the record.
    fireEvent.click(screen.getByRole('button', { name: /message 3\b/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Prepend' }));
    expect(list.scrollTop).toBe(100 + 50 * LOG_ROW_PX);
    fireEvent.scroll(list); // a browser fires it for the scrollTop change; jsdom does not
    expect(within(list).getAllByRole('listitem')[0]?.getAttribute('aria-setsize')).toBe('150');
    expect(screen.getByRole('button', { name: /message 3\b/ }).getAttribute('aria-expanded')).toBe('true');
  });

  it('offers no trace link for a record logged outside a span', () => {
    renderAt(<LogList records={[logAt(T0, 'no span')]} follow={false} />);
    fireEvent.click(screen.getByRole('button', { name: /no span/ }));
    expect(screen.queryByRole('link', { name: /view trace/i })).toBeNull();
  });
});
