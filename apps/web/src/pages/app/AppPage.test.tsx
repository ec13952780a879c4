// @vitest-environment jsdom
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { ApplicationView, ConnectionView, DeploymentView } from '../../api/types.ts';
import { installChartTestEnv } from '../../components/charts/chart-test-env.ts';
import { renderRoutes, serve, type Handler } from '../../testing/render-page.tsx';
import { API_VIEW, SHOP_ROWS } from './app-fixtures.ts';
import { AppPage } from './AppPage.tsx';

const API_PATH = '/api/v1/apps/%2Fk8s%2Fshop%2Fapi';
const RANGE = 'from=now-1h&to=now';
const routes = {
  '/apps/:appId': <AppPage />,
  '/nodes/:name': <p>node page</p>,
  '/logs': <p>logs page</p>,
};

/** The real server's answers: the captured app view, the overview rows and the services seen. */
function shopServer(
  view: ApplicationView = API_VIEW,
  services = [{ name: '/k8s/shop/api', signals: ['logs'] }],
): Handler {
  return (url) => {
    if (url.pathname === API_PATH) return { body: view };
    if (url.pathname === '/api/v1/overview/applications')
      return { body: { applications: SHOP_ROWS, incomplete: [] } };
    if (url.pathname === '/api/v1/services') return { body: { services } };
    return { status: 404, body: { error: { code: 'not_found', message: `no ${url.pathname}` } } };
  };
}

function renderApp(query: string, handler: Handler = shopServer()) {
  installChartTestEnv();
  const requests = serve(handler);
  renderRoutes(routes, `/apps/%2Fk8s%2Fshop%2Fapi?${query}`);
  return requests;
}

const currentUrl = () => screen.getByRole('status', { name: 'Current URL' }).textContent ?? '';
/** The open report: what the browser test finds by `[aria-current="true"]`. */
const currentReport = () => document.querySelector<HTMLElement>('[aria-current="true"]')!;
const figureNames = () =>
  within(screen.getByRole('tabpanel'))
    .getAllByRole('figure')
    .map((f) => f.getAttribute('aria-label') ?? '');

