/**
 * The service map at 500 applications and 2,000 edges in real headless Chromium: time from
 * navigation start to the map being laid out, drawn and clickable, and the longest main-thread
 * task (Long Tasks API), against issue #8's goal (laid out and clickable in ≤ 1.5 s).
 *
 * Builds apps/web into bench/.out/web-map-dist (the served apps/web/dist is left alone), serves
 * it on 127.0.0.1 with a fake API answering the map with a deterministic generated world, opens
 * /map, reads the page's performance marks (`vigil:map:data`: the answer parsed;
 * `vigil:map:laid-out`: the layout computed, with the measure `vigil:map:layout` for its
 * duration; `vigil:map:interactive`: a frame drawn at the final layout, click handlers on), then
 * clicks an application on the canvas and checks that its page opened (a screenshot of the whole
 * map before the click goes to bench/.out/web-map.png).
 *
 * VIGIL_BENCH_RUNS (default 3) sets how many cold loads are measured (the median is the figure);
 * VIGIL_BENCH_TIMELINE=1 prints each load's timeline (scripts, the API call, marks, long tasks);
 * VIGIL_BENCH_PROFILE=1 builds without minifying and also prints the first load's timeline and
 * where the main thread spent its time (CPU profile, self time); the whole profile goes to
 * bench/.out/web-map.cpuprofile for Chrome DevTools.
 *
 * Run: npm run bench:web-map
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Core } from 'cytoscape';
import { chromium, type CDPSession, type Page } from 'playwright-core';
import { build, type Plugin } from 'vite';

const APPS = 500;
const EDGES = 2000;
const GOAL_MS = 1500;
const repo = fileURLToPath(new URL('..', import.meta.url));
const webRoot = path.join(repo, 'apps/web');
const outDir = path.join(repo, 'bench/.out/web-map-dist');

/**
 * While the shell's /map route is still a placeholder (apps/web/src/app/App.tsx, owned by the
 * shell), the bench's build routes it to MapPage in memory; the source is not touched.
 */
const PLACEHOLDER = '<PlaceholderPage title="Service map" />';
let patched = false;
const routeMap: Plugin = {
  name: 'bench-route-map',
  enforce: 'pre',
  transform(code, id) {
    if (!id.endsWith('/src/app/App.tsx') || !code.includes(PLACEHOLDER)) return undefined;
    patched = true;
    const lazy =
      "import { lazy as benchLazy } from 'react';\n" +
      "const BenchMapPage = benchLazy(async () => ({ default: (await import('../pages/map/MapPage.tsx')).MapPage }));\n";
    return lazy + code.replace(PLACEHOLDER, '<BenchMapPage />');
  },
};

/**
 * The browser globals the functions run inside the page use. This file is type-checked with
 * Node's types (the root tsconfig); adding the DOM library there would change `fetch`'s types for
 * every other file, so the page side is typed by hand (a cast inside each page function: those
 * functions are sent to the browser as source, so they cannot call a helper of this file).
 */
interface PageElement {
  getBoundingClientRect(): { left: number; top: number; width: number; height: number };
}
interface PageGlobals {
  __longTasks: Array<{ start: number; duration: number }>;
  document: {
    body: { innerText: string };
    querySelector(selector: string): (PageElement & { _cyreg?: { cy?: Core } }) | null;
  };
  PerformanceObserver: new (
    callback: (list: { getEntries(): Array<{ startTime: number; duration: number }> }) => void,
  ) => { observe(options: { entryTypes: string[] }): void };
}

await build({
  root: webRoot,
  configFile: path.join(webRoot, 'vite.config.ts'),
  logLevel: 'warn',
  plugins: [routeMap],
  // Profiling reads function names, so that build is not minified.
  build: { outDir, emptyOutDir: true, minify: process.env.VIGIL_BENCH_PROFILE !== '1' },
});

