/** What the node agent and the cluster agent share (see README). */
export { formatExposition, type MetricFamily, type Sample } from './exposition/metric-family.ts';
export { familiesToSeries, type ConvertedFamilies } from './push/families-to-series.ts';
export {
  DEFAULT_SPOOL_MAX_BYTES,
  DiskSpool,
  openDiskSpool,
  type DiskSpoolOptions,
  type SpoolSegment,
  type SpoolStats,
} from './push/disk-spool.ts';
export { backoffDelayMs, parseRetryAfterMs, type BackoffOptions } from './push/backoff.ts';
export {
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_WRITE_PATH,
  startPusher,
  writeUrl,
  type EnqueueResult,
  type PusherOptions,
  type RemoteWritePusher,
} from './push/remote-write-pusher.ts';
export type { PusherStats } from './push/pusher-stats.ts';
export { classifyAnswer, type SendOutcome } from './push/send-remote-write.ts';
export {
  DEFAULT_SCRAPE_INTERVAL_MS,
  defaultDataDir,
  readPushSettings,
  type Env,
  type PushSettings,
  type PushSettingsContext,
} from './push/push-settings.ts';
export { SpoolSender, type SpoolSenderOptions, type SpoolSenderStats } from './push/spool-sender.ts';
export { parseListen } from './listen.ts';
export { BatchShipper, type BatchShipperOptions, type BatchShipperStats } from './ship/batch-shipper.ts';
export {
  PROFILES_PATH,
  ProfileShipper,
  decodeProfileSegment,
  encodeProfileSegment,
  type ProfileShipperOptions,
  type ProfileShipperStats,
} from './ship/profile-shipper.ts';
export { shipperHeaders, spoolBeside, type PushTarget } from './ship/push-target.ts';
