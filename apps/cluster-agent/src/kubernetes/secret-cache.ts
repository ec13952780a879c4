/**
 * Secrets that pod annotations reference for database credentials, read one at a time by name
 * (`GET /api/v1/namespaces/<ns>/secrets/<name>`; secrets are never listed or watched) and kept
 * for `refreshMs` (60 s), so a rotated password is picked up within a minute. A read that fails
 * keeps the last good value; the failure is logged once per secret and change of error.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from '@vigil/core';
import { getJson } from './kube-request.ts';

interface Entry {
  data?: Readonly<Record<string, string>>;
  error?: string;
  fetchedMs: number;
  inFlight?: Promise<void>;
}

export interface SecretCacheOptions {
  readonly kubeConfig: KubeConfig;
  readonly logger: Logger;
  readonly now: () => number;
  readonly refreshMs?: number;
  readonly requestTimeoutMs?: number;
}

export class SecretCache {
  private readonly entries = new Map<string, Entry>();
  private readonly options: SecretCacheOptions;

  constructor(options: SecretCacheOptions) {
    this.options = options;
  }

  /** The secret's data (decoded from base64) as known now; starts a read when it is missing or stale. */
  get(namespace: string, name: string): Readonly<Record<string, string>> | undefined {
    const entry = this.entries.get(`${namespace}/${name}`);
    void this.fetch(namespace, name);
    return entry?.data;
  }

  /** Reads every secret in `refs` that is missing or stale; resolves when all reads ended. */
  async refresh(refs: Iterable<readonly [namespace: string, name: string]>): Promise<void> {
    await Promise.all([...refs].map(([ns, name]) => this.fetch(ns, name)));
  }

  /** Forgets secrets no pod references any more. */
  retain(keys: ReadonlySet<string>): void {
    for (const key of this.entries.keys()) if (!keys.has(key)) this.entries.delete(key);
  }

  private fetch(namespace: string, name: string): Promise<void> {
    const key = `${namespace}/${name}`;
    const entry = this.entries.get(key);
    if (entry?.inFlight) return entry.inFlight;
    if (entry && this.options.now() - entry.fetchedMs < (this.options.refreshMs ?? 60_000))
      return Promise.resolve();
    const next: Entry = entry ?? { fetchedMs: 0 };
    this.entries.set(key, next);
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}`;
    next.inFlight = getJson(this.options.kubeConfig, path, {
      timeoutMs: this.options.requestTimeoutMs ?? 10_000,
    })
      .then(
        (body) => {
          const data: Record<string, string> = {};
          const raw = (body as { data?: Record<string, unknown> }).data ?? {};
          for (const [k, v] of Object.entries(raw)) {
            if (typeof v === 'string') data[k] = Buffer.from(v, 'base64').toString('utf8');
          }
          next.data = data;
          if (next.error !== undefined) this.options.logger.info({ secret: key }, 'secret readable again');
          next.error = undefined;
        },
        (err: unknown) => {
          const message = (err as Error).message;
          if (message !== next.error) {
            this.options.logger.warn(
              { secret: key, err: message },
              'cannot read the secret a pod annotation names',
            );
          }
          next.error = message;
        },
      )
      .finally(() => {
        next.fetchedMs = this.options.now();
        next.inFlight = undefined;
      });
    return next.inFlight;
  }
}
