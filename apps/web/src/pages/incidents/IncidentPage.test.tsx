// @vitest-environment jsdom
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { renderAt, serve } from '../nodes/render-page.tsx';
import { DEFAULT_SLO, INCIDENT, INCIDENT_LIST } from './incident-fixtures.ts';
import { IncidentPage } from './IncidentPage.tsx';
import { IncidentsPage } from './IncidentsPage.tsx';

const routes = { '/incidents': <IncidentsPage />, '/incidents/:id': <IncidentPage /> };

function server(url: URL) {
  if (url.pathname === '/api/v1/incidents') return { body: { incidents: INCIDENT_LIST } };
  if (url.pathname === `/api/v1/incidents/${INCIDENT.id}`) return { body: INCIDENT };
  if (url.pathname === '/api/v1/apps/%2Fk8s%2Fshop%2Fapi/slo') return { body: DEFAULT_SLO };
  return { status: 404, body: { error: { code: 'not_found', message: `no route ${url.pathname}` } } };
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('IncidentPage', () => {
  test('lists the ranked causes in rank order, each with its explanation and evidence chart', async () => {
    serve(server);
    renderAt(routes, `/incidents/${INCIDENT.id}?from=now-6h&to=now`);
    const list = await screen.findByRole('list', { name: 'Ranked causes' });
    const items = within(list).getAllByRole('listitem');
    expect(items.map((li) => within(li).getByRole('heading', { level: 3 }).textContent)).toEqual([
      '#1 postgres: disk I/O wait',
      '#2 postgres: node disk nvme0n1 busy',
      '#3 postgres: postgres latency p95',
    ]);
    expect(
      within(items[0]!).getByText('postgres: disk I/O wait rose 40× 2 min before the latency'),
    ).toBeTruthy();
    expect(within(items[0]!).getByText('score 0.81')).toBeTruthy();
    expect(within(items[1]!).getByText(/moves with “disk I\/O wait” above/)).toBeTruthy();
    expect(within(items[2]!).getByText(/relays the fault from upstream/)).toBeTruthy();
    expect(
      within(items[1]!).getByRole('figure', {
        name: 'Evidence: node disk nvme0n1 busy. Latest: postgres 98.2%.',
      }),
    ).toBeTruthy();
  });

  test('shows the burn rates, the timeline, the objectives and a link to the application', async () => {
    serve(server);
    renderAt(routes, `/incidents/${INCIDENT.id}?from=now-6h&to=now`);
    const burn = await screen.findByRole('list', { name: 'Burn rates when it opened' });
    expect(burn.textContent).toBe('latency: burning 18.7× over 1 h (5 min: 41.2×), fires at 14.4×');
    const timeline = screen.getByRole('list', { name: 'Timeline' });
    expect(within(timeline).getByText('Opened as critical')).toBeTruthy();
    expect(within(timeline).getByText('Severity changed to warning')).toBeTruthy();
    expect(screen.getByText('42 min')).toBeTruthy();
    expect(await screen.findByText(/99% of requests faster than 500 ms/)).toBeTruthy();
    expect(screen.getByRole('link', { name: '/k8s/shop/api' }).getAttribute('href')).toBe(
      '/apps/%2Fk8s%2Fshop%2Fapi?from=now-6h&to=now',
    );
    expect(
      screen.getByText('Followed upstream: /k8s/shop/api → /docker/postgres', { exact: false }),
    ).toBeTruthy();
  });

  test('says so when the stored analysis failed', async () => {
    serve((url) =>
      url.pathname.endsWith('/slo')
        ? server(url)
        : { body: { ...INCIDENT, rca: { error: '"/k8s/shop/api" served no requests' } } },
    );
    renderAt(routes, `/incidents/${INCIDENT.id}`);
    expect(await screen.findByText('The root-cause analysis could not run')).toBeTruthy();
    expect(screen.queryByRole('list', { name: 'Ranked causes' })).toBeNull();
  });

  test('shows the server’s message for an unknown incident', async () => {
    serve(() => ({ status: 404, body: { error: { code: 'not_found', message: 'no incident "nope"' } } }));
    renderAt(routes, '/incidents/nope');
    expect((await screen.findByRole('alert')).textContent).toMatch(/no incident "nope"/);
  });
});

describe('IncidentsPage', () => {
  test('lists incidents of the range, filters open ones and opens one on click', async () => {
    const requests = serve(server);
    renderAt(routes, '/incidents?from=now-24h&to=now');
    const table = await screen.findByRole('table', { name: 'Incidents' });
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    expect(requests[0]?.searchParams.has('from')).toBe(true);
    fireEvent.click(screen.getByRole('radio', { name: 'Open' }));
    expect(within(screen.getByRole('table', { name: 'Incidents' })).getAllByRole('row')).toHaveLength(2);
    fireEvent.click(screen.getByRole('radio', { name: 'Resolved' }));
    fireEvent.click(screen.getByRole('link', { name: 'latency budget burning 18.7×' }));
    expect(screen.getByRole('status', { name: 'Current URL' }).textContent).toBe(
      `/incidents/${INCIDENT.id}?from=now-24h&to=now`,
    );
    expect(await screen.findByRole('list', { name: 'Ranked causes' })).toBeTruthy();
  });

  test('says there are no incidents in the range and how SLOs are configured', async () => {
    serve(() => ({ body: { incidents: [] } }));
    renderAt(routes, '/incidents');
    expect(await screen.findByText('No incidents in this range')).toBeTruthy();
    expect(screen.getByText(/PUT \/api\/v1\/apps\/<appId>\/slo/)).toBeTruthy();
  });
});
