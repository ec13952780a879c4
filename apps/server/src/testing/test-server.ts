import { makeTempDir } from '@vigil/testkit';
import { loadServerConfig, type ServerConfig } from '../config/index.ts';
import { createLogger } from '../logging.ts';
import { startServer, type RunningServer } from '../server.ts';

export const TEST_API_KEY = 'vk_test_ingest_key_0123456789';
export const TEST_ADMIN_PASSWORD = 'admin-password-for-tests';

export interface TestServer {
  server: RunningServer;
  api: string;
  otlpHttp: string;
  grpcTarget: string;
  dataDir: string;
  /** Logs in as admin and returns the session cookie. */
  login(): Promise<string>;
  /** GET a JSON API path as the logged-in admin. */
  getJson<T = unknown>(path: string, headers?: Record<string, string>): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
}

/**
 * Starts a real server on ephemeral loopback ports with its own data directory. Extra settings
 * are given as environment-style names, e.g. `{ VIGIL_BATCH_MAX_DELAY: '50ms' }`; `webDistDir`
 * serves a web UI build other than apps/web/dist.
 */
export async function startTestServer(
  env: Record<string, string> = {},
  dataDir?: string,
  opts: { webDistDir?: string } = {},
): Promise<TestServer> {
  const tmp = dataDir ? undefined : makeTempDir('vigil-server-');
  const dir = dataDir ?? (tmp?.dir as string);
  const config: ServerConfig = loadServerConfig({
    argv: [],
    env: {
      VIGIL_DATA_DIR: dir,
      VIGIL_LISTEN: '127.0.0.1:0',
      VIGIL_OTLP_HTTP_LISTEN: '127.0.0.1:0',
      VIGIL_OTLP_GRPC_LISTEN: '127.0.0.1:0',
      VIGIL_API_KEY: TEST_API_KEY,
      VIGIL_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
      VIGIL_BATCH_MAX_DELAY: '50ms',
      VIGIL_LOG_LEVEL: process.env.VIGIL_TEST_LOG_LEVEL ?? 'warn',
      ...env,
    },
  });
  const server = await startServer(config, { logger: createLogger(config.logLevel), ...opts });
  const api = `http://127.0.0.1:${server.ports.api}`;
  let cookie: string | undefined;
  const login = async (): Promise<string> => {
    if (cookie) return cookie;
    const res = await fetch(`${api}/api/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }),
    });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
    cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    return cookie;
  };
  return {
    server,
    api,
    otlpHttp: `http://127.0.0.1:${server.ports.otlpHttp}`,
    grpcTarget: `http://127.0.0.1:${server.ports.otlpGrpc}`,
    dataDir: dir,
    login,
    async getJson<T>(path: string, headers?: Record<string, string>) {
      const res = await fetch(`${api}${path}`, { headers: headers ?? { cookie: await login() } });
      return { status: res.status, body: (await res.json()) as T };
    },
    async stop() {
      await server.shutdown();
      tmp?.cleanup();
    },
  };
}
