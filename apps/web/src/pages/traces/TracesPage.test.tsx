// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import type { TraceSummary, TraceView } from '@vigil/spec';
import { span } from '../../components/waterfall/test-spans.ts';
import { renderAt, serve } from './render-page.tsx';
import { TracesPage } from './TracesPage.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const FROM_MS = 1_700_000_000_000;
const TO_MS = FROM_MS + 3_600_000;
const RANGE = `?from=${FROM_MS}&to=${TO_MS}`;
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

const summary = (id: string, offsetMs: number, durationMs: number, hasError: boolean): TraceSummary => ({
  traceId: id,
  rootServiceName: 'frontend',
  rootSpanName: `GET /${id.slice(0, 4)}`,
  startTimeUnixNano: (BigInt(FROM_MS + offsetMs) * 1_000_000n).toString(),
  durationNs: durationMs * 1e6,
  spanCount: 3,
  hasError,
});

const traces = [summary(TRACE_ID, 60_000, 30, true), summary('1'.repeat(32), 1_800_000, 400, false)];
const trace: TraceView = { traceId: TRACE_ID, spans: [span('root', '', 0, 30, { name: 'GET /cart' })] };

const url = (): string => screen.getByRole('status', { name: 'Current URL' }).textContent ?? '';

function server(list: TraceSummary[] = traces) {
  return serve((u) => {
    if (u.pathname === '/api/v1/services')
      return { body: { services: [{ name: 'cart', lastSeenMs: TO_MS, signals: ['traces'] }] } };
    if (u.pathname === '/api/v1/traces') return { body: { traces: list } };
    if (u.pathname === `/api/v1/traces/${TRACE_ID}`) return { body: trace };
    return { status: 404, body: { message: 'not found' } };
  });
}

describe('TracesPage', () => {
  it('lists matching traces with their errors, and opens the waterfall of a clicked trace', async () => {
    server();
    renderAt(<TracesPage />, RANGE);
    const table = await screen.findByRole('table', { name: 'Traces' });
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    expect(within(table).getByText('⚠ error')).toBeTruthy();
    fireEvent.click(within(table).getByRole('link', { name: 'GET /0af7' }));
    expect(url()).toContain(`trace=${TRACE_ID}`);
    expect(await screen.findByRole('treegrid', { name: 'Trace waterfall' })).toBeTruthy();
    expect(screen.getByRole('link', { name: '← Back to results' }).getAttribute('href')).not.toContain(
      'trace=',
    );
  });

  it('puts the submitted search in the URL and sends it to the server', async () => {
    const requests = server();
    renderAt(<TracesPage />, RANGE);
    await screen.findByRole('option', { name: 'cart' });
    fireEvent.change(screen.getByRole('combobox', { name: 'Service' }), { target: { value: 'cart' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Status' }), { target: { value: 'error' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'Attribute (key=value)' }), {
      target: { value: 'http.route=/cart' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    expect(url()).toContain('service=cart&status=error&attr.http.route=%2Fcart');
    await vi.waitFor(() => {
      const last = requests.filter((r) => r.pathname === '/api/v1/traces').at(-1);
      expect(last?.searchParams.get('attr.http.route')).toBe('/cart');
      expect(last?.searchParams.get('from')).toBe(String(FROM_MS));
    });
  });

  it('refuses an attribute filter without "=" and says why', async () => {
    server();
    renderAt(<TracesPage />, RANGE);
    fireEvent.change(screen.getByRole('textbox', { name: 'Attribute (key=value)' }), {
      target: { value: 'oops' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    expect(await screen.findByText('Attribute filters look like key=value')).toBeTruthy();
    expect(url()).not.toContain('oops');
  });

  it('narrows the search to the window and duration band dragged on the heatmap', async () => {
    server();
    renderAt(<TracesPage />, RANGE);
    const heatmap = await screen.findByRole('grid', { name: /Latency heatmap/ });
    const rows = within(heatmap).getAllByRole('row');
    // 60 columns of one minute; the first trace is in column 1, row 0 (20–50 ms).
    const cell = rows[0]!.children[1]!;
    expect(cell.getAttribute('aria-label')).toContain('1 traces, 1 with errors');
    fireEvent.mouseDown(cell);
    fireEvent.mouseEnter(rows[0]!.children[2]!);
    fireEvent.mouseUp(rows[0]!.children[2]!);
    const params = new URLSearchParams(url().split('?')[1]);
    expect(params.get('from')).toBe(String(FROM_MS + 60_000));
    expect(params.get('to')).toBe(String(FROM_MS + 180_000));
    expect(params.get('minDurationMs')).toBe('20');
    expect(params.get('maxDurationMs')).toBe('50');
  });

  it('explains how to send traces when there are none', async () => {
    server([]);
    renderAt(<TracesPage />, RANGE);
    const empty = await screen.findByRole('alert');
    expect(empty.textContent).toContain('No traces yet');
    expect(empty.textContent).toContain(':4318');
    expect(empty.textContent).toContain(':4317');
    expect(empty.textContent).toContain('X-API-Key');
  });

  it('shows the server error in the page', async () => {
    serve(() => ({ status: 400, body: { message: 'invalid query: from must be before to' } }));
    renderAt(<TracesPage />, RANGE);
    const alert = await screen.findByRole('alert');
    await vi.waitFor(() => expect(alert.textContent).toContain('from must be before to'));
  });
});
