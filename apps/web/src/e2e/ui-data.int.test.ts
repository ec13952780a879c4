/// <reference types="node" />
/**
 * The data pages end to end in real headless Chromium against a real server holding the shop
 * (seeded-shop.ts): the scenario kit's metrics (applications, nodes, a failed rollout of the api
 * and the incident it caused), traces and logs sent by the real OpenTelemetry JS SDK from
 * frontend, api and postgres (failing checkouts with the api's error logs inside their traces),
 * and the api's CPU profile. Each test opens its page by
 * URL with its own range, drives it as a user would, checks what is shown against what was sent,
 * runs axe-core (no serious or critical violation) and saves a screenshot; any console error or
 * failed request fails it.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceGate } from '@vigil/testkit';
import { SHOP } from '@vigil/testkit/scenarios';
import { chromiumAvailable, launchBrowser, openCheckedPage, type CheckedPage } from './browser.ts';
import { canvasPainted, mapNodePoint } from './canvas-probes.ts';
import { startSeededShop, type SeededShop } from './seeded-shop.ts';
import type { ShopTelemetry, UiTestServer } from './server-fixture.ts';
import { buildWebUi } from './web-build.ts';

/** Pages are opened with this range: the traces, logs and profile lie within the last hour. */
const RANGE = 'from=now-1h&to=now';
/** The failed rollout began 100 minutes before the seed's end. */
const INCIDENT_RANGE = 'from=now-4h&to=now';
const run = serviceGate('Chromium', chromiumAvailable(), 'apt-get install chromium')
  ? describe
  : describe.skip;

