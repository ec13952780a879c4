/// <reference types="node" />
/**
 * The web UI end to end in real headless Chromium against a real server (embedded ClickHouse)
 * holding the shop's metrics from the scenario kit (an OOM loop on the api), written by remote
 * write as the agents would: log in through the form, read the overview, filter, sort, open a
 * report, switch theme and range, visit every page (in an empty range: their empty states), log
 * out. Any console error or failed request fails the test; axe-core checks every page it opens;
 * screenshots of every page go to .vigil-test/screenshots/. The pages with data and their
 * interactions are ui-data.int.test.ts's.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceGate } from '@vigil/testkit';
import { SHOP } from '@vigil/testkit/scenarios';
import type { ApplicationsOverview } from '../api/types.ts';
import { chromiumAvailable, launchBrowser, openCheckedPage, type CheckedPage } from './browser.ts';
import { loadServerTesting, type UiTestServer } from './server-fixture.ts';
import { buildWebUi } from './web-build.ts';

const STEP = 15_000;
const MINUTE = 60_000;
/** Two hours of 2030, where nothing has been sent yet. */
const EMPTY_FROM_MS = String(Date.UTC(2030, 0, 2, 3, 4));
const EMPTY_RANGE = `from=${EMPTY_FROM_MS}&to=${Number(EMPTY_FROM_MS) + 2 * 60 * MINUTE}`;
const run = serviceGate('Chromium', chromiumAvailable(), 'apt-get install chromium')
  ? describe
  : describe.skip;

