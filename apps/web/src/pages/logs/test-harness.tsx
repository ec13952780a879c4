/**
 * Test harness for the logs page and its components (imported only by tests): the providers the
 * shell gives a page, a fake fetch answering recorded-shape responses, and the current URL.
 */
import type { ReactElement } from 'react';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { vi } from 'vitest';
import type { LogView } from '@vigil/spec';

function LocationProbe() {
  const location = useLocation();
  return <output aria-label="Current URL">{location.pathname + location.search}</output>;
}

/** Mantine reads colour-scheme media queries, which jsdom does not implement. */
function polyfillMatchMedia(): void {
  if (typeof window.matchMedia === 'function') return;
  window.matchMedia = (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => {},
      removeListener: () => {},
      addEventListener: () => {},
      removeEventListener: () => {},
      dispatchEvent: () => false,
    }) as MediaQueryList;
}

export type Handler = (url: URL) => { status?: number; body: unknown };

/** Replaces fetch with `handler`; returns the requested URLs. */
export function serve(handler: Handler): URL[] {
  const requests: URL[] = [];
  vi.stubGlobal('fetch', async (input: string) => {
    const url = new URL(input, 'http://vigil.test');
    requests.push(url);
    const { status = 200, body } = handler(url);
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  });
  return requests;
}

/** Renders `ui` at `/logs` + `search` inside the providers. */
export function renderAt(ui: ReactElement, search = ''): RenderResult {
  polyfillMatchMedia();
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <MantineProvider>
      <QueryClientProvider client={client}>
        <MemoryRouter initialEntries={[`/logs${search}`]}>
          <Routes>
            <Route path="/logs" element={ui} />
          </Routes>
          <LocationProbe />
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

/** A log record at `ms` with sensible defaults. */
export function logAt(ms: number, body: string, extra: Partial<LogView> = {}): LogView {
  return {
    timestampUnixNano: (BigInt(ms) * 1_000_000n).toString(),
    serviceName: 'cart',
    severityText: 'INFO',
    severityNumber: 9,
    body,
    traceId: '',
    spanId: '',
    attributes: {},
    resourceAttributes: {},
    ...extra,
  };
}
