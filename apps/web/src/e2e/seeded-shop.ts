/// <reference types="node" />
/**
 * A real server holding the shop as ui-data.int.test.ts needs it: 200 minutes of the scenario
 * kit's metrics with a failed rollout of the api (the incident loop opens an incident on the
 * frontend), and the last half hour's traces, logs and CPU profile from the real OpenTelemetry
 * JS SDK (apps/server/src/testing/shop-telemetry.ts).
 */
import { makeTempDir } from '@vigil/testkit';
import { SHOP } from '@vigil/testkit/scenarios';
import { loadServerTesting, type ShopTelemetry, type UiTestServer } from './server-fixture.ts';

const STEP = 15_000;
const MINUTE = 60_000;

export interface SeededShop {
  readonly vigil: UiTestServer;
  readonly sent: ShopTelemetry;
  readonly adminPassword: string;
  stop(): Promise<void>;
}

/** Waits (up to two minutes) until the incident loop has opened an incident on `appId`. */
async function waitForIncident(vigil: UiTestServer, appId: string): Promise<void> {
  const from = Date.now() - 5 * 60 * MINUTE;
  for (let i = 0; i < 240; i++) {
    const { body } = await vigil.getJson<{ incidents: Array<{ appId: string }> }>(
      `/api/v1/incidents?from=${from}`,
    );
    if (body.incidents.some((x) => x.appId === appId)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no incident on ${appId} within two minutes`);
}

/** Starts the server serving `webDistDir`, seeds it, and waits until the incident is open. */
export async function startSeededShop(webDistDir: string): Promise<SeededShop> {
  const testing = await loadServerTesting();
  // The history arrives all at once, after the fact, and the incident loop judges each minute
  // once: a first server stores and caches everything (its loop would first run in an hour), a
  // second one on the same data directory evaluates it (as apps/server's incident test does).
  const dataDir = makeTempDir('vigil-ui-data-');
  const settings = {
    VIGIL_CACHE_STEP: '15s',
    VIGIL_CACHE_BACKFILL: '4h',
    VIGIL_CACHE_REFRESH: '2s',
    VIGIL_INCIDENT_QUIET_HISTORY: '6h',
  };
  const start = (interval: string) =>
    testing.startTestServer({ ...settings, VIGIL_INCIDENT_INTERVAL: interval }, dataDir.dir, {
      webDistDir,
    });
  let vigil = await start('1h');
  try {
    const end = Math.floor(Date.now() / STEP) * STEP - STEP;
    // A rollout of the api failing 30% of requests, rolled back forty minutes later.
    const rollout = { kind: 'deployment', app: SHOP.api } as const;
    await testing.writeShopHistory(
      vigil,
      [
        {
          ...rollout,
          fromMs: end - 100 * MINUTE,
          untilMs: end - 60 * MINUTE,
          image: 'shop/api:2.8.0',
          errorRate: 0.3,
        },
        { ...rollout, fromMs: end - 60 * MINUTE, image: 'shop/api:2.7.1', errorRate: 0 },
      ],
      { fromMs: end - 200 * MINUTE, toMs: end, scrapeMs: STEP, seed: 5 },
    );
    const sent = await testing.sendShopTelemetry(vigil, Date.now() - MINUTE);
    await testing.waitForCache(vigil, end);
    await vigil.stop();
    vigil = await start('2s');
    await testing.waitForCache(vigil, end);
    await waitForIncident(vigil, SHOP.frontend);
    const running = vigil;
    return {
      vigil: running,
      sent,
      adminPassword: testing.TEST_ADMIN_PASSWORD,
      async stop() {
        await running.stop();
        dataDir.cleanup();
      },
    };
  } catch (err) {
    await vigil.stop();
    dataDir.cleanup();
    throw err;
  }
}
