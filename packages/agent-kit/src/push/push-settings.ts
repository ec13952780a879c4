/**
 * The node agent's push settings from its environment, checked once at start-up with every
 * problem reported at once. Canonical names first; Coroot's names are accepted as aliases, and
 * the canonical name wins when both are set. An empty variable counts as unset (compose files
 * and Helm charts often write `API_KEY=`).
 *
 * | setting              | variables                                     | default                     |
 * |----------------------|-----------------------------------------------|-----------------------------|
 * | where to push        | `VIGIL_COLLECTOR_URL`, `COLLECTOR_ENDPOINT`   | unset: pushing is off       |
 * | project key          | `VIGIL_API_KEY`, `API_KEY`                    | none (no `X-API-Key`)       |
 * | scrape interval      | `VIGIL_SCRAPE_INTERVAL`, `SCRAPE_INTERVAL`    | 15s                         |
 * | data directory       | `VIGIL_DATA_DIR`                              | see {@link defaultDataDir}  |
 * | spool bound          | `VIGIL_SPOOL_MAX_BYTES`                       | 500MiB                      |
 *
 * The spool lives in `<data directory>/spool`.
 */
import path from 'node:path';
import { AppError, errorMessage, parseByteSize, parseDurationMs } from '@vigil/core';
import { DEFAULT_SPOOL_MAX_BYTES } from './disk-spool.ts';

export type Env = Readonly<Record<string, string | undefined>>;

export interface PushSettings {
  /** Base URL of the Vigil (or Coroot) server, without a trailing `/`; undefined: do not push. */
  readonly collectorUrl: string | undefined;
  readonly apiKey: string | undefined;
  readonly scrapeIntervalMs: number;
  /** Absolute. */
  readonly dataDir: string;
  /** `<dataDir>/spool`. */
  readonly spoolDir: string;
  readonly spoolMaxBytes: number;
}

export interface PushSettingsContext {
  /** Whether the agent runs as root (default: the process' uid is 0). */
  readonly isRoot?: boolean;
  /** Base for a relative data directory (default: the working directory). */
  readonly cwd?: string;
}

export const DEFAULT_SCRAPE_INTERVAL_MS = 15_000;
/** Each interval is one request and one spool file; shorter than this is a mistake. */
export const MIN_SCRAPE_INTERVAL_MS = 100;
export const MIN_SPOOL_MAX_BYTES = 1024 * 1024;

/**
 * Where the agent keeps its data when `VIGIL_DATA_DIR` is unset: as root (a DaemonSet or a
 * systemd unit) the FHS place for service state, `/var/lib/vigil/node-agent`; otherwise
 * `./data`, the data directory every Vigil process defaults to, so that `vigil up` keeps the
 * server and its node agent in one directory.
 */
export function defaultDataDir(isRoot: boolean): string {
  return isRoot ? '/var/lib/vigil/node-agent' : './data';
}

/**
 * Reads and checks the push settings.
 *
 * @throws AppError (code 'bad_request') listing every invalid setting, one per line, each
 *   naming the variable it came from.
 */
export function readPushSettings(env: Env, context: PushSettingsContext = {}): PushSettings {
  const problems: string[] = [];
  const setting = <T>(
    names: readonly [string, ...string[]],
    read: (text: string) => T | string,
  ): T | undefined => {
    for (const name of names) {
      const raw = env[name];
      if (raw === undefined || raw.trim() === '') continue;
      const result = read(raw.trim());
      if (typeof result === 'string') {
        problems.push(`${name}: ${result}`);
        return undefined;
      }
      return result;
    }
    return undefined;
  };

  const collectorUrl = setting(['VIGIL_COLLECTOR_URL', 'COLLECTOR_ENDPOINT'], readCollectorUrl);
  const apiKey = setting(['VIGIL_API_KEY', 'API_KEY'], readApiKey);
  const scrapeIntervalMs =
    setting(['VIGIL_SCRAPE_INTERVAL', 'SCRAPE_INTERVAL'], readInterval) ?? DEFAULT_SCRAPE_INTERVAL_MS;
  const spoolMaxBytes = setting(['VIGIL_SPOOL_MAX_BYTES'], readSpoolMaxBytes) ?? DEFAULT_SPOOL_MAX_BYTES;
  const isRoot = context.isRoot ?? process.getuid?.() === 0;
  const dataDirText = setting(['VIGIL_DATA_DIR'], (t) => ({ t }))?.t ?? defaultDataDir(isRoot);

  if (problems.length > 0) {
    throw new AppError('bad_request', `invalid node agent push settings:\n  ${problems.join('\n  ')}`);
  }
  const dataDir = path.resolve(context.cwd ?? process.cwd(), dataDirText);
  return {
    collectorUrl: collectorUrl?.url,
    apiKey: apiKey?.key,
    scrapeIntervalMs,
    dataDir,
    spoolDir: path.join(dataDir, 'spool'),
    spoolMaxBytes,
  };
}

// Readers return the value, or a string saying what is wrong. Values are wrapped in objects
// where they are strings themselves. The API key is never echoed.

function readCollectorUrl(text: string): { url: string } | string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `"${text}" is not a URL; expected e.g. http://vigil:8080`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `"${text}" must be an http:// or https:// URL`;
  if (url.username !== '' || url.password !== '') {
    return 'must not contain a user name or password; set VIGIL_API_KEY instead';
  }
  if (url.search !== '' || url.hash !== '') return `"${text}" must not have a query or fragment`;
  return { url: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}

function readApiKey(text: string): { key: string } | string {
  // It travels as an HTTP header: anything else would make every request fail.
  return /^[\x21-\x7e]+$/.test(text) ? { key: text } : 'must be printable ASCII without spaces';
}

function readInterval(text: string): number | string {
  let ms: number;
  try {
    ms = parseDurationMs(text);
  } catch (err) {
    return errorMessage(err);
  }
  if (ms < MIN_SCRAPE_INTERVAL_MS) return `"${text}" is shorter than ${MIN_SCRAPE_INTERVAL_MS}ms`;
  return Math.round(ms);
}

function readSpoolMaxBytes(text: string): number | string {
  const bytes = parseByteSize(text);
  if (bytes === undefined) return `"${text}" is not a size; expected e.g. 500MiB, 2GiB, 1048576`;
  if (bytes < MIN_SPOOL_MAX_BYTES) return `"${text}" is less than 1MiB`;
  return bytes;
}