/** A deterministic linear congruential generator: the same world on every run. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/** 500 applications in 25 namespaces and five tiers; 80% of calls stay in the namespace. */
function generateMap(): unknown {
  const rnd = lcg(42);
  const categories = ['application', 'database', 'monitoring', 'control-plane'];
  const nodes = Array.from({ length: APPS }, (_, i) => {
    const ns = `team-${String(i % 25).padStart(2, '0')}`;
    const r = rnd();
    const status = r < 0.85 ? 'ok' : r < 0.93 ? 'warning' : r < 0.97 ? 'critical' : 'unknown';
    return {
      id: `/k8s/${ns}/svc-${i}`,
      name: `svc-${i}`,
      namespace: ns,
      kind: 'kubernetes',
      category: categories[i % 7 === 0 ? 1 : i % 11 === 0 ? 2 : i % 13 === 0 ? 3 : 0]!,
      types: i % 7 === 0 ? ['postgres'] : ['java'],
      instances: 1 + (i % 4),
      status,
      tier: Math.floor(rnd() * 5),
    };
  });
  const edges: unknown[] = [];
  const seen = new Set<string>();
  while (edges.length < EDGES) {
    const a = nodes[Math.floor(rnd() * APPS)]!;
    const local = rnd() < 0.8;
    const pool = nodes.filter((n) => n.tier > a.tier && (!local || n.namespace === a.namespace));
    if (pool.length === 0) continue;
    const b = pool[Math.floor(rnd() * pool.length)]!;
    const key = `${a.id}>${b.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const errorRate = rnd() < 0.1 ? rnd() * 0.2 : 0;
    edges.push({
      from: a.id,
      to: b.id,
      protocols: b.types.includes('postgres') ? ['postgres'] : ['http'],
      requestsPerSecond: Math.round(10 ** (rnd() * 4) * 10) / 10,
      errorRate,
      latencyP95Seconds: rnd() * 0.5,
      failedConnectsPerSecond: rnd() < 0.02 ? rnd() : 0,
      retransmitsPerSecond: 0,
      rttSeconds: rnd() * 0.005,
      health: errorRate > 0.1 ? 'critical' : errorRate > 0.01 ? 'warning' : 'ok',
    });
  }
  return {
    grid: { fromMs: 0, stepMs: 15_000, points: 240 },
    nodes: nodes.map(({ tier: _, ...n }) => n),
    edges,
  };
}

const mapJson = JSON.stringify(generateMap());
const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.html': 'text/html',
  '.svg': 'image/svg+xml',
};

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname === '/api/v1/overview/map') return send(res, 200, 'application/json', mapJson);
  if (url.pathname === '/api/v1/me')
    return send(res, 200, 'application/json', '{"user":{"email":"bench@vigil.test","role":"admin"}}');
  if (url.pathname.startsWith('/api/'))
    return send(res, 404, 'application/json', '{"error":{"code":"not_found","message":"not in the bench"}}');
  const file = path.join(outDir, path.normalize(url.pathname).replace(/^(\.\.[/\\])+/, ''));
  if (url.pathname !== '/' && existsSync(file) && !file.endsWith(path.sep))
    return send(res, 200, TYPES[path.extname(file)] ?? 'application/octet-stream', readFileSync(file));
  return send(res, 200, 'text/html', readFileSync(path.join(outDir, 'index.html')));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
/** What one page load measured, in ms from its navigation start. */
interface Figures {
  data: number;
  laidOut: number;
  layoutMs: number;
  interactive: number;
  /** Main-thread CPU time when the map was seen drawn. */
  cpuMs: number;
  tasks: Array<{ start: number; duration: number }>;
}

/** Opens /map in a fresh browser context (a cold cache, like a first visit) and waits for the drawn map. */
async function openMap(profile: boolean): Promise<{ page: Page; figures: Figures }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  // tsx compiles this file keeping function names through a `__name` helper, which then appears
  // inside the functions handed to the page; give the page a no-op one.
  await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  // Observe long tasks from before the first script runs, so none is missed.
  await page.addInitScript(() => {
    const w = globalThis as unknown as PageGlobals;
    w.__longTasks = [];
    new w.PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ entryTypes: ['longtask'] });
  });
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && console.error(`console: ${m.text()}`));
  const cdp = await context.newCDPSession(page);
  // Main-thread CPU time (not wall time): far steadier than the clock on a loaded shared machine.
  await cdp.send('Performance.enable');
  if (profile) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.start');
  }
  await page.goto(`${base}/map`);
  await page
    .waitForFunction(() => performance.getEntriesByName('vigil:map:interactive').length > 0, undefined, {
      timeout: 60_000,
    })
    .catch(async (e: unknown) => {
      const marks = await page.evaluate(() => performance.getEntriesByType('mark').map((m) => m.name));
      const text = await page.evaluate(() =>
        (globalThis as unknown as PageGlobals).document.body.innerText.slice(0, 500),
      );
      throw new Error(`the map was not drawn; marks: ${marks.join(', ')}; page: ${text}`, { cause: e });
    });
  const { metrics } = await cdp.send('Performance.getMetrics');
  const cpuMs = (metrics.find((m) => m.name === 'ThreadTime')?.value ?? NaN) * 1000;
  // A second more, so long tasks right after the first frame (texture caches filling) are counted.
  await page.waitForTimeout(1000);
  const figures = await page.evaluate(() => {
    const at = (name: string) => performance.getEntriesByName(name, 'mark')[0]?.startTime ?? NaN;
    const w = globalThis as unknown as PageGlobals;
    return {
      data: at('vigil:map:data'),
      laidOut: at('vigil:map:laid-out'),
      layoutMs: performance.getEntriesByName('vigil:map:layout', 'measure')[0]?.duration ?? NaN,
      interactive: at('vigil:map:interactive'),
      tasks: w.__longTasks,
    };
  });
  if (profile || process.env.VIGIL_BENCH_TIMELINE === '1') await printTimeline(page);
  if (profile) await printProfile(cdp);
  return { page, figures: { ...figures, cpuMs } };
}

/** The page's timeline: scripts and the API call as they loaded, marks, long tasks. */
async function printTimeline(page: Page): Promise<void> {
  const timeline = await page.evaluate(() => [
    ...performance.getEntriesByType('resource').map((r) => ({
      at: r.startTime,
      end: (r as unknown as { responseEnd: number }).responseEnd,
      what: r.name,
    })),
    ...performance.getEntriesByType('mark').map((m) => ({ at: m.startTime, end: m.startTime, what: m.name })),
    ...(globalThis as unknown as PageGlobals).__longTasks.map((t) => ({
      at: t.start,
      end: t.start + t.duration,
      what: 'long task',
    })),
  ]);
  for (const t of timeline.sort((a, b) => a.at - b.at))
    console.log(
      `${t.at.toFixed(0).padStart(7)} → ${t.end.toFixed(0).padStart(6)} ms  ${t.what.replace(base, '')}`,
    );
}

/** The CPU profile's top self times; the whole profile is written for DevTools. */
async function printProfile(cdp: CDPSession): Promise<void> {
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as {
    profile: {
      nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
      samples: number[];
      timeDeltas: number[];
    };
  };
  // The whole profile too, for Chrome DevTools' Performance panel or a call-tree reading.
  writeFileSync(path.join(repo, 'bench/.out/web-map.cpuprofile'), JSON.stringify(profile));
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const f = byId.get(id);
    const key = f ? `${f.functionName || '(anonymous)'} ${path.basename(f.url)}:${f.lineNumber}` : '?';
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25))
    console.log(`${v.toFixed(0).padStart(7)} ms  ${k}`);
}

/** Clicks an application on the real canvas (its on-screen place from cytoscape's core); says what opened. */
async function clickThrough(page: Page): Promise<string> {
  const target = await page.evaluate(() => {
    const el = (globalThis as unknown as PageGlobals).document.querySelector('[aria-label^="Service map"]');
    const cy = el?._cyreg?.cy;
    const node = cy?.nodes('.ok')[0];
    if (!el || !cy || !node) return undefined;
    cy.zoom({ level: 1.5, position: node.position() });
    cy.center(node);
    const box = el.getBoundingClientRect();
    const p = node.renderedPosition();
    return { id: node.id(), x: box.left + p.x, y: box.top + p.y };
  });
  if (!target) return 'FAILED: no application found to click';
  await page.mouse.click(target.x, target.y);
  await page.waitForURL((u) => u.pathname.startsWith('/apps/'), { timeout: 5000 }).catch(() => undefined);
  const at = new URL(page.url()).pathname;
  return at === `/apps/${encodeURIComponent(target.id)}`
    ? `opened ${decodeURIComponent(at)}`
    : `FAILED: at ${at}`;
}

const longest = (ts: Figures['tasks']) => ts.reduce((m, t) => Math.max(m, t.duration), 0);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const ms = (v: number) => `${v.toFixed(0).padStart(6)} ms`;

try {
  // The machine is shared and load makes single loads noisy: several cold loads, their median.
  const runs = Math.max(1, Number(process.env.VIGIL_BENCH_RUNS ?? 3));
  const all: Figures[] = [];
  let clicked = '';
  for (let i = 0; i < runs; i++) {
    const { page, figures } = await openMap(process.env.VIGIL_BENCH_PROFILE === '1' && i === 0);
    all.push(figures);
    if (i === runs - 1) {
      // What a person sees: the whole map as fitted, then the click-through.
      await page.screenshot({ path: path.join(repo, 'bench/.out/web-map.png') });
      clicked = await clickThrough(page);
    }
    await page.context().close();
  }
  const verdict = (v: number) => (v <= GOAL_MS ? 'met' : 'NOT MET');
  const row = (f: Figures) => {
    const until = f.tasks.filter((t) => t.start < f.interactive);
    return {
      until,
      longestAll: longest(f.tasks),
      blockingMs: until.reduce((s, t) => s + Math.max(0, t.duration - 50), 0),
    };
  };
  console.log(
    `service map, ${APPS} applications / ${EDGES} edges, headless Chromium (${patched ? 'route patched in the bench build' : 'shell route'}), ${runs} cold loads\n`,
  );
  console.log(
    '  data parsed   laid out   layout   clickable   main-thread CPU   longest task until clickable / within 1 s after',
  );
  for (const f of all) {
    const r = row(f);
    console.log(
      `${ms(f.data)}  ${ms(f.laidOut)}  ${f.layoutMs.toFixed(1).padStart(5)} ms  ${ms(f.interactive)}   ${ms(f.cpuMs)}   ${ms(longest(r.until))} (${r.until.length} long tasks, ${r.blockingMs.toFixed(0)} ms blocking) / ${ms(r.longestAll)}`,
    );
  }
  const mid = (pick: (f: Figures) => number) => median(all.map(pick));
  console.log(`\nmedian: map data parsed               ${ms(mid((f) => f.data))} after navigation start`);
  console.log(
    `median: laid out                      ${ms(mid((f) => f.laidOut))} (the layout itself ${mid((f) => f.layoutMs).toFixed(1)} ms)`,
  );
  console.log(
    `median: drawn and clickable           ${ms(mid((f) => f.interactive))}  goal ≤ ${GOAL_MS} ms: ${verdict(mid((f) => f.interactive))}`,
  );
  console.log(`median: main-thread CPU until drawn   ${ms(mid((f) => f.cpuMs))}`);
  console.log(`median: longest task until clickable  ${ms(mid((f) => longest(row(f).until)))}`);
  console.log(`median: longest task, first 1 s after ${ms(mid((f) => row(f).longestAll))}`);
  console.log(`click on an application              ${clicked}`);
} finally {
  await browser.close();
  server.close();
}
