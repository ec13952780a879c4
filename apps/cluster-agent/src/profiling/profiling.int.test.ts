/**
 * Go profiling against real profiles, without a Go toolchain: a Node process profiled by
 * @datadog/pprof serves its profiles at Go's pprof paths (testing/pprof-child.ts; goroutine,
 * mutex and block have real stacks but made-up values, see testing/go-layout.ts). The scraper
 * runs against it with real deadlines, next to targets that refuse, fail and hang, and ships
 * once into a capturing sink and once through the real ProfileShipper into a real server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { openDiskSpool, ProfileShipper } from '@vigil/agent-kit';
import { silentLogger } from '@vigil/core';
import { decodePprof, type DecodedProfile } from '@vigil/protocols';
import type { FlameGraphNode, FlameGraphResponse, ProfileTypesResponse } from '@vigil/spec';
import { makeTempDir, serviceGate } from '@vigil/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_API_KEY, type TestServer } from '../../../server/src/testing/test-server.ts';
import type { ProfileTarget } from '../targets/profile-target.ts';
import { startProfileScraper, type ProfileScraper, type ProfileSink } from './index.ts';
import {
  ALLOC_FUNCTION,
  BURN_FUNCTION,
  datadogPprofLoads,
  startPprofProcess,
  type PprofProcess,
} from './testing/pprof-process.ts';

const loads = datadogPprofLoads();
const run = serviceGate('@datadog/pprof', loads.ok, loads.ok ? '' : `its native module: ${loads.reason}`);

const SERVICE = '/k8s/shop/go-app';
const ALL_TYPES = [
  'go:block_contentions:count',
  'go:block_delay:nanoseconds',
  'go:goroutine_goroutine:count',
  'go:heap_alloc_objects:count',
  'go:heap_alloc_space:bytes',
  'go:heap_inuse_objects:count',
  'go:heap_inuse_space:bytes',
  'go:mutex_contentions:count',
  'go:mutex_delay:nanoseconds',
  'go:profile_cpu:nanoseconds',
];

interface Shipped {
  readonly labels: Record<string, string>;
  readonly profile: DecodedProfile;
  readonly atMs: number;
}

function capturingSink(): ProfileSink & { shipped: Shipped[] } {
  const shipped: Shipped[] = [];
  return {
    shipped,
    async ship(labels, pprof) {
      const profile = decodePprof(pprof, { maxDecompressedBytes: 1 << 26 });
      shipped.push({ labels: { ...labels }, profile, atMs: Date.now() });
    },
  };
}

const target = (baseUrl: string): ProfileTarget => ({
  baseUrl,
  serviceName: SERVICE,
  labels: { namespace: 'shop', pod: 'go-app-1' },
});

const byType = (shipped: readonly Shipped[], type: string): DecodedProfile => {
  const found = shipped.find((s) => s.profile.types.includes(type));
  if (found === undefined)
    throw new Error(`no ${type} among ${shipped.map((s) => s.profile.types.join(','))}`);
  return found.profile;
};

/** Total of the stacks with a frame of `fn`, over the total of all stacks (first value). */
function shareOf(profile: DecodedProfile, fn: string): number {
  let all = 0;
  let matching = 0;
  for (const s of profile.stacks) {
    all += s.values[0] ?? 0;
    if (s.frames.some((f) => f.startsWith(`${fn} `))) matching += s.values[0] ?? 0;
  }
  return all === 0 ? 0 : matching / all;
}