run('the web UI in headless Chromium', () => {
  let vigil: UiTestServer;
  let adminPassword: string;
  let browser: Browser;
  let ui: CheckedPage;
  let overview: ApplicationsOverview;
  const rows = () => ui.page.getByRole('table', { name: 'Applications' }).locator('tbody tr');
  const appNames = async () =>
    (await rows().locator('td:first-child a').allTextContents()).map((s) => s.trim());

  beforeAll(async () => {
    const webDistDir = await buildWebUi('shell');
    const { startTestServer, writeShopHistory, waitForCache, TEST_ADMIN_PASSWORD } =
      await loadServerTesting();
    adminPassword = TEST_ADMIN_PASSWORD;
    vigil = await startTestServer(
      { VIGIL_CACHE_STEP: '15s', VIGIL_CACHE_BACKFILL: '2h', VIGIL_CACHE_REFRESH: '2s' },
      undefined,
      { webDistDir },
    );
    const end = Math.floor(Date.now() / STEP) * STEP - STEP;
    await writeShopHistory(
      vigil,
      [{ kind: 'oom_loop', app: SHOP.api, fromMs: end - 55 * MINUTE, everyMs: 10 * MINUTE }],
      { fromMs: end - 75 * MINUTE, toMs: end, scrapeMs: STEP, seed: 3 },
    );
    await waitForCache(vigil, end);
    overview = (await vigil.getJson<ApplicationsOverview>('/api/v1/overview/applications')).body;
    browser = await launchBrowser();
    ui = await openCheckedPage(browser, vigil.api);
  }, 360_000);
  afterAll(async () => {
    await browser?.close();
    await vigil?.stop();
  });

  it('sends a visitor without a session to the login page, which refuses a wrong password', async () => {
    const undo = ui.expectStatus(/\/api\/v1\/overview\/applications/, 401);
    await ui.page.goto('/?from=now-1h&to=now');
    await ui.page.waitForURL(/\/login\?next=/);
    undo();
    expect(new URL(ui.page.url()).searchParams.get('next')).toBe('/?from=now-1h&to=now');
    await ui.page.getByRole('textbox', { name: 'Password' }).fill('not the password');
    const undoLogin = ui.expectStatus(/\/api\/v1\/login$/, 401);
    await ui.page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => ui.page.getByRole('alert').textContent()).toContain('wrong username or password');
    undoLogin();
    expect(await ui.seriousA11yViolations()).toEqual([]);
    await ui.screenshot('login');
    ui.assertClean();
  });

  it('logs in and shows every application of the shop with a status per report, as the API says', async () => {
    await ui.page.getByRole('textbox', { name: 'Username' }).fill('admin');
    await ui.page.getByRole('textbox', { name: 'Password' }).fill(adminPassword);
    await ui.page.getByRole('button', { name: 'Log in' }).click();
    await ui.page.waitForURL((u) => u.pathname === '/' && u.searchParams.get('from') === 'now-1h');
    await rows().first().waitFor();
    const want = overview.applications.map((a) => a.name).sort();
    expect(want).toEqual(
      Object.values(SHOP)
        .map((id) => id.split('/').pop())
        .sort(),
    );
    expect((await appNames()).sort()).toEqual(want);
    // Every report cell shows the status the API gives, with its message as the link's name.
    const api = overview.applications.find((a) => a.id === SHOP.api)!;
    expect(api.reports.Memory?.status).toBe('critical');
    for (const [report, cell] of Object.entries(api.reports)) {
      const link = ui.page.getByRole('link', { name: new RegExp(`^api ${report}: ${cell.status}`) });
      await expect.poll(() => link.count()).toBe(1);
    }
    expect(await ui.seriousA11yViolations()).toEqual([]);
    await ui.screenshot('overview');
    ui.assertClean();
  });

  it('filters by name and category, and sorts by a column either way', async () => {
    await ui.page.getByRole('textbox', { name: 'Name' }).fill('post');
    await expect.poll(appNames).toEqual(['postgres']);
    await ui.page.getByRole('textbox', { name: 'Name' }).fill('');
    await ui.page.getByRole('combobox', { name: 'Category' }).click();
    await ui.page.getByRole('option', { name: 'monitoring' }).click();
    await expect.poll(appNames).toEqual(['prometheus']);
    await ui.screenshot('overview-filtered');
    await ui.page.getByRole('combobox', { name: 'Category' }).click();
    await ui.page.getByRole('option', { name: 'monitoring' }).click(); // picking it again clears it
    await expect.poll(async () => (await appNames()).length).toBe(overview.applications.length);

    await ui.page.getByRole('button', { name: 'Application' }).click();
    const ascending = [...(await appNames())];
    expect(ascending).toEqual([...ascending].sort());
    await ui.page.getByRole('button', { name: /^Application/ }).click();
    await expect.poll(appNames).toEqual([...ascending].reverse());
    await ui.page.getByRole('button', { name: /^Memory/ }).click();
    // Worst first: the api's OOM kills put it on top.
    await expect.poll(async () => (await appNames())[0]).toBe('api');
    ui.assertClean();
  });

  it('opens the report behind a status badge on the application page', async () => {
    await ui.page.getByRole('link', { name: /^api Memory: critical/ }).click();
    await ui.page.waitForURL((u) => u.pathname === `/apps/${encodeURIComponent(SHOP.api)}`);
    expect(new URL(ui.page.url()).searchParams.get('report')).toBe('Memory');
    const card = ui.page.locator('[aria-current="true"]');
    await expect.poll(() => card.getByRole('heading').textContent()).toBe('Memory');
    await expect.poll(() => card.textContent()).toMatch(/OOM/i);
    await ui.settle();
    expect(await ui.seriousA11yViolations()).toEqual([]);
    await ui.screenshot('app-page');
    ui.assertClean();
  });

  it('switches to the dark theme and keeps it after a reload', async () => {
    const scheme = () => ui.page.locator('html').getAttribute('data-mantine-color-scheme');
    expect(await scheme()).toBe('light');
    await ui.page.getByRole('button', { name: 'Switch to dark theme' }).click();
    await expect.poll(scheme).toBe('dark');
    await ui.page.reload();
    await ui.page.getByRole('button', { name: 'Switch to light theme' }).waitFor();
    expect(await scheme()).toBe('dark');
    await ui.screenshot('app-page-dark');
    await ui.page.getByRole('button', { name: 'Switch to light theme' }).click();
    await expect.poll(scheme).toBe('light');
    ui.assertClean();
  });

  it('writes a relative and an absolute range from the picker into the URL', async () => {
    await ui.page.getByRole('link', { name: 'Applications', exact: true }).click();
    await rows().first().waitFor();
    await ui.page.getByRole('combobox', { name: 'Time range' }).click();
    await ui.page.getByRole('option', { name: 'Last 6 hours' }).click();
    await ui.page.waitForURL(
      (u) => u.searchParams.get('from') === 'now-6h' && u.searchParams.get('to') === 'now',
    );
    await rows().first().waitFor();

    await ui.page.getByRole('button', { name: 'Absolute range' }).click();
    await ui.page.getByLabel('From', { exact: true }).fill('2030-01-02T03:04');
    await ui.page.getByLabel('To', { exact: true }).fill('2030-01-02T05:04');
    await ui.page.getByRole('button', { name: 'Apply range' }).click();
    await ui.page.waitForURL((u) => /^\d+$/.test(u.searchParams.get('from') ?? ''));
    const url = new URL(ui.page.url());
    expect(Number(url.searchParams.get('to')) - Number(url.searchParams.get('from'))).toBe(2 * 60 * MINUTE);
    // The future holds no applications: the empty state says how to get some.
    await expect
      .poll(() => ui.page.getByText('VIGIL_COLLECTOR_URL').textContent())
      .toContain(`VIGIL_COLLECTOR_URL=${vigil.api}`);
    await ui.screenshot('overview-empty');
    ui.assertClean();
  });

  it.each([
    ['/map', 'Service map'],
    ['/nodes', 'Nodes'],
    ['/incidents', 'Incidents'],
    ['/logs', 'Logs'],
    ['/traces', 'Traces'],
    ['/profiles', 'Profiles'],
    ['/settings', 'Settings'],
  ])(
    'opens %s from the navigation, empty, without an error or accessibility violation',
    async (route, title) => {
      await ui.page.goto(`/?${EMPTY_RANGE}`);
      await ui.page.getByText('VIGIL_COLLECTOR_URL').first().waitFor();
      await ui.page.getByRole('link', { name: title, exact: true }).click();
      // The navigation keeps the range.
      await ui.page.waitForURL(
        (u) => u.pathname.startsWith(route) && u.searchParams.get('from') === EMPTY_FROM_MS,
      );
      // The new page is rendered (the old one has no loader to wait for), then settles.
      await ui.page.getByRole('heading', { name: title, exact: true }).waitFor();
      await ui.settle();
      expect(await ui.page.getByText('This page failed to render').count()).toBe(0);
      expect(await ui.page.getByText('Not built yet', { exact: true }).count()).toBe(0);
      // The pointer off the link it clicked: a hovered link has colours of its own (see the
      // lead's list), and axe should judge the page as it rests.
      await ui.page.mouse.move(0, 0);
      // Nothing was sent in that range: these are the pages' empty states. Soft, so that the
      // screenshot is taken and the problems listed whatever axe finds.
      expect.soft(await ui.seriousA11yViolations()).toEqual([]);
      await ui.screenshot(`${title.toLowerCase().replace(/ /g, '-')}-empty`);
      ui.assertClean();
    },
  );

  it('logs out, after which the overview asks for a login again', async () => {
    await ui.page.waitForLoadState('networkidle');
    // From the click on, the session is gone: a query still in flight or refetched before the
    // page leaves (a busy machine makes that likely) is rightly answered 401.
    const undo = ui.expectStatus(/\/api\/v1\//, 401);
    await ui.page.getByRole('button', { name: 'Log out' }).click();
    await ui.page.waitForURL((u) => u.pathname === '/login');
    await ui.page.goto('/');
    await ui.page.waitForURL((u) => u.pathname === '/login');
    await ui.page.getByRole('button', { name: 'Log in' }).waitFor();
    undo();
    ui.assertClean();
  });
});
