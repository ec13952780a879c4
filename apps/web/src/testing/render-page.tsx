/**
 * What page tests share (imported only by tests): the providers the app shell gives a page, a
 * fake server answering fetch with responses shaped like the real server's, and the current URL
 * rendered so tests can assert navigation by role.
 */
import type { ReactElement } from 'react';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { vi } from 'vitest';
import { polyfillMatchMedia } from './match-media.ts';
import { polyfillLayoutApis } from './layout-apis.ts';

export { polyfillMatchMedia } from './match-media.ts';

/** The URL as the router sees it, rendered so tests can read it by role. */
function LocationProbe() {
  const location = useLocation();
  return <output aria-label="Current URL">{location.pathname + location.search}</output>;
}

/** What the fake server answers for a URL. */
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

/** Renders `routes` (path pattern → element) at `url` inside the shell's providers. */
export function renderRoutes(routes: Record<string, ReactElement>, url: string): RenderResult {
  polyfillMatchMedia();
  polyfillLayoutApis();
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <MantineProvider>
      <QueryClientProvider client={client}>
        <MemoryRouter initialEntries={[url]}>
          <Routes>
            {Object.entries(routes).map(([path, element]) => (
              <Route key={path} path={path} element={element} />
            ))}
          </Routes>
          <LocationProbe />
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
}
