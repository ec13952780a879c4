import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the receiver saw it. */
export interface ReceivedRequest {
  method: string;
  /** Path and query string. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The body parsed as JSON, or the raw text when it is not JSON. */
  body: unknown;
  /** `performance.now()` when the request arrived. */
  atMs: number;
}

/** How the receiver answers one request. */
export interface Answer {
  status: number;
  headers?: Record<string, string>;
  /** Sent as JSON unless a string. */
  body?: unknown;
}

export type Responder = (request: ReceivedRequest) => Answer;

/**
 * A real HTTP server on 127.0.0.1 standing in for Slack, Teams, PagerDuty, Opsgenie or a
 * webhook endpoint. It records every request and answers with queued answers first (e.g. a
 * 503 to provoke a retry), then with `fallback`, which tests give the receiver's documented
 * success answer.
 */
export class Receiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly queued: Answer[] = [];
  private readonly waiters: Array<{ count: number; resolve: () => void }> = [];

  private readonly server: Server;
  private address = '';

  private constructor(private fallback: Responder) {
    this.server = createServer((req, res) => {
      void this.handle(req).then((answer) => {
        const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {});
        const type = typeof answer.body === 'string' ? 'text/plain' : 'application/json';
        res.writeHead(answer.status, { 'content-type': type, ...answer.headers });
        res.end(text);
      });
    });
  }

  /** Starts a receiver on an ephemeral port of 127.0.0.1. */
  static async start(fallback: Responder = () => ({ status: 200, body: 'ok' })): Promise<Receiver> {
    const receiver = new Receiver(fallback);
    receiver.server.listen(0, '127.0.0.1');
    await once(receiver.server, 'listening');
    const { port } = receiver.server.address() as AddressInfo;
    receiver.address = `http://127.0.0.1:${port}`;
    return receiver;
  }

  /** `http://127.0.0.1:<port>`. */
  get url(): string {
    return this.address;
  }

  /** Answers the next requests with these, in order, before falling back. */
  answerNext(...answers: Answer[]): void {
    this.queued.push(...answers);
  }

  respondWith(fallback: Responder): void {
    this.fallback = fallback;
  }

  /** Resolves once at least `count` requests have arrived. */
  async waitFor(count: number): Promise<ReceivedRequest[]> {
    if (this.requests.length < count) {
      await new Promise<void>((resolve) => this.waiters.push({ count, resolve }));
    }
    return this.requests;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }

  private async handle(req: IncomingMessage): Promise<Answer> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: keep the text, so a test can see what was sent.
    }
    const request = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body,
      atMs: performance.now(),
    };
    this.requests.push(request);
    for (const waiter of this.waiters.filter((w) => this.requests.length >= w.count)) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    return this.queued.shift() ?? this.fallback(request);
  }
}
