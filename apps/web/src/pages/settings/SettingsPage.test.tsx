// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { errorBody, PROJECTS, renderSettings, serve } from './render-settings.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

// `GET /api/v1/status` of a server on embedded chDB whose Prometheus backend is down.
const STATUS = {
  project: 'default',
  configDb: { kind: 'sqlite', ok: true, latencyMs: 1 },
  telemetry: { kind: 'chdb', ok: true, latencyMs: 3 },
  metrics: {
    kind: 'prometheus',
    target: 'prom.internal:9090',
    ok: false,
    latencyMs: 5000,
    error: 'no answer within 5000 ms',
  },
  cache: {
    enabled: true,
    stepMs: 15_000,
    refreshMs: 15_000,
    maxLagMs: 42_000,
    lastRefresh: { startedAtMs: 1_764_000_000_000, durationMs: 120, points: 10, queries: 4 },
    backfillPending: 0,
    queries: 12,
    failingQueries: [],
  },
};

function server() {
  return serve((req) => {
    const path = req.url.pathname;
    if (path === '/api/v1/projects') return { body: PROJECTS };
    if (path === '/api/v1/status') return { body: STATUS };
    return { status: 404, body: errorBody('not_found', `no route for ${req.method} ${path}`) };
  });
}

describe('settings page', () => {
  it('opens on the projects tab and switches tabs as sub-routes', async () => {
    const requests = server();
    renderSettings('');
    expect(await screen.findByRole('table', { name: 'Projects' })).toBeTruthy();
    const tabs = screen.getByRole('tablist', { name: 'Settings sections' });
    expect(within(tabs).getByRole('tab', { name: 'Projects' }).getAttribute('aria-selected')).toBe('true');

    fireEvent.click(within(tabs).getByRole('tab', { name: 'Status' }));
    const connections = await screen.findByRole('table', { name: 'Connections' });
    const metrics = within(connections).getByRole('row', { name: /Metrics/ });
    expect(metrics.textContent).toContain('prom.internal:9090');
    expect(metrics.textContent).toContain('no answer within 5000 ms');
    expect(screen.getByText(/Lag: 42 s/)).toBeTruthy();
    expect(requests.find((r) => r.url.pathname === '/api/v1/status')?.url.searchParams.get('project')).toBe(
      'default',
    );
  });
});
