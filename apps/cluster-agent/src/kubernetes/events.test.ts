/**
 * Kubernetes Events shipped as OTLP log records: which ones, once each, with Coroot's attributes.
 */
import type { CoreV1Event } from '@kubernetes/client-node';
import { silentLogger } from '@vigil/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWatchWithTuning, type KubernetesWatch } from './kubernetes-watch.ts';
import { WATCHED_RESOURCES } from './resources.ts';
import type { FakeApiServer } from './testing/fake-api-server.ts';
import {
  FIXTURE_NOW_MS,
  MemoryEventSink,
  fakeClusterFromFixtures,
  fixture,
  until,
} from './testing/fixtures.ts';

const EVENTS = WATCHED_RESOURCES.events.path;
let server: FakeApiServer;
let watch: KubernetesWatch;
let sink: MemoryEventSink;
let nowMs = FIXTURE_NOW_MS;

const recorded = fixture<{ items: CoreV1Event[] }>('events.json').items;
const backOff = recorded.find((e) => e.reason === 'BackOff')!;
const reasons = () => sink.shipped.map((s) => s.record.attributes['event.reason']);

beforeEach(async () => {
  server = await fakeClusterFromFixtures();
  sink = new MemoryEventSink();
  nowMs = FIXTURE_NOW_MS;
  watch = startWatchWithTuning(
    {
      kubeConfig: server.kubeConfig(),
      logger: silentLogger,
      events: sink,
      clusterName: 'prod-eu',
      now: () => nowMs,
    },
    { backoffInitialMs: 10, backoffMaxMs: 50 },
  );
  await watch.ready();
  await until(() => server.openWatches(EVENTS) === 1, 'the events watch');
});

afterEach(async () => {
  await watch.stop();
  await server.close();
});

describe('Kubernetes events', () => {
  it('ships the recent events of the first list, not those from before the agent started', () => {
    // Scheduled happened at 09:02, an hour before the agent's start at 10:15.
    expect(reasons().sort()).toEqual(['BackOff', 'Pulled', 'RegisteredNode']);
    expect(watch.status().events).toEqual({ synced: true });
  });

  it('ships a Warning as WARN with the attributes of Coroot’s cluster agent, at the event’s last time', () => {
    const shipped = sink.shipped.find((s) => s.record.attributes['event.reason'] === 'BackOff')!;
    expect(shipped.resource).toEqual({ 'service.name': 'KubernetesEvents', 'k8s.cluster.name': 'prod-eu' });
    expect(shipped.record).toEqual({
      timeUnixNano: BigInt(Date.parse('2024-03-12T10:14:30Z')) * 1_000_000n,
      observedTimeUnixNano: BigInt(FIXTURE_NOW_MS) * 1_000_000n,
      severityNumber: 13,
      severityText: 'WARN',
      body: 'Back-off restarting failed container frontend in pod frontend-7d9c8b6f5d-m5n7r_shop(0f6a2d1e-7b3c-4a5d-9e8f-1a2b3c4d5e63)',
      attributes: {
        'event.name': 'frontend-7d9c8b6f5d-m5n7r.17bc1a2f3e4d5c6b',
        'event.namespace': 'shop',
        'event.reason': 'BackOff',
        'event.count': '42',
        'object.kind': 'Pod',
        'object.name': 'frontend-7d9c8b6f5d-m5n7r',
        'object.namespace': 'shop',
        'source.component': 'kubelet',
        'source.host': 'worker-1',
      },
    });
  });

  it('ships a Normal event written through events.k8s.io as INFO at its eventTime', () => {
    const shipped = sink.shipped.find((s) => s.record.attributes['event.reason'] === 'RegisteredNode')!;
    expect(shipped.record.severityText).toBe('INFO');
    expect(shipped.record.severityNumber).toBe(9);
    expect(shipped.record.timeUnixNano).toBe(BigInt(Date.parse('2024-03-12T10:13:00.412Z')) * 1_000_000n);
    expect(shipped.record.attributes).toEqual({
      'event.name': 'worker-1.17bc1b3c4d5e6f70',
      'event.namespace': 'default',
      'event.reason': 'RegisteredNode',
      'event.action': 'RegisteredNode',
      'object.kind': 'Node',
      'object.name': 'worker-1',
      'source.component': 'node-controller',
    });
  });

  it('ships a repeat (count and time moved) once more, and an update that changes neither not at all', async () => {
    nowMs = FIXTURE_NOW_MS + 60_000;
    server.update(EVENTS, { ...backOff, count: 43, lastTimestamp: '2024-03-12T10:15:40Z' });
    server.update(EVENTS, {
      ...backOff,
      count: 43,
      lastTimestamp: '2024-03-12T10:15:40Z',
      metadata: { ...backOff.metadata, annotations: { touched: 'yes' } },
    });
    const marker = {
      ...recorded.find((e) => e.reason === 'Pulled')!,
      metadata: { name: 'marker.1', namespace: 'shop', uid: 'marker-uid' },
    };
    server.add(EVENTS, { ...marker, reason: 'Marker', lastTimestamp: '2024-03-12T10:15:41Z' });
    await until(() => reasons().includes('Marker'), 'the marker event');
    expect(reasons().filter((r) => r === 'BackOff')).toHaveLength(2);
    expect(
      sink.shipped.filter((s) => s.record.attributes['event.reason'] === 'BackOff').at(-1)?.record.attributes[
        'event.count'
      ],
    ).toBe('43');
  });

  it('sends nothing again after a reconnect or a relist', async () => {
    const before = sink.shipped.length;
    server.dropWatches(EVENTS);
    // The cluster moves on and the server compacts its history: the reconnect gets 410, lists again.
    server.add(WATCHED_RESOURCES.nodes.path, { metadata: { name: 'worker-2' } });
    server.compact();
    await until(
      () => server.listRequests(EVENTS).length === 2 && server.openWatches(EVENTS) === 1,
      'the relist',
    );
    const fresh = {
      ...backOff,
      metadata: { name: 'fresh.1', namespace: 'shop', uid: 'fresh-uid' },
      reason: 'Fresh',
      lastTimestamp: '2024-03-12T10:15:30Z',
    };
    server.add(EVENTS, fresh);
    await until(() => reasons().includes('Fresh'), 'the new event');
    expect(sink.shipped.length).toBe(before + 1);
  });
});
