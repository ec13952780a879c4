// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { LogPatternsResponse, LogView } from '@vigil/spec';
import { logAt, renderAt, serve } from './test-harness.tsx';
import { LogsPage } from './LogsPage.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const FROM_MS = 1_700_000_000_000;
const TO_MS = FROM_MS + 3_600_000;
const RANGE = `?from=${FROM_MS}&to=${TO_MS}`;

const url = (): string => screen.getByRole('status', { name: 'Current URL' }).textContent ?? '';
const params = (): URLSearchParams => new URLSearchParams(url().split('?')[1] ?? '');

const patterns: LogPatternsResponse = {
  fromMs: FROM_MS,
  stepMs: 120_000,
  sampled: false,
  scanned: 12,
  patterns: [
    {
      hash: 'a'.repeat(16),
      pattern: 'Invalid user <*> from <*>',
      count: 9,
      sample: 'Invalid user bob from 10.0.0.1',
      severity: 'warn',
      trend: [1, 3, 5],
    },
    {
      hash: 'b'.repeat(16),
      pattern: 'cache miss',
      count: 3,
      sample: 'cache miss',
      severity: 'info',
      trend: [3, 0, 0],
    },
  ],
};

function server(logs: (u: URL) => LogView[] = () => [logAt(FROM_MS + 1000, 'hello')]) {
  return serve((u) => {
    if (u.pathname === '/api/v1/services')
      return { body: { services: [{ name: 'cart', lastSeenMs: TO_MS, signals: ['logs'] }] } };
    if (u.pathname === '/api/v1/logs') return { body: { logs: logs(u) } };
    if (u.pathname === '/api/v1/logs/histogram')
      return { body: { stepMs: 60_000, buckets: [{ timeMs: FROM_MS, counts: { info: 2 } }] } };
    if (u.pathname === '/api/v1/logs/patterns') return { body: patterns };
    return { status: 404, body: { message: 'not found' } };
  });
}

