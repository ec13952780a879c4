/**
 * The scrape loop: a pass every interval over the targets the source knows, at most
 * {@link DEFAULT_TUNING.concurrency} targets at a time, the five profiles of a target at once;
 * each profile is shipped as soon as it is in, so a slow target holds one slot until its
 * deadline and never the others.
 *
 *   pass ─► targets.current() ─► pool (8) ─► target: profile | heap | goroutine | mutex | block
 *                                               GET (deadline) → decode → merge → rename/delta → gzip → sink
 *
 * Passes never overlap (scrapeOnce waits for the one running). A target's baselines live as
 * long as it is listed with the same service name and labels.
 */
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { errorMessage } from '@vigil/core';
import type { ProfileTarget } from '../targets/profile-target.ts';
import { toCorootProfiles, type Baseline } from './coroot-profiles.ts';
import { fetchProfile } from './fetch-profile.ts';
import { GO_PROFILE_KINDS, goProfilePath, type GoProfileKind } from './go-profiles.ts';
import { decodePprofBody, mergeByStack } from './merged-profile.ts';
import type { ProfileScraper, ProfileScraperOptions, ProfileTargetStats } from './types.ts';

const gzipAsync = promisify(gzip);

/** Knobs tests turn; the defaults are Coroot's. */
export interface ScraperTuning {
  /** Targets scraped at once. */
  readonly concurrency: number;
  /** Deadline of a non-CPU profile, and what the CPU one gets on top of its seconds. */
  readonly timeoutMs: number;
}

export const DEFAULT_TUNING: ScraperTuning = { concurrency: 8, timeoutMs: 10_000 };

interface TargetState {
  /** baseUrl + service + labels: a pod IP reused by another pod starts afresh. */
  readonly identity: string;
  readonly baselines: Map<string, Baseline>;
  lastScrapeMs?: number;
  sent: number;
  error?: string;
  /** The error last logged, so that each change is logged once. */
  logged?: string;
}

function identityOf(t: ProfileTarget): string {
  const labels = Object.entries(t.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([t.baseUrl, t.serviceName, labels]);
}

/** Starts the timer; see the module comment. */
export function startScraper(
  options: ProfileScraperOptions,
  tuning: ScraperTuning = DEFAULT_TUNING,
): ProfileScraper {
  const intervalMs = options.intervalMs ?? 60_000;
  const cpuSeconds = options.cpuSeconds ?? 10;
  const doFetch = options.fetch ?? fetch;
  const stopping = new AbortController();
  const states = new Map<string, TargetState>();
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  const stateFor = (t: ProfileTarget): TargetState => {
    const identity = identityOf(t);
    let state = states.get(t.baseUrl);
    if (state?.identity !== identity) {
      state = { identity, baselines: new Map(), sent: state?.sent ?? 0 };
      states.set(t.baseUrl, state);
    }
    return state;
  };

  const scrapeProfile = async (t: ProfileTarget, state: TargetState, kind: GoProfileKind): Promise<void> => {
    const url = t.baseUrl.replace(/\/+$/, '') + goProfilePath(kind, cpuSeconds);
    const timeoutMs = kind === 'profile' ? cpuSeconds * 1000 + tuning.timeoutMs : tuning.timeoutMs;
    const requestedMs = Date.now();
    const body = await fetchProfile(url, { fetch: doFetch, timeoutMs, stopSignal: stopping.signal });
    const receivedMs = Date.now();
    const merged = mergeByStack(decodePprofBody(body));
    const outgoing = toCorootProfiles(merged, { kind, baselines: state.baselines, requestedMs, receivedMs });
    const labels = { ...t.labels, 'service.name': t.serviceName };
    for (const o of outgoing) {
      const pprof = await gzipAsync(o.profile.encode());
      await options.sink.ship(labels, pprof, receivedMs);
      state.sent++;
    }
  };

  const scrapeTarget = async (t: ProfileTarget): Promise<void> => {
    const state = stateFor(t);
    const failures = new Map<GoProfileKind, string>();
    await Promise.all(
      GO_PROFILE_KINDS.map((kind) =>
        scrapeProfile(t, state, kind).catch((err: unknown) => failures.set(kind, errorMessage(err))),
      ),
    );
    if (stopping.signal.aborted) return;
    state.lastScrapeMs = Date.now();
    const error = GO_PROFILE_KINDS.filter((k) => failures.has(k))
      .map((k) => `${k}: ${failures.get(k)}`)
      .join('; ');
    if (error === '') delete state.error;
    else state.error = error;
    if (state.error !== state.logged) {
      if (state.error !== undefined) {
        options.logger.warn(
          { target: t.baseUrl, service: t.serviceName, err: state.error },
          'Go profile scrape failed',
        );
      } else {
        options.logger.info({ target: t.baseUrl, service: t.serviceName }, 'Go profiles are scraped again');
      }
      if (state.error === undefined) delete state.logged;
      else state.logged = state.error;
    }
  };

  const pass = async (): Promise<void> => {
    let targets: readonly ProfileTarget[];
    try {
      targets = options.targets.current();
    } catch (err) {
      options.logger.error({ err: errorMessage(err) }, 'could not list profile targets');
      return;
    }
    const listed = new Set(targets.map((t) => t.baseUrl));
    for (const baseUrl of states.keys()) if (!listed.has(baseUrl)) states.delete(baseUrl);
    await forEachLimit(targets, tuning.concurrency, scrapeTarget);
  };

  const runPass = (): Promise<void> => {
    const next = running.then(pass);
    running = next.catch(() => undefined);
    return next;
  };

  const schedule = (delayMs: number): void => {
    timer = setTimeout(() => {
      const startedMs = Date.now();
      void runPass().finally(() => {
        if (!stopping.signal.aborted) schedule(Math.max(0, startedMs + intervalMs - Date.now()));
      });
    }, delayMs);
    timer.unref();
  };
  schedule(intervalMs);

  return {
    scrapeOnce: runPass,
    stats() {
      const out: Record<string, ProfileTargetStats> = {};
      for (const [baseUrl, s] of states) {
        out[baseUrl] = {
          sent: s.sent,
          ...(s.lastScrapeMs === undefined ? {} : { lastScrapeMs: s.lastScrapeMs }),
          ...(s.error === undefined ? {} : { error: s.error }),
        };
      }
      return out;
    },
    async stop() {
      stopping.abort();
      clearTimeout(timer);
      await running;
    },
  };
}

/** Runs `fn` over `items`, at most `limit` at a time. */
async function forEachLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
