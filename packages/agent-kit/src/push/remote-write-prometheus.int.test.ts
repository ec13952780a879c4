/**
 * The pusher against the real Prometheus from Debian as the receiver
 * (`--web.enable-remote-write-receiver`, `/api/v1/write`): what it pushes is queried back with
 * the same labels, values and timestamps, and an out-of-order interval, which Prometheus
 * refuses with 400, is dropped without holding up the next one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prometheusAvailable, serviceGate, startPrometheus, type PrometheusServer } from '@vigil/testkit';
import { startTestPusher, type PusherFixture } from './testing/pusher-fixture.ts';
import { nodeFamilies, waitFor } from './testing/test-helpers.ts';

const available = serviceGate('prometheus', prometheusAvailable(), 'apt-get install prometheus');

const STEP_MS = 15_000;
const T0 = Math.floor((Date.now() - 10 * 60_000) / 1000) * 1000;
const LABELS = { machine_id: 'm-prom-1', system_uuid: 'uuid-1' };

interface MatrixResult {
  status: string;
  data: { resultType: string; result: { metric: Record<string, string>; values: [number, string][] }[] };
}

describe.skipIf(!available)('remote write pusher → real Prometheus', () => {
  let prometheus: PrometheusServer;
  let fixture: PusherFixture;

  beforeAll(async () => {
    prometheus = await startPrometheus({ extraArgs: ['--web.enable-remote-write-receiver'] });
    fixture = await startTestPusher(prometheus.url, { writePath: '/api/v1/write', labels: LABELS });
  });
  afterAll(async () => {
    await fixture?.cleanup();
    await prometheus?.stop();
  });

  const rangeQuery = async (selector: string): Promise<MatrixResult> =>
    (await prometheus.api('/api/v1/query', {
      query: `${selector}[30m]`,
      time: String((T0 + 10 * STEP_MS) / 1000),
    })) as MatrixResult;

  it('stores every pushed sample with its labels, value and timestamp', async () => {
    const { pusher } = fixture;
    for (let i = 0; i < 3; i++) await pusher.enqueue(nodeFamilies(i), T0 + i * STEP_MS);
    await waitFor('three requests accepted', () => pusher.stats().sentRequests === 3);

    const cpu = await rangeQuery('node_resources_cpu_usage_seconds_total');
    expect(cpu.status).toBe('success');
    const byMode = Object.fromEntries(cpu.data.result.map((s) => [s.metric.mode, s]));
    expect(Object.keys(byMode).sort()).toEqual(['system', 'user']);
    expect(byMode.user!.metric).toEqual({
      __name__: 'node_resources_cpu_usage_seconds_total',
      mode: 'user',
      ...LABELS,
    });
    expect(byMode.user!.values).toEqual([0, 1, 2].map((i) => [(T0 + i * STEP_MS) / 1000, String(100.5 + i)]));
    expect(byMode.system!.values).toEqual(
      [0, 1, 2].map((i) => [(T0 + i * STEP_MS) / 1000, String(40.25 + i / 2)]),
    );

    const info = await rangeQuery('node_info');
    expect(info.data.result).toHaveLength(1);
    expect(info.data.result[0]!.metric).toEqual({
      __name__: 'node_info',
      hostname: 'web-1',
      kernel_version: '6.1.0-13-amd64',
      ...LABELS,
    });
    const memory = await rangeQuery('node_resources_memory_available_bytes');
    expect(memory.data.result[0]!.values.map(([, v]) => Number(v))).toEqual(
      [0, 1, 2].map((i) => 8_000_000_000 - i * 1024),
    );
  });

  it('drops an interval Prometheus refuses as out of order (400) and sends the next one', async () => {
    const { pusher } = fixture;
    const before = pusher.stats();
    await pusher.enqueue(nodeFamilies(9), T0 - STEP_MS); // older than what Prometheus already has
    await pusher.enqueue(nodeFamilies(3), T0 + 3 * STEP_MS);
    await waitFor(
      'the next interval accepted',
      () => pusher.stats().sentRequests === before.sentRequests + 1,
    );

    const stats = pusher.stats();
    expect(stats.droppedInvalidRequests).toBe(before.droppedInvalidRequests + 1);
    expect(stats.lastError).toMatch(/^400: .*out of (order|bounds)/);
    expect(stats.queuedSegments).toBe(0);
    const cpu = await rangeQuery('node_resources_cpu_usage_seconds_total{mode="user"}');
    expect(cpu.data.result[0]!.values.map(([t]) => t * 1000)).toEqual(
      [0, 1, 2, 3].map((i) => T0 + i * STEP_MS),
    );
  });
});