describe.runIf(run)('Go profiling against a real profiler', () => {
  let fixture: PprofProcess;
  const scrapers: ProfileScraper[] = [];
  const servers: Server[] = [];
  beforeAll(async () => {
    fixture = await startPprofProcess();
  }, 30_000);
  afterAll(async () => {
    await Promise.all(scrapers.map((s) => s.stop()));
    for (const s of servers) {
      s.closeAllConnections();
      s.close();
    }
    await fixture?.stop();
  });

  it('ships the process’s real stacks under Coroot’s names, cumulative types as deltas from the second pass', async () => {
    const sink = capturingSink();
    const scraper = startProfileScraper({
      targets: { current: () => [target(fixture.baseUrl)] },
      sink,
      logger: silentLogger,
      intervalMs: 3_600_000,
      cpuSeconds: 1,
    });
    scrapers.push(scraper);

    await scraper.scrapeOnce();
    const first = sink.shipped.splice(0);
    expect(first.map((s) => s.profile.types.join(',')).sort()).toEqual([
      'go:goroutine_goroutine:count',
      'go:heap_inuse_objects:count,go:heap_inuse_space:bytes',
      'go:profile_cpu:nanoseconds',
    ]);
    expect(first[0]!.labels).toEqual({ namespace: 'shop', pod: 'go-app-1', 'service.name': SERVICE });
    const cpu = byType(first, 'go:profile_cpu:nanoseconds');
    // The child burns 15 ms of every 20 in BURN_FUNCTION: most of its (wall) time.
    expect(shareOf(cpu, BURN_FUNCTION)).toBeGreaterThan(0.3);
    expect(Number(cpu.durationNanos)).toBeGreaterThan(900_000_000);
    expect(shareOf(byType(first, 'go:heap_inuse_space:bytes'), ALLOC_FUNCTION)).toBeGreaterThan(0);

    await scraper.scrapeOnce();
    const second = sink.shipped.splice(0);
    expect(second.flatMap((s) => s.profile.types).sort()).toEqual(ALL_TYPES);
    // The fixture adds 1 contention and 1000 ns × (stack index + 1) per stack per request.
    const goroutines = byType(second, 'go:goroutine_goroutine:count');
    for (const kind of ['mutex', 'block']) {
      const delta = byType(second, `go:${kind}_contentions:count`);
      expect(delta.stacks).toHaveLength(goroutines.stacks.length);
      expect(delta.stacks.map((s) => s.values[0])).toEqual(delta.stacks.map(() => 1));
      const delays = delta.stacks.map((s) => s.values[1]!).sort((a, b) => a - b);
      expect(delays).toEqual(delays.map((_, i) => 1000 * (i + 1)));
    }
    // Its alloc counters grow by what is in use at each request: the delta is that request's in-use.
    const alloc = byType(second, 'go:heap_alloc_space:bytes');
    const inuse = byType(second, 'go:heap_inuse_space:bytes');
    const values = (p: DecodedProfile) =>
      Object.fromEntries(p.stacks.map((s) => [s.frames.join(';'), s.values]));
    expect(values(alloc)).toEqual(values(inuse));
    expect(scraper.stats()[fixture.baseUrl]).toMatchObject({ sent: 3 + 6 });
  }, 30_000);

  it('reports targets that refuse, fail and hang, and ships the good one before the deadlines end', async () => {
    const listen = async (handler: Parameters<typeof createServer>[1]): Promise<string> => {
      const server = createServer(handler);
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    };
    const failing = await listen((_, res) => void res.writeHead(500).end('internal error'));
    const hangStartMs: number[] = [];
    const hanging = await listen(() => void hangStartMs.push(Date.now()));
    const refusing = await listen(() => undefined);
    servers.pop()!.close();
    const sink = capturingSink();
    const scraper = startProfileScraper({
      targets: {
        current: () => [target(hanging), target(refusing), target(failing), target(fixture.baseUrl)],
      },
      sink,
      logger: silentLogger,
      intervalMs: 3_600_000,
      cpuSeconds: 1,
    });
    scrapers.push(scraper);
    const startedMs = Date.now();
    await scraper.scrapeOnce();
    const passMs = Date.now() - startedMs;

    const stats = scraper.stats();
    expect(stats[refusing]!.error).toMatch(/^profile: .*ECONNREFUSED/);
    expect(stats[failing]!.error).toMatch(/^profile: HTTP 500; heap: HTTP 500; .*block: HTTP 500$/);
    // Go's deadlines: the CPU profile's seconds + 10 s, 10 s for the others.
    expect(stats[hanging]!.error).toMatch(
      /^profile: no answer within 11000 ms; heap: no answer within 10000 ms;/,
    );
    expect(stats[fixture.baseUrl]!.error).toBeUndefined();
    expect(sink.shipped.length).toBeGreaterThanOrEqual(3);
    // The good target did not wait for the hanging one: all shipped before its first deadline…
    const firstDeadlineMs = Math.min(...hangStartMs) + 10_000;
    expect(Math.max(...sink.shipped.map((s) => s.atMs))).toBeLessThan(firstDeadlineMs);
    // …and the pass as a whole waited for nothing longer than the CPU deadline.
    expect(passMs).toBeLessThan(11_000 + 3_000);
  }, 30_000);

  it('arrives at a real server through the ProfileShipper: every go:* type listed, the child’s function in the flame graph', async () => {
    const temp = makeTempDir('vigil-go-profiling-');
    let vigil: TestServer | undefined;
    let shipper: ProfileShipper | undefined;
    try {
      vigil = await startTestServer();
      shipper = new ProfileShipper({
        collectorUrl: vigil.api,
        apiKey: TEST_API_KEY,
        spool: await openDiskSpool(path.join(temp.dir, 'spool')),
        logger: silentLogger,
        version: 'test',
        agentName: 'vigil-cluster-agent',
        backoff: { initialMs: 100, maxMs: 500 },
      });
      const startedMs = Date.now();
      const scraper = startProfileScraper({
        targets: { current: () => [target(fixture.baseUrl)] },
        sink: shipper,
        logger: silentLogger,
        intervalMs: 3_600_000,
        cpuSeconds: 1,
      });
      scrapers.push(scraper);
      await scraper.scrapeOnce();
      await scraper.scrapeOnce();

      const window = `from=${startedMs - 60_000}&to=${Date.now() + 60_000}`;
      const service = encodeURIComponent(SERVICE);
      let types: string[] = [];
      for (let i = 0; i < 100 && types.length < ALL_TYPES.length; i++) {
        await vigil.server.forceFlush();
        types = (
          await vigil.getJson<ProfileTypesResponse>(`/api/v1/profiles/types?service=${service}&${window}`)
        ).body.types;
        if (types.length < ALL_TYPES.length) await new Promise((r) => setTimeout(r, 100));
      }
      expect(types).toEqual(ALL_TYPES);

      const cpuType = encodeURIComponent('go:profile_cpu:nanoseconds');
      const { body } = await vigil.getJson<FlameGraphResponse>(
        `/api/v1/profiles/flamegraph?service=${service}&type=${cpuType}&${window}`,
      );
      const names: string[] = [];
      const walk = (n: FlameGraphNode): void => {
        names.push(n.name);
        n.children.forEach(walk);
      };
      walk(body.flamegraph);
      expect(names.some((n) => n.startsWith(`${BURN_FUNCTION} `))).toBe(true);
      expect(body.flamegraph.total).toBeGreaterThan(0);
    } finally {
      await shipper?.stop();
      await vigil?.stop();
      temp.cleanup();
    }
  }, 60_000);
});
