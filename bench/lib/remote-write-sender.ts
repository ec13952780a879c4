/**
 * Sends pre-compressed remote write 1.0 requests to one receiver from several keep-alive
 * senders, pass after pass (all requests of pass 0, then of pass 1, …), the way Prometheus's
 * remote-write shards do:
 *
 *   2xx          acknowledged; its samples count
 *   429          wait Retry-After (capped), send the same body again (Vigil's full write buffer)
 *   5xx, network back off 100 ms doubling to 2 s, send again (Prometheus retries these too)
 *   other 4xx    not retried, samples not counted; the first answer is kept for the report
 *
 * No request starts after the deadline, so a run ends by itself; when every pass has been sent
 * before it, the run ends early (`exhausted`) rather than send a timestamp twice.
 */
import { latencyQuantile, retryAfterMs, sleep } from './load-sender.ts';

export interface RemoteWriteSendOptions {
  /** Full URL of the receiver's write endpoint. */
  url: string;
  /** Extra headers (X-API-Key for Vigil). */
  headers: Record<string, string>;
  /** passes[p][r]: request r of pass p, snappy-compressed. */
  passes: readonly (readonly Buffer[])[];
  /** Samples in request r (the same in every pass). */
  samplesPerRequest: readonly number[];
  senders: number;
  durationMs: number;
  maxAttempts?: number;
  maxRetryWaitMs?: number;
  requestTimeoutMs?: number;
}

export interface RemoteWriteSendResult {
  elapsedMs: number;
  requests: number;
  acknowledgedRequests: number;
  acknowledgedSamples: number;
  bytesAcknowledged: number;
  status429: number;
  retryWaitMs: number;
  /** Requests given up after maxAttempts (429/5xx/network errors). */
  requestsGivenUp: number;
  /** Senders stopped in a retry wait because the deadline came first. */
  endedWaiting: number;
  /** Every pass was sent before the deadline. */
  exhausted: boolean;
  /** Passes whose requests all had their final answer. */
  passesCompleted: number;
  /** Answers other than 2xx/429 and network errors, by status or error name. */
  failures: Record<string, number>;
  firstFailure: string | undefined;
  latencyMs: { p50: number; p99: number; max: number };
}

export async function sendRemoteWrite(opts: RemoteWriteSendOptions): Promise<RemoteWriteSendResult> {
  const maxAttempts = opts.maxAttempts ?? 30;
  const maxRetryWaitMs = opts.maxRetryWaitMs ?? 5000;
  const requestTimeoutMs = opts.requestTimeoutMs ?? 60_000;
  const perPass = opts.samplesPerRequest.length;
  const total = opts.passes.length * perPass;
  const headers = {
    'content-type': 'application/x-protobuf',
    'content-encoding': 'snappy',
    'x-prometheus-remote-write-version': '0.1.0',
    'user-agent': 'vigil-bench-remote-write',
    ...opts.headers,
  };
  const r: RemoteWriteSendResult = {
    elapsedMs: 0,
    requests: 0,
    acknowledgedRequests: 0,
    acknowledgedSamples: 0,
    bytesAcknowledged: 0,
    status429: 0,
    retryWaitMs: 0,
    requestsGivenUp: 0,
    endedWaiting: 0,
    exhausted: false,
    passesCompleted: 0,
    failures: {},
    firstFailure: undefined,
    latencyMs: { p50: NaN, p99: NaN, max: NaN },
  };
  const latencies: number[] = [];
  const answered = new Array<number>(opts.passes.length).fill(0);
  const started = performance.now();
  const deadline = started + opts.durationMs;
  let next = 0;
  const failed = (key: string, detail: string): void => {
    r.failures[key] = (r.failures[key] ?? 0) + 1;
    r.firstFailure ??= detail;
  };
  const done = (pass: number): void => {
    if (++answered[pass]! === perPass) r.passesCompleted++;
  };

  /** Sends request k until it has a final answer; false when the deadline cut a retry wait. */
  const send = async (k: number): Promise<boolean> => {
    const pass = Math.floor(k / perPass);
    const index = k % perPass;
    const body = opts.passes[pass]![index]!;
    let backoffMs = 100;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const t0 = performance.now();
      r.requests++;
      let waitMs: number;
      try {
        const res = await fetch(opts.url, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(requestTimeoutMs),
        });
        const answer = await res.arrayBuffer(); // read whole: the connection goes back to the pool
        latencies.push(performance.now() - t0);
        if (res.status >= 200 && res.status < 300) {
          r.acknowledgedRequests++;
          r.acknowledgedSamples += opts.samplesPerRequest[index]!;
          r.bytesAcknowledged += body.length;
          done(pass);
          return true;
        }
        const text = Buffer.from(answer).toString('utf8', 0, 400);
        if (res.status === 429) {
          r.status429++;
          waitMs = Math.min(maxRetryWaitMs, retryAfterMs(res.headers.get('retry-after')));
        } else if (res.status >= 500) {
          failed(String(res.status), `HTTP ${res.status}: ${text}`);
          waitMs = backoffMs;
          backoffMs = Math.min(2000, backoffMs * 2);
        } else {
          failed(String(res.status), `HTTP ${res.status} (pass ${pass}, request ${index}): ${text}`);
          done(pass);
          return true;
        }
      } catch (e) {
        failed((e as Error).name, `request error: ${(e as Error).message}`);
        waitMs = backoffMs;
        backoffMs = Math.min(2000, backoffMs * 2);
      }
      if (performance.now() + waitMs > deadline) {
        r.endedWaiting++;
        return false;
      }
      r.retryWaitMs += waitMs;
      await sleep(waitMs);
    }
    r.requestsGivenUp++;
    done(pass);
    return true;
  };

  const sender = async (): Promise<void> => {
    while (performance.now() < deadline) {
      if (next >= total) {
        r.exhausted = true;
        return;
      }
      if (!(await send(next++))) return;
    }
  };
  await Promise.all(Array.from({ length: opts.senders }, sender));
  r.elapsedMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  r.latencyMs = {
    p50: latencyQuantile(latencies, 0.5),
    p99: latencyQuantile(latencies, 0.99),
    max: latencies[latencies.length - 1] ?? NaN,
  };
  return r;
}