run('the data pages in headless Chromium', () => {
  let vigil: UiTestServer;
  let browser: Browser;
  let ui: CheckedPage;
  let sent: ShopTelemetry;
  let shop: SeededShop;

  /** Opens `path` with `range` and waits for `ready`. */
  const open = async (path: string, ready: () => Promise<unknown>, range = RANGE) => {
    await ui.page.goto(`${path}${path.includes('?') ? '&' : '?'}${range}`);
    await ready();
  };
  /**
   * axe-core finds nothing serious, a screenshot is saved, and the page reported no problem.
   * The axe check is soft: a violation fails the test but does not hide what the page did next.
   */
  const checkPage = async (name: string) => {
    // axe judges the settled page, not a loader that happens to be on screen.
    await ui.settle();
    expect.soft(await ui.seriousA11yViolations(), `axe on ${name}`).toEqual([]);
    await ui.screenshot(name);
    ui.assertClean();
  };

  beforeAll(async () => {
    shop = await startSeededShop(await buildWebUi('data'));
    ({ vigil, sent } = shop);
    browser = await launchBrowser();
    ui = await openCheckedPage(browser, vigil.api);
    const undo = ui.expectStatus(/\/api\/v1\//, 401);
    await ui.page.goto(`/login?next=${encodeURIComponent(`/?${RANGE}`)}`);
    await ui.page.getByRole('textbox', { name: 'Username' }).fill('admin');
    await ui.page.getByRole('textbox', { name: 'Password' }).fill(shop.adminPassword);
    await ui.page.getByRole('button', { name: 'Log in' }).click();
    await ui.page.waitForURL((u) => u.pathname === '/');
    undo();
  }, 360_000);
  afterAll(async () => {
    await browser?.close();
    await shop?.stop();
  });

  describe('logs', () => {
    const messages = () => ui.page.getByRole('list', { name: 'Log messages' });
    const count = () => ui.page.getByText(/^[\d,]+ messages?/);

    it('lists every record the services sent, with the severity histogram', async () => {
      const total = Object.values(sent.logCounts).reduce((a, b) => a + b, 0);
      await open('/logs', () => messages().getByRole('button').first().waitFor());
      await expect.poll(() => count().textContent()).toBe(`${total} messages`);
      // Each bar's title says "<time>: <count> <severity>"; summed, they are what was sent.
      const histogram = ui.page.getByRole('grid', { name: /^Log severity histogram/ });
      const bars = await histogram.locator('rect > title').allTextContents();
      const perSeverity: Record<string, number> = {};
      for (const bar of bars) {
        const [, n, severity] = /: (\d+) (\w+)$/.exec(bar) ?? [];
        if (severity)
          perSeverity[severity.toUpperCase()] = (perSeverity[severity.toUpperCase()] ?? 0) + Number(n);
      }
      expect(perSeverity).toEqual(sent.severityCounts);
      await checkPage('logs');

      // Dragging across the histogram zooms into that stretch: an absolute range in the URL.
      const box = (await histogram.boundingBox())!;
      await ui.page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
      await ui.page.mouse.down();
      await ui.page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2, { steps: 5 });
      await ui.page.mouse.up();
      await ui.page.waitForURL((u) => /^\d+$/.test(u.searchParams.get('from') ?? ''));
      const url = new URL(ui.page.url());
      const zoomedMs = Number(url.searchParams.get('to')) - Number(url.searchParams.get('from'));
      expect(zoomedMs).toBeGreaterThan(20 * 60_000);
      expect(zoomedMs).toBeLessThan(28 * 60_000); // 40% of the hour
      await expect.poll(async () => Number((await count().textContent())?.split(' ')[0])).toBeLessThan(total);

      // The keyboard does the same: focus, Home, Shift+Right three times, Enter zooms into the
      // first four of the zoomed range's buckets, announced before it is applied.
      const zoomed = ui.page.getByRole('grid', { name: /^Log severity histogram/ });
      await zoomed.focus();
      await ui.page.keyboard.press('Home');
      for (let i = 0; i < 3; i++) await ui.page.keyboard.press('Shift+ArrowRight');
      await expect
        .poll(() =>
          ui.page
            .getByRole('status')
            .filter({ hasText: /^Selected / })
            .textContent(),
        )
        .toMatch(/\(4 buckets\).*Enter zooms/);
      await ui.page.keyboard.press('Enter');
      // (its first bucket starts at the range's start, clamped: `to` is what moves)
      await ui.page.waitForURL((u) => u.searchParams.get('to') !== url.searchParams.get('to'));
      const keyed = new URL(ui.page.url());
      expect(Number(keyed.searchParams.get('from'))).toBeGreaterThanOrEqual(
        Number(url.searchParams.get('from')),
      );
      expect(Number(keyed.searchParams.get('to')) - Number(keyed.searchParams.get('from'))).toBeLessThan(
        zoomedMs,
      );
      ui.assertClean();
    });

    it('filters by service, severity and a word, leaving only the failed checkouts', async () => {
      await open('/logs', () => messages().getByRole('button').first().waitFor());
      await ui.page.getByRole('combobox', { name: 'Service' }).selectOption('api');
      await ui.page.getByRole('checkbox', { name: 'error' }).check();
      await ui.page.getByRole('textbox', { name: 'Search' }).fill('deadlock');
      await ui.page.getByRole('button', { name: 'Apply filters' }).click();
      await ui.page.waitForURL((u) => u.searchParams.get('service') === 'api');
      await expect.poll(() => count().textContent()).toBe(`${sent.failedOrderIds.length} messages`);
      const shown = (await messages().getByRole('button').allTextContents()).map((t) => t.trim());
      expect(shown).toHaveLength(sent.failedOrderIds.length);
      for (const order of sent.failedOrderIds)
        expect(shown.some((t) => t.endsWith(sent.checkoutErrorLog(order)))).toBe(true);
      for (const text of shown) expect(text).toMatch(/ERROR.*api.*deadlock detected$/i);
      await checkPage('logs-filtered');
    });

    it('expands a message into its attributes and follows its trace link to the waterfall', async () => {
      const order = sent.failedOrderIds[0]!;
      await open(`/logs?service=api&search=${order}`, () => messages().getByRole('button').first().waitFor());
      const row = messages().getByRole('button', { name: new RegExp(sent.checkoutErrorLog(order)) });
      await row.click();
      await expect.poll(() => row.getAttribute('aria-expanded')).toBe('true');
      const attributes = ui.page.getByRole('table', { name: 'Attributes', exact: true });
      await expect.poll(() => attributes.getByRole('row', { name: `order.id ${order}` }).count()).toBe(1);
      const resource = ui.page.getByRole('table', { name: 'Resource attributes' });
      expect(await resource.getByRole('row', { name: /k8s\.pod\.name api-/ }).count()).toBe(1);
      await checkPage('logs-expanded');

      const traceId = sent.checkoutTraceIds[0]!;
      await ui.page.getByRole('link', { name: `View trace ${traceId}` }).click();
      await ui.page.waitForURL((u) => u.pathname === '/traces' && u.searchParams.get('trace') === traceId);
      await ui.page.getByRole('treegrid', { name: 'Trace waterfall' }).waitFor();
      expect(await ui.page.getByRole('button', { name: /^⚠ error postgres INSERT orders/ }).count()).toBe(1);
      ui.assertClean();
    });
  });

  describe('traces', () => {
    const traceRows = () => ui.page.getByRole('table', { name: 'Traces' }).locator('tbody tr');
    const waterfallRows = () =>
      ui.page.getByRole('treegrid', { name: 'Trace waterfall' }).locator('[role="row"][aria-rowindex]');

    it('lists every trace, and finds the failed checkouts by the service whose span failed', async () => {
      await open('/traces', () => traceRows().first().waitFor());
      const all = sent.cartTraceIds.length + sent.checkoutTraceIds.length;
      await expect.poll(() => traceRows().count()).toBe(all);
      await checkPage('traces');

      await ui.page.getByRole('combobox', { name: 'Service' }).selectOption('postgres');
      await ui.page.getByRole('combobox', { name: 'Status' }).selectOption('error');
      await ui.page.getByRole('button', { name: 'Search' }).click();
      await ui.page.waitForURL((u) => u.searchParams.get('status') === 'error');
      await expect.poll(() => traceRows().count()).toBe(sent.checkoutTraceIds.length);
      for (const text of await traceRows().allTextContents()) {
        // Found by postgres's span, shown by the trace's root.
        expect(text).toContain('frontend');
        expect(text).toContain('POST /checkout');
        expect(text).toContain('⚠ error');
      }
      await ui.screenshot('traces-errors');
      ui.assertClean();
    });

    it('opens a failed checkout: spans of three services, the failed one marked, its details on click', async () => {
      await open('/traces?status=error', () => traceRows().first().waitFor());
      await traceRows().first().getByRole('link', { name: 'POST /checkout' }).click();
      await ui.page.waitForURL((u) => sent.checkoutTraceIds.includes(u.searchParams.get('trace') ?? ''));
      await waterfallRows().first().waitFor();
      expect(await waterfallRows().count()).toBe(3);
      expect(await ui.page.getByText(/^3 spans · 3 services · .* · ⚠ 1 with errors$/).count()).toBe(1);
      const legend = await ui.page
        .getByRole('list', { name: 'Legend' })
        .getByRole('listitem')
        .allTextContents();
      expect(legend).toEqual(expect.arrayContaining(['api', 'frontend', 'postgres']));

      const failed = ui.page.getByRole('button', { name: /^⚠ error postgres INSERT orders/ });
      await failed.click();
      const details = ui.page.getByRole('region', { name: 'Span details: INSERT orders' });
      await details.waitFor();
      expect(await details.textContent()).toContain('Error: deadlock detected');
      const attributes = details.getByRole('table', { name: 'Attributes' });
      expect(await attributes.getByRole('row', { name: /^db\.system postgresql$/ }).count()).toBe(1);
      expect(await details.getByRole('table', { name: 'Events' }).textContent()).toContain(
        'deadlock detected while inserting into orders',
      );
      await checkPage('trace-failed-checkout');
    });

    it('nests a cart request: frontend → api → redis and postgres', async () => {
      await open(`/traces?trace=${sent.cartTraceIds[0]}`, () => waterfallRows().first().waitFor());
      const levels = await waterfallRows().evaluateAll((rows) =>
        rows.map((r) => `${r.getAttribute('aria-level')} ${r.textContent}`),
      );
      const leaf = /^4 .*(postgres SELECT cart_items|api redis GET session)/;
      expect(levels).toEqual([
        expect.stringMatching(/^1 .*frontend GET \/cart/),
        expect.stringMatching(/^2 .*frontend GET api \/cart/),
        expect.stringMatching(/^3 .*api GET \/cart/),
        expect.stringMatching(leaf),
        expect.stringMatching(leaf),
      ]);
      expect(levels.filter((l) => l.includes('SELECT cart_items') || l.includes('redis GET'))).toHaveLength(
        2,
      );
      await checkPage('trace-cart');
    });
  });

  describe('profiles', () => {
    const flameGraph = () => ui.page.getByRole('application', { name: /^Flame graph of / });
    const topRows = () => ui.page.locator('table:has(caption) tbody tr');

    it("shows the api's CPU flame graph, zooms into a clicked frame and searches frames", async () => {
      await open('/profiles', () => ui.page.getByRole('combobox', { name: 'Service' }).waitFor());
      const service = ui.page.getByRole('combobox', { name: 'Service' });
      await service.fill(sent.profile.service);
      await service.press('Enter');
      await ui.page.waitForURL((u) => u.searchParams.get('service') === sent.profile.service);
      await flameGraph().waitFor();
      expect(await ui.page.getByRole('combobox', { name: 'Profile type' }).inputValue()).toBe(
        sent.profile.type,
      );
      expect(await flameGraph().getAttribute('aria-label')).toMatch(/^Flame graph of total, 8 frames shown/);
      await expect.poll(() => canvasPainted(flameGraph())).toBe(true);
      // The top table is the flame graph's accessible view: sha256 has the most self time.
      expect(await topRows().first().textContent()).toMatch(/^crypto\/sha256\.block .*60(\.0+)?%/);
      await checkPage('profiles');

      // Frames are 18 px rows, widest callee leftmost: depth 4 at the left edge is the checksum.
      const box = (await flameGraph().boundingBox())!;
      await ui.page.mouse.click(box.x + 5, box.y + 4 * 18 + 9);
      const zoomPath = ui.page.getByRole('navigation', { name: 'Zoom path' });
      await expect
        .poll(() => zoomPath.locator('[aria-current="location"]').textContent())
        .toBe(sent.profile.hottest);
      expect(await flameGraph().getAttribute('aria-label')).toMatch(
        new RegExp(`^Flame graph of ${sent.profile.hottest.replace(/[.*()/]/g, '\\$&')}, 2 frames shown`),
      );
      expect(await ui.page.locator('table caption').textContent()).toBe(
        `Top functions under ${sent.profile.hottest}`,
      );
      expect(await topRows().first().textContent()).toMatch(/^crypto\/sha256\.block /);
      // Only what runs under the checksum: JSON encoding and GC are gone.
      expect(
        (await topRows().allTextContents()).filter((t) => /^(encoding\/json|runtime)\./.test(t)),
      ).toEqual([]);

      await ui.page.getByRole('textbox', { name: 'Search frames' }).fill('json');
      await expect
        .poll(() => ui.page.getByText(/matching frames?,/).textContent())
        .toMatch(/^1 matching frame, 18(\.0+)?% of total/);
      await checkPage('profiles-zoomed');
      await ui.page.getByRole('button', { name: 'Reset zoom' }).click();
      await expect.poll(() => zoomPath.count()).toBe(0);
      expect(await flameGraph().getAttribute('aria-label')).toMatch(/^Flame graph of total/);
      ui.assertClean();
    });
  });

  describe('service map', () => {
    it('draws the shop and opens the application whose node is clicked', async () => {
      await open('/map', () => ui.page.locator('[aria-label^="Service map"]').waitFor());
      await expect.poll(() => mapNodePoint(ui.page, SHOP.api), { timeout: 15_000 }).toBeDefined();
      await checkPage('map');
      // The layout may still move the node (seed layout, then ELK's): aim again until a click lands.
      const target = `/apps/${encodeURIComponent(SHOP.api)}`;
      await expect
        .poll(
          async () => {
            const p = await mapNodePoint(ui.page, SHOP.api);
            if (p) await ui.page.mouse.click(p.x, p.y);
            await ui.page.waitForURL((u) => u.pathname === target, { timeout: 1500 }).catch(() => undefined);
            return new URL(ui.page.url()).pathname;
          },
          { timeout: 15_000 },
        )
        .toBe(target);
      await ui.page.getByRole('heading', { level: 1 }).first().waitFor();
      expect(await ui.page.getByText('This page failed to render').count()).toBe(0);
      await checkPage('app-from-map');
    });
  });

  describe('nodes', () => {
    it('lists both nodes of the shop and opens one with its charts and containers', async () => {
      const table = ui.page.getByRole('table', { name: 'Nodes' });
      await open('/nodes', () => table.locator('tbody tr').first().waitFor());
      const names = await table.locator('tbody tr').getByRole('link').allTextContents();
      expect(names.sort()).toEqual(['node-a', 'node-b']);
      await checkPage('nodes');

      await table.getByRole('link', { name: 'node-a' }).click();
      await ui.page.getByRole('heading', { level: 1, name: 'node-a' }).waitFor();
      await ui.page.getByRole('figure', { name: /^CPU usage\. Latest: / }).waitFor();
      const containers = ui.page.getByRole('table', { name: 'Containers on this node' });
      // One row per container; the api's and the frontend's run here.
      await expect.poll(() => containers.getByRole('link', { name: SHOP.api }).count()).toBeGreaterThan(0);
      expect(await containers.getByRole('link', { name: SHOP.frontend }).count()).toBeGreaterThan(0);
      expect(await containers.getByRole('link', { name: SHOP.postgres }).count()).toBe(0);
      await checkPage('node');
    });
  });

  describe('incidents', () => {
    it('lists the failed rollout incident and opens its root-cause ranking', async () => {
      const table = ui.page.getByRole('table', { name: 'Incidents' });
      await open('/incidents', () => table.locator('tbody tr').first().waitFor(), INCIDENT_RANGE);
      await checkPage('incidents');
      const row = table.locator('tbody tr', { hasText: 'frontend' }).first();
      await row.getByRole('link').first().click();
      await ui.page.waitForURL((u) => u.pathname.startsWith('/incidents/'));
      const causes = ui.page.getByRole('list', { name: 'Ranked causes' });
      await causes.waitFor();
      expect(await causes.getByRole('listitem').first().textContent()).toContain('shop/api:2.8.0');
      await ui.page.getByRole('list', { name: 'Timeline' }).waitFor();
      await checkPage('incident');
    });
  });

  describe('settings', () => {
    const keysPath = '/api/v1/projects/default/api-keys';
    const apiKeys = async () =>
      (await vigil.getJson<{ keys: Array<{ prefix: string; description: string }> }>(keysPath)).body.keys;
    /** An empty OTLP/JSON logs export with `key`: 200 when the server takes the key. */
    const ingestWith = async (key: string) =>
      (
        await fetch(`${vigil.otlpHttp}/v1/logs`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': key },
          body: JSON.stringify({ resourceLogs: [] }),
        })
      ).status;

    it('creates an ingestion key shown once, which ingests, and revokes it', async () => {
      const label = 'e2e node agents';
      const table = ui.page.getByRole('table', { name: 'API keys' });
      await open('/settings/api-keys', () => table.locator('tbody tr').first().waitFor());
      await ui.page.getByRole('textbox', { name: /Label/ }).fill(label);
      await ui.page.getByRole('button', { name: 'Create key' }).click();
      const created = ui.page.getByRole('region', { name: 'New API key' });
      const key = (await created.getByLabel('API key', { exact: true }).textContent())?.trim() ?? '';
      expect(key).toMatch(/^vk_[\w-]{20,}$/);
      expect(await created.getByLabel('Node agent install command', { exact: true }).textContent()).toContain(
        `VIGIL_API_KEY=${key}`,
      );
      await expect.poll(() => table.getByRole('cell', { name: label, exact: true }).count()).toBe(1);
      const listed = (await apiKeys()).find((k) => k.description === label);
      expect(key.startsWith(listed?.prefix ?? '-')).toBe(true);
      expect(await ingestWith(key)).toBe(200);
      await checkPage('settings-api-key-created');

      await created.getByRole('button', { name: 'I have copied it' }).click();
      await expect.poll(() => created.count()).toBe(0);
      expect(await ui.page.locator('body').textContent()).not.toContain(key);
      await ui.page.getByRole('button', { name: `Revoke key ${listed!.prefix}… (${label})` }).click();
      await ui.page.getByRole('button', { name: 'Yes, revoke' }).click();
      await expect.poll(() => table.getByRole('cell', { name: label, exact: true }).count()).toBe(0);
      expect((await apiKeys()).some((k) => k.description === label)).toBe(false);
      expect(await ingestWith(key)).toBe(401);
      ui.assertClean();
    });

    it('saves a changed inspection threshold, which a reload and the API both show', async () => {
      const cpu = () => ui.page.getByRole('textbox', { name: 'Node CPU utilisation warning threshold' });
      await open('/settings/inspections', () => cpu().waitFor());
      await cpu().fill('91');
      const put = ui.page.waitForResponse(
        (r) => r.url().includes('/api/v1/inspections') && r.request().method() === 'PUT',
      );
      await ui.page.getByRole('button', { name: 'Save thresholds' }).click();
      expect((await put).status()).toBe(200);
      await ui.settle();
      // Soft: the confirmation is lost today (see the lead's list); what was saved is checked below.
      expect
        .soft(
          await ui.page.getByRole('status').filter({ hasText: 'Thresholds saved.' }).count(),
          'confirmation',
        )
        .toBe(1);
      await ui.page.reload();
      await expect.poll(() => cpu().inputValue()).toBe('91');
      const saved = await vigil.getJson<{ project: Record<string, { warning?: number }> }>(
        '/api/v1/inspections',
      );
      expect(saved.body.project.cpu_node?.warning).toBe(91);
      await checkPage('settings-inspections');
    });

    it.each([
      ['projects', 'Projects'],
      ['tokens', 'Read tokens'],
      ['users', 'Users'],
      ['databases', 'Database credentials'],
      ['integrations', 'Integrations'],
      ['status', 'Status'],
    ])('opens the %s tab with no accessibility violation', async (tab, label) => {
      await open(`/settings/${tab}`, () =>
        ui.page.getByRole('tab', { name: label, selected: true }).waitFor(),
      );
      await ui.settle();
      expect(await ui.page.getByText('This page failed to render').count()).toBe(0);
      await checkPage(`settings-${tab}`);
    });
  });
});
