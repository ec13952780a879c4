import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodePprof, encodePprof } from '@vigil/protocols';
import type { Logger } from '@vigil/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProfileTarget } from '../targets/profile-target.ts';
import { startScraper } from './scraper.ts';
import type { ProfileScraper } from './types.ts';

const servers: Server[] = [];
const scrapers: ProfileScraper[] = [];
afterEach(async () => {
  await Promise.all(scrapers.splice(0).map((s) => s.stop()));
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A Go-like target whose cumulative counters grow by one per request. */
function goTarget(): (req: IncomingMessage, res: ServerResponse) => void {
  let n = 0;
  const stack = [{ functionName: 'main.handle', fileName: 'main.go', line: 7 }];
  const types: Record<string, string[]> = {
    profile: ['samples/count', 'cpu/nanoseconds'],
    heap: ['alloc_objects/count', 'alloc_space/bytes', 'inuse_objects/count', 'inuse_space/bytes'],
    goroutine: ['goroutine/count'],
    mutex: ['contentions/count', 'delay/nanoseconds'],
    block: ['contentions/count', 'delay/nanoseconds'],
  };
  return (req, res) => {
    const kind = new URL(req.url ?? '/', 'http://x').pathname.replace('/debug/pprof/', '');
    const layout = types[kind];
    if (layout === undefined) return void res.writeHead(404).end();
    n++;
    const sampleTypes = layout.map((t) => ({ type: t.split('/')[0]!, unit: t.split('/')[1]! }));
    res.writeHead(200).end(encodePprof({ sampleTypes, samples: [{ stack, values: layout.map(() => n) }] }));
  };
}

function capturingLogger(): Logger & { lines: Array<{ level: string; msg: string; obj: object }> } {
  const lines: Array<{ level: string; msg: string; obj: object }> = [];
  const at = (level: string) => (obj: object, msg?: string) =>
    void lines.push({ level, msg: msg ?? '', obj });
  const logger = {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => logger,
  };
  return logger;
}

interface Shipped {
  labels: Record<string, string>;
  types: readonly string[];
  gzipped: boolean;
  atMs: number;
}

function start(targets: () => ProfileTarget[], timeoutMs = 500, concurrency = 8) {
  const shipped: Shipped[] = [];
  const logger = capturingLogger();
  const scraper = startScraper(
    {
      targets: { current: targets },
      sink: {
        ship: async (labels, pprof) => {
          const types = decodePprof(pprof, { maxDecompressedBytes: 1 << 24 }).types;
          shipped.push({
            labels: { ...labels },
            types,
            gzipped: pprof[0] === 0x1f && pprof[1] === 0x8b,
            atMs: Date.now(),
          });
        },
      },
      logger,
      intervalMs: 3_600_000,
      cpuSeconds: 1,
    },
    { concurrency, timeoutMs },
  );
  scrapers.push(scraper);
  return { scraper, shipped, logger };
}

async function waitFor(condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the condition did not hold within 10 s');
}

const target = (baseUrl: string, pod = 'p-1'): ProfileTarget => ({
  baseUrl,
  serviceName: '/k8s/shop/cart',
  labels: { namespace: 'shop', pod },
});

describe('Go profile scraper', () => {
  it('ships each profile gzipped with service.name and the target labels, cumulative ones from the second pass', async () => {
    const url = await serve(goTarget());
    const { scraper, shipped } = start(() => [target(url)]);
    await scraper.scrapeOnce();
    expect(shipped.map((s) => s.types[0]).sort()).toEqual([
      'go:goroutine_goroutine:count',
      'go:heap_inuse_objects:count',
      'go:profile_cpu:nanoseconds',
    ]);
    await scraper.scrapeOnce();
    expect(
      shipped
        .slice(3)
        .map((s) => s.types[0])
        .sort(),
    ).toEqual([
      'go:block_contentions:count',
      'go:goroutine_goroutine:count',
      'go:heap_alloc_objects:count',
      'go:heap_inuse_objects:count',
      'go:mutex_contentions:count',
      'go:profile_cpu:nanoseconds',
    ]);
    expect(shipped.every((s) => s.gzipped)).toBe(true);
    expect(shipped[0]!.labels).toEqual({ namespace: 'shop', pod: 'p-1', 'service.name': '/k8s/shop/cart' });
    expect(scraper.stats()[url]).toMatchObject({ sent: 9 });
    expect(scraper.stats()[url]!.error).toBeUndefined();
  });

  it('reports a refusing, a failing and a hanging target in stats, logs each change once and ships the others first', async () => {
    const good = await serve(goTarget());
    let failing = true;
    const flaky = goTarget();
    const erroring = await serve((req, res) =>
      failing ? void res.writeHead(500).end('boom') : flaky(req, res),
    );
    const hangClosedMs: number[] = [];
    const hanging = await serve((req) => req.socket.once('close', () => hangClosedMs.push(Date.now())));
    const refusing = await serve(() => undefined);
    servers.at(-1)!.close();
    const { scraper, shipped, logger } = start(() => [
      target(hanging),
      target(refusing),
      target(erroring),
      target(good),
    ]);

    await scraper.scrapeOnce();
    const stats = scraper.stats();
    expect(stats[good]).toMatchObject({ sent: 3 });
    expect(stats[good]!.error).toBeUndefined();
    expect(stats[erroring]!.error).toBe(
      'profile: HTTP 500; heap: HTTP 500; goroutine: HTTP 500; mutex: HTTP 500; block: HTTP 500',
    );
    expect(stats[refusing]!.error).toMatch(/^profile: .*ECONNREFUSED.*; block: .*ECONNREFUSED/);
    expect(stats[hanging]!.error).toBe(
      'profile: no answer within 1500 ms; heap: no answer within 500 ms; goroutine: no answer within 500 ms; mutex: no answer within 500 ms; block: no answer within 500 ms',
    );
    expect(stats[hanging]!.lastScrapeMs).toBeGreaterThan(0);
    // The good target's profiles went out before the hanging target's first deadline.
    expect(Math.max(...shipped.map((s) => s.atMs))).toBeLessThanOrEqual(Math.min(...hangClosedMs));

    await scraper.scrapeOnce();
    failing = false;
    await scraper.scrapeOnce();
    const warnings = logger.lines
      .filter((l) => l.level === 'warn')
      .map((l) => (l.obj as { target: string }).target);
    expect(warnings.sort()).toEqual([erroring, hanging, refusing].sort());
    const recovered = logger.lines
      .filter((l) => l.level === 'info')
      .map((l) => (l.obj as { target: string }).target);
    expect(recovered).toEqual([erroring]);
    expect(scraper.stats()[erroring]!.error).toBeUndefined();
  }, 20_000);

  it('scrapes at most `concurrency` targets at once', async () => {
    let open = 0;
    let maxOpen = 0;
    const handler = goTarget();
    const slow = (req: IncomingMessage, res: ServerResponse): void => {
      open++;
      maxOpen = Math.max(maxOpen, open);
      setTimeout(() => {
        open--;
        handler(req, res);
      }, 30);
    };
    // One server per target, so `open` counts requests of different targets.
    const urls = await Promise.all([1, 2, 3, 4, 5].map(() => serve(slow)));
    const { scraper, shipped } = start(() => urls.map((u) => target(u)), 2_000, 2);
    await scraper.scrapeOnce();
    expect(maxOpen).toBe(2 * 5);
    expect(shipped).toHaveLength(5 * 3);
  });

  it('forgets a target once it is no longer listed, baselines included', async () => {
    const url = await serve(goTarget());
    let listed = [target(url)];
    const { scraper, shipped } = start(() => listed);
    await scraper.scrapeOnce();
    listed = [];
    await scraper.scrapeOnce();
    expect(scraper.stats()).toEqual({});
    listed = [target(url)];
    shipped.length = 0;
    await scraper.scrapeOnce();
    // A first pass again: no cumulative profile, though the process' counters kept growing.
    expect(shipped.map((s) => s.types[0]).filter((t) => /alloc|mutex|block/.test(t!))).toEqual([]);
  });

  it('starts afresh when another pod shows up at the same address', async () => {
    const url = await serve(goTarget());
    let listed = [target(url, 'p-1')];
    const { scraper, shipped } = start(() => listed);
    await scraper.scrapeOnce();
    listed = [target(url, 'p-2')];
    shipped.length = 0;
    await scraper.scrapeOnce();
    expect(shipped.map((s) => s.types[0]).filter((t) => /alloc|mutex|block/.test(t!))).toEqual([]);
    expect(shipped.every((s) => s.labels.pod === 'p-2')).toBe(true);
  });

  it('stop() aborts the requests in flight', async () => {
    let closed = 0;
    const hanging = await serve((req) => req.socket.once('close', () => closed++));
    const server = servers.at(-1)!;
    const connections = () => new Promise<number>((r) => server.getConnections((_, n) => r(n)));
    const { scraper } = start(() => [target(hanging)], 600_000);
    const pass = scraper.scrapeOnce();
    await waitFor(async () => (await connections()) === 5);
    await scraper.stop();
    await pass;
    await waitFor(() => closed === 5);
    expect(scraper.stats()[hanging]?.lastScrapeMs).toBeUndefined();
  });
});
