/**
 * Test harness for the traces page (imported only by tests): the providers the app shell gives
 * it, a server answering from recorded-shape responses, and the current URL for assertions.
 */
import type { ReactElement } from 'react';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { vi } from 'vitest';

/** The URL as the router sees it, rendered so tests can read it by role. */
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

/** Renders `page` at `/traces` + `search` inside the providers. */
export function renderAt(page: ReactElement, search: string): RenderResult {
  polyfillMatchMedia();
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <MantineProvider>
      <QueryClientProvider client={client}>
        <MemoryRouter initialEntries={[`/traces${search}`]}>
          <Routes>
            <Route path="/traces" element={page} />
          </Routes>
          <LocationProbe />
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
}
