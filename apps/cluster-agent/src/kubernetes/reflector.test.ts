/**
 * The list + watch loop against the fake API server: changes through the watch, reconnecting,
 * 410 Gone (in the stream, as an HTTP answer), failures with backoff, pages and bookmarks.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { silentLogger } from '@vigil/core';
import { afterEach, describe, expect, it } from 'vitest';
import { Reflector, type ReflectorTuning } from './reflector.ts';
import { WATCHED_RESOURCES } from './resources.ts';
import { FakeApiServer } from './testing/fake-api-server.ts';
import { fixture, until } from './testing/fixtures.ts';

const PODS = WATCHED_RESOURCES.pods.path;
const FAST: ReflectorTuning = { backoffInitialMs: 10, backoffMaxMs: 50 };

let server: FakeApiServer;
let reflector: Reflector<V1Pod> | undefined;

async function podsReflector(tuning: ReflectorTuning = FAST): Promise<Reflector<V1Pod>> {
  server = await FakeApiServer.start();
  server.load(PODS, fixture('pods.json'));
  server.load(WATCHED_RESOURCES.nodes.path, fixture('nodes.json'));
  reflector = new Reflector<V1Pod>({
    ...tuning,
    name: 'pods',
    path: PODS,
    kubeConfig: server.kubeConfig(),
    logger: silentLogger,
  });
  return reflector;
}

const podNames = (r: Reflector<V1Pod>) => [...r.store.values()].map((p) => p.metadata?.name).sort();
const ADDED = fixture<V1Pod>('pod-added.json');
const ADDED_NAME = 'frontend-7d9c8b6f5d-w7h3k';

afterEach(async () => {
  await reflector?.stop();
  reflector = undefined;
  await server.close();
});

describe('Reflector', () => {
  it('lists, then applies pods added, modified and deleted through the watch, without listing again', async () => {
    const r = await podsReflector();
    r.start();
    await r.firstSync;
    expect(r.synced).toBe(true);
    expect(r.store.size).toBe(7);
    await until(() => server.openWatches(PODS) === 1, 'the watch to open');

    server.add(PODS, ADDED);
    await until(() => r.store.has(`shop/${ADDED_NAME}`), 'the added pod');
    server.update(PODS, { ...ADDED, status: { ...ADDED.status, phase: 'Failed' } });
    await until(() => r.store.get(`shop/${ADDED_NAME}`)?.status?.phase === 'Failed', 'the modification');
    server.remove(PODS, 'shop', 'postgres-0');
    await until(() => !r.store.has('shop/postgres-0'), 'the deletion');

    expect(podNames(r)).toHaveLength(7);
    expect(server.listRequests(PODS)).toHaveLength(1);
    // managedFields are dropped on the way in.
    expect(r.store.get('shop/frontend-7d9c8b6f5d-x2k9p')?.metadata).not.toHaveProperty('managedFields');
  });

  it('reconnects a dropped watch from the last resourceVersion it saw, without listing again', async () => {
    const r = await podsReflector();
    r.start();
    await until(() => server.openWatches(PODS) === 1, 'the watch to open');
    server.add(PODS, ADDED);
    await until(() => r.store.has(`shop/${ADDED_NAME}`), 'the added pod');
    const seenRv = r.store.get(`shop/${ADDED_NAME}`)?.metadata?.resourceVersion;

    server.dropWatches(PODS);
    await until(
      () => server.watchRequests(PODS).length === 2 && server.openWatches(PODS) === 1,
      'the reconnect',
    );
    expect(server.watchRequests(PODS)[1]?.query.get('resourceVersion')).toBe(seenRv);
    server.remove(PODS, 'shop', ADDED_NAME);
    await until(() => !r.store.has(`shop/${ADDED_NAME}`), 'a deletion after the reconnect');
    expect(server.listRequests(PODS)).toHaveLength(1);
    expect(r.error).toBeUndefined();
  });

  it('lists again when its resourceVersion is too old (an ERROR event with Status 410), catching up on what it missed', async () => {
    const r = await podsReflector();
    r.start();
    await until(() => server.openWatches(PODS) === 1, 'the watch to open');

    // While the agent is away the pod is added and the server's history compacted.
    server.dropWatches(PODS);
    server.add(PODS, ADDED);
    server.compact();
    await until(() => r.store.has(`shop/${ADDED_NAME}`), 'the pod added while disconnected');
    expect(server.listRequests(PODS)).toHaveLength(2);
    expect(r.synced).toBe(true);
  });

  it('lists again when the watch request is answered 410 Gone', async () => {
    const r = await podsReflector();
    r.start();
    await until(() => server.openWatches(PODS) === 1, 'the watch to open');
    server.failNext(PODS, 410, 'Gone');
    server.dropWatches(PODS);
    await until(() => server.listRequests(PODS).length === 2 && server.openWatches(PODS) === 1, 'the relist');
    expect(r.store.size).toBe(7);
  });

  it('reports a failing API server in its status, backs off, and recovers', async () => {
    const r = await podsReflector();
    server.failNext(PODS, 500, 'InternalError', 3);
    r.start();
    await r.firstSync; // resolves on the first failure too
    expect(r.synced).toBe(false);
    expect(r.error).toMatch(/500 injected InternalError/);
    await until(() => r.synced, 'a successful list');
    expect(r.error).toBeUndefined();
    expect(server.listRequests(PODS)).toHaveLength(4);
    expect(r.store.size).toBe(7);
  });

  it('lists in pages, following continue tokens, and starts over after a 410 to a list', async () => {
    const r = await podsReflector({ ...FAST, pageSize: 3 });
    server.failNext(PODS, 410, 'Expired');
    r.start();
    await until(() => r.synced, 'the list');
    const lists = server.listRequests(PODS);
    // 1 answered 410, then 7 pods in pages of 3.
    expect(lists.map((q) => [q.query.get('limit'), q.query.has('continue')])).toEqual([
      ['3', false],
      ['3', false],
      ['3', true],
      ['3', true],
    ]);
    expect(r.store.size).toBe(7);
  });

  it('asks for bookmarks, and resumes from a bookmark after a reconnect', async () => {
    const r = await podsReflector();
    r.start();
    await until(() => server.openWatches(PODS) === 1, 'the watch to open');
    expect(server.watchRequests(PODS)[0]?.query.get('allowWatchBookmarks')).toBe('true');
    // A change elsewhere in the cluster moves the global version; the bookmark carries it.
    server.add(WATCHED_RESOURCES.nodes.path, { metadata: { name: 'worker-2' } });
    const expected = String(Number(server.watchRequests(PODS)[0]?.query.get('resourceVersion')) + 1);
    server.bookmark(PODS);
    await until(() => r.lastResourceVersion === expected, 'the bookmark');
    server.dropWatches(PODS);
    await until(() => server.watchRequests(PODS).length === 2, 'the reconnect');
    expect(server.watchRequests(PODS)[1]?.query.get('resourceVersion')).toBe(expected);
    expect(server.listRequests(PODS)).toHaveLength(1);
  });

  it('closes its watch when stopped', async () => {
    const r = await podsReflector();
    r.start();
    await until(() => server.openWatches(PODS) === 1, 'the watch to open');
    await r.stop();
    await until(() => server.openWatches(PODS) === 0, 'the watch to close');
    reflector = undefined;
  });
});
