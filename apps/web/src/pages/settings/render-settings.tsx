/**
 * Test harness for the settings page (imported only by tests): the providers the shell gives
 * it, and a fake server that answers by method and path, recording every request with its body.
 */
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { vi } from 'vitest';
import { SettingsPage } from './SettingsPage.tsx';
import { polyfillMatchMedia } from '../../testing/match-media.ts';

/** A request the page sent. */
export interface SentRequest {
  readonly method: string;
  readonly url: URL;
  readonly body: unknown;
}

/** Answers a request: a status (default 200) and a JSON body (none for 204). */
export type Handler = (req: SentRequest) => { status?: number; body?: unknown };

/** Replaces fetch with `handler`; returns the list the requests are appended to. */
export function serve(handler: Handler): SentRequest[] {
  const requests: SentRequest[] = [];
  vi.stubGlobal('fetch', async (input: string, init?: RequestInit) => {
    const raw = typeof init?.body === 'string' ? init.body : undefined;
    const req: SentRequest = {
      method: init?.method ?? 'GET',
      url: new URL(input, 'http://vigil.test'),
      body: raw === undefined ? undefined : (JSON.parse(raw) as unknown),
    };
    requests.push(req);
    const { status = 200, body } = handler(req);
    if (status === 204) return new Response(null, { status });
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  });
  return requests;
}

/** The server's error answer (apps/server/src/http/json-errors.ts). */
export function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

/** Renders the settings page at `/settings/<tab>?project=default`. */
export function renderSettings(tab: string): RenderResult {
  polyfillMatchMedia();
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  return render(
    <MantineProvider>
      <QueryClientProvider client={client}>
        <MemoryRouter initialEntries={[`/settings/${tab}?project=default`]}>
          <Routes>
            <Route path="/settings/*" element={<SettingsPage />} />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

/** `GET /api/v1/projects` as the server answers on a fresh install. */
export const PROJECTS = { projects: [{ id: 'default', name: 'default', createdAt: 1_764_000_000_000 }] };
