/** The profiling scraper's public types (see index.ts). */
import type { Logger } from '@vigil/core';
import type { ProfileTargetSource } from '../targets/profile-target.ts';

/** Where profiles go: `ProfileShipper` from `@vigil/agent-kit` satisfies it. */
export interface ProfileSink {
  /** `pprof` is gzipped; `labels` become the query string of `POST /v1/profiles`. */
  ship(labels: Readonly<Record<string, string>>, pprof: Uint8Array, timestampMs: number): Promise<void>;
}

export interface ProfileScraperOptions {
  readonly targets: ProfileTargetSource;
  readonly sink: ProfileSink;
  readonly logger: Logger;
  /** Time between the starts of two passes over all targets; default 60_000. */
  readonly intervalMs?: number;
  /** How long the CPU profile records (`/debug/pprof/profile?seconds=`); default 10. */
  readonly cpuSeconds?: number;
  /** Default: the global fetch. */
  readonly fetch?: typeof fetch;
}

/** A target's state for `/health`. */
export interface ProfileTargetStats {
  /** When its last pass ended (ms since the epoch); unset before the first. */
  readonly lastScrapeMs?: number;
  /** Profiles handed to the sink since start. */
  readonly sent: number;
  /** What failed in its last pass, e.g. `heap: HTTP 500; mutex: ECONNREFUSED …`; unset when nothing did. */
  readonly error?: string;
}

export interface ProfileScraper {
  /** One pass over all targets now (tests; the timer runs them itself). */
  scrapeOnce(): Promise<void>;
  /** For /health: per target baseUrl: last scrape time, profiles sent, last error. */
  stats(): Readonly<Record<string, ProfileTargetStats>>;
  /** Stops the timer, aborts the requests in flight and waits for the pass to end. */
  stop(): Promise<void>;
}
