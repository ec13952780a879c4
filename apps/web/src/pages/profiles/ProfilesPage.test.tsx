// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReactNode } from 'react';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter, useLocation } from 'react-router';
import type { DiffFlameGraphResponse, FlameGraphResponse } from '@vigil/spec';
import { polyfillMatchMedia } from '../../testing/match-media.ts';
import { ProfilesPage } from './ProfilesPage.tsx';

// The server cannot run in jsdom; these are responses shaped as apps/server/src/api sends them.
const FROM = 1_700_000_000_000;
const TO = FROM + 3_600_000;
const graph = {
  name: 'total',
  total: 100,
  self: 0,
  children: [{ name: 'main.handle', total: 100, self: 100, children: [] }],
};

type Responder = (url: URL) => { status: number; body: unknown };
let requests: URL[] = [];

function serve(respond: Responder): void {
  requests = [];
  vi.stubGlobal('fetch', async (input: string) => {
    const url = new URL(input, 'http://vigil.test');
    requests.push(url);
    const { status, body } = respond(url);
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  });
}

const happy: Responder = (url) => {
  if (url.pathname === '/api/v1/services')
    return { status: 200, body: { services: [{ name: 'checkout', lastSeenMs: TO, signals: ['traces'] }] } };
  if (url.pathname === '/api/v1/profiles/types')
    return { status: 200, body: { types: ['ebpf:cpu:nanoseconds', 'cpu:samples'] } };
  const base = url.searchParams.get('baseFrom');
  const common = {
    service: 'checkout',
    type: url.searchParams.get('type') ?? '',
    fromMs: FROM,
    toMs: TO,
    truncated: false,
  };
  if (base === null)
    return { status: 200, body: { ...common, flamegraph: graph } satisfies Partial<FlameGraphResponse> };
  const diffGraph = {
    ...graph,
    baseTotal: 50,
    baseSelf: 0,
    children: [{ ...graph.children[0]!, baseTotal: 50, baseSelf: 50 }],
  };
  const body: Partial<DiffFlameGraphResponse> = {
    ...common,
    baseFromMs: Number(base),
    baseToMs: FROM,
    flamegraph: diffGraph,
  };
  return { status: 200, body };
};

function Location(): ReactNode {
  return <output aria-label="location">{useLocation().search}</output>;
}

function renderPage(search: string): void {
  polyfillMatchMedia();
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <MantineProvider>
      <QueryClientProvider client={client}>
        <MemoryRouter initialEntries={[`/profiles?from=${FROM}&to=${TO}${search}`]}>
          <ProfilesPage />
          <Location />
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

const location = (): URLSearchParams =>
  new URLSearchParams(screen.getByRole('status', { name: 'location' }).textContent ?? '');
const flameRequests = (): URL[] => requests.filter((u) => u.pathname === '/api/v1/profiles/flamegraph');

beforeEach(() => serve(happy));
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('ProfilesPage', () => {
  it('explains how to get profiles before a service is chosen', () => {
    renderPage('');
    expect(screen.getByRole('heading', { name: 'Choose a service to see its profiles' })).toBeTruthy();
    expect(screen.getByText(/eBPF profiler/)).toBeTruthy();
    expect(screen.getByText('coroot.com/profile-scrape: "true"')).toBeTruthy();
  });

  it('puts a listed service in the URL as soon as it is picked', async () => {
    renderPage('');
    // The suggestions are a native datalist, which has no role to query by.
    await waitFor(() => expect(document.querySelector('datalist option[value="checkout"]')).not.toBeNull());
    fireEvent.change(screen.getByRole('combobox', { name: 'Service' }), { target: { value: 'checkout' } });
    await waitFor(() => expect(location().get('service')).toBe('checkout'));
  });

  it('accepts a typed service that is not listed (profile-only services) on Enter', async () => {
    renderPage('&type=cpu:samples');
    const input = screen.getByRole('combobox', { name: 'Service' });
    fireEvent.change(input, { target: { value: '/k8s/shop/cart' } });
    expect(location().get('service')).toBeNull(); // not while typing
    fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(location().get('service')).toBe('/k8s/shop/cart'));
    expect(location().has('type')).toBe(false); // the old type belonged to another service
  });

  it('shows the flame graph of the first profile type of the service', async () => {
    renderPage('&service=checkout');
    expect(await screen.findByRole('application', { name: /^Flame graph of total/ })).toBeTruthy();
    const req = flameRequests()[0]!;
    expect(req.searchParams.get('type')).toBe('ebpf:cpu:nanoseconds');
    expect(req.searchParams.get('from')).toBe(String(FROM));
    expect(req.searchParams.has('baseFrom')).toBe(false);
    expect((screen.getByRole('combobox', { name: 'Profile type' }) as HTMLSelectElement).value).toBe(
      'ebpf:cpu:nanoseconds',
    );
  });

  it('compares with the previous period as a diff flame graph, kept in the URL', async () => {
    renderPage('&service=checkout&type=cpu:samples');
    await screen.findByRole('application', { name: /^Flame graph/ });
    fireEvent.change(screen.getByRole('combobox', { name: 'Compare with' }), {
      target: { value: 'previous' },
    });
    expect(await screen.findByRole('application', { name: /^Diff flame graph/ })).toBeTruthy();
    expect(location().get('compare')).toBe('previous');
    const req = flameRequests().at(-1)!;
    expect(req.searchParams.get('baseFrom')).toBe(String(FROM - 3_600_000));
    expect(req.searchParams.get('baseTo')).toBe(String(FROM));
    expect(screen.getByRole('group', { name: 'Diff colour legend' })).toBeTruthy();
  });

  it('says when the service has no profiles in the range', async () => {
    serve((url) =>
      url.pathname === '/api/v1/profiles/types' ? { status: 200, body: { types: [] } } : happy(url),
    );
    renderPage('&service=checkout');
    expect(
      await screen.findByRole('heading', { name: 'No profiles for checkout in this time range' }),
    ).toBeTruthy();
    expect(flameRequests()).toHaveLength(0);
  });

  it('shows a server error in the page', async () => {
    serve((url) =>
      url.pathname === '/api/v1/profiles/flamegraph'
        ? { status: 400, body: { message: 'invalid query: from must be before to' } }
        : happy(url),
    );
    renderPage('&service=checkout');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not load the flame graph');
    expect(alert.textContent).toContain('invalid query: from must be before to');
  });
});
