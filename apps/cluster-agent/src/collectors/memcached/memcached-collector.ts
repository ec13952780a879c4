/**
 * Collects a memcached server with one `stats` request per round over a kept TCP connection
 * (text protocol, no client library). See `memcached-families.ts` for the series.
 *
 * Credentials are not used: memcached authenticates only over SASL in the binary protocol or
 * with an auth file in the text protocol, which are rare for caches reached over a private network.
 * A failed or abandoned connection is destroyed and the next `collect` connects again.
 */
import type { Collection, Collector } from '../collector.ts';
import { targetAddress, type Target } from '../target.ts';
import { memcachedDownFamilies, memcachedFamilies } from './memcached-families.ts';
import { parseStats } from './memcached-stats.ts';
import { connectText, type TextConnection } from './text-connection.ts';

export function createMemcachedCollector(target: Target): Collector {
  const address = targetAddress(target);
  let connection: TextConnection | undefined;

  const drop = (): void => {
    connection?.destroy();
    connection = undefined;
  };

  const statsText = async (signal: AbortSignal): Promise<string> => {
    if (connection === undefined || !connection.alive) {
      drop();
      connection = await connectText(target.host, target.port, signal);
    }
    return connection.request('stats', signal);
  };

  return {
    target,
    async collect(signal: AbortSignal): Promise<Collection> {
      const startedMs = Date.now();
      try {
        const stats = parseStats(await statsText(signal));
        return { families: memcachedFamilies(stats, address) };
      } catch (err) {
        drop();
        const error = signal.aborted
          ? `no answer from memcached at ${address} before the deadline (${Date.now() - startedMs} ms)`
          : err instanceof Error
            ? err.message
            : String(err);
        return { families: memcachedDownFamilies(address), error };
      }
    },
    async close(): Promise<void> {
      drop();
    },
  };
}
