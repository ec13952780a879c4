/// <reference types="node" />
/**
 * The server's test helpers (apps/server/src/testing), loaded at run time. They are Node code
 * typed against Node's `fetch`; this package is typechecked with the DOM's, under which they do
 * not compile (a Buffer is no DOM BodyInit). So the import path is computed, keeping them out of
 * this program, and what the UI test uses of them is typed here.
 */
import type { Effect } from '@vigil/testkit/scenarios';

/** The part of apps/server/src/testing/test-server.ts's TestServer the UI test uses. */
export interface UiTestServer {
  readonly api: string;
  /** OTLP/HTTP receiver, e.g. `http://127.0.0.1:4318`. */
  readonly otlpHttp: string;
  getJson<T = unknown>(path: string): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
}

interface ServerTesting {
  startTestServer(
    env?: Record<string, string>,
    dataDir?: string,
    opts?: { webDistDir?: string },
  ): Promise<UiTestServer>;
  TEST_ADMIN_PASSWORD: string;
  writeShopHistory(
    server: UiTestServer,
    effects: readonly Effect[],
    window: { fromMs: number; toMs: number; scrapeMs: number; seed: number },
  ): Promise<void>;
  waitForCache(server: UiTestServer, endMs: number): Promise<void>;
  sendShopTelemetry(server: UiTestServer, endMs: number, windowMs?: number): Promise<ShopTelemetry>;
}

/** apps/server/src/testing/shop-telemetry.ts's ShopTelemetry: what the shop's services sent. */
export interface ShopTelemetry {
  readonly services: readonly string[];
  /** `GET /cart` traces (frontend → api → redis, postgres), no error. */
  readonly cartTraceIds: readonly string[];
  /** `POST /checkout` traces whose postgres `INSERT orders` span failed. */
  readonly checkoutTraceIds: readonly string[];
  /** The api's ERROR log for a failed order, logged inside its checkout trace. */
  readonly checkoutErrorLog: (orderId: string) => string;
  readonly failedOrderIds: readonly string[];
  readonly logCounts: Readonly<Record<string, number>>;
  /** Per severity text: `INFO`, `WARN`, `ERROR`. */
  readonly severityCounts: Readonly<Record<string, number>>;
  readonly profile: { readonly service: string; readonly type: string; readonly hottest: string };
}

const testing = (file: string) => new URL(`../../../server/src/testing/${file}`, import.meta.url).href;

/** The real server's start-up and seeding helpers. */
export async function loadServerTesting(): Promise<ServerTesting> {
  const [server, history, telemetry] = await Promise.all([
    import(testing('test-server.ts')),
    import(testing('scenario-history.ts')),
    import(testing('shop-telemetry.ts')),
  ]);
  return { ...server, ...history, ...telemetry } as ServerTesting;
}
