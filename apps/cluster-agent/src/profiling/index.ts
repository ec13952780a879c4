/**
 * Go profiling in the cluster agent (Coroot's `coroot.com/profile-scrape` pods): every interval,
 * the five `/debug/pprof/` profiles of every target, renamed `go:<profile>_<type>:<unit>`,
 * cumulative types turned into deltas, shipped gzipped to `/v1/profiles`. See scraper.ts.
 */
import { startScraper } from './scraper.ts';
import type { ProfileScraper, ProfileScraperOptions } from './types.ts';

export type { ProfileScraper, ProfileScraperOptions, ProfileSink, ProfileTargetStats } from './types.ts';
export { GO_PROFILE_KINDS, goSampleTypeName, type GoProfileKind } from './go-profiles.ts';

/** Starts the timer (first pass after one interval) and returns the handle. */
export function startProfileScraper(options: ProfileScraperOptions): ProfileScraper {
  return startScraper(options);
}
