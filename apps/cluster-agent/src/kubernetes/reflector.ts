/**
 * One resource kept in memory from the API server: list it (in pages), then watch from the
 * list's resourceVersion, applying ADDED/MODIFIED/DELETED to the store.
 *
 *   ┌──► list (limit/continue) ──► store replaced, handlers told ──► watch ?resourceVersion=rv
 *   │                                                                  │
 *   │    410 Gone (an HTTP answer, or an ERROR event, or an expired continue token)
 *   └──────────────────────────────────────────────────────────────────┤
 *        the watch ended (server timeout, dropped connection) ──► watch again from the last rv
 *        any other failure ──► backoff (1 s doubling to 30 s, jittered) ──► retry
 *
 * The library's ListWatch stops for good on the first error and has no notion of "listed", and
 * its Watch has no timeout; this loop adds the retry, the status and a watchdog for a watch whose
 * connection died silently.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { Watch, type KubeConfig } from '@kubernetes/client-node';
import type { Logger } from '@vigil/core';
import { getJson, statusCodeOf } from './kube-request.ts';

/** The fields of any object the reflector relies on. */
export interface KubeObject {
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly uid?: string;
    readonly resourceVersion?: string;
  };
}

/** Told of every change; a relist reports removed objects as deletes and every listed one as an upsert. */
export interface ReflectorHandlers<T> {
  onUpsert?(obj: T, old: T | undefined): void;
  onDelete?(obj: T): void;
}

/** Timings a test can shorten; the defaults suit a real cluster. */
export interface ReflectorTuning {
  readonly pageSize?: number;
  readonly requestTimeoutMs?: number;
  /** The server ends each watch after this; the client gives up 60 s later. */
  readonly watchTimeoutSeconds?: number;
  readonly backoffInitialMs?: number;
  readonly backoffMaxMs?: number;
}

export interface ReflectorOptions<T> extends ReflectorTuning {
  readonly name: string;
  readonly path: string;
  readonly kubeConfig: KubeConfig;
  readonly logger: Logger;
  readonly handlers?: ReflectorHandlers<T>;
}

type WatchOutcome = 'ended' | 'gone';

/** `namespace/name` (or `name` for cluster-scoped objects): the store's key. */
export function objectKey(obj: KubeObject): string {
  const ns = obj.metadata?.namespace;
  return ns ? `${ns}/${obj.metadata?.name ?? ''}` : (obj.metadata?.name ?? '');
}

export class Reflector<T extends KubeObject> {
  /** The objects now, by objectKey. */
  readonly store = new Map<string, T>();
  synced = false;
  error: string | undefined;
  /** Resolves after the first list, or its first failure. */
  readonly firstSync: Promise<void>;
  private resolveFirstSync!: () => void;
  private resourceVersion = '';

  /** The version the next watch starts from ('' until listed, and after a 410). */
  get lastResourceVersion(): string {
    return this.resourceVersion;
  }
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private readonly options: ReflectorOptions<T>;

  constructor(options: ReflectorOptions<T>) {
    this.options = options;
    this.firstSync = new Promise((resolve) => (this.resolveFirstSync = resolve));
  }

  start(): void {
    this.running ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    // The library's Watch hands out its AbortController only once the server has answered the
    // headers; a server that never does must not hold the agent's shutdown.
    await Promise.race([this.running, delay(2000)]);
  }

  private async run(): Promise<void> {
    const { logger, name } = this.options;
    let failures = 0;
    let gone = 0; // 410s in a row: the first relists at once, more back off
    while (!this.abort.signal.aborted) {
      try {
        if (this.resourceVersion === '') await this.relist();
        const startedMs = Date.now();
        const outcome = await this.watchOnce();
        if (outcome === 'gone') {
          logger.debug({ resource: name }, 'resourceVersion expired (410 Gone): listing again');
          this.resourceVersion = '';
          failures = gone++;
        } else {
          gone = 0;
          // A watch the server closes at once, again and again, must not turn into a busy loop.
          failures = Date.now() - startedMs < 1000 ? failures + 1 : 0;
        }
      } catch (err) {
        if (this.abort.signal.aborted) break;
        if (statusCodeOf(err) === 410) {
          this.resourceVersion = '';
          failures = gone++;
          if (failures > 0) await this.pause(failures);
          continue;
        }
        failures++;
        const message = (err as Error).message;
        if (message !== this.error)
          logger.warn({ resource: name, err: message }, 'kubernetes watch failed, retrying');
        this.error = message;
        this.resolveFirstSync();
      }
      if (failures > 0) await this.pause(failures);
    }
  }

  private async pause(failures: number): Promise<void> {
    const initial = this.options.backoffInitialMs ?? 1000;
    const max = this.options.backoffMaxMs ?? 30_000;
    const ms = Math.min(max, initial * 2 ** Math.min(failures - 1, 20)) * (0.8 + Math.random() * 0.4);
    await delay(ms, undefined, { signal: this.abort.signal }).catch(() => undefined);
  }

