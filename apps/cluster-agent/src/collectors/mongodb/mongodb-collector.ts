/**
 * MongoDB: one `MongoClient` per target (direct connection, no server selection across a replica
 * set: the agent collects each member on its own), kept between rounds and dropped after a
 * failure. A round runs `buildInfo`, `replSetGetStatus` (its "not running with --replSet" answer
 * just means no replica set series) and `listDatabases`; the deadline closes the client.
 *
 * Untested against a real server on the machines this is built on (no MongoDB can be installed
 * there): the answers' handling is tested on recorded shapes, the failure paths on a closed port
 * and a silent TCP server, and `mongodb-collector.int.test.ts` runs against
 * `VIGIL_TEST_MONGODB_URL` when it is set.
 */
import { MongoClient } from 'mongodb';
import type { Collection, Collector } from '../collector.ts';
import { targetAddress, type Target } from '../target.ts';
import { mongoFamilies, mongoUpFamily, type MongoAnswers } from './mongodb-families.ts';

export interface MongoCollectorOptions {
  /** Connect and command timeout, ms (default 5 s; the round's deadline may come first). */
  readonly timeoutMs?: number;
}

function connectionUrl(t: Target): string {
  const host = t.host.includes(':') ? `[${t.host}]` : t.host;
  const user = t.credentials?.username;
  const auth = user
    ? `${encodeURIComponent(user)}:${encodeURIComponent(t.credentials?.password ?? '')}@`
    : '';
  return `mongodb://${auth}${host}:${t.port}/`;
}

export function createMongoCollector(target: Target, options: MongoCollectorOptions = {}): Collector {
  const address = targetAddress(target);
  const timeoutMs = options.timeoutMs ?? 5_000;
  let client: MongoClient | undefined;

  const drop = async (): Promise<void> => {
    const c = client;
    client = undefined;
    await c?.close(true).catch(() => undefined);
  };

  const round = async (): Promise<MongoAnswers> => {
    client ??= new MongoClient(connectionUrl(target), {
      directConnection: true,
      serverSelectionTimeoutMS: timeoutMs,
      connectTimeoutMS: timeoutMs,
      socketTimeoutMS: timeoutMs,
      appName: 'vigil-cluster-agent',
      ...(target.params?.authSource ? { authSource: target.params.authSource } : {}),
      maxPoolSize: 1,
    });
    const admin = client.db('admin');
    const buildInfo = await admin.command({ buildInfo: 1 });
    let replSetStatus: MongoAnswers['replSetStatus'];
    try {
      replSetStatus = (await admin.command({ replSetGetStatus: 1 })) as MongoAnswers['replSetStatus'];
    } catch (err) {
      // NoReplicationEnabled (76) / NotYetInitialized (94): a standalone server.
      const code = (err as { code?: number }).code;
      if (code !== 76 && code !== 94) throw err;
    }
    const list = await admin.command({ listDatabases: 1, nameOnly: false });
    return {
      buildInfo,
      ...(replSetStatus ? { replSetStatus } : {}),
      databases: (list.databases ?? []) as MongoAnswers['databases'],
    };
  };

  return {
    target,
    async collect(signal: AbortSignal): Promise<Collection> {
      const down = async (reason: string): Promise<Collection> => {
        await drop();
        return { families: [mongoUpFamily(address, 0)], error: reason };
      };
      if (signal.aborted) return down(`no answer from mongodb at ${address} before the deadline`);
      let onAbort: (() => void) | undefined;
      const aborted = new Promise<'aborted'>((resolve) => {
        onAbort = () => resolve('aborted');
        signal.addEventListener('abort', onAbort, { once: true });
      });
      try {
        const answer = await Promise.race([round(), aborted]);
        if (answer === 'aborted') return down(`no answer from mongodb at ${address} before the deadline`);
        return { families: mongoFamilies(address, answer) };
      } catch (err) {
        return down((err as Error).message);
      } finally {
        if (onAbort) signal.removeEventListener('abort', onAbort);
      }
    },
    close: drop,
  };
}
