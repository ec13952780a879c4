/**
 * Collects a Redis server (or a protocol-compatible one: Valkey, KeyDB) with one `INFO ALL` per
 * round over a single ioredis connection. See `redis-families.ts` for the series.
 *
 * ioredis reconnects and queues commands by itself; here both are off, because a collector that
 * retries in the background hides a dead server behind "still connecting" and piles up commands
 * across rounds. Instead a failed connection is thrown away and the next `collect` opens a new
 * one. Target parameters: `credentials.username`/`password` (ACL user or `requirepass`) and
 * `params.db` (the database to SELECT; INFO is server-wide, so it rarely matters).
 */
import { Redis } from 'ioredis';
import type { Collection, Collector } from '../collector.ts';
import { targetAddress, type Target } from '../target.ts';
import { redisDownFamilies, redisFamilies } from './redis-families.ts';
import { parseRedisInfo } from './redis-info.ts';

export interface RedisCollectorOptions {
  /** TCP connect plus AUTH; keep it below the collection deadline. Default 5 s. */
  readonly connectTimeoutMs?: number;
  /** One command (INFO); keep it below the collection deadline. Default 5 s. */
  readonly commandTimeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5_000;

export function createRedisCollector(target: Target, options: RedisCollectorOptions = {}): Collector {
  const address = targetAddress(target);
  const db = parseDb(target.params?.db);
  let client: Redis | undefined;
  // ioredis reports why a connection closed (WRONGPASS, ECONNREFUSED…) as an 'error' event and
  // rejects the pending call with "Connection is closed." or "Stream isn't writeable…", depending
  // on how far the handshake got; the event names the cause, so it wins when there is one.
  let lastError: Error | undefined;

  const open = (): Redis => {
    const redis = new Redis({
      host: target.host,
      port: target.port,
      username: target.credentials?.username || undefined,
      password: target.credentials?.password || undefined,
      db: typeof db === 'number' ? db : 0,
      connectionName: 'vigil-cluster-agent',
      lazyConnect: true,
      enableOfflineQueue: false,
      enableReadyCheck: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      reconnectOnError: () => false,
      connectTimeout: options.connectTimeoutMs ?? DEFAULT_TIMEOUT_MS,
      commandTimeout: options.commandTimeoutMs ?? DEFAULT_TIMEOUT_MS,
    });
    redis.on('error', (err: Error) => {
      if (client === redis) lastError = err;
    });
    return redis;
  };

  const drop = (): void => {
    client?.disconnect();
    client = undefined;
  };

  const infoText = async (): Promise<string> => {
    if (client === undefined || client.status === 'end' || client.status === 'close') {
      drop();
      lastError = undefined;
      client = open();
      await client.connect();
    }
    return client.info('all');
  };

  return {
    target,
    async collect(signal: AbortSignal): Promise<Collection> {
      if (typeof db === 'string') return { families: redisDownFamilies(address), error: db };
      if (signal.aborted) {
        return {
          families: redisDownFamilies(address),
          error: `deadline passed before collecting ${address}`,
        };
      }
      const startedMs = Date.now();
      try {
        const text = await untilAborted(infoText(), signal);
        return { families: redisFamilies(parseRedisInfo(text), address) };
      } catch (err) {
        const error = signal.aborted
          ? `no answer from redis at ${address} before the deadline (${Date.now() - startedMs} ms)`
          : describe(err, lastError);
        drop();
        return { families: redisDownFamilies(address), error };
      }
    },
    async close(): Promise<void> {
      drop();
    },
  };
}

/** `params.db` as a number, or the error to report when it is not a database index. */
function parseDb(text: string | undefined): number | string | undefined {
  if (text === undefined || text === '') return undefined;
  const db = Number(text);
  return Number.isInteger(db) && db >= 0 ? db : `invalid redis params.db "${text}": expected 0, 1, 2…`;
}

function describe(err: unknown, lastError: Error | undefined): string {
  if (lastError !== undefined) return lastError.message;
  return err instanceof Error ? err.message : String(err);
}

/**
 * Settles with `work`, or rejects as soon as `signal` aborts. `work` goes on in the background;
 * the caller drops the connection, which makes it settle soon after.
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
