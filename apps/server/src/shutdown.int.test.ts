import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '@vigil/testkit';
import type { TraceSummary } from '@vigil/spec';
import { makeSpans } from './testing/otel-clients.ts';
import { startTestServer, TEST_ADMIN_PASSWORD, TEST_API_KEY } from './testing/test-server.ts';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const tmp = makeTempDir('vigil-shutdown-');
afterAll(() => tmp.cleanup());

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.once('error', reject);
  });
}

async function waitForReady(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early with ${child.exitCode}`);
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not become ready');
}

describe('a clean shutdown under steady ingest', () => {
  it('loses no acknowledged span: everything acknowledged before SIGTERM is queryable after a restart', async () => {
    const [api, otlpHttp, grpc] = [await freePort(), await freePort(), await freePort()];
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'apps/cli/src/main.ts',
        'server',
        '--listen',
        `127.0.0.1:${api}`,
        '--otlp-http-listen',
        `127.0.0.1:${otlpHttp}`,
        '--otlp-grpc-listen',
        `127.0.0.1:${grpc}`,
      ],
      {
        cwd: repoRoot,
        env: {
          ...process.env,
          VIGIL_DATA_DIR: tmp.dir,
          VIGIL_API_KEY: TEST_API_KEY,
          VIGIL_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
          // A long delay keeps records in the buffer at SIGTERM, so the flush-on-shutdown path is what saves them.
          VIGIL_BATCH_MAX_DELAY: '5s',
          VIGIL_LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await waitForReady(`http://127.0.0.1:${api}/ready`, child);

    const acknowledged = new Set<string>();
    let stop = false;
    const sender = async (): Promise<void> => {
      for (let i = 0; i < 60 && !stop; i++) {
        const spans = makeSpans('sigterm-svc', 5);
        const body = ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array;
        try {
          const res = await fetch(`http://127.0.0.1:${otlpHttp}/v1/traces`, {
            method: 'POST',
            body,
            headers: { 'content-type': 'application/x-protobuf', 'X-API-Key': TEST_API_KEY },
          });
          if (res.status === 200) for (const s of spans) acknowledged.add(s.spanContext().traceId);
        } catch {
          return; // the server stopped listening
        }
      }
    };
    const senders = [sender(), sender(), sender()];
    await new Promise((r) => setTimeout(r, 700));
    child.kill('SIGTERM');
    const code = await exited;
    stop = true;
    await Promise.all(senders);
    expect(code, output).toBe(0);
    expect(acknowledged.size).toBeGreaterThan(0);

    const restarted = await startTestServer({}, tmp.dir);
    try {
      const res = await restarted.getJson<{ traces: TraceSummary[] }>(
        `/api/v1/traces?service=sigterm-svc&limit=1000`,
      );
      const stored = new Set(res.body.traces.map((tr) => tr.traceId));
      const missing = [...acknowledged].filter((id) => !stored.has(id));
      expect(missing).toEqual([]);
    } finally {
      await restarted.server.shutdown();
    }
  });
});