describe('AppPage', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  test('opens the report named in the URL with its checks, threshold against value, and charts', async () => {
    const requests = renderApp(`report=Memory&${RANGE}`);
    const tab = await screen.findByRole('tab', { name: /^Memory/ });
    expect(tab.getAttribute('aria-selected')).toBe('true');
    expect(within(currentReport()).getByRole('heading').textContent).toBe('Memory');
    expect(currentReport().textContent).toMatch(/OOM-killed 6 times/);
    const oom = within(screen.getByRole('table', { name: 'Memory checks' })).getByRole('row', {
      name: /Out-of-memory kills/,
    });
    expect(oom.textContent).toMatch(/critical/);
    expect(oom.textContent).toMatch(/6 \(threshold 0\)/);
    expect(figureNames().map((n) => n.split('.')[0])).toEqual([
      'Memory RSS',
      'Memory limit',
      'OOM kills (total)',
    ]);
    expect(requests.find((r) => r.pathname === API_PATH)?.searchParams.get('from')).toMatch(/^\d+$/);
  });

  test('opens the worst report when the URL names none, and a tab click puts its report in the URL', async () => {
    renderApp(RANGE);
    expect((await screen.findByRole('tab', { name: /^Memory/ })).getAttribute('aria-selected')).toBe('true');
    fireEvent.click(screen.getByRole('tab', { name: /^CPU/ }));
    expect(currentUrl()).toBe(`/apps/%2Fk8s%2Fshop%2Fapi?${RANGE}&report=CPU`);
    expect(within(currentReport()).getByRole('heading').textContent).toBe('CPU');
    // The node CPU chart carries its check's threshold.
    expect(figureNames()).toContainEqual(expect.stringMatching(/^Node CPU\. .*Threshold 80%\./));
    expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual(
      API_VIEW.reportDetails.map((r) => expect.stringContaining(r.name)),
    );
  });

  test('says why a report has no data, and when the named report does not exist', async () => {
    renderApp(`report=Postgres&${RANGE}`);
    expect(await screen.findByText(/has no Postgres report in this range/)).toBeTruthy();
    fireEvent.click(screen.getByRole('tab', { name: /^Storage/ }));
    expect(currentReport().textContent).toMatch(/No data: The application has no volumes/);
    expect(within(screen.getByRole('tabpanel')).queryAllByRole('figure')).toHaveLength(0);
  });

  test('draws the neighbourhood: clients on the left, dependencies on the right, each a link to its page', async () => {
    renderApp(RANGE);
    const map = await screen.findByRole('group', { name: 'Neighbourhood of api' });
    const frontend = within(map).getByRole('link', { name: /^frontend \(warning\), calls api: / });
    // Averages over the range: the rollout's 5% failed requests show on the edge from the frontend.
    expect(frontend.getAttribute('aria-label')).toBe(
      'frontend (warning), calls api: 200 req/s · 5.66% errors · p95 47.3 ms',
    );
    const postgres = within(map).getByRole('link', { name: /^postgres \(ok\), called by api: / });
    expect(within(map).getByRole('link', { name: /^redis \(ok\), called by api/ })).toBeTruthy();
    expect(within(map).getByRole('img', { name: 'api (critical)' })).toBeTruthy();
    // Clients sit left of the application, dependencies right of it.
    const x = (el: Element) => Number(el.querySelector('rect')?.getAttribute('x'));
    expect(x(frontend)).toBeLessThan(x(within(map).getByRole('img', { name: 'api (critical)' })));
    expect(x(postgres)).toBeGreaterThan(x(frontend));
    fireEvent.click(postgres);
    expect(currentUrl()).toBe(`/apps/%2Fk8s%2Fshop%2Fpostgres?${RANGE}`);
  });

  test('colours an edge with failed connections and does not link a peer the overview does not know', async () => {
    const failing: ConnectionView = {
      ...API_VIEW.upstreams[0]!,
      appId: '10.0.0.99:5432',
      protocols: [],
      requestsPerSecond: { fromMs: 0, stepMs: 1, values: [null, null] },
      failedConnectsPerSecond: { fromMs: 0, stepMs: 1, values: [2, 4] },
    };
    renderApp(RANGE, shopServer({ ...API_VIEW, upstreams: [failing] }));
    const map = await screen.findByRole('group', { name: 'Neighbourhood of api' });
    const peer = within(map).getByRole('img', { name: /^10\.0\.0\.99:5432 \(unknown\)/ });
    expect(peer.getAttribute('aria-label')).toMatch(/TCP · 3\/s failed connects/);
    expect(
      within(map)
        .queryAllByRole('link')
        .map((a) => a.getAttribute('aria-label')),
    ).not.toContainEqual(expect.stringMatching(/^10\.0\.0\.99/));
    expect(map.querySelector('polyline[stroke*="red"]')).not.toBeNull();
  });

  test('lists the instances with their node linked, state, CPU, memory, images and listen addresses', async () => {
    renderApp(RANGE);
    const table = await screen.findByRole('table', { name: 'Instances' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(API_VIEW.instances.length);
    const first = rows[0]!;
    expect(
      within(first)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['api-r0-2', 'node-a', 'up', '0.07 cores', '292 MiB', 'shop/api:2.7.1', '10.42.0.14:9000']);
    fireEvent.click(within(first).getByRole('link', { name: 'node-a' }));
    expect(currentUrl()).toBe(`/nodes/node-a?${RANGE}`);
  });

  test('lists the deployments, with what each changed once 30 minutes have passed', async () => {
    const before = {
      errorRate: 0,
      latencyP95Seconds: 0.04,
      cpuCores: 0.2,
      memoryBytes: 300 * 2 ** 20,
      restarts: 0,
    };
    const summarised: DeploymentView = {
      ...API_VIEW.deployments[0]!,
      summary: { before, after: { ...before, errorRate: 0.05, latencyP95Seconds: null } },
    };
    const rolling: DeploymentView = {
      ...API_VIEW.deployments[0]!,
      id: 'rolling',
      image: 'shop/api:1.6.0',
      previousImage: 'shop/api:1.5.0',
      startedAtMs: summarised.startedAtMs + 600_000,
      finishedAtMs: undefined,
      state: 'in_progress',
    };
    renderApp(RANGE, shopServer({ ...API_VIEW, deployments: [summarised, rolling] }));
    const table = await screen.findByRole('table', { name: 'Deployments' });
    const [newest, older] = within(table).getAllByRole('row').slice(1);
    expect(newest!.textContent).toMatch(/shop\/api:1\.6\.0from shop\/api:1\.5\.0/);
    expect(newest!.textContent).toMatch(/in progress/);
    expect(older!.textContent).toMatch(/5 min/);
    expect(older!.textContent).toMatch(/errors 0% → 5%, p95 40 ms → no data, CPU 0\.2 cores → 0\.2 cores/);
  });

  test('says when there are no deployments, connections or instances', async () => {
    renderApp(
      RANGE,
      shopServer({ ...API_VIEW, deployments: [], upstreams: [], downstreams: [], instances: [] }),
    );
    expect(await screen.findByText('No deployments in this range.')).toBeTruthy();
    expect(screen.getByText('No connections to or from api in this range.')).toBeTruthy();
    expect(screen.getByText('No instances in this range.')).toBeTruthy();
  });

  test('links to the logs, traces and profiles of the service name the telemetry goes by, keeping the range', async () => {
    renderApp(RANGE);
    const links = await screen.findByRole('group', { name: 'Telemetry' });
    const href = (name: string) => within(links).getByRole('link', { name }).getAttribute('href');
    await vi.waitFor(() =>
      expect(within(links).getByRole('link', { name: 'Traces' }).getAttribute('title')).toMatch(/No traces/),
    );
    expect(href('Logs')).toBe('/logs?service=%2Fk8s%2Fshop%2Fapi&from=now-1h&to=now');
    expect(href('Traces')).toBe('/traces?service=%2Fk8s%2Fshop%2Fapi&from=now-1h&to=now');
    expect(href('Profiles')).toBe('/profiles?service=%2Fk8s%2Fshop%2Fapi&from=now-1h&to=now');
    fireEvent.click(within(links).getByRole('link', { name: 'Logs' }));
    expect(currentUrl()).toBe('/logs?service=%2Fk8s%2Fshop%2Fapi&from=now-1h&to=now');
  });

  test('links by the SDK’s own service name when that is the one the server has seen', async () => {
    renderApp(
      'from=1795780245000&to=1795783845000',
      shopServer(API_VIEW, [{ name: 'api', signals: ['traces', 'logs'] }]),
    );
    const links = await screen.findByRole('group', { name: 'Telemetry' });
    await vi.waitFor(() =>
      expect(within(links).getByRole('link', { name: 'Traces' }).getAttribute('href')).toBe(
        '/traces?service=api&from=1795780245000&to=1795783845000',
      ),
    );
  });

  test('shows the server’s message when the application is not there', async () => {
    renderApp(RANGE, () => ({
      status: 404,
      body: { error: { code: 'not_found', message: 'no application "/k8s/shop/api" in this range' } },
    }));
    expect((await screen.findByRole('alert')).textContent).toMatch(
      /no application "\/k8s\/shop\/api" in this range/,
    );
  });
});
