import http from 'node:http';

/**
 * Replays pre-encoded OTLP bodies at a server over keep-alive HTTP from several concurrent
 * senders, like a fleet of exporters would. Requests go through `node:http` with a keep-alive
 * agent rather than `fetch`: on this 2-core machine the sender shares the cores with the server,
 * and fetch (undici) cost it about twice the CPU per request. It behaves as a well-mannered OTLP exporter does on
 * 429: wait Retry-After, then resend the same body; retries are bounded in count and in time, so
 * the run always ends by itself. Only 200 answers count as acknowledged items.
 */

export interface SendOptions {
  /** Full URL of the OTLP endpoint, e.g. http://127.0.0.1:4318/v1/traces. */
  url: string;
  apiKey: string;
  bodies: readonly Buffer[];
  /** Items in each body (same index as `bodies`). */
  itemsPerBody: readonly number[];
  senders: number;
  /** No new request starts after this long. */
  durationMs: number;
  /** Attempts per body before it is given up (429s and network errors). */
  maxAttempts?: number;
  /** Longest Retry-After honoured as given; longer ones are cut to this. */
  maxRetryWaitMs?: number;
  requestTimeoutMs?: number;
}

export interface SendResult {
  elapsedMs: number;
  requests: number;
  acknowledgedRequests: number;
  acknowledgedItems: number;
  bytesAcknowledged: number;
  status429: number;
  retryWaitMs: number;
  /** Bodies dropped after maxAttempts. */
  bodiesGivenUp: number;
  /** Senders that ended in a retry wait because the deadline came first (their body unsent). */
  endedWaiting: number;
  /** Other answers and network errors, by status or error text. */
  failures: Record<string, number>;
  firstFailure: string | undefined;
  latencyMs: { p50: number; p99: number; max: number };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Answer {
  status: number;
  retryAfter: string | null;
  body: Buffer;
}

/** One POST over `agent`; resolves with the whole answer. */
function post(
  agent: http.Agent,
  url: URL,
  headers: http.OutgoingHttpHeaders,
  body: Buffer,
  timeoutMs: number,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': body.length }, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const retryAfter = res.headers['retry-after'];
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: typeof retryAfter === 'string' ? retryAfter : null,
            body: Buffer.concat(chunks),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(Object.assign(new Error('request timed out'), { name: 'TimeoutError' })),
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The q-quantile (0..1) of an ascending list of latencies, by index; NaN when empty. */
export function latencyQuantile(sorted: readonly number[], q: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Retry-After as seconds (the server sends seconds; HTTP dates are accepted too). */
/** Milliseconds a Retry-After header asks for (seconds or an HTTP date); 1 s when absent. */
export function retryAfterMs(header: string | null): number {
  if (header === null) return 1000;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : 1000;
}

export async function sendLoad(opts: SendOptions): Promise<SendResult> {
  const maxAttempts = opts.maxAttempts ?? 30;
  const maxRetryWaitMs = opts.maxRetryWaitMs ?? 5000;
  const requestTimeoutMs = opts.requestTimeoutMs ?? 60_000;
  const result: SendResult = {
    elapsedMs: 0,
    requests: 0,
    acknowledgedRequests: 0,
    acknowledgedItems: 0,
    bytesAcknowledged: 0,
    status429: 0,
    retryWaitMs: 0,
    bodiesGivenUp: 0,
    endedWaiting: 0,
    failures: {},
    firstFailure: undefined,
    latencyMs: { p50: NaN, p99: NaN, max: NaN },
  };
  const latencies: number[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.senders });
  const url = new URL(opts.url);
  const headers = { 'content-type': 'application/x-protobuf', 'x-api-key': opts.apiKey };
  const started = performance.now();
  const deadline = started + opts.durationMs;
  let next = 0;
  const failed = (key: string, detail: string): void => {
    result.failures[key] = (result.failures[key] ?? 0) + 1;
    result.firstFailure ??= detail;
  };

  /**
   * Sends one body until it is acknowledged, refused for good, or given up. False when the
   * deadline came during a retry wait: the sender stops rather than start on another body.
   */
  const sendBody = async (index: number): Promise<boolean> => {
    const body = opts.bodies[index]!;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const t0 = performance.now();
      result.requests++;
      let waitMs: number;
      try {
        // The answer is read whole, so the keep-alive connection goes back to the pool.
        const res = await post(agent, url, headers, body, requestTimeoutMs);
        latencies.push(performance.now() - t0);
        if (res.status === 200) {
          result.acknowledgedRequests++;
          result.acknowledgedItems += opts.itemsPerBody[index]!;
          result.bytesAcknowledged += body.length;
          return true;
        }
        if (res.status !== 429) {
          // 4xx/5xx other than 429 mean a bug in the encoder or the server: do not retry.
          failed(String(res.status), `HTTP ${res.status}: ${res.body.toString('utf8', 0, 300)}`);
          return true;
        }
        result.status429++;
        waitMs = Math.min(maxRetryWaitMs, retryAfterMs(res.retryAfter));
      } catch (e) {
        failed((e as Error).name, `request error: ${(e as Error).message}`);
        waitMs = 200;
      }
      if (performance.now() + waitMs > deadline) {
        result.endedWaiting++; // the run ends before the retry would
        return false;
      }
      result.retryWaitMs += waitMs;
      await sleep(waitMs);
    }
    result.bodiesGivenUp++;
    return true;
  };

  const sender = async (): Promise<void> => {
    while (performance.now() < deadline && (await sendBody(next++ % opts.bodies.length)));
  };
  await Promise.all(Array.from({ length: opts.senders }, sender));
  result.elapsedMs = performance.now() - started;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  result.latencyMs = {
    p50: latencyQuantile(latencies, 0.5),
    p99: latencyQuantile(latencies, 0.99),
    max: latencies[latencies.length - 1] ?? NaN,
  };
  return result;
}
