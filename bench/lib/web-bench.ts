/**
 * Plumbing shared by the browser benches of the web UI: build apps/web into bench/.out (the
 * served apps/web/dist is left alone), serve the build on 127.0.0.1 next to a fake API answering
 * in the server's JSON shapes, and open it in headless Debian Chromium with a Long Tasks
 * observer installed before the first script runs; then read marks, long tasks, the main
 * thread's CPU time, the page's timeline and, when asked, a CPU profile.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rng, type Random } from '@vigil/testkit';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, type Plugin } from 'vite';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const webRoot = path.join(repo, 'apps/web');

/** One main-thread task longer than 50 ms, as the Long Tasks API reports it (page clock, ms). */
export interface LongTask {
  readonly start: number;
  readonly duration: number;
}

/**
 * The browser globals the functions run inside the page use. The benches are type-checked with
 * Node's types (the root tsconfig); adding the DOM library there would change `fetch`'s types for
 * every other file, so the page side is typed by hand (a cast inside each page function: those
 * functions are sent to the browser as source, so they cannot call a helper of this file).
 */
export interface PageElement {
  scrollTop: number;
  readonly scrollHeight: number;
  readonly clientHeight: number;
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): { readonly length: number } & Iterable<PageElement>;
  click(): void;
  getBoundingClientRect(): { left: number; top: number; width: number; height: number };
}
export interface PageGlobals {
  __longTasks: LongTask[];
  document: {
    body: PageElement & { innerText: string };
    querySelector(selector: string): PageElement | null;
  };
  requestAnimationFrame(callback: (timeMs: number) => void): number;
  PerformanceObserver: new (
    callback: (list: { getEntries(): Array<{ startTime: number; duration: number }> }) => void,
  ) => { observe(options: { entryTypes: string[] }): void };
}

/**
 * Builds apps/web into bench/.out/<name>-dist and returns that directory. `minify: false` keeps
 * function names readable in a CPU profile (and makes the build unlike the shipped one).
 */
export async function buildWeb(
  name: string,
  options: { plugins?: Plugin[]; minify?: boolean } = {},
): Promise<string> {
  const outDir = path.join(repo, `bench/.out/${name}-dist`);
  await build({
    root: webRoot,
    configFile: path.join(webRoot, 'vite.config.ts'),
    logLevel: 'warn',
    plugins: options.plugins ?? [],
    build: { outDir, emptyOutDir: true, ...(options.minify === undefined ? {} : { minify: options.minify }) },
  });
  return outDir;
}

/** What the fake API answers; `undefined` falls through to a 404 in the server's error shape. */
export type FakeApi = (url: URL, req: IncomingMessage) => { status?: number; json: string } | undefined;

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

/**
 * Serves the build (unknown non-API paths fall back to index.html, as the real server does) and
 * `api` under /api/. `/api/v1/me` answers a signed-in admin unless `api` answers it.
 */
export async function serveWeb(
  outDir: string,
  api: FakeApi,
): Promise<{ base: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/api/')) {
      const answer = api(url, req);
      if (answer) return send(res, answer.status ?? 200, 'application/json', answer.json);
      if (url.pathname === '/api/v1/me')
        return send(res, 200, 'application/json', '{"user":{"email":"bench@vigil.test","role":"admin"}}');
      return send(
        res,
        404,
        'application/json',
        '{"error":{"code":"not_found","message":"not in the bench"}}',
      );
    }
    const file = path.join(outDir, path.normalize(url.pathname).replace(/^(\.\.[/\\])+/, ''));
    if (url.pathname !== '/' && existsSync(file) && !file.endsWith(path.sep))
      return send(res, 200, TYPES[path.extname(file)] ?? 'application/octet-stream', readFileSync(file));
    return send(res, 200, 'text/html', readFileSync(path.join(outDir, 'index.html')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const DEFAULT_VIEWPORT = { width: 1440, height: 900 };

/** Debian's Chromium, headless. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
}

/**
 * Headless Chromium with one page whose long tasks (> 50 ms) collect in `window.__longTasks`
 * from before the first script runs; page errors and console errors are printed.
 */
export async function openBenchPage(viewport = DEFAULT_VIEWPORT): Promise<{
  browser: Browser;
  page: Page;
}> {
  const browser = await launchChromium();
  return { browser, page: await newBenchPage(browser, viewport) };
}

/**
 * A page in a fresh browser context (an empty cache, like a first visit), set up as
 * `openBenchPage`'s; closing `page.context()` discards it.
 */
export async function newBenchPage(browser: Browser, viewport = DEFAULT_VIEWPORT): Promise<Page> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  // tsx compiles the benches keeping function names through a `__name` helper, which then
  // appears inside the functions handed to the page; give the page a no-op one.
  await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  await page.addInitScript(() => {
    const w = globalThis as unknown as PageGlobals;
    w.__longTasks = [];
    new w.PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ entryTypes: ['longtask'] });
  });
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && console.error(`console: ${m.text()}`));
  return page;
}

