/**
 * A remote write 1.0 receiver for tests: a plain node:http server on 127.0.0.1 that decodes
 * every body (snappy, then `decodeRemoteWrite1`), records it, and answers what the test's
 * `respond` says for that request (by its position, so an outage is "the first n requests",
 * not a stretch of wall-clock time). An answer may be a promise, to hold a request open.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { uncompressSync } from 'snappy';
import { decodeRemoteWrite1, type MetricsBatch } from '@vigil/protocols';

export interface ReceivedRequest {
  /** 0-based position among all requests received. */
  readonly index: number;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly batch: MetricsBatch;
  readonly receivedAtMs: number;
}

export interface Answer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

export interface Receiver {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** Requests answered 2xx so far, in arrival order. */
  accepted(): ReceivedRequest[];
  close(): Promise<void>;
}

export async function startReceiver(
  respond: (request: ReceivedRequest) => Answer | Promise<Answer> = () => ({ status: 204 }),
): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const answers: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = uncompressSync(Buffer.concat(chunks), { asBuffer: true }) as Buffer;
      const request: ReceivedRequest = {
        index: requests.length,
        path: req.url ?? '',
        headers: req.headers,
        batch: decodeRemoteWrite1(body),
        receivedAtMs: Date.now(),
      };
      requests.push(request);
      void Promise.resolve(respond(request)).then((answer) => {
        answers[request.index] = answer.status;
        res.writeHead(answer.status, answer.headers).end(answer.body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    accepted: () => requests.filter((_, i) => (answers[i] ?? 0) >= 200 && (answers[i] ?? 0) < 300),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