  private async relist(): Promise<void> {
    const { path, kubeConfig } = this.options;
    const items: T[] = [];
    let continueToken = '';
    let resourceVersion: string;
    do {
      const query = new URLSearchParams({ limit: String(this.options.pageSize ?? 500) });
      if (continueToken !== '') query.set('continue', continueToken);
      const body = (await getJson(kubeConfig, `${path}?${query}`, {
        timeoutMs: this.options.requestTimeoutMs ?? 60_000,
        signal: this.abort.signal,
      })) as { items?: unknown; metadata?: { continue?: string; resourceVersion?: string } };
      if (!Array.isArray(body.items)) throw new Error(`GET ${path}: the answer has no items list`);
      for (const item of body.items) if (isObject(item)) items.push(slim(item) as T);
      continueToken = body.metadata?.continue ?? '';
      resourceVersion = body.metadata?.resourceVersion ?? '';
    } while (continueToken !== '');
    this.replace(items);
    this.resourceVersion = resourceVersion;
    this.synced = true;
    this.error = undefined;
    this.resolveFirstSync();
  }

  private replace(items: readonly T[]): void {
    const listed = new Map(items.map((i) => [objectKey(i), i]));
    for (const [key, old] of this.store) {
      if (!listed.has(key)) {
        this.store.delete(key);
        this.notify('onDelete', old);
      }
    }
    for (const [key, obj] of listed) {
      const old = this.store.get(key);
      this.store.set(key, obj);
      this.notify('onUpsert', obj, old);
    }
  }

  /** Calls a handler; one that throws is logged, and the store stays as the server says. */
  private notify(which: 'onUpsert' | 'onDelete', obj: T, old?: T): void {
    const handlers = this.options.handlers;
    try {
      if (which === 'onUpsert') handlers?.onUpsert?.(obj, old);
      else handlers?.onDelete?.(obj);
    } catch (err) {
      this.options.logger.error(
        { resource: this.options.name, err: (err as Error).message },
        `${which} handler failed`,
      );
    }
  }

  private watchOnce(): Promise<WatchOutcome> {
    const { path, kubeConfig } = this.options;
    const timeoutSeconds = this.options.watchTimeoutSeconds ?? 300 + Math.floor(Math.random() * 300);
    return new Promise<WatchOutcome>((resolve, reject) => {
      let controller: AbortController | undefined;
      let outcome: { gone: true } | { error: Error } | undefined;
      let settled = false;
      const finish = (err: unknown): void => {
        if (settled) return;
        settled = true;
        clearTimeout(watchdog);
        this.abort.signal.removeEventListener('abort', stop);
        if (outcome && 'gone' in outcome) resolve('gone');
        else if (outcome) reject(outcome.error);
        else if (err && !this.abort.signal.aborted) reject(err as Error);
        else resolve('ended');
      };
      const stop = (): void => controller?.abort();
      const watchdog = setTimeout(
        () => {
          outcome = { error: new Error(`watch ${path}: no end after ${timeoutSeconds + 60} s`) };
          stop();
        },
        (timeoutSeconds + 60) * 1000,
      );
      this.abort.signal.addEventListener('abort', stop);
      const onEvent = (type: string, object: unknown): void => {
        if (settled || !isObject(object)) return;
        if (type === 'ERROR') {
          const status = object as { code?: number; message?: string };
          outcome =
            status.code === 410
              ? { gone: true }
              : { error: new Error(`watch ${path}: ${status.message ?? 'ERROR event'}`) };
          stop();
          return;
        }
        const obj = slim(object) as T;
        const rv = obj.metadata?.resourceVersion;
        if (rv) this.resourceVersion = rv;
        this.error = undefined;
        const key = objectKey(obj);
        if (type === 'ADDED' || type === 'MODIFIED') {
          const old = this.store.get(key);
          this.store.set(key, obj);
          this.notify('onUpsert', obj, old);
        } else if (type === 'DELETED') {
          const old = this.store.get(key);
          this.store.delete(key);
          if (old) this.notify('onDelete', obj);
        }
        // BOOKMARK: only the resourceVersion moves.
      };
      new Watch(kubeConfig)
        .watch(
          path,
          { resourceVersion: this.resourceVersion, allowWatchBookmarks: true, timeoutSeconds },
          onEvent,
          finish,
        )
        .then((c) => {
          controller = c;
          if (this.abort.signal.aborted || outcome) c.abort();
        }, finish);
    });
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Drops managedFields: a large part of every object, and nothing here reads it. */
function slim(obj: Record<string, unknown>): Record<string, unknown> {
  const metadata = obj.metadata as Record<string, unknown> | undefined;
  if (metadata && 'managedFields' in metadata) delete metadata.managedFields;
  return obj;
}
