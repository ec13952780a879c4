/**
 * Server outages as the pusher sees them, against a real HTTP listener on loopback: 503s, 429
 * with Retry-After, a closed port, a server that does not answer. Outages are counted in
 * requests, not seconds, and nothing asserts how fast anything went.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestPusher, type PusherFixture } from './testing/pusher-fixture.ts';
import { startReceiver, type Answer, type Receiver } from './testing/remote-write-receiver.ts';
import { nodeFamilies, waitFor } from './testing/test-helpers.ts';

const T0 = Math.floor(Date.now() / 1000) * 1000;
const STEP_MS = 15_000;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
async function receiver(respond?: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
  const r = await startReceiver(respond);
  cleanups.push(() => r.close());
  return r;
}
async function pusherFor(
  url: string,
  options: Parameters<typeof startTestPusher>[1] = {},
): Promise<PusherFixture> {
  const f = await startTestPusher(url, options);
  cleanups.push(() => f.cleanup());
  return f;
}
const firstTimestamp = (r: { batch: { series: { timestampsMs: number[] }[] } }): number =>
  r.batch.series[0]!.timestampsMs[0]!;
const delaysLogged = (f: PusherFixture): unknown[] =>
  f.logger.lines.filter((l) => /remote write failed/.test(l.msg ?? '')).map((l) => l.fields.delayMs);

describe('remote write pusher during an outage', () => {
  it('loses nothing enqueued during a 503 outage, keeps the order, and backs off exponentially up to the max', async () => {
    const OUTAGE_REQUESTS = 7;
    const r = await receiver((req) =>
      req.index < OUTAGE_REQUESTS ? { status: 503, body: 'storage unavailable' } : { status: 204 },
    );
    // Jitter fixed at the middle: each wait is 3/4 of nominal (10, 20, 40, 80, 80… ms).
    const f = await pusherFor(r.url, { backoff: { initialMs: 10, maxMs: 80 }, random: () => 0.5 });
    await f.pusher.enqueue(nodeFamilies(0), T0);
    await waitFor('the outage noticed', () => r.requests.length >= 1);
    await f.pusher.enqueue(nodeFamilies(1), T0 + STEP_MS);
    await f.pusher.enqueue(nodeFamilies(2), T0 + 2 * STEP_MS);
    await waitFor('a few more failures', () => r.requests.length >= 4);
    expect(f.pusher.stats()).toMatchObject({ queuedSegments: 3, sentRequests: 0 });
    await f.pusher.enqueue(nodeFamilies(3), T0 + 3 * STEP_MS);
    await waitFor('everything delivered', () => f.pusher.stats().sentRequests === 4);

    // During the outage it only retried the oldest; afterwards it sent all four, in order.
    expect(r.requests.slice(0, OUTAGE_REQUESTS).map(firstTimestamp)).toEqual(Array(OUTAGE_REQUESTS).fill(T0));
    expect(r.accepted().map(firstTimestamp)).toEqual([0, 1, 2, 3].map((i) => T0 + i * STEP_MS));
    expect(r.requests).toHaveLength(OUTAGE_REQUESTS + 4);
    expect(delaysLogged(f)).toEqual([8, 15, 30, 60, 60, 60, 60]);
    expect(f.pusher.stats()).toMatchObject({
      queuedSegments: 0,
      sentSamples: 16,
      consecutiveFailures: 0,
      lastError: '503: storage unavailable',
    });
    expect(f.logger.lines.filter((l) => l.level === 'warn')).toHaveLength(1); // once per outage
    expect(
      f.logger.lines.some((l) => l.level === 'info' && l.fields.failedAttempts === OUTAGE_REQUESTS),
    ).toBe(true);
  });

  it('waits as long as Retry-After says, capped at the maximum backoff', async () => {
    const answers: Answer[] = [
      { status: 429, headers: { 'retry-after': '1' }, body: 'too many requests' },
      { status: 503, headers: { 'retry-after': '3600' } },
    ];
    const r = await receiver((req) => answers[req.index] ?? { status: 204 });
    const f = await pusherFor(r.url, { backoff: { initialMs: 10, maxMs: 1500 } });
    await f.pusher.enqueue(nodeFamilies(0), T0);
    await waitFor('delivered', () => f.pusher.stats().sentRequests === 1, 15_000);

    expect(delaysLogged(f)).toEqual([1000, 1500]);
    // A floor, not a speed: the retry did not come before the server asked for it.
    expect(r.requests[1]!.receivedAtMs - r.requests[0]!.receivedAtMs).toBeGreaterThanOrEqual(990);
    expect(r.requests).toHaveLength(3);
  });

  it('keeps the data while nothing listens at the collector URL', async () => {
    const port = await closedPort();
    const f = await pusherFor(`http://127.0.0.1:${port}`);
    await f.pusher.enqueue(nodeFamilies(0), T0);
    await waitFor('three failed attempts', () => f.pusher.stats().consecutiveFailures >= 3);
    expect(f.pusher.stats()).toMatchObject({ queuedSegments: 1, sentRequests: 0 });
    expect(f.pusher.stats().lastError).toMatch(/ECONNREFUSED/);
  });

  it('gives up on a request after its timeout and sends it again', async () => {
    const r = await receiver((req) =>
      req.index === 0 ? new Promise<Answer>(() => undefined) : { status: 204 },
    );
    const f = await pusherFor(r.url, { requestTimeoutMs: 300 });
    await f.pusher.enqueue(nodeFamilies(0), T0);
    await waitFor('delivered on the second try', () => f.pusher.stats().sentRequests === 1);
    expect(r.requests.map(firstTimestamp)).toEqual([T0, T0]);
    expect(f.pusher.stats().lastError).toBe('no answer within 300 ms');
  });
});

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
