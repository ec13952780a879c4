import { AppError } from '@vigil/core';
import type { ConfigDb } from '../configdb/index.ts';

export const API_KEY_HEADER = 'X-API-Key';

/**
 * The ingestion key of an HTTP request: the `X-API-Key` header (what Vigil's and Coroot's agents
 * send), else `Authorization: Bearer <key>` or Basic auth with the key as password — for senders
 * that can only authenticate that way (Prometheus remote_write's `authorization:` or
 * `basic_auth:`; Debian's Prometheus 2.42 drops custom `headers:`).
 */
export function ingestKeyFromHeaders(
  headers: Record<string, string | string[] | undefined>,
): string | undefined {
  const direct = headers['x-api-key'];
  const key = Array.isArray(direct) ? direct[0] : direct;
  if (key) return key;
  const auth = headers.authorization;
  const value = (Array.isArray(auth) ? auth[0] : auth)?.trim() ?? '';
  const space = value.indexOf(' ');
  if (space < 0) return undefined;
  const scheme = value.slice(0, space).toLowerCase();
  const credentials = value.slice(space + 1).trim();
  if (scheme === 'bearer') return credentials || undefined;
  if (scheme === 'basic') {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) || undefined : undefined;
  }
  return undefined;
}

interface CacheEntry {
  projectId: string | null;
  expiresAtMs: number;
}

/**
 * Resolves ingestion keys to projects. Every OTLP request carries a key, so answers are cached
 * briefly (unknown keys too, so a misconfigured agent cannot hammer the config DB); a deleted key
 * stops working within `cacheTtlMs`.
 */
export class IngestAuth {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(
    private readonly db: ConfigDb,
    private readonly cacheTtlMs = 10_000,
  ) {}

  /**
   * Forgets what is cached for a project's keys: called when one is revoked or the project is
   * deleted, so the change holds from the next request instead of after the cache's lifetime.
   */
  forgetProject(projectId: string): void {
    for (const [key, entry] of this.cache) if (entry.projectId === projectId) this.cache.delete(key);
  }

  /** The project for `key`; throws `unauthenticated` naming the header when missing or unknown. */
  async projectFor(key: string | undefined, headerName: string = API_KEY_HEADER): Promise<string> {
    if (!key) {
      throw new AppError(
        'unauthenticated',
        `missing ${headerName}: send the project's API key in the ${headerName} header`,
      );
    }
    const now = Date.now();
    let entry = this.cache.get(key);
    if (!entry || entry.expiresAtMs < now) {
      entry = { projectId: await this.db.findProjectByApiKey(key), expiresAtMs: now + this.cacheTtlMs };
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(key, entry);
    }
    if (entry.projectId === null) {
      throw new AppError(
        'unauthenticated',
        `unknown API key in ${headerName}: use a key of one of your projects`,
      );
    }
    return entry.projectId;
  }
}