/** The long tasks the page has seen so far. */
export function longTasks(page: Page): Promise<LongTask[]> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).__longTasks);
}

/** A mark's time (ms after navigation start), NaN when the page has not set it. */
export function markTime(page: Page, name: string): Promise<number> {
  return page.evaluate((n) => performance.getEntriesByName(n, 'mark')[0]?.startTime ?? NaN, name);
}

/** A measure's duration (ms), NaN when the page has not made it. */
export function measureDuration(page: Page, name: string): Promise<number> {
  return page.evaluate((n) => performance.getEntriesByName(n, 'measure')[0]?.duration ?? NaN, name);
}

/**
 * Starts reading the page's main-thread CPU time; the returned function gives it in ms (since
 * the renderer started). CPU time, not wall time: far steadier than the clock on a loaded
 * shared machine. Start it before navigating.
 */
export async function mainThreadCpu(page: Page): Promise<() => Promise<number>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  return async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return (metrics.find((m) => m.name === 'ThreadTime')?.value ?? NaN) * 1000;
  };
}

/** Prints the page's timeline: resources (scripts, API calls) as they loaded, marks, long tasks. */
export async function printTimeline(page: Page, base: string): Promise<void> {
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

/** Count, longest and total blocking time (the part of each task over 50 ms) of some long tasks. */
export function summariseTasks(tasks: readonly LongTask[]): {
  count: number;
  longestMs: number;
  blockingMs: number;
} {
  return {
    count: tasks.length,
    longestMs: tasks.reduce((m, t) => Math.max(m, t.duration), 0),
    blockingMs: tasks.reduce((s, t) => s + Math.max(0, t.duration - 50), 0),
  };
}

/** `12 long tasks, longest 80 ms, 140 ms blocking` */
export function describeTasks(tasks: readonly LongTask[]): string {
  const s = summariseTasks(tasks);
  return `${s.count} long tasks, longest ${s.longestMs.toFixed(0)} ms, ${s.blockingMs.toFixed(0)} ms blocking`;
}

/**
 * A deterministic pseudo-random generator (testkit's mulberry32): the same data set on every
 * run. Integer arithmetic throughout (`Math.imul`), so unlike a float LCG it does not lose bits
 * past 2^53 and fall into short cycles (which repeat ids).
 */
export const seededRandom: (seed: number) => Random = rng;

/**
 * With VIGIL_BENCH_PROFILE=<phase>, profiles the page's main thread during that phase of a bench
 * until the returned function is called, which prints the 25 functions with the most self time
 * (and writes the whole profile to `savePath`, if given, for Chrome DevTools); otherwise does
 * nothing.
 */
export async function profileIfAsked(
  page: Page,
  phase: string,
  savePath?: string,
): Promise<() => Promise<void>> {
  if (process.env.VIGIL_BENCH_PROFILE !== phase) return async () => undefined;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  return async () => {
    const { profile } = await cdp.send('Profiler.stop');
    if (savePath) writeFileSync(savePath, JSON.stringify(profile));
    const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
    const self = new Map<string, number>();
    (profile.samples ?? []).forEach((id, i) => {
      const f = byId.get(id);
      const key = f
        ? `${f.functionName || '(anonymous)'} ${path.basename(f.url)}:${f.lineNumber}:${f.columnNumber}`
        : '?';
      self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas?.[i] ?? 0) / 1000);
    });
    for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25))
      console.log(`${v.toFixed(0).padStart(7)} ms  ${k}`);
  };
}
