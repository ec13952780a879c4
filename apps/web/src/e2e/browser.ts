/// <reference types="node" />
/**
 * Real headless Chromium (Debian's /usr/bin/chromium) for the UI's end-to-end tests, through
 * playwright-core. A checked page records every console error, failed request and HTTP status
 * ≥ 400 the test did not announce with `expectStatus`, and `assertClean()` fails the test with
 * the list: a page that "works" while logging errors is a broken page.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
/** Where screenshots go (gitignored): `.vigil-test/screenshots/<name>.png`. */
export const SCREENSHOT_DIR = path.join(REPO, '.vigil-test/screenshots');

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/** Launches Debian's Chromium headless, with background traffic (updates, sync) turned off. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** One axe-core violation, as much as a failure message needs. */
export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly targets: string[];
  /** Per target, what axe measured where it says (colour contrast: colours, size and ratio). */
  readonly details: string[];
}

export interface CheckedPage {
  readonly page: Page;
  /** Announces that requests whose URL matches `url` may answer `status`; returns the undo. */
  expectStatus(url: RegExp, status: number): () => void;
  /** Console errors, failed requests and unexpected statuses seen so far. */
  problems(): readonly string[];
  /** Throws, listing them, when there were any; then starts a new list. */
  assertClean(): void;
  /** Saves `.vigil-test/screenshots/<name>.png` and returns its path. */
  screenshot(name: string): Promise<string>;
  /**
   * Waits until the page has settled: no request for 500 ms after the last navigation, and no
   * loader on screen (client-side navigations do not reset the load state, so the loaders tell).
   */
  settle(): Promise<void>;
  /** Runs axe-core in the page; returns the serious and critical violations. */
  seriousA11yViolations(): Promise<AxeViolation[]>;
}

const axeSource = (): string =>
  readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** A new page in its own browser context (own cookies and storage) with the checks attached. */
export async function openCheckedPage(browser: Browser, baseURL: string): Promise<CheckedPage> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  // A missing element should fail in seconds, not after Playwright's default 30 s per action.
  page.setDefaultTimeout(10_000);
  const problems: string[] = [];
  const allowed = new Set<{ url: RegExp; status: number }>();
  const isAllowed = (url: string, status?: number) =>
    [...allowed].some((a) => a.url.test(url) && (status === undefined || a.status === status));

  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    // Chromium logs every ≥ 400 response as a console error too; an announced status is not one.
    const where = msg.location().url;
    if (/^Failed to load resource/.test(msg.text()) && where && isAllowed(where)) return;
    problems.push(`console error: ${msg.text()} (${where || 'no location'})`);
  });
  page.on('pageerror', (err) => problems.push(`uncaught exception: ${err.message}`));
  page.on('requestfailed', (req) => {
    // ERR_ABORTED is the page's own cancellation: leaving a page cancels its queries still in
    // flight (TanStack Query aborts them on unmount), as a user moving on quickly does. Every
    // other failure — refused, reset, timed out, DNS — is a problem.
    const error = req.failure()?.errorText ?? '';
    if (error === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${req.method()} ${req.url()}: ${error}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400 && !isAllowed(res.url(), res.status())) {
      problems.push(`unexpected HTTP ${res.status()}: ${res.request().method()} ${res.url()}`);
    }
  });

  return {
    page,
    expectStatus(url, status) {
      const entry = { url, status };
      allowed.add(entry);
      return () => allowed.delete(entry);
    },
    problems: () => [...problems],
    assertClean() {
      const seen = problems.splice(0);
      if (seen.length > 0)
        throw new Error(`the page reported ${seen.length} problem(s):\n${seen.join('\n')}`);
    },
    async screenshot(name) {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^A-Za-z0-9_-]+/g, '-')}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async settle() {
      await page.waitForLoadState('networkidle');
      await page.waitForFunction(() => document.querySelector('.mantine-Loader-root') === null);
    },
    async seriousA11yViolations() {
      await page.addScriptTag({ content: axeSource() });
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(): Promise<{ violations: unknown[] }> } }).axe;
        return (await axe.run()).violations as Array<{
          id: string;
          impact: string | null;
          help: string;
          nodes: Array<{ target: unknown[]; html: string; any: Array<{ message: string }> }>;
        }>;
      });
      return violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          targets: v.nodes.map((n) => String(n.target)),
          // The element and axe's own message ("insufficient color contrast of 2.9 (foreground
          // #fff, background #fa5252…)"): enough to find and fix it without rerunning axe.
          details: v.nodes.map((n) => `${n.html.slice(0, 400)} — ${n.any[0]?.message ?? ''}`),
        }));
    },
  };
}
