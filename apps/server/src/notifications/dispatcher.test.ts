import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { incidentOpened, incidentResolved, startHarness, type Harness } from './testing/harness.ts';
import { Receiver } from './testing/receiver.ts';

let h: Harness;
let receiver: Receiver;
beforeEach(async () => {
  h = await startHarness();
  receiver = await Receiver.start(() => ({ status: 200, body: 'ok' }));
});
afterEach(async () => {
  await h.close();
  await receiver.close();
});

const webhook = (path = '/hook', extra: object = {}) =>
  h.integrations.put('default', 'webhook', { config: { url: `${receiver.url}${path}` }, ...extra });

describe('notification dispatcher', () => {
  it('retries after a 503 and succeeds, recording the success', async () => {
    await webhook();
    receiver.answerNext({ status: 503, body: 'upstream unavailable' });
    const [report] = await h.dispatcher.deliver(incidentOpened());
    expect(report?.result).toEqual({ ok: true, attempts: 2 });
    expect(receiver.requests.map((r) => r.body)).toEqual([
      expect.objectContaining({ incidentId: 'inc-42' }),
      expect.objectContaining({ incidentId: 'inc-42' }),
    ]);
    const view = await h.integrations.get('default', 'webhook');
    expect(view.lastSuccessAtMs).toEqual(expect.any(Number));
    expect(view.lastError).toBeNull();
  });

  it("retries a 429, gives up after the last attempt and records the receiver's answer", async () => {
    await webhook();
    receiver.respondWith(() => ({ status: 500, body: { error: 'database is down' } }));
    receiver.answerNext({ status: 429, body: 'slow down' });
    const [report] = await h.dispatcher.deliver(incidentOpened());
    const error = 'gave up after 4 attempts: HTTP 500 Internal Server Error: {"error":"database is down"}';
    expect(report?.result).toEqual({ ok: false, attempts: 4, error });
    expect(receiver.requests).toHaveLength(4);
    expect((await h.integrations.get('default', 'webhook')).lastError).toEqual({
      message: error,
      atMs: expect.any(Number),
    });
  });

  it('does not retry a 4xx that will not change', async () => {
    await webhook();
    receiver.answerNext({ status: 401, body: 'bad credentials' });
    const [report] = await h.dispatcher.deliver(incidentOpened());
    expect(report?.result).toEqual({
      ok: false,
      attempts: 1,
      error: 'HTTP 401 Unauthorized: bad credentials',
    });
  });

  it('does not follow a redirect, which could carry credentials elsewhere', async () => {
    await webhook();
    receiver.answerNext({
      status: 302,
      headers: { Location: 'http://127.0.0.1:9/elsewhere' },
      body: 'moved',
    });
    const [report] = await h.dispatcher.deliver(incidentOpened());
    expect(report?.result).toEqual({
      ok: false,
      attempts: 1,
      error: 'HTTP 302: the receiver redirects elsewhere; configure the final URL',
    });
    expect(receiver.requests).toHaveLength(1);
  });

  it('retries when nothing listens, and says why it gave up', async () => {
    const closed = await Receiver.start();
    const url = closed.url;
    await closed.close();
    await h.integrations.put('default', 'webhook', { config: { url } });
    const [report] = await h.dispatcher.deliver(incidentOpened());
    expect(report?.result).toMatchObject({ ok: false, attempts: 4 });
    expect(report?.result.ok === false && report.result.error).toMatch(
      /^gave up after 4 attempts: request failed: .*ECONNREFUSED/,
    );
  });

  it('waits at least the Retry-After the receiver asked for', async () => {
    await webhook();
    receiver.answerNext({ status: 503, headers: { 'Retry-After': '1' }, body: 'maintenance' });
    const [report] = await h.dispatcher.deliver(incidentOpened());
    expect(report?.result).toEqual({ ok: true, attempts: 2 });
    const [first, second] = receiver.requests;
    expect((second?.atMs ?? 0) - (first?.atMs ?? 0)).toBeGreaterThanOrEqual(990);
  });

  it('gives up at once on a Retry-After longer than it is willing to wait', async () => {
    await webhook();
    receiver.answerNext({ status: 429, headers: { 'Retry-After': '3600' }, body: 'quota exhausted' });
    const [report] = await h.dispatcher.deliver(incidentOpened());
    expect(report?.result).toEqual({
      ok: false,
      attempts: 1,
      error:
        'the receiver asked to retry after 3600 s, longer than the 300 s a notification waits: HTTP 429 Too Many Requests: quota exhausted',
    });
  });

  it('sends nothing to disabled or unsubscribed integrations', async () => {
    await webhook('/hook', { enabled: false });
    expect(await h.dispatcher.deliver(incidentOpened())).toEqual([]);
    await webhook('/hook', { enabled: true, incidents: false });
    expect(await h.dispatcher.deliver(incidentOpened())).toEqual([]);
    expect(receiver.requests).toEqual([]);
  });

  it("delivers one integration's events in order even when the first needs retries", async () => {
    await webhook();
    receiver.answerNext({ status: 503 }, { status: 503 });
    h.dispatcher.notify(incidentOpened());
    h.dispatcher.notify(incidentResolved());
    await h.dispatcher.forceFlush();
    expect(receiver.requests.map((r) => (r.body as { kind: string }).kind)).toEqual([
      'incident_opened',
      'incident_opened',
      'incident_opened',
      'incident_resolved',
    ]);
  });

  it('never throws into the caller, even when the config DB is gone', async () => {
    await webhook();
    await h.db.close();
    expect(() => h.dispatcher.notify(incidentOpened())).not.toThrow();
    expect(await h.dispatcher.deliver(incidentOpened())).toEqual([]);
  });

  it('at shutdown, waits for a delivery in flight to finish', async () => {
    await webhook();
    receiver.answerNext({ status: 503 });
    h.dispatcher.notify(incidentOpened());
    await receiver.waitFor(1);
    // The retry is in its backoff wait; shutdown must let it finish.
    await h.dispatcher.shutdown();
    expect(receiver.requests).toHaveLength(2);
    expect((await h.integrations.get('default', 'webhook')).lastSuccessAtMs).toEqual(expect.any(Number));
  });
});

describe('notification dispatcher shutdown deadline', () => {
  it('cancels what is still retrying at the deadline and records why', async () => {
    const slow = await startHarness(
      { maxAttempts: 10, initialDelayMs: 60_000, maxDelayMs: 60_000 },
      { shutdownTimeoutMs: 50 },
    );
    try {
      await slow.integrations.put('default', 'webhook', { config: { url: `${receiver.url}/slow` } });
      receiver.respondWith(() => ({ status: 503, body: 'down' }));
      const delivery = slow.dispatcher.deliver(incidentOpened());
      await receiver.waitFor(1);
      await slow.dispatcher.shutdown();
      const [report] = await delivery;
      expect(report?.result).toEqual({
        ok: false,
        attempts: 1,
        error: 'cancelled by shutdown before retrying: HTTP 503 Service Unavailable: down',
      });
      expect((await slow.integrations.get('default', 'webhook')).lastError?.message).toMatch(
        /^cancelled by shutdown/,
      );
      expect(await slow.dispatcher.deliver(incidentOpened())).toEqual([]);
    } finally {
      await slow.close();
    }
  });
});
