/**
 * Test helpers: the recorded fixtures (../testdata) loaded into a FakeApiServer, an in-memory
 * EventSink, a logger that keeps what it is told, and `until` for awaiting a condition.
 */
import { readFileSync } from 'node:fs';
import type { Logger } from '@vigil/core';
import type { EventSink, OutgoingLogRecord } from '../../ship/event-shipper.ts';
import { WATCHED_RESOURCES, type WatchedResourceName } from '../resources.ts';
import { FakeApiServer } from './fake-api-server.ts';

/** The time the fixtures were "recorded": every event in them is before it. */
export const FIXTURE_NOW_MS = Date.parse('2024-03-12T10:15:00Z');

/** A fixture file of ../testdata, parsed. */
export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../testdata/${name}`, import.meta.url), 'utf8')) as T;
}

/** A fake API server holding every recorded collection and the postgres Secret. */
export async function fakeClusterFromFixtures(): Promise<FakeApiServer> {
  const server = await FakeApiServer.start();
  for (const name of Object.keys(WATCHED_RESOURCES) as WatchedResourceName[]) {
    server.load(WATCHED_RESOURCES[name].path, fixture(`${name}.json`));
  }
  server.putSecret(fixture('secret-postgres-credentials.json'));
  return server;
}

/** Resolves once `condition()` holds; rejects with `what` after `timeoutMs`. */
export async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** An EventSink that keeps every record. */
export class MemoryEventSink implements EventSink {
  readonly shipped: { resource: Readonly<Record<string, string>>; record: OutgoingLogRecord }[] = [];

  ship(resource: Readonly<Record<string, string>>, record: OutgoingLogRecord): void {
    this.shipped.push({ resource, record });
  }
}

/** A Logger that records every call (level and message). */
export function recordingLogger(): Logger & {
  readonly lines: { level: string; msg: string; obj: object }[];
} {
  const lines: { level: string; msg: string; obj: object }[] = [];
  const at =
    (level: string) =>
    (obj: object, msg = ''): void => {
      lines.push({ level, msg, obj });
    };
  const logger: Logger & { lines: typeof lines } = {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => logger,
  };
  return logger;
}