describe('LogsPage', () => {
  it('puts submitted filters in the URL and sends them to the server', async () => {
    const requests = server();
    renderAt(<LogsPage />, RANGE);
    await screen.findByRole('option', { name: 'cart' });
    fireEvent.change(screen.getByRole('combobox', { name: 'Service' }), { target: { value: 'cart' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'error' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'warn' }));
    fireEvent.change(screen.getByRole('textbox', { name: /Attributes/ }), {
      target: { value: 'pod=cart-1' },
    });
    fireEvent.change(screen.getByRole('textbox', { name: /Search/ }), { target: { value: 'timeout' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => expect(params().get('severity')).toBe('error,warn'));
    expect(params().get('service')).toBe('cart');
    expect(params().get('attr.pod')).toBe('cart-1');
    expect(params().get('search')).toBe('timeout');
    expect(params().get('from')).toBe(String(FROM_MS));
    await waitFor(() => {
      const logCalls = requests.filter(
        (r) => r.pathname === '/api/v1/logs' && r.searchParams.get('service') === 'cart',
      );
      expect(logCalls.map((r) => r.searchParams.get('severity')).sort()).toEqual(['error', 'warn']);
      expect(logCalls.every((r) => r.searchParams.get('attr.pod') === 'cart-1')).toBe(true);
    });
  });

  it('fills the form from the URL', async () => {
    server();
    renderAt(<LogsPage />, `${RANGE}&service=cart&severity=warn&attr.pod=x&search=disk%20full`);
    await screen.findByRole('option', { name: 'cart' });
    expect((screen.getByRole('combobox', { name: 'Service' }) as HTMLSelectElement).value).toBe('cart');
    expect((screen.getByRole('checkbox', { name: 'warn' }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole('checkbox', { name: 'info' }) as HTMLInputElement).checked).toBe(false);
    expect((screen.getByRole('textbox', { name: /Attributes/ }) as HTMLInputElement).value).toBe('pod=x');
    expect((screen.getByRole('textbox', { name: /Search/ }) as HTMLInputElement).value).toBe('disk full');
  });

  it('zooms to the range dragged on the histogram', async () => {
    server();
    renderAt(<LogsPage />, RANGE);
    const chart = await screen.findByRole('grid', { name: /severity histogram/i });
    // Default drawing width 1000 over one hour: 1 unit = 3.6 s.
    fireEvent.mouseDown(chart, { clientX: 100 });
    fireEvent.mouseMove(chart, { clientX: 200 });
    fireEvent.mouseUp(chart, { clientX: 200 });
    await waitFor(() => expect(params().get('from')).toBe(String(FROM_MS + 360_000)));
    expect(params().get('to')).toBe(String(FROM_MS + 720_000));
  });

  it('shows patterns with counts, and a click filters the messages by the pattern', async () => {
    server();
    renderAt(<LogsPage />, `${RANGE}&view=patterns`);
    const table = await screen.findByRole('table', { name: 'Log patterns' });
    const rows = within(table).getAllByRole('row');
    expect(within(rows[1]!).getByText('9')).toBeTruthy();
    expect(within(rows[2]!).getByText('3')).toBeTruthy();
    fireEvent.click(within(table).getByRole('button', { name: /Invalid user bob/ }));
    await waitFor(() => expect(params().get('search')).toBe('invalid user from'));
    expect(params().get('view')).toBeNull();
    expect(await screen.findByRole('list', { name: 'Log messages' })).toBeTruthy();
  });

  it('live tail appends records newer than the newest shown, each once', async () => {
    const first = logAt(FROM_MS + 1000, 'first');
    const second = logAt(FROM_MS + 2000, 'second');
    const third = logAt(FROM_MS + 3000, 'third');
    const requests = server((u) => {
      const from = Number(u.searchParams.get('from'));
      // Tail polls start at the newest record's ms, so the newest shown comes back every time.
      if (from >= FROM_MS + 2000) return [third, second];
      if (from >= FROM_MS + 1000) return [second, first];
      return [first];
    });
    renderAt(<LogsPage tailIntervalMs={20} />, RANGE);
    await screen.findByText('1 message');
    fireEvent.click(screen.getByRole('switch', { name: 'Live tail' }));
    await screen.findByText('3 messages, tailing');
    // A few more polls return only what is shown: nothing is added twice.
    const polls = requests.length;
    await waitFor(() => expect(requests.length).toBeGreaterThan(polls + 2));
    const list = screen.getByRole('list', { name: 'Log messages' });
    expect(
      within(list)
        .getAllByRole('button')
        .map((b) => b.textContent?.match(/first|second|third/)?.[0]),
    ).toEqual(['first', 'second', 'third']);
  });

  it('fetches older records, up to the oldest held millisecond, when the list is scrolled to the top', async () => {
    // The newest page is full (1,000 records, 1 ms apart); the older page holds what precedes it
    // plus a repeat of the oldest held record, which must not be shown twice.
    const newest = Array.from({ length: 1000 }, (_, i) => logAt(TO_MS - 1000 + i, `new ${i}`)).reverse();
    const oldestHeld = newest[newest.length - 1]!;
    const older = [oldestHeld, ...Array.from({ length: 10 }, (_, i) => logAt(TO_MS - 1001 - i, `old ${i}`))];
    const requests = server((u) => (Number(u.searchParams.get('to')) === TO_MS ? newest : older));
    renderAt(<LogsPage />, RANGE);
    await screen.findByText('1,000 messages, scroll up for older');
    fireEvent.scroll(screen.getByRole('list', { name: 'Log messages' }));
    await screen.findByText('1,010 messages');
    const olderCall = requests.filter((r) => r.pathname === '/api/v1/logs').at(-1)!;
    expect(olderCall.searchParams.get('to')).toBe(String(TO_MS - 1000 + 1));
    expect(olderCall.searchParams.get('from')).toBe(String(FROM_MS));
    const list = screen.getByRole('list', { name: 'Log messages' });
    expect(within(list).getAllByRole('listitem')[0]?.getAttribute('aria-setsize')).toBe('1010');
  });

  it('explains how to send logs when there are none', async () => {
    server(() => []);
    renderAt(<LogsPage />, RANGE);
    const empty = await screen.findByRole('region', { name: 'No logs yet' });
    expect(within(empty).getByText('/v1/logs')).toBeTruthy();
    expect(within(empty).getByText(/node agent/)).toBeTruthy();
  });

  it('shows the server error when the search fails', async () => {
    serve((u) =>
      u.pathname === '/api/v1/logs'
        ? { status: 400, body: { error: { code: 'bad_request', message: 'invalid query: limit' } } }
        : { body: { services: [], stepMs: 60_000, buckets: [] } },
    );
    renderAt(<LogsPage />, RANGE);
    expect((await screen.findByRole('alert')).textContent).toContain('invalid query: limit');
  });
});
