/**
 * A real Vigil server for the logs end-to-end tests: in-process, embedded chDB in a temporary
 * data directory, loopback ports picked by the kernel, one ingest API key, and an admin login for
 * reading back through the JSON API.
 */
import { createLogger, loadServerConfig, startServer, type RunningServer } from '@vigil/server';
import { makeTempDir } from '@vigil/testkit';

export const INGEST_KEY = 'vk_node_agent_logs_test_0123456789';
const ADMIN_PASSWORD = 'admin-password-for-logs-tests';

export interface VigilServer {
  readonly server: RunningServer;
  /** `http://127.0.0.1:<port>`: ingestion (`/v1/logs`, `/v1/metrics`) and the JSON API. */
  readonly url: string;
  /** GET a JSON API path as the admin. */
  getJson<T>(path: string): Promise<T>;
  stop(): Promise<void>;
}

export async function startVigilServer(): Promise<VigilServer> {
  const tmp = makeTempDir('vigil-logs-server-');
  const config = loadServerConfig({
    argv: [],
    env: {
      VIGIL_DATA_DIR: tmp.dir,
      VIGIL_LISTEN: '127.0.0.1:0',
      VIGIL_OTLP_HTTP_LISTEN: '127.0.0.1:0',
      VIGIL_OTLP_GRPC_LISTEN: '127.0.0.1:0',
      VIGIL_API_KEY: INGEST_KEY,
      VIGIL_ADMIN_PASSWORD: ADMIN_PASSWORD,
      VIGIL_BATCH_MAX_DELAY: '50ms',
      VIGIL_LOG_LEVEL: process.env.VIGIL_TEST_LOG_LEVEL ?? 'warn',
    },
  });
  const server = await startServer(config, { logger: createLogger(config.logLevel) });
  const url = `http://127.0.0.1:${server.ports.api}`;
  const login = await fetch(`${url}/api/v1/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return {
    server,
    url,
    async getJson<T>(path: string): Promise<T> {
      const res = await fetch(`${url}${path}`, { headers: { cookie } });
      if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
    async stop() {
      await server.shutdown();
      tmp.cleanup();
    },
  };
}
