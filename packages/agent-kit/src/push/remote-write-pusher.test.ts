/**
 * The pusher against a real HTTP listener on loopback that decodes what it gets: headers, the
 * data itself, and what each kind of answer does to the spool.
 */
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '@vigil/testkit';
import { openDiskSpool } from './disk-spool.ts';
import { writeUrl } from './remote-write-pusher.ts';
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

describe('writeUrl', () => {
  it.each([
    ['http://vigil:8080', undefined, 'http://vigil:8080/v1/metrics'],
    ['http://vigil:8080/', undefined, 'http://vigil:8080/v1/metrics'],
    ['https://vigil.example.com/base/', '/v1/metrics', 'https://vigil.example.com/base/v1/metrics'],
    ['http://127.0.0.1:9090', 'api/v1/write', 'http://127.0.0.1:9090/api/v1/write'],
  ])('%s + %s → %s', (base, writePath, expected) => {
    expect(writeUrl(base, writePath)).toBe(expected);
  });

  it('refuses other schemes and URLs with credentials', () => {
    expect(() => writeUrl('ftp://x')).toThrow(/http/);
    expect(() => writeUrl('http://u:p@x')).toThrow(/credentials/);
  });
});

describe('remote write pusher', () => {
  it('sends each interval as one remote write 1.0 request with the expected headers and data', async () => {
    const r = await receiver();
    const { pusher } = await pusherFor(`${r.url}/`, { apiKey: 'secret-key', labels: { machine_id: 'm-1' } });
    expect(await pusher.enqueue(nodeFamilies(0), T0)).toMatchObject({ kind: 'queued', samples: 4 });
    expect(await pusher.enqueue(nodeFamilies(1), T0 + STEP_MS)).toMatchObject({ kind: 'queued', samples: 4 });
    await waitFor('two requests sent', () => pusher.stats().sentRequests === 2);

    expect(r.requests).toHaveLength(2);
    const [first, second] = r.requests;
    expect(first!.path).toBe('/v1/metrics');
    expect(first!.headers).toMatchObject({
      'content-type': 'application/x-protobuf',
      'content-encoding': 'snappy',
      'x-prometheus-remote-write-version': '0.1.0',
      'user-agent': 'vigil-node-agent/1.2.3',
      'x-api-key': 'secret-key',
    });
    expect(
      first!.batch.series.map((s) => [
        Object.fromEntries(s.labels.map((l) => [l.name, l.value])),
        s.values,
        s.timestampsMs,
      ]),
    ).toEqual([
      [
        { __name__: 'node_resources_cpu_usage_seconds_total', machine_id: 'm-1', mode: 'user' },
        [100.5],
        [T0],
      ],
      [
        { __name__: 'node_resources_cpu_usage_seconds_total', machine_id: 'm-1', mode: 'system' },
        [40.25],
        [T0],
      ],
      [{ __name__: 'node_resources_memory_available_bytes', machine_id: 'm-1' }, [8_000_000_000], [T0]],
      [
        { __name__: 'node_info', hostname: 'web-1', kernel_version: '6.1.0-13-amd64', machine_id: 'm-1' },
        [1],
        [T0],
      ],
    ]);
    expect(first!.batch.metadata.map((m) => [m.metricFamilyName, m.type])).toEqual([
      ['node_resources_cpu_usage_seconds_total', 'counter'],
      ['node_resources_memory_available_bytes', 'gauge'],
      ['node_info', 'gauge'],
    ]);
    expect(firstTimestamp(second!)).toBe(T0 + STEP_MS);
    expect(pusher.stats()).toMatchObject({
      queuedSegments: 0,
      queuedBytes: 0,
      sentRequests: 2,
      sentSamples: 8,
      consecutiveFailures: 0,
      lastError: undefined,
    });
  });

  it('sends no X-API-Key without a key, and nothing at all for an interval without samples', async () => {
    const r = await receiver();
    const { pusher } = await pusherFor(r.url);
    expect(await pusher.enqueue([], T0)).toEqual({ kind: 'empty' });
    await pusher.enqueue(nodeFamilies(0), T0);
    await waitFor('one request sent', () => pusher.stats().sentRequests === 1);
    expect(r.requests).toHaveLength(1);
    expect(r.requests[0]!.headers['x-api-key']).toBeUndefined();
  });

  it('drops a request the server refuses with 400, logs the answer, and still sends the next one', async () => {
    const answer = `out of order sample: ${'x'.repeat(400)}`;
    const r = await receiver((req) =>
      firstTimestamp(req) === T0 ? { status: 400, body: answer } : { status: 204 },
    );
    const { pusher, logger, spoolDir } = await pusherFor(r.url);
    for (let i = 0; i < 3; i++) await pusher.enqueue(nodeFamilies(i), T0 + i * STEP_MS);
    await waitFor('the other two sent', () => pusher.stats().sentRequests === 2);

    expect(r.accepted().map(firstTimestamp)).toEqual([T0 + STEP_MS, T0 + 2 * STEP_MS]);
    expect(r.requests).toHaveLength(3); // the refused one was not retried
    expect(pusher.stats()).toMatchObject({
      droppedInvalidRequests: 1,
      droppedInvalidSamples: 4,
      queuedSegments: 0,
    });
    expect(pusher.stats().lastError).toBe(`400: ${answer.slice(0, 200)}…`);
    const warning = logger.lines.find(
      (l) => l.level === 'warn' && /refused the request as invalid/.test(l.msg ?? ''),
    );
    expect(warning?.fields).toMatchObject({
      status: 400,
      samples: 4,
      answer: `400: ${answer.slice(0, 200)}…`,
    });
    expect(readdirSync(spoolDir)).toEqual([]);
  });

  it('keeps the data through 401s, says so once per streak, and sends it once the key is accepted', async () => {
    let keyAccepted = false;
    const r = await receiver(() =>
      keyAccepted
        ? { status: 204 }
        : { status: 401, body: 'unknown API key; send the project key in X-API-Key' },
    );
    const { pusher, logger } = await pusherFor(r.url, { apiKey: 'rotated-key' });
    await pusher.enqueue(nodeFamilies(0), T0);
    await pusher.enqueue(nodeFamilies(1), T0 + STEP_MS);
    // The receiver counts a request before the pusher has read its answer: wait for both.
    await waitFor('five refusals', () => r.requests.length >= 5 && pusher.stats().consecutiveFailures >= 5);

    expect(r.requests.every((req) => req.headers['x-api-key'] === 'rotated-key')).toBe(true);
    expect(r.requests.every((req) => firstTimestamp(req) === T0)).toBe(true); // oldest first, kept
    expect(pusher.stats()).toMatchObject({ queuedSegments: 2, sentRequests: 0, droppedInvalidRequests: 0 });
    expect(pusher.stats().consecutiveFailures).toBeGreaterThanOrEqual(5);
    const warnings = logger.lines.filter((l) => l.level === 'warn' && /API key/.test(l.msg ?? ''));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.fields.answer).toBe('401: unknown API key; send the project key in X-API-Key');
    expect(JSON.stringify(logger.lines)).not.toContain('rotated-key');

    keyAccepted = true;
    await waitFor('both sent', () => pusher.stats().sentRequests === 2);
    expect(r.accepted().map(firstTimestamp)).toEqual([T0, T0 + STEP_MS]);
    expect(pusher.stats().consecutiveFailures).toBe(0);
  });

  it('skips a segment whose file was deleted behind its back instead of spinning on it', async () => {
    const r = await receiver();
    const temp = makeTempDir('vigil-pusher-gone-');
    cleanups.push(async () => temp.cleanup());
    const spoolDir = path.join(temp.dir, 'spool');
    const spool = await openDiskSpool(spoolDir);
    const gone = (await spool.append(Buffer.from('x'), { timestampMs: T0, samples: 1 }))!;
    rmSync(path.join(spoolDir, gone.fileName));
    const { pusher } = await pusherFor(r.url, { spoolDir });
    await pusher.enqueue(nodeFamilies(1), T0 + STEP_MS);
    await waitFor('the next one sent', () => pusher.stats().sentRequests === 1);
    expect(r.requests.map(firstTimestamp)).toEqual([T0 + STEP_MS]);
    expect(pusher.stats().queuedSegments).toBe(0);
  });

  it('stop() waits for the request in flight and leaves the rest for the next process, which sends it', async () => {
    let release: (answer: Answer) => void = () => undefined;
    let serverUp = false;
    const r = await receiver((req) =>
      req.index === 0
        ? new Promise<Answer>((resolve) => (release = resolve))
        : serverUp
          ? { status: 204 }
          : { status: 503 },
    );
    const first = await startTestPusher(r.url);
    cleanups.push(() => first.cleanup());
    for (let i = 0; i < 3; i++) await first.pusher.enqueue(nodeFamilies(i), T0 + i * STEP_MS);
    await waitFor('the first request in flight', () => r.requests.length === 1);

    let stopped = false;
    const stopping = first.pusher.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false); // still waiting for the answer
    release({ status: 204 });
    await stopping;
    expect(first.pusher.stats()).toMatchObject({ sentRequests: 1, queuedSegments: 2 });
    expect(r.requests).toHaveLength(1); // nothing sent after stop
    expect(readdirSync(first.spoolDir)).toHaveLength(2);

    serverUp = true;
    const second = await pusherFor(r.url, { spoolDir: first.spoolDir });
    await waitFor('the rest sent by the next process', () => second.pusher.stats().sentRequests === 2);
    expect(r.accepted().map(firstTimestamp)).toEqual([T0, T0 + STEP_MS, T0 + 2 * STEP_MS]);
    expect(second.pusher.stats().sentSamples).toBe(8); // sample counts survive in the file names
  });
});
