import { randomBytes } from 'node:crypto';
import { silentLogger } from '@vigil/core';
import { makeTempDir } from '@vigil/testkit';
import { openConfigDb, type ConfigDb } from '../../configdb/index.ts';
import { createNotifications, type Notifications } from '../create-notifications.ts';
import type { NotificationEvent } from '../event.ts';
import type { RetryPolicy } from '../retry.ts';

/** Retries fast enough for tests: 1, 2, 4… ms apart, 4 attempts. */
export const FAST_RETRY: Partial<RetryPolicy> = { maxAttempts: 4, initialDelayMs: 1, maxDelayMs: 20 };

/** A real SQLite config DB in a temp dir with project `default`, and the notification components. */
export interface Harness extends Notifications {
  db: ConfigDb;
  dataDir: string;
  secretKey: string;
  close(): Promise<void>;
}

export async function startHarness(
  retry: Partial<RetryPolicy> = FAST_RETRY,
  dispatcher: { shutdownTimeoutMs?: number } = {},
): Promise<Harness> {
  const { dir, cleanup } = makeTempDir('vigil-notifications-');
  const db = await openConfigDb({ dataDir: dir, logger: silentLogger });
  await db.ensureProject('default', 'Default');
  const secretKey = randomBytes(32).toString('base64');
  const notifications = createNotifications({
    db,
    dataDir: dir,
    secretKey,
    dispatcher: { retry, requestTimeoutMs: 2000, shutdownTimeoutMs: 2000, ...dispatcher },
  });
  return {
    ...notifications,
    db,
    dataDir: dir,
    secretKey,
    async close() {
      await notifications.dispatcher.shutdown();
      await db.close();
      cleanup();
    },
  };
}

/** An incident of `api` opening on 2025-01-01 at 12:00 UTC. */
export function incidentOpened(overrides: Partial<NotificationEvent> = {}): NotificationEvent {
  return {
    kind: 'incident_opened',
    project: 'default',
    applicationId: 'default:Deployment:shop:api',
    title: 'api: availability SLO is burning',
    summary: '5.2% of requests failed in the last 5 minutes (objective 99.9%)',
    severity: 'critical',
    atMs: Date.UTC(2025, 0, 1, 12, 0, 0),
    incidentId: 'inc-42',
    url: 'http://vigil.example/incidents/inc-42',
    details: { errors: '5.2%', objective: '99.9%' },
    ...overrides,
  };
}

/** The same incident resolving 20 minutes later. */
export function incidentResolved(overrides: Partial<NotificationEvent> = {}): NotificationEvent {
  return incidentOpened({
    kind: 'incident_resolved',
    summary: 'Both burn-rate windows are back under their thresholds',
    atMs: Date.UTC(2025, 0, 1, 12, 20, 0),
    details: {},
    ...overrides,
  });
}

/** A rollout of `api`. */
export function deployment(overrides: Partial<NotificationEvent> = {}): NotificationEvent {
  return {
    kind: 'deployment',
    project: 'default',
    applicationId: 'default:Deployment:shop:api',
    title: 'api: rolled out image api:1.4.2',
    summary: 'errors +0.1%, p95 latency -12 ms, memory +8%',
    severity: 'info',
    atMs: Date.UTC(2025, 0, 1, 13, 0, 0),
    deploymentId: 'dep-7',
    ...overrides,
  };
}
